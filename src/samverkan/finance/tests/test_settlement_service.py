"""Settlement of an activity's result (seed 003): ledger rows → pool → approved run → billing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.allocation import selectors as allocation_selectors
from samverkan.allocation import services as allocation_services
from samverkan.allocation.models import AllocationLine, KeyKind, RunStatus
from samverkan.billing import services as billing_services
from samverkan.billing.models import InvoiceLine, SourceType
from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.finance.models import DimensionObject, FiscalYear, Transaction, Voucher
from samverkan.finance.selectors import settlement as selectors
from samverkan.finance.services.settlement import SettlementExists, settlement_create
from samverkan.finance.usecases.settlement import settlement_overview, settlement_preview

SURPLUS = Decimal("123456.79")  # activity 81141: income 1 000 000,00, costs 876 543,21
DEFICIT = Decimal("-50000.00")  # activity 81143: costs only


def make_ledger(federation, user, year: int = 2024) -> FiscalYear:
    """A small ledger: a surplus (81141), a deficit (81143), a zero result (81145), a struck
    #BTRANS row and balance-sheet rows that must not count."""
    fy = FiscalYear.objects.create(
        federation=federation,
        year=year,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        sie_type="4E",
        has_vouchers=True,
        source_name=f"ledger{year}.se",
        source_sha256="0" * 64,
        imported_by=user,
    )
    for code, name in (("81141", "IT"), ("81143", "Kundtjänst"), ("81145", "Revision")):
        DimensionObject.objects.get_or_create(federation=federation, dimension=1, code=code, defaults={"name": name})
    voucher = Voucher.objects.create(fiscal_year=fy, series="A", number="1", date=date(year, 6, 30), line=1)
    rows = [
        ("3000", "81141", "-1000000.00", ""),
        ("5400", "81141", "876543.21", ""),
        ("5400", "81141", "999999.00", "removed"),  # #BTRANS: struck, not counted
        ("1930", "81141", "123456.79", ""),  # balance sheet: not counted
        ("7010", "81143", "50000.00", ""),
        ("1930", "81143", "-50000.00", ""),
        ("3000", "81145", "-100.00", ""),
        ("6000", "81145", "100.00", ""),
        ("1930", "", "-999999.00", "added"),
        ("2440", "", "999999.00", ""),
    ]
    Transaction.objects.bulk_create(
        Transaction(
            fiscal_year=fy,
            voucher=voucher,
            kind=kind,
            account=account,
            activity=activity,
            object_list=f"1:{activity}" if activity else "",
            period=year * 100 + 6,
            date=date(year, 6, 30),
            amount=Decimal(amount),
            line=i + 2,
        )
        for i, (account, activity, amount, kind) in enumerate(rows)
    )
    return fy


@pytest.fixture
def ledger(world):
    return make_ledger(world.federation, world.users["economist"])


@pytest.fixture
def equal_key(world):
    return allocation_services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Lika andel", kind=KeyKind.EQUAL
    )


@pytest.fixture
def population_key(world):
    return allocation_services.key_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Invånare 1 november 2023",
        kind=KeyKind.POPULATION,
        reference_date=date(2023, 11, 1),
    )


def test_results_come_from_the_ledger(world, ledger):
    results = {r.code: r for r in selectors.activity_results(ledger)}
    assert results["81141"].result == SURPLUS
    assert results["81141"].name == "IT"
    assert results["81143"].result == DEFICIT
    assert results["81145"].result == 0
    assert set(results) == {"81141", "81143", "81145"}  # rows without activity are not an activity


def test_surplus_end_to_end_is_credited_in_the_next_invoice_run(world, ledger, population_key):
    economist = world.users["economist"]
    pool = settlement_create(
        acting_user=economist,
        federation=world.federation,
        year=2024,
        activity="81141",
        key=population_key,
        billed_on=date(2025, 3, 15),
    )
    assert pool.total == -SURPLUS
    assert pool.description.startswith(
        "Reglering av årets resultat ur huvudboken (räkenskapsår 2024, verksamhet 81141)."
    )
    assert pool.period_start == pool.period_end == date(2025, 3, 15)
    [run] = pool.runs.all()
    assert run.status == RunStatus.APPROVED
    assert run.participation_date == date(2024, 12, 31)
    amounts = {line.member.name: line.amount for line in run.lines.select_related("member")}
    # 12 000 : 5 800 inhabitants, exact to the öre, summing to the result
    assert amounts == {"Lycksele kommun": Decimal("-83229.30"), "Storuman kommun": Decimal("-40227.49")}
    assert sum(amounts.values()) == -SURPLUS
    assert AuditEvent.objects.filter(action="settlement", object_id=str(pool.pk)).exists()

    # billing's existing path for allocation pools: a credit line per member in the next run
    billing = billing_services.invoice_run_create(
        acting_user=economist, federation=world.federation, period="2025-03", timing="arrears"
    )
    lines = InvoiceLine.objects.filter(run=billing, source_type=SourceType.ALLOCATION)
    assert sorted(line.net for line in lines) == sorted(amounts.values())
    assert sum(line.net for line in lines) == -SURPLUS
    assert all(line.invoice_id for line in lines)
    billing = billing_services.invoice_run_approve(acting_user=economist, run=billing)
    billing = billing_services.invoice_run_issue(acting_user=economist, run=billing)
    assert sorted(i.total for i in billing.invoices.all()) == sorted(amounts.values())  # outside VAT scope
    # … and only once: the next period has nothing more of it
    later = billing_services.invoice_run_create(
        acting_user=economist, federation=world.federation, period="2025-04", timing="arrears"
    )
    assert not InvoiceLine.objects.filter(run=later, source_type=SourceType.ALLOCATION).exists()


