"""Imported ledger years, accounts, vouchers — and the per-account sums the year page and the
import's change summary are made of."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import scope
from samverkan.finance.models import (
    Account,
    Balance,
    BalanceKind,
    FiscalYear,
    Transaction,
    TransactionKind,
    Voucher,
)

ZERO = Decimal("0.00")
RESULT_CLASSES = ("3", "4", "5", "6", "7", "8")
# Kommun-Bas / BAS account classes, for the trial balance's group headings.
CLASS_LABELS = {
    "1": _("Tillgångar"),
    "2": _("Eget kapital, avsättningar och skulder"),
    "3": _("Verksamhetens intäkter"),
    "4": _("Verksamhetens kostnader"),
    "5": _("Personalkostnader"),
    "6": _("Övriga verksamhetskostnader"),
    "7": _("Övriga verksamhetskostnader"),
    "8": _("Finansiella och övriga poster"),
}


def fiscal_years(user):
    return scope(user, FiscalYear.objects.select_related("federation"), member=None, department=None).order_by("-year")


def fiscal_year_get(user, federation, year: int) -> FiscalYear:
    """One imported year of `federation`, or 404 (another federation's, or not imported)."""
    return get_object_or_404(fiscal_years(user), federation=federation, year=year)


def accounts(user, federation):
    """The federation's chart of accounts (none for a user of another federation)."""
    return scope(user, Account.objects.filter(federation=federation), member=None, department=None)


def vouchers(
    user,
    fiscal_year: FiscalYear,
    *,
    account: str = "",
    series: str = "",
    start: date | None = None,
    end: date | None = None,
):
    """A year's vouchers (with their lines), filtered: a voucher is listed when one of its lines
    books on `account` (a prefix: "30" finds 3010, 3041 …)."""
    qs = scope(
        user,
        Voucher.objects.filter(fiscal_year=fiscal_year),
        federation="fiscal_year__federation",
        member=None,
        department=None,
    )
    if account:
        qs = qs.filter(
            pk__in=Transaction.objects.filter(fiscal_year=fiscal_year, account__startswith=account).values("voucher_id")
        )
    if series:
        qs = qs.filter(series=series)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    lines = Prefetch("transactions", queryset=Transaction.objects.order_by("line"))
    return qs.prefetch_related(lines).order_by("date", "series", "number", "line")


def voucher_get(user, pk: int) -> Voucher:
    qs = scope(
        user,
        Voucher.objects.select_related("fiscal_year__federation"),
        federation="fiscal_year__federation",
        member=None,
        department=None,
    )
    return get_object_or_404(qs.prefetch_related(Prefetch("transactions", Transaction.objects.order_by("line"))), pk=pk)


def voucher_series(fiscal_year: FiscalYear) -> list[str]:
    """The series a year's vouchers use (for the filter's choices)."""
    return list(
        Voucher.objects.filter(fiscal_year=fiscal_year).order_by("series").values_list("series", flat=True).distinct()
    )


# ---- sums of an (already authorised) year ---------------------------------------------------


@dataclass(frozen=True)
class YearCounts:
    vouchers: int
    transactions: int
    balances: int


def year_counts(fiscal_year: FiscalYear) -> YearCounts:
    return YearCounts(
        vouchers=Voucher.objects.filter(fiscal_year=fiscal_year).count(),
        transactions=Transaction.objects.filter(fiscal_year=fiscal_year).count(),
        balances=Balance.objects.filter(fiscal_year=fiscal_year).count(),
    )


@dataclass(frozen=True)
class AccountTotals:
    """Opening, movement and closing of one account in one year (ledger sign: debit +)."""

    account: str
    opening: Decimal
    movement: Decimal
    closing: Decimal
    file_closing: Decimal | None  # the file's #UB / #RES, when it has one


def account_totals(fiscal_year: FiscalYear) -> dict[str, AccountTotals]:
    """Every account with an amount in the year. With vouchers the closing balance is IB + the
    year's transactions (struck #BTRANS lines left out); without, the file's #UB (#RES for
    result accounts) and the movement is what lies between."""
    opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
    closing_file: dict[str, Decimal] = {}
    rows = (
        Balance.objects.filter(
            fiscal_year=fiscal_year,
            year_offset=0,
            object_list="",
            kind__in=[BalanceKind.OPENING, BalanceKind.CLOSING, BalanceKind.RESULT],
        )
        .values("account", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        if row["kind"] == BalanceKind.OPENING:
            opening[row["account"]] += row["total"]
        else:
            closing_file[row["account"]] = closing_file.get(row["account"], ZERO) + row["total"]
    movement: dict[str, Decimal] = {}
    if fiscal_year.has_vouchers:
        movement = dict(
            Transaction.objects.filter(fiscal_year=fiscal_year)
            .exclude(kind=TransactionKind.REMOVED)
            .values("account")
            .annotate(total=Sum("amount"))
            .values_list("account", "total")
        )
    result = {}
    for number in sorted(set(opening) | set(closing_file) | set(movement)):
        ib = opening.get(number, ZERO)
        if fiscal_year.has_vouchers:
            moved = movement.get(number, ZERO)
            ub = ib + moved
        else:
            ub = closing_file.get(number, ib)
            moved = ub - ib
        result[number] = AccountTotals(number, ib, moved, ub, closing_file.get(number))
    return result


def class_totals(totals: dict[str, AccountTotals]) -> dict[str, Decimal]:
    """Closing amounts summed per account class 1–8."""
    sums = {str(c): ZERO for c in range(1, 9)}
    for number, row in totals.items():
        if number[:1] in sums:
            sums[number[:1]] += row.closing
    return sums


def result_of(totals: dict[str, AccountTotals]) -> Decimal:
    """The year's result with a surplus positive (−the sum of classes 3–8 in the ledger)."""
    return -sum((row.closing for number, row in totals.items() if number[:1] in RESULT_CLASSES), ZERO)


@dataclass(frozen=True)
class TrialBalanceRow:
    account: str
    name: str
    opening: Decimal
    movement: Decimal
    closing: Decimal
    file_closing: Decimal | None
    differs: bool  # with vouchers: IB + transactions ≠ the file's #UB/#RES


@dataclass(frozen=True)
class TrialBalanceGroup:
    number: str
    label: str
    rows: list[TrialBalanceRow] = field(default_factory=list)

    @property
    def opening(self) -> Decimal:
        return sum((r.opening for r in self.rows), ZERO)

    @property
    def movement(self) -> Decimal:
        return sum((r.movement for r in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return sum((r.closing for r in self.rows), ZERO)


def trial_balance(fiscal_year: FiscalYear) -> list[TrialBalanceGroup]:
    """The year's trial balance (råbalans), accounts grouped by class, names from the chart."""
    totals = account_totals(fiscal_year)
    names = dict(Account.objects.filter(federation_id=fiscal_year.federation_id).values_list("number", "name"))
    groups: dict[str, TrialBalanceGroup] = {}
    for number, row in totals.items():
        key = number[:1]
        group = groups.get(key)
        if group is None:
            group = groups[key] = TrialBalanceGroup(key, str(CLASS_LABELS.get(key, _("Övriga konton"))))
        differs = fiscal_year.has_vouchers and row.file_closing is not None and row.file_closing != row.closing
        group.rows.append(
            TrialBalanceRow(
                number, names.get(number, ""), row.opening, row.movement, row.closing, row.file_closing, differs
            )
        )
    return [groups[k] for k in sorted(groups)]


def voucher_count_by_series(fiscal_year: FiscalYear) -> list[dict]:
    return list(
        Voucher.objects.filter(fiscal_year=fiscal_year).values("series").annotate(count=Count("id")).order_by("series")
    )
