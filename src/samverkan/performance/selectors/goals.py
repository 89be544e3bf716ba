"""Reads of goal areas, goals, indicators, targets and assessments, and the year's goal table
(seed 002: Mål, Måluppfyllelse, Målvärde, Resultat per goal area, and the summary line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.core.permissions import scope
from samverkan.domain import goals as calc
from samverkan.performance.models import (
    Assessment,
    Direction,
    Fulfilment,
    Goal,
    GoalArea,
    Indicator,
    Target,
)
from samverkan.performance.selectors.indicators import indicator_value, plain


def areas_for(user) -> QuerySet[GoalArea]:
    return scope(
        user, GoalArea.objects.select_related("federation"), federation="federation", member=None, department=None
    )


def goals_for(user) -> QuerySet[Goal]:
    return scope(user, Goal.objects.select_related("area"), federation="area__federation", member=None, department=None)


def indicators_for(user) -> QuerySet[Indicator]:
    return scope(
        user,
        Indicator.objects.select_related("goal__area"),
        federation="goal__area__federation",
        member=None,
        department=None,
    )


def area_get(user, pk: int) -> GoalArea:
    return get_object_or_404(areas_for(user), pk=pk)


def goal_get(user, pk: int) -> Goal:
    return get_object_or_404(goals_for(user), pk=pk)


def indicator_get(user, pk: int) -> Indicator:
    return get_object_or_404(indicators_for(user), pk=pk)


INDEX_UNITS = ("NKI", "NMI")


@dataclass
class IndicatorRow:
    indicator: Indicator
    year: int
    target: Target | None
    value: Decimal | None
    previous: Decimal | None
    met: bool | None

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        if self.target.direction in (Direction.HIGHER_THAN_LAST_YEAR, Direction.LOWER_THAN_LAST_YEAR):
            return str(self.target.get_direction_display())
        symbol = {"at_least": "≥", "at_most": "≤", "below": "<", "above": ">"}[self.target.direction]
        value = plain(self.target.value)
        if value is None:
            return ""
        text = str(value).replace(".", ",")  # Swedish decimal comma
        return f"{symbol} {text} {self.indicator.unit}".rstrip()

    @property
    def decimals(self) -> int:
        """Decimals to show the result with: one on an index scale (NKI 7,5, NMI 90,0, as seed 002
        prints them) and for a fraction (91,6 %); none for a whole count (8 600 ärenden, 1 = ja)."""
        if self.indicator.unit in INDEX_UNITS:
            return 1
        return 0 if self.value is None or self.value == self.value.to_integral_value() else 1

    def snapshot(self) -> dict:
        """What an assessment stores: the values it was made on."""
        return {
            "indicator": self.indicator.pk,
            "name": self.indicator.name,
            "value": None if self.value is None else str(self.value),
            "previous": None if self.previous is None else str(self.previous),
            "target": None if self.target is None or self.target.value is None else str(plain(self.target.value)),
            "direction": self.target.direction if self.target else None,
            "met": self.met,
        }

    def as_dict(self) -> dict:
        return {
            "name": self.indicator.name,
            "target": self.target_text,
            "result": None if self.value is None else str(self.value),
            "met": self.met,
        }


@dataclass
class GoalRow:
    goal: Goal
    indicators: list[IndicatorRow]
    assessment: Assessment | None

    @property
    def proposed(self) -> str:
        return calc.propose([row.met for row in self.indicators])

    @property
    def proposed_label(self) -> str:
        return str(Fulfilment(self.proposed).label)

    def as_dict(self) -> dict:
        return {
            "area": self.goal.area.name,
            "goal": self.goal.text,
            "indicators": [row.as_dict() for row in self.indicators],
            "assessment": self.assessment.fulfilment if self.assessment else None,
            "proposed": self.proposed,
        }


@dataclass
class AreaBlock:
    area: GoalArea
    goals: list[GoalRow] = field(default_factory=list)


def indicator_row(indicator: Indicator, year: int, targets: dict | None = None) -> IndicatorRow:
    target = (targets or {}).get(indicator.pk) if targets is not None else indicator.targets.filter(year=year).first()
    value = indicator_value(indicator, year)
    previous = None
    if target is not None and target.direction in (Direction.HIGHER_THAN_LAST_YEAR, Direction.LOWER_THAN_LAST_YEAR):
        previous = indicator_value(indicator, year - 1)
    met = None if target is None else calc.meets(value, target.direction, target.value, previous)
    return IndicatorRow(indicator, year, target, value, previous, met)


def goal_row(goal: Goal, year: int) -> GoalRow:
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__goal=goal, year=year)}
    rows = [indicator_row(i, year, targets) for i in goal.indicators.all()]
    return GoalRow(goal, rows, goal.assessments.filter(year=year).first())


def goal_table(user, *, year: int, federation=None) -> list[AreaBlock]:
    """The goals in force in `year` per area, each with its indicators' current values."""
    goals = goals_for(user).filter(first_year__lte=year, last_year__gte=year).select_related("area__federation")
    if federation is not None:
        goals = goals.filter(area__federation=federation)
    blocks: dict[int, AreaBlock] = {}
    for goal in goals.order_by("area__federation", "area__position", "area__name", "position", "pk"):
        block = blocks.setdefault(goal.area_id, AreaBlock(goal.area))
        block.goals.append(goal_row(goal, year))
    return list(blocks.values())


def summary(blocks: list[AreaBlock]) -> calc.Summary:
    return calc.summarize(g.assessment.fulfilment if g.assessment else None for b in blocks for g in b.goals)


def summary_text(s: calc.Summary) -> str:
    """ "13 mål: 10 uppfyllda, 2 delvis, 1 kan inte bedömas" (the issue's wording; zero counts left out)."""
    parts = [
        (s.met, ngettext("%(n)s uppfyllt", "%(n)s uppfyllda", s.met)),
        (s.partly, _("%(n)s delvis")),
        (s.not_met, ngettext("%(n)s inte uppfyllt", "%(n)s inte uppfyllda", s.not_met)),
        (s.not_assessable, ngettext("%(n)s kan inte bedömas", "%(n)s kan inte bedömas", s.not_assessable)),
        (s.unassessed, ngettext("%(n)s inte bedömt ännu", "%(n)s inte bedömda ännu", s.unassessed)),
    ]
    listed = ", ".join(text % {"n": n} for n, text in parts if n)
    head = _("%(n)s mål") % {"n": s.total}
    return f"{head}: {listed}" if listed else head


def survey_areas_for(user):
    """The yearly survey's areas an NKI indicator may point at."""
    from samverkan.performance.models import SurveyArea

    return scope(user, SurveyArea.objects.all(), federation="federation", member=None, department=None)
