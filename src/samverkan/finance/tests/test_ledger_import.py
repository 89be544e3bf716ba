"""The ledger import service: hand-written SIE files, replacement, refusals (nothing written)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.core.models import AuditEvent
from samverkan.domain.sie import SieError
from samverkan.finance.models import (
    Account,
    Balance,
    Budget,
    Dimension,
    DimensionObject,
    FinanceSettings,
    FiscalYear,
    Transaction,
    Voucher,
)
from samverkan.finance.selectors import ledger as selectors
from samverkan.finance.services.ledger import import_sie, normalise_orgnr
from samverkan.finance.tests.ledger_files import balances_type1, header, ledger_4e, sie


def _import(world, data, role="economist", **kwargs):
    return import_sie(
        acting_user=world.users[role], federation=world.federation, data=data, source_name="bok.se", **kwargs
    )


def _counts():
    return (
        FiscalYear.objects.count(),
        Voucher.objects.count(),
        Transaction.objects.count(),
        Balance.objects.count(),
        Account.objects.count(),
        Budget.objects.count(),
    )


@pytest.mark.django_db
def test_4e_with_vouchers(world):
    result = _import(world, ledger_4e())
    fy = result.fiscal_year
    assert not result.replaced
    assert (fy.year, fy.start, fy.end, fy.sie_type, fy.has_vouchers) == (
        2023,
        date(2023, 1, 1),
        date(2023, 12, 31),
        "4",
        True,
    )
    assert fy.company_name == "Testförbundet" and fy.program == "Ekonomisystemet"
    assert len(fy.source_sha256) == 64 and fy.imported_by == world.users["economist"]
    assert Voucher.objects.filter(fiscal_year=fy).count() == 2
    rows = {t.line: t for t in Transaction.objects.filter(fiscal_year=fy)}
    assert len(rows) == 5
    fee = next(t for t in rows.values() if t.account == "3010")
    assert (fee.activity, fee.project, fee.object_list, fee.period, fee.text) == (
        "81141",
        "",
        "1:81141",
        202303,
        "Avgift kv 1",
    )
    assert fee.amount == Decimal("-20000.00")
    salary = next(t for t in rows.values() if t.account == "5010")
    assert (salary.activity, salary.project, salary.object_list, salary.period) == (
        "81143",
        "P12",
        "1:81143 6:P12",
        202304,
    )
    struck = next(t for t in rows.values() if t.account == "6110")
    assert struck.kind == "removed"
    # balances as written, with activity on #PSALDO
    psaldo = Balance.objects.get(fiscal_year=fy, kind="PSALDO")
    assert (psaldo.period, psaldo.activity, psaldo.object_list, psaldo.amount) == (
        202303,
        "81141",
        "1:81141",
        Decimal("-20000.00"),
    )
    assert Balance.objects.filter(fiscal_year=fy, year_offset=-1).count() == 2
    # chart, dimensions, objects
    acc = Account.objects.get(federation=world.federation, number="3010")
    assert (acc.name, acc.account_type, acc.sru) == ("Medlemsavgifter", "I", "7410")
    assert DimensionObject.objects.get(federation=world.federation, dimension=1, code="81143").name == "Kundtjänst"
    assert Dimension.objects.get(federation=world.federation, number=6).name == "Projekt"
    # budget from #PBUDGET
    budget = Budget.objects.get(federation=world.federation, year=2023, name="Budget enligt SIE-fil")
    assert budget.kind == "adopted" and budget.lines.count() == 2
    # the closing balance: IB + transactions (struck line left out)
    totals = selectors.account_totals(fy)
    assert totals["1930"].closing == Decimal("114500.00")
    assert selectors.result_of(totals) == Decimal("14500.00")
    assert result.changes["result"] == {"before": None, "after": "14500.00"}
    assert any("första gången" in line for line in result.summary)
    assert AuditEvent.objects.filter(object_type="finance.FiscalYear", action="import").count() == 1
    assert result.as_dict()["fiscal_year"]["year"] == 2023


@pytest.mark.django_db
def test_activity_dimension_from_settings(world):
    FinanceSettings.objects.create(federation=world.federation, activity_dimension=6, project_dimension=1)
    fy = _import(world, ledger_4e()).fiscal_year
    salary = Transaction.objects.get(fiscal_year=fy, account="5010")
    assert (salary.activity, salary.project) == ("P12", "81143")


@pytest.mark.django_db
def test_type1_balances_only(world):
    result = _import(world, balances_type1())
    fy = result.fiscal_year
    assert fy.sie_type == "1" and not fy.has_vouchers
    assert Voucher.objects.filter(fiscal_year=fy).count() == 0
    totals = selectors.account_totals(fy)
    assert totals["1930"].closing == Decimal("60000.00") and totals["1930"].movement == Decimal("10000.00")
    assert totals["5010"].closing == Decimal("20000.00")
    assert selectors.result_of(totals) == Decimal("10000.00")
    groups = selectors.trial_balance(fy)
    assert [g.number for g in groups] == ["1", "2", "3", "5"]
    assert groups[0].rows[0].name == "Bank"


@pytest.mark.django_db
def test_reimport_replaces_the_year_and_reports_changes(world):
    first = _import(world, ledger_4e()).fiscal_year
    result = _import(world, ledger_4e(extra_voucher=True, rename=True))
    fy = result.fiscal_year
    assert result.replaced and fy.pk == first.pk
    assert FiscalYear.objects.filter(federation=world.federation).count() == 1
    assert Voucher.objects.filter(fiscal_year=fy).count() == 3
    assert Transaction.objects.filter(fiscal_year=fy).count() == 9
    changes = result.changes
    assert changes["vouchers"] == {"before": 2, "after": 3}
    assert changes["transactions"] == {"before": 5, "after": 9}
    assert changes["accounts"]["created"] == ["6310"]
    assert changes["accounts"]["added"] == ["6110", "6310"]
    assert changes["accounts"]["renamed"] == [
        {"number": "6110", "old": "Kontorsmaterial", "new": "Förbrukningsmaterial"}
    ]
    class1 = next(c for c in changes["classes"] if c["class"] == "1")
    assert class1 == {"class": "1", "before": "114500.00", "after": "113000.00"}
    assert changes["result"] == {"before": "14500.00", "after": "13000.00"}
    assert changes["replaced"]["source_name"] == "bok.se"
    text = "\n".join(result.summary)
    assert "ersattes" in text and "6110" in text and "Förbrukningsmaterial" in text
    # the transaction's own date decides its period
    assert Transaction.objects.get(fiscal_year=fy, account="6110", kind="").period == 202305
    # objects and accounts are never deleted
    assert Account.objects.filter(federation=world.federation).count() == 7
    assert Budget.objects.filter(federation=world.federation).count() == 1


@pytest.mark.django_db
def test_other_years_and_federations_are_untouched(world):
    _import(world, ledger_4e())
    other = (
        balances_type1()
        .replace(b"#RAR 0 20230101 20231231", b"#RAR 0 20220101 20221231")
        .replace(b"#RAR -1 20220101 20221231", b"#RAR -1 20210101 20211231")
    )
    _import(world, other)
    assert sorted(FiscalYear.objects.values_list("year", flat=True)) == [2022, 2023]
    assert Transaction.objects.count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ledger_4e(orgnr="2120002486"), "organisationsnummer 2120002486"),
        (ledger_4e(orgnr=""), "saknar organisationsnummer"),
        (sie(*header(rar=False), '#VER A 1 20230101 ""', "{", "#TRANS 1930 {} 1", "#TRANS 3010 {} -1", "}"), "#RAR"),
        (sie(*header(), '#KONTO 1930 "Bank"'), "varken saldon"),
        (sie(*header(rar=False), "#RAR -1 20220101 20221231", "#IB -1 1930 5"), "#RAR 0"),
    ],
)
def test_refused_files_write_nothing(world, data, message):
    _import(world, ledger_4e())
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _import(world, data)
    assert message in " ".join(exc.value.messages)
    assert _counts() == before


@pytest.mark.django_db
def test_orgnr_normalised():
    assert normalise_orgnr("222000-0018") == normalise_orgnr("2220000018") == normalise_orgnr("16222000-0018")


@pytest.mark.django_db
def test_bad_line_and_unbalanced_voucher_write_nothing(world):
    _import(world, ledger_4e())
    before = _counts()
    bad = ledger_4e().replace(b"#TRANS 1930 {} -5500.00", b"#TRANS 1930 {} -55,00")
    with pytest.raises(SieError) as exc:
        _import(world, bad)
    assert str(exc.value).startswith("rad ") and "#TRANS" in str(exc.value)
    unbalanced = ledger_4e().replace(b"#TRANS 1930 {} -5500.00", b"#TRANS 1930 {} -5400.00")
    with pytest.raises(SieError) as exc:
        _import(world, unbalanced)
    assert "balanserar inte" in str(exc.value) and "#VER" in str(exc.value)
    assert _counts() == before


@pytest.mark.django_db
def test_transaction_date_outside_the_year(world):
    data = ledger_4e(extra_voucher=True).replace(b"1200.00 20230531", b"1200.00 20240131")
    with pytest.raises(ValidationError) as exc:
        _import(world, data)
    assert "#TRANS" in exc.value.messages[0] and "utanför räkenskapsåret" in exc.value.messages[0]
    assert FiscalYear.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["board", "member_contact", "orderer", "agent"])
def test_roles_refused(world, role):
    with pytest.raises(PermissionDenied):
        _import(world, ledger_4e(), role=role)


@pytest.mark.django_db
def test_outsider_cannot_import_into_another_federation(world):
    with pytest.raises(PermissionDenied):
        import_sie(acting_user=world.outsider, federation=world.federation, data=ledger_4e(), source_name="x.se")


@pytest.mark.django_db
def test_latin1_file(world):
    data = ledger_4e().decode("cp437").encode("latin-1")
    _import(world, data, role="admin", encoding="latin-1")
    assert Account.objects.get(federation=world.federation, number="2440").name == "Leverantörsskulder"


@pytest.mark.django_db
def test_texts_with_backslash_tab_and_quotes_survive(world):
    data = (
        ledger_4e()
        .replace(b'"Avgift kv 1"', b'"Avgift\\\\kv\t1 \\"x\\""')
        .replace(b'"Medlemsavgift Lycksele"', b'"C:\\\\temp\\\\n"')
    )
    fy = _import(world, data).fiscal_year
    fee = Transaction.objects.get(fiscal_year=fy, account="3010")
    assert fee.text == 'Avgift\\kv\t1 "x"'
    assert Voucher.objects.get(fiscal_year=fy, number="1").text == "C:\\temp\\n"
