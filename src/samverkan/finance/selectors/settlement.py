"""Reads behind the settlement of an activity's result and "what a municipality pays".

An activity's result is read from the ledger, never typed in: the sum of its transactions on
accounts of classes 3–8 in the fiscal year (struck #BTRANS rows excluded), with the report
sign (income positive, costs negative), so a surplus is positive.

A settlement is an ordinary cost pool in `allocation`; what ties it to its fiscal year and
activity is the first line of the pool's description (`settlement_mark`), written by
`services.settlement.settlement_create` and read back here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from samverkan.allocation.models import CostPool
from samverkan.finance.models import DimensionObject, FiscalYear, Transaction, TransactionKind
from samverkan.finance.selectors.mapping import finance_settings

SETTLEMENT_MARK = "Reglering av årets resultat ur huvudboken"


@dataclass(frozen=True)
class ActivityResult:
    code: str
    name: str
    result: Decimal  # report sign: a surplus is positive


def result_accounts() -> Q:
    """Accounts of classes 3–8 (income and costs): as a string range, so the index serves it."""
    return Q(account__gte="3", account__lt="9")


def fiscal_year_of(federation, year: int) -> FiscalYear | None:
    return FiscalYear.objects.filter(federation=federation, year=year).first()


def activity_names(federation) -> dict[str, str]:
    dimension = finance_settings(federation).activity_dimension
    return dict(DimensionObject.objects.filter(federation=federation, dimension=dimension).values_list("code", "name"))


def _result_rows(fiscal_year: FiscalYear) -> QuerySet:
    return (
        Transaction.objects.filter(result_accounts(), fiscal_year=fiscal_year)
        .exclude(kind=TransactionKind.REMOVED)
        .exclude(activity="")
    )


def activity_results(fiscal_year: FiscalYear) -> list[ActivityResult]:
    """Every activity with transactions on result accounts in the year, by code (one GROUP BY)."""
    names = activity_names(fiscal_year.federation)
    rows = _result_rows(fiscal_year).values("activity").annotate(total=Sum("amount")).order_by("activity")
    return [ActivityResult(r["activity"], names.get(r["activity"], ""), -(r["total"] or Decimal(0))) for r in rows]


def activity_result(fiscal_year: FiscalYear, code: str) -> ActivityResult:
    total = _result_rows(fiscal_year).filter(activity=code).aggregate(total=Sum("amount"))["total"]
    return ActivityResult(code, activity_names(fiscal_year.federation).get(code, ""), -(total or Decimal(0)))


def settlement_mark(year: int, code: str) -> str:
    """The first line of a settlement pool's description: names its fiscal year and activity."""
    return f"{SETTLEMENT_MARK} (räkenskapsår {year}, verksamhet {code})."


def settlement_pool(federation, year: int, code: str) -> CostPool | None:
    """The settlement already made of this activity and year, if any (unscoped: services check)."""
    return (
        CostPool.objects.filter(federation=federation, description__startswith=settlement_mark(year, code))
        .order_by("pk")
        .first()
    )


def settlement_pools(federation, year: int) -> dict[str, CostPool]:
    """activity code → its settlement pool, for one federation and fiscal year."""
    prefix = f"{SETTLEMENT_MARK} (räkenskapsår {year}, verksamhet "
    found: dict[str, CostPool] = {}
    for pool in CostPool.objects.filter(federation=federation, description__startswith=prefix).order_by("pk"):
        code = pool.description[len(prefix) :].split(")", 1)[0]
        found.setdefault(code, pool)
    return found
