"""The account mapping (validation, default install, the page) and the finance settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.core.models import AuditEvent
from samverkan.domain.ledger_lines import MAPPING_LINES, MappingRange
from samverkan.finance.lines import LINE_LABELS
from samverkan.finance.models import (
    Account,
    AccountMapping,
    Balance,
    FinanceSettings,
    FiscalYear,
    PrintUnit,
    Transaction,
    Voucher,
)
from samverkan.finance.selectors.mapping import (
    account_balances,
    default_mapping,
    finance_settings,
    has_own_mapping,
    mapping_ranges,
)
from samverkan.finance.services.mapping import install_default_mapping, mapping_set, settings_update
from samverkan.testing import assert_roles


def test_every_line_has_a_swedish_label():
    assert set(LINE_LABELS) == set(MAPPING_LINES)
    assert str(LINE_LABELS["operating_income"]) == "Verksamhetens intäkter"


def test_install_default_copies_the_csv(world):
    assert mapping_ranges(world.federation) == list(default_mapping())
    assert not has_own_mapping(world.federation)
    install_default_mapping(acting_user=world.users["economist"], federation=world.federation)
    assert has_own_mapping(world.federation)
    assert sorted(mapping_ranges(world.federation), key=lambda r: (r.first, r.last)) == sorted(
        default_mapping(), key=lambda r: (r.first, r.last)
    )
    assert AuditEvent.objects.filter(object_type="finance.AccountMapping").count() == 1
    install_default_mapping(acting_user=world.users["economist"], federation=world.federation)  # unchanged
    assert AuditEvent.objects.filter(object_type="finance.AccountMapping").count() == 1
    assert not AccountMapping.objects.filter(federation=world.other_federation).exists()


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([MappingRange("3a", "3a", "operating_income")], "bara innehålla siffror"),
        ([MappingRange("39", "30", "operating_income")], "större än till-kontot"),
        ([MappingRange("3", "3", "income")], "okänd rad"),
        ([MappingRange("3", "3", "operating_income")] * 2, "finns två gånger"),
        (
            [MappingRange("3000", "3049", "operating_income"), MappingRange("3040", "3089", "member_fees")],
            "överlappar, är lika breda och pekar på olika rader",
        ),
        ([MappingRange("30", "30", "operating_income"), MappingRange("3000", "3099", "member_fees")], "överlappar"),
        ([MappingRange("1" * 21, "1" * 21, "cash")], "högst 20 siffror"),
    ],
)
def test_mapping_set_refuses(world, ranges, message):
    with pytest.raises(ValidationError) as caught:
        mapping_set(acting_user=world.users["admin"], federation=world.federation, ranges=ranges)
    assert message in " ".join(caught.value.messages)
    assert not AccountMapping.objects.exists()


def test_nested_and_agreeing_ranges_are_allowed(world):
    ranges = [
        MappingRange("3", "3", "operating_income"),
        MappingRange("3000", "3049", "member_fees"),  # narrower: wins inside class 3
        MappingRange("30", "30", "operating_income"),
        MappingRange("3050", "3099", "operating_income"),
    ]
    mapping_set(acting_user=world.users["admin"], federation=world.federation, ranges=ranges)
    assert len(mapping_ranges(world.federation)) == 4


def test_mapping_and_settings_roles(world):
    for role in ("board", "agent", "member_contact", "orderer"):
        with pytest.raises(PermissionDenied):
            mapping_set(acting_user=world.users[role], federation=world.federation, ranges=[])
        with pytest.raises(PermissionDenied):
            settings_update(acting_user=world.users[role], federation=world.federation, data={})
    with pytest.raises(PermissionDenied):
        install_default_mapping(acting_user=world.outsider, federation=world.federation)


def test_settings_update_creates_then_updates(world):
    assert finance_settings(world.federation).pk is None
    saved = settings_update(
        acting_user=world.users["economist"], federation=world.federation, data={"print_unit": PrintUnit.KRONOR}
    )
    assert saved.pk and finance_settings(world.federation).print_unit == "kr"
    settings_update(
        acting_user=world.users["economist"], federation=world.federation, data={"financial_goal_percent": Decimal("3")}
    )
    assert FinanceSettings.objects.get().financial_goal_percent == Decimal("3.00")
    with pytest.raises(ValidationError, match="Okända"):
        settings_update(acting_user=world.users["economist"], federation=world.federation, data={"federation": 1})
    with pytest.raises(ValidationError):
        settings_update(acting_user=world.users["economist"], federation=world.federation, data={"print_unit": "x"})


def _ledger(world):
    year = FiscalYear.objects.create(
        federation=world.federation,
        year=2024,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        sie_type="4E",
        has_vouchers=True,
        source_name="x.se",
        source_sha256="0" * 64,
        imported_by=world.users["admin"],
    )
    Account.objects.create(federation=world.federation, number="1930", name="Bank")
    Account.objects.create(federation=world.federation, number="3010", name="Försäljning")
    Account.objects.create(federation=world.federation, number="9999", name="Okänt konto utan saldo")
    Balance.objects.create(fiscal_year=year, kind="IB", year_offset=0, account="1930", amount=Decimal("100"))
    voucher = Voucher.objects.create(fiscal_year=year, date=date(2024, 3, 1), line=1)
    for account, amount in (("1930", "50"), ("3010", "-30"), ("9998", "-20")):
        Transaction.objects.create(
            fiscal_year=year,
            voucher=voucher,
            account=account,
            period=202403,
            date=date(2024, 3, 1),
            amount=Decimal(amount),
            line=2,
        )
    return year


def test_account_balances_and_the_mapping_page(world):
    _ledger(world)
    assert account_balances(world.federation) == (
        2024,
        {"1930": Decimal("150.00"), "3010": Decimal("-30.00"), "9998": Decimal("-20.00")},
    )
    page = world.client("economist").get(reverse("finance:mapping"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kassa och bank" in html and "Verksamhetens intäkter" in html
    assert "Konton med saldo saknar rad" in html and "9998" in html
    assert "Saknar rad (har saldo)" in html
    assert "standardmappningen för Kommun-Bas" in html


def test_mapping_page_edits(world):
    client = world.client("economist")
    response = client.post(
        reverse("finance:mapping-add"), {"first": "9998", "last": "9998", "line": "other_operating_expenses"}
    )
    assert response.status_code == 302
    assert has_own_mapping(world.federation)
    assert len(mapping_ranges(world.federation)) == len(default_mapping()) + 1
    row = AccountMapping.objects.get(first="9998")
    response = client.post(
        reverse("finance:mapping-edit", args=[row.pk]), {"first": "9998", "last": "9999", "line": "cash"}
    )
    assert response.status_code == 302
    assert AccountMapping.objects.filter(first="9998", last="9999", line="cash").exists()
    bad = client.post(reverse("finance:mapping-add"), {"first": "3", "last": "3", "line": "member_fees"})
    assert bad.status_code == 200 and "överlappar" in bad.content.decode()
    row = AccountMapping.objects.get(first="9998")
    assert client.post(reverse("finance:mapping-delete", args=[row.pk])).status_code == 302
    assert not AccountMapping.objects.filter(first="9998").exists()
    assert client.post(reverse("finance:mapping-install-default")).status_code == 302
    # another federation's row is not found
    foreign = AccountMapping.objects.create(federation=world.other_federation, first="1", last="1", line="cash")
    assert client.get(reverse("finance:mapping-edit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("finance:mapping-delete", args=[foreign.pk])).status_code == 404


def test_mapping_and_settings_page_roles(world):
    assert_roles(world, "get", reverse("finance:mapping"), allowed={"admin", "economist"})
    assert_roles(world, "get", reverse("finance:mapping-add"), allowed={"admin", "economist"})
    assert_roles(world, "get", reverse("finance:settings"), allowed={"admin", "economist"})
    assert world.client("board").post(reverse("finance:mapping-install-default")).status_code == 403
    assert world.client("board").get(reverse("finance:mapping-install-default")).status_code == 403
    assert world.client("admin").get(reverse("finance:mapping-install-default")).status_code == 405


def test_settings_page_saves(world):
    response = world.client("admin").post(
        reverse("finance:settings"),
        {
            "activity_dimension": 1,
            "project_dimension": 6,
            "deviation_convention": "outcome_minus_budget",
            "print_unit": "mkr",
            "line_grouping": "gross",
            "financial_goal_percent": "2,5",
            "publish_statements": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = finance_settings(world.federation)
    assert (saved.print_unit, saved.publish_statements, saved.deviation_convention) == (
        "mkr",
        True,
        "outcome_minus_budget",
    )


def test_mapping_and_settings_api(world):
    api = world.api("economist")
    url = reverse("finance-api:mapping")
    got = api.get(url).json()
    assert (
        got["own"] is False
        and {"first": "3", "last": "3", "line": "operating_income", "label": "Verksamhetens intäkter"} in got["ranges"]
    )
    put = api.put(url, {"ranges": [{"first": "3", "last": "3", "line": "operating_income"}]}, format="json")
    assert put.status_code == 200 and put.json()["own"] is True and len(put.json()["ranges"]) == 1
    bad = api.put(url, {"ranges": [{"first": "3", "last": "3", "line": "x"}]}, format="json")
    assert bad.status_code == 400
    conflict = api.put(
        url,
        {
            "ranges": [
                {"first": "30", "last": "30", "line": "operating_income"},
                {"first": "30", "last": "30", "line": "cash"},
            ]
        },
        format="json",
    )
    assert conflict.status_code == 400
    assert api.post(reverse("finance-api:mapping-default")).json()["own"] is True
    assert world.api("board").put(url, {"ranges": []}, format="json").status_code == 403
    assert_roles(world, "get", url, allowed={"admin", "economist"}, api=True)
    settings_url = reverse("finance-api:settings")
    assert api.get(settings_url).json()["print_unit"] == "tkr"
    patched = api.patch(settings_url, {"print_unit": "kr", "financial_goal_percent": "3.10"}, format="json")
    assert patched.status_code == 200 and patched.json()["print_unit"] == "kr"
    assert api.patch(settings_url, {"print_unit": "x"}, format="json").status_code == 400
    assert_roles(world, "get", settings_url, allowed={"admin", "economist"}, api=True)
    assert world.api("board").patch(settings_url, {"print_unit": "kr"}, format="json").status_code == 403
    assert world.api("outsider").get(settings_url).json()["print_unit"] == "tkr"  # its own federation's
