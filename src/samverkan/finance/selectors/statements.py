"""The ledger summed per account for the statements: one GROUP BY over the year's transactions
plus its balance records, never the transactions row by row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Case, F, Sum, Value, When

from samverkan.assets.models import Asset
from samverkan.assets.selectors import book_value, held_on
from samverkan.domain.statements import YearAmounts
from samverkan.finance.models import Account, Balance, BalanceKind, FiscalYear, Transaction, TransactionKind

_ORE = BigIntegerField()


def _per_account(rows) -> dict[str, int]:
    totals: dict[str, int] = {}
    for account, amount in rows:
        if amount:
            totals[account] = totals.get(account, 0) + int(amount)
    return totals


def _balances(fiscal_year: FiscalYear, kinds: tuple[str, ...], offset: int) -> dict[str, int]:
    """Account-level balance records of the file (`#IB`/`#UB`/`#RES`, not the object ones)."""
    rows = (
        Balance.objects.filter(fiscal_year=fiscal_year, kind__in=kinds, year_offset=offset)
        .order_by()
        .values("account")
        .annotate(total=Sum("amount", output_field=_ORE))
        .values_list("account", "total")
    )
    return _per_account(rows)


def year_amounts(fiscal_year: FiscalYear) -> YearAmounts:
    """Opening (`#IB`), closing and the year's debit and credit movements per account, in öre.

    With vouchers, closing = IB + the year's transactions (struck lines `#BTRANS` left out);
    without (SIE 1–3), the file's `#UB` for balance accounts and `#RES` for result accounts."""
    opening = _balances(fiscal_year, (BalanceKind.OPENING,), 0)
    if not fiscal_year.has_vouchers:
        return YearAmounts(opening=opening, closing=_closing_records(fiscal_year, 0))
    moves = (
        Transaction.objects.filter(fiscal_year=fiscal_year)
        .exclude(kind=TransactionKind.REMOVED)
        .order_by()
        .values("account")
        .annotate(
            debit=Sum(Case(When(amount__gt=0, then=F("amount")), default=Value(0), output_field=_ORE)),
            credit=Sum(Case(When(amount__lt=0, then=-F("amount")), default=Value(0), output_field=_ORE)),
        )
        .values_list("account", "debit", "credit")
    )
    debit: dict[str, int] = {}
    credit: dict[str, int] = {}
    for account, plus, minus in moves:
        if plus:
            debit[account] = int(plus)
        if minus:
            credit[account] = int(minus)
    closing = dict(opening)
    for account in {*debit, *credit}:
        closing[account] = closing.get(account, 0) + debit.get(account, 0) - credit.get(account, 0)
    return YearAmounts(opening=opening, closing={a: v for a, v in closing.items() if v}, debit=debit, credit=credit)


def _closing_records(fiscal_year: FiscalYear, offset: int) -> dict[str, int]:
    """`#UB` of the balance accounts, `#RES` of the result accounts (an account has one or the
    other; should a file give both, the `#UB` counts)."""
    closing = _balances(fiscal_year, (BalanceKind.RESULT,), offset)
    closing.update(_balances(fiscal_year, (BalanceKind.CLOSING,), offset))
    return closing


def fiscal_year_of(federation, year: int) -> FiscalYear | None:
    """The imported year of a federation. Not scoped here: who may see the statements depends on
    whether the federation has published them, which the use case checks before calling this."""
    return FiscalYear.objects.filter(federation=federation, year=year).first()


def previous_amounts(fiscal_year: FiscalYear) -> YearAmounts | None:
    """The year before: its own imported ledger, else the previous-year records (`#IB -1`,
    `#UB -1`, `#RES -1`) of this year's file, else None."""
    before = fiscal_year_of(fiscal_year.federation_id, fiscal_year.year - 1)
    if before is not None:
        return year_amounts(before)
    records = (BalanceKind.OPENING, BalanceKind.CLOSING, BalanceKind.RESULT)
    if not Balance.objects.filter(fiscal_year=fiscal_year, year_offset=-1, kind__in=records).exists():
        return None
    opening = _balances(fiscal_year, (BalanceKind.OPENING,), -1)
    known = Balance.objects.filter(fiscal_year=fiscal_year, year_offset=-1, kind=BalanceKind.OPENING).exists()
    return YearAmounts(opening=opening, closing=_closing_records(fiscal_year, -1), opening_known=known)


def account_names(federation) -> dict[str, str]:
    return dict(Account.objects.filter(federation=federation).values_list("number", "name"))


def asset_register_totals(federation, on: date) -> tuple[Decimal, Decimal]:
    """(acquisition cost, book value) of the federation's asset register on a date: the assets
    held then (bought, not yet disposed of), valued by the register's own depreciation."""
    held = held_on(Asset.objects.filter(federation=federation), on)
    cost = Decimal("0.00")
    value = Decimal("0.00")
    for asset in held.only("purchase_value", "purchase_date", "depreciation_years", "disposed_on"):
        cost += asset.purchase_value
        value += book_value(asset, on)
    return cost, value


def statement_years(federation) -> list[int]:
    """The federation's imported years, newest first, for the year selector of the statements."""
    return list(FiscalYear.objects.filter(federation=federation).order_by("-year").values_list("year", flat=True))
