"""The account mapping and settings of a federation, with the shipped defaults when it has none."""

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db.models import Sum

from samverkan.core.permissions import scope
from samverkan.domain.ledger_lines import MappingRange
from samverkan.finance.models import (
    Account,
    AccountMapping,
    Balance,
    FinanceSettings,
    FiscalYear,
    Transaction,
    TransactionKind,
)

DEFAULT_MAPPING = Path(__file__).resolve().parent.parent / "data" / "kommunbas_mapping.csv"


@cache
def default_mapping() -> tuple[MappingRange, ...]:
    """Kommun-Bas classes and groups to report lines (finance/data/kommunbas_mapping.csv)."""
    with DEFAULT_MAPPING.open(encoding="utf-8", newline="") as handle:
        return tuple(MappingRange(row["first"], row["last"], row["line"]) for row in csv.DictReader(handle))


def mapping_ranges(federation) -> list[MappingRange]:
    """The federation's own mapping once it has one, else the shipped default."""
    rows = list(AccountMapping.objects.filter(federation=federation).values_list("first", "last", "line"))
    return [MappingRange(*row) for row in rows] if rows else list(default_mapping())


def finance_settings(federation) -> FinanceSettings:
    """The saved settings, or the defaults (unsaved) for a federation that has changed none."""
    found = FinanceSettings.objects.filter(federation=federation).first()
    return found or FinanceSettings(federation=federation)


# ---- the mapping page: the federation's own rows and the ledger's accounts ------------------


def mapping_rows(user, federation=None):
    """The federation's own mapping rows (empty while it uses the shipped default)."""
    qs = scope(user, AccountMapping.objects.all(), member=None, department=None)
    return qs if federation is None else qs.filter(federation=federation)


def has_own_mapping(federation) -> bool:
    return AccountMapping.objects.filter(federation=federation).exists()


def account_balances(federation) -> tuple[int | None, dict[str, Decimal]]:
    """(year, account → closing balance) of the newest imported year, non-zero accounts only.

    Closing balance = opening balance + the year's transactions when the file had vouchers,
    else the file's #UB and #RES (the rule every statement uses)."""
    fiscal_year = FiscalYear.objects.filter(federation=federation).order_by("-year").first()
    if fiscal_year is None:
        return None, {}
    totals: dict[str, Decimal] = {}
    balances = Balance.objects.filter(fiscal_year=fiscal_year, year_offset=0, object_list="")
    kinds = ["IB"] if fiscal_year.has_vouchers else ["UB", "RES"]
    for account, amount in balances.filter(kind__in=kinds).values_list("account", "amount"):
        totals[account] = totals.get(account, Decimal(0)) + amount
    if fiscal_year.has_vouchers:
        sums = (
            Transaction.objects.filter(fiscal_year=fiscal_year)
            .exclude(kind=TransactionKind.REMOVED)
            .values("account")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for row in sums:
            totals[row["account"]] = totals.get(row["account"], Decimal(0)) + row["total"]
    return fiscal_year.year, {account: amount for account, amount in totals.items() if amount}


def account_names(federation) -> dict[str, str]:
    return dict(Account.objects.filter(federation=federation).values_list("number", "name"))
