"""The sums the follow-up, the operating statement and the investment report are built from:
ledger, budget and forecast per activity and account, purchases per project. Summed in the
database (one GROUP BY each), so a year of a million transactions is a handful of rows here."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum

from samverkan.core.permissions import scope
from samverkan.domain.followup import ForecastRow, Period, ProjectInput
from samverkan.domain.ledger_lines import FIXED_ASSET_LINES
from samverkan.finance.models import (
    Appropriation,
    Balance,
    BalanceKind,
    Budget,
    DimensionObject,
    FiscalYear,
    Forecast,
    InvestmentProject,
    Transaction,
    TransactionKind,
)
from samverkan.finance.selectors import budgets

# Purchases are debits on these lines' accounts; accumulated depreciation is not a purchase.
PURCHASE_LINES = FIXED_ASSET_LINES - {"equipment_depreciation", "financial_assets"}


def fiscal_year(user, federation, year: int) -> FiscalYear | None:
    qs = scope(user, FiscalYear.objects.filter(federation=federation), member=None, department=None)
    return qs.filter(year=year).first()


def _period_range(period: Period) -> tuple[int, int]:
    return period.year * 100 + period.first, period.year * 100 + period.last


def ledger_rows(fy: FiscalYear, period: Period) -> list[tuple[str, str, Decimal]]:
    """(activity, account, ledger amount) of the period's months. From the vouchers when the
    file had them, else from its #PSALDO records."""
    first, last = _period_range(period)
    if fy.has_vouchers:
        rows = (
            Transaction.objects.filter(fiscal_year=fy, period__gte=first, period__lte=last)
            .exclude(kind=TransactionKind.REMOVED)
            .order_by()
            .values_list("activity", "account")
            .annotate(total=Sum("amount"))
        )
        return [(activity, account, total or Decimal(0)) for activity, account, total in rows]
    return period_balances(fy, period)


def period_balances(fy: FiscalYear, period: Period, *, year_offset: int = 0) -> list[tuple[str, str, Decimal]]:
    """#PSALDO of the file's year (`year_offset` 0) or the year before (−1, the operating
    statement's previous year when that year's own file is not imported). A record without
    objects is the account's whole movement; records with the activity alone split it, and what
    they do not cover goes to no activity."""
    first, last = _period_range(period)
    rows = (
        Balance.objects.filter(
            fiscal_year=fy, kind=BalanceKind.PERIOD, year_offset=year_offset, period__gte=first, period__lte=last
        )
        .order_by()
        .values_list("activity", "object_list", "account")
        .annotate(total=Sum("amount"))
    )
    whole: dict[str, Decimal] = defaultdict(Decimal)
    split: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for activity, object_list, account, total in rows:
        if not object_list:
            whole[account] += total or 0
        elif activity and " " not in object_list.strip():  # the activity alone
            split[(activity, account)] += total or 0
    covered: dict[str, Decimal] = defaultdict(Decimal)
    for (_activity, account), amount in split.items():
        covered[account] += amount
    result = [(activity, account, amount) for (activity, account), amount in split.items()]
    result += [("", account, amount - covered[account]) for account, amount in whole.items()]
    return result


def budget_for(federation, year: int, name: str | None = None) -> Budget | None:
    """`budgets.budget_for`, but a name that does not exist is an error, not a silent blank."""
    found = budgets.budget_for(federation, year, name or None)
    if name and found is None:
        known = ", ".join(Budget.objects.filter(federation=federation, year=year).values_list("name", flat=True))
        raise ValidationError(f"Budgeten {name!r} finns inte för {year} (budgetar: {known or 'inga'}).")
    return found


def budget_names(federation, year: int) -> list[str]:
    return list(Budget.objects.filter(federation=federation, year=year).order_by("name").values_list("name", flat=True))


def budget_rows(budget: Budget | None, months: range) -> list[tuple[str, str, Decimal]]:
    """(activity, account, ledger-signed amount) of the budget's lines in these months."""
    if budget is None:
        return []
    rows = (
        budget.lines.filter(month__gte=months.start, month__lt=months.stop)
        .order_by()
        .values_list("activity", "account")
        .annotate(total=Sum("amount"))
    )
    return [(activity, account, total or Decimal(0)) for activity, account, total in rows]


def forecasts(federation, year: int) -> list[ForecastRow]:
    return [
        ForecastRow(activity, line, month, amount)
        for activity, line, month, amount in Forecast.objects.filter(federation=federation, year=year).values_list(
            "activity", "line", "as_of_month", "amount"
        )
    ]


def object_names(federation, dimension: int) -> dict[str, str]:
    return dict(DimensionObject.objects.filter(federation=federation, dimension=dimension).values_list("code", "name"))


def fixed_asset_accounts(fy: FiscalYear) -> list[str]:
    """Accounts of class 1 the year's transactions use (candidates for the purchase lines)."""
    return list(
        Transaction.objects.filter(fiscal_year=fy, account__startswith="1")
        .order_by()
        .values_list("account", flat=True)
        .distinct()
    )


def purchases(fy: FiscalYear | None, period: Period, accounts: list[str]) -> dict[str, Decimal]:
    """Debits on fixed-asset accounts in the period per project ("" without one)."""
    if fy is None or not accounts:
        return {}
    first, last = _period_range(period)
    rows = (
        Transaction.objects.filter(
            fiscal_year=fy, period__gte=first, period__lte=last, account__in=accounts, amount__gt=0
        )
        .exclude(kind=TransactionKind.REMOVED)
        .order_by()
        .values_list("project")
        .annotate(total=Sum("amount"))
    )
    return {project: total or Decimal(0) for project, total in rows}


def projects(federation, year: int) -> list[ProjectInput]:
    """The register's projects, with the year's appropriation where there is one."""
    appropriations = {a.project_id: a for a in Appropriation.objects.filter(project__federation=federation, year=year)}
    result = []
    for project in InvestmentProject.objects.filter(federation=federation):
        a = appropriations.get(project.pk)
        if a is None:
            result.append(ProjectInput(project.code, project.name))
        else:
            result.append(
                ProjectInput(project.code, project.name, a.budget, a.extra_granted, a.carried_over, a.forecast)
            )
    return result
