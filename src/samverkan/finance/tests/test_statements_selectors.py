"""The ledger summed per account for the statements (`selectors.statements`), and the helper
that writes hand-built ledgers for the statement tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.assets.models import Asset
from samverkan.finance.models import Balance, FiscalYear, Transaction, Voucher
from samverkan.finance.selectors.statements import (
    asset_register_totals,
    previous_amounts,
    statement_years,
    year_amounts,
)

T = Decimal(1000)  # one tkr in kronor


def make_year(
    federation,
    user,
    year: int,
    *,
    opening: dict[str, Decimal] | None = None,
    vouchers: list[list[tuple[str, Decimal]]] | None = None,
    closing: dict[str, Decimal] | None = None,
    previous_closing: dict[str, Decimal] | None = None,
    removed: list[tuple[str, Decimal]] | None = None,
) -> FiscalYear:
    """A FiscalYear with #IB, vouchers (or, without vouchers, #UB/#RES in `closing`) and
    optionally #UB/#RES -1 of the year before; amounts in kronor, SIE sign."""
    fiscal_year = FiscalYear.objects.create(
        federation=federation,
        year=year,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        sie_type="4",
        has_vouchers=vouchers is not None,
        source_name=f"ledger-{year}.se",
        source_sha256="0" * 64,
        imported_by=user,
    )
    for account, amount in (opening or {}).items():
        Balance.objects.create(fiscal_year=fiscal_year, kind="IB", year_offset=0, account=account, amount=amount)
    for account, amount in (closing or {}).items():
        kind = "UB" if account[0] in "12" else "RES"
        Balance.objects.create(fiscal_year=fiscal_year, kind=kind, year_offset=0, account=account, amount=amount)
    for account, amount in (previous_closing or {}).items():
        kind = "UB" if account[0] in "12" else "RES"
        Balance.objects.create(fiscal_year=fiscal_year, kind=kind, year_offset=-1, account=account, amount=amount)
    line = 1
    for number, lines in enumerate(vouchers or [], start=1):
        assert sum(amount for _, amount in lines) == 0
        voucher = Voucher.objects.create(
            fiscal_year=fiscal_year, series="A", number=str(number), date=date(year, 6, 30), line=line
        )
        for account, amount in lines:
            line += 1
            Transaction.objects.create(
                fiscal_year=fiscal_year,
                voucher=voucher,
                account=account,
                period=year * 100 + 6,
                date=date(year, 6, 30),
                amount=amount,
                line=line,
            )
    if removed:
        voucher = Voucher.objects.create(fiscal_year=fiscal_year, date=date(year, 7, 1), line=line + 1)
        for account, amount in removed:
            Transaction.objects.create(
                fiscal_year=fiscal_year,
                voucher=voucher,
                kind="removed",
                account=account,
                period=year * 100 + 7,
                date=date(year, 7, 1),
                amount=amount,
                line=line + 2,
            )
    return fiscal_year


def test_year_amounts_sum_by_account_in_one_query_and_leave_struck_lines_out(world):
    fiscal_year = make_year(
        world.federation,
        world.users["economist"],
        2023,
        opening={"1930": Decimal("100.50"), "2440": Decimal("-100.50")},
        vouchers=[
            [("3010", Decimal("-40.25")), ("1930", Decimal("40.25"))],
            [("5010", Decimal("10")), ("1930", Decimal("-10"))],
        ],
        removed=[("5010", Decimal("999")), ("1930", Decimal("-999"))],
    )
    with CaptureQueriesContext(connection) as queries:
        amounts = year_amounts(fiscal_year)
    assert len(queries) == 2
    assert amounts.opening == {"1930": 10050, "2440": -10050}
    assert amounts.closing == {"1930": 13075, "2440": -10050, "3010": -4025, "5010": 1000}
    assert amounts.debit == {"1930": 4025, "5010": 1000}
    assert amounts.credit == {"1930": 1000, "3010": 4025}


def test_a_year_without_vouchers_closes_with_its_ub_and_res(world):
    fiscal_year = make_year(
        world.federation,
        world.users["economist"],
        2023,
        opening={"1930": Decimal(100)},
        closing={"1930": Decimal(150), "3010": Decimal(-50)},
    )
    amounts = year_amounts(fiscal_year)
    assert amounts.closing == {"1930": 15000, "3010": -5000}
    assert amounts.debit == {}


def test_previous_year_from_its_own_ledger_else_from_the_files_minus_one_records(world):
    user = world.users["economist"]
    this = make_year(world.federation, user, 2023, closing={"1930": Decimal(1)}, previous_closing={"1930": Decimal(7)})
    assert previous_amounts(this).closing == {"1930": 700}
    assert previous_amounts(this).opening_known is False  # no #IB -1 in the file
    make_year(world.federation, user, 2022, closing={"1930": Decimal(9)})
    assert previous_amounts(this).closing == {"1930": 900}
    alone = make_year(world.other_federation, world.outsider, 2023, closing={"1930": Decimal(1)})
    assert previous_amounts(alone) is None
    assert statement_years(world.federation) == [2023, 2022]


def test_asset_register_totals_at_a_date(world):
    common = {"federation": world.federation, "asset_type": "pc", "depreciation_years": 3}
    Asset.objects.create(inventory_number="A1", purchase_date=date(2022, 1, 1), purchase_value=Decimal(36000), **common)
    Asset.objects.create(
        inventory_number="A2",
        purchase_date=date(2021, 1, 1),
        purchase_value=Decimal(1000),
        status="disposed",
        disposed_on=date(2023, 3, 1),
        **common,
    )
    cost, value = asset_register_totals(world.federation, date(2023, 12, 31))
    assert cost == Decimal(36000)
    assert Decimal(0) < value < cost
    assert asset_register_totals(world.other_federation, date(2023, 12, 31)) == (Decimal(0), Decimal(0))
