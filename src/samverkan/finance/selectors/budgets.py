"""Budgets, forecasts, investment projects and appropriations of a federation.

`budget_for`, `forecasts_for` and `appropriations_for` take a federation (not a user): the
follow-up and the statements call them after they have checked who asks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from samverkan.core.permissions import scope
from samverkan.finance.models import (
    Appropriation,
    Budget,
    BudgetKind,
    BudgetLine,
    DimensionObject,
    Forecast,
    InvestmentProject,
)
from samverkan.finance.selectors.mapping import finance_settings


def _fed(qs: QuerySet, federation) -> QuerySet:
    return qs if federation is None else qs.filter(federation=federation)


def budgets(user, federation=None) -> QuerySet[Budget]:
    return _fed(scope(user, Budget.objects.all(), member=None, department=None), federation).order_by(
        "-year", "kind", "name"
    )


def budget_get(user, pk: int) -> Budget:
    return get_object_or_404(budgets(user), pk=pk)


def budget_for(federation, year: int, name: str | None = None) -> Budget | None:
    """The named version; without a name the newest adopted budget, else the newest of the year."""
    qs = Budget.objects.filter(federation=federation, year=year)
    if name is not None:
        return qs.filter(name=name).first()
    return (
        qs.filter(kind=BudgetKind.ADOPTED).order_by("-created_at", "-pk").first()
        or qs.order_by("-created_at", "-pk").first()
    )


@dataclass(frozen=True)
class BudgetRow:
    """One activity and account of a budget, months 1–12 in kronor with the ledger's sign."""

    activity: str
    account: str
    months: tuple[Decimal, ...]

    @property
    def year_total(self) -> Decimal:
        return sum(self.months, Decimal(0))


def budget_rows(budget: Budget) -> list[BudgetRow]:
    """The budget as a table: one row per activity and account, twelve months each."""
    cells: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 12)
    sums = (
        BudgetLine.objects.filter(budget=budget)
        .values("activity", "account", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in sums:
        cells[(row["activity"], row["account"])][row["month"] - 1] += row["total"]
    return [
        BudgetRow(activity, account, tuple(months))
        for (activity, account), months in sorted(cells.items(), key=lambda kv: (kv[0][0], len(kv[0][1]), kv[0][1]))
    ]


def forecasts(user, federation=None) -> QuerySet[Forecast]:
    return _fed(scope(user, Forecast.objects.all(), member=None, department=None), federation)


def forecasts_for(federation, year: int, as_of_month: int) -> QuerySet[Forecast]:
    """The forecasts made at one follow-up (as_of_month 4 = T1, 8 = T2, 12 = the year)."""
    return Forecast.objects.filter(federation=federation, year=year, as_of_month=as_of_month).order_by(
        "activity", "line"
    )


def projects(user, federation=None) -> QuerySet[InvestmentProject]:
    return _fed(scope(user, InvestmentProject.objects.all(), member=None, department=None), federation)


def appropriations(user, federation=None) -> QuerySet[Appropriation]:
    qs = scope(
        user,
        Appropriation.objects.select_related("project"),
        federation="project__federation",
        member=None,
        department=None,
    )
    return qs if federation is None else qs.filter(project__federation=federation)


def appropriations_for(federation, year: int) -> QuerySet[Appropriation]:
    return (
        Appropriation.objects.filter(project__federation=federation, year=year)
        .select_related("project")
        .order_by("project__code")
    )


def activities(federation) -> dict[str, str]:
    """Activity code → name: the objects of the federation's activity dimension."""
    dimension = finance_settings(federation).activity_dimension
    return dict(
        DimensionObject.objects.filter(federation=federation, dimension=dimension)
        .order_by("code")
        .values_list("code", "name")
    )