def test_deficit_is_charged(world, ledger, equal_key):
    pool = settlement_create(
        acting_user=world.users["admin"], federation=world.federation, year=2024, activity="81143", key=equal_key
    )
    assert pool.total == Decimal("50000.00")
    lines = AllocationLine.objects.filter(run__pool=pool)
    assert sorted(line.amount for line in lines) == [Decimal("25000.00"), Decimal("25000.00")]


def test_preview_is_what_is_stored(world, ledger, population_key):
    preview = settlement_preview(
        user=world.users["economist"], federation=world.federation, year=2024, activity="81141", key=population_key
    )
    assert preview.result == SURPLUS and preview.is_surplus
    assert preview.share_total == -SURPLUS
    pool = settlement_create(
        acting_user=world.users["economist"],
        federation=world.federation,
        year=2024,
        activity="81141",
        key=population_key,
    )
    stored = [
        (line.member_id, line.amount) for line in AllocationLine.objects.filter(run__pool=pool).order_by("position")
    ]
    assert stored == [(s.member_id, s.amount) for s in preview.shares]


def test_refusals(world, ledger, equal_key):
    economist = world.users["economist"]
    with pytest.raises(ValidationError, match="inte inläst"):
        settlement_create(
            acting_user=economist, federation=world.federation, year=2023, activity="81141", key=equal_key
        )
    with pytest.raises(ValidationError, match="resultatet 0"):
        settlement_create(
            acting_user=economist, federation=world.federation, year=2024, activity="81145", key=equal_key
        )
    with pytest.raises(ValidationError, match="resultatet 0"):  # an activity without rows has result 0 too
        settlement_create(
            acting_user=economist, federation=world.federation, year=2024, activity="99999", key=equal_key
        )
    with pytest.raises(ValidationError, match="tidigast 2025-01-01"):
        settlement_create(
            acting_user=economist,
            federation=world.federation,
            year=2024,
            activity="81141",
            key=equal_key,
            billed_on=date(2024, 12, 31),
        )
    first = settlement_create(
        acting_user=economist, federation=world.federation, year=2024, activity="81141", key=equal_key
    )
    with pytest.raises(SettlementExists) as caught:
        settlement_create(
            acting_user=economist, federation=world.federation, year=2024, activity="81141", key=equal_key
        )
    assert caught.value.pool == first
    assert selectors.settlement_pools(world.federation, 2024) == {"81141": first}
    overview = settlement_overview(user=economist, federation=world.federation, year=2024)
    assert {row.code: row.pool for row in overview.rows}["81141"] == first


@pytest.mark.parametrize("role", ["board", "member_contact", "agent", "orderer"])
def test_only_editors_settle(world, ledger, equal_key, role):
    with pytest.raises(PermissionDenied):
        settlement_create(
            acting_user=world.users[role], federation=world.federation, year=2024, activity="81141", key=equal_key
        )


def test_outsider_and_foreign_key_refused(world, ledger, equal_key):
    with pytest.raises(PermissionDenied):
        settlement_create(
            acting_user=world.outsider, federation=world.federation, year=2024, activity="81141", key=equal_key
        )
    foreign_key = allocation_services.key_create(
        acting_user=system_actor(), federation=world.other_federation, name="Lika", kind=KeyKind.EQUAL
    )
    with pytest.raises(ValidationError):
        settlement_create(
            acting_user=world.users["economist"],
            federation=world.federation,
            year=2024,
            activity="81141",
            key=foreign_key,
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(total=st.decimals(min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"), places=2))
def test_preview_shares_sum_exactly(world, population_key, total):
    shares = allocation_selectors.allocation_preview(population_key, total, date(2024, 12, 31))
    assert sum(amount for _member, amount in shares) == total


def test_a_changed_ledger_is_shown_beside_the_settlement(world, ledger, equal_key):
    economist = world.users["economist"]
    pool = settlement_create(
        acting_user=economist, federation=world.federation, year=2024, activity="81143", key=equal_key
    )
    row = next(
        r for r in settlement_overview(user=economist, federation=world.federation, year=2024).rows if r.code == "81143"
    )
    assert row.pool == pool and row.changed is None
    Transaction.objects.filter(fiscal_year=ledger, activity="81143", account="7010").update(amount=Decimal("50100.00"))
    row = next(
        r for r in settlement_overview(user=economist, federation=world.federation, year=2024).rows if r.code == "81143"
    )
    assert row.changed == Decimal("-100.00")  # the deficit grew by 100 kr since it was settled
    assert row.as_dict()["settlement"]["ledger_changed_by"] == "-100.00"
