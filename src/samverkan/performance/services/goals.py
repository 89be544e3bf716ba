"""Writes of goals and indicators: areas, goals, indicators, targets, manual values and the
assessment of a goal (which keeps the indicator values it was made on)."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.performance.models import (
    Assessment,
    Direction,
    Fulfilment,
    Goal,
    GoalArea,
    Indicator,
    ManualValue,
    Target,
)
from samverkan.performance.policies import EDIT_GOALS
from samverkan.performance.selectors.goals import goal_row

PARAMETER_KEYS = {"queue", "queues", "team", "area", "kind"}


def _fed(instance: models.Model):
    if isinstance(instance, GoalArea):
        return instance.federation
    if isinstance(instance, Goal):
        return instance.area.federation
    if isinstance(instance, Indicator | Assessment):
        return instance.goal.area.federation
    return instance.indicator.goal.area.federation  # type: ignore[attr-defined]


def _save(instance: models.Model, acting_user, *, before: dict | None = None, exclude=None) -> None:
    instance.full_clean(exclude=exclude)
    instance.save()
    action = "update" if before is not None else "create"
    audit_record(
        actor=acting_user,
        action=action,
        instance=instance,
        before=before,
        after=snapshot(instance),
        federation=_fed(instance),
    )


def _update(instance: models.Model, acting_user, data: dict[str, Any]) -> None:
    before = snapshot(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    _save(instance, acting_user, before=before)


def _delete(instance: models.Model, acting_user) -> None:
    federation = _fed(instance)
    audit_record(
        actor=acting_user, action="delete", instance=instance, before=snapshot(instance), federation=federation
    )
    try:
        instance.delete()
    except models.ProtectedError as exc:
        raise ValidationError(_("Det går inte att ta bort: det finns mål kopplade hit.")) from exc


# --- areas -----------------------------------------------------------------------------------


@transaction.atomic
def area_create(*, acting_user, federation, name: str, position: int = 0) -> GoalArea:
    require(acting_user, EDIT_GOALS, federation=federation)
    name = name.strip()
    if GoalArea.objects.filter(federation=federation, name=name).exists():
        raise ValidationError({"name": _("Det finns redan ett målområde med det namnet.")})
    area = GoalArea(federation=federation, name=name, position=position)
    _save(area, acting_user, exclude=["federation"])
    return area


@transaction.atomic
def area_update(*, acting_user, area: GoalArea, data: dict[str, Any]) -> GoalArea:
    require(acting_user, EDIT_GOALS, federation=area.federation)
    if "name" in data:
        data["name"] = data["name"].strip()
        if GoalArea.objects.filter(federation=area.federation, name=data["name"]).exclude(pk=area.pk).exists():
            raise ValidationError({"name": _("Det finns redan ett målområde med det namnet.")})
    _update(area, acting_user, {k: v for k, v in data.items() if k in ("name", "position")})
    return area


@transaction.atomic
def area_delete(*, acting_user, area: GoalArea) -> None:
    require(acting_user, EDIT_GOALS, federation=area.federation)
    _delete(area, acting_user)


# --- goals -----------------------------------------------------------------------------------


def _check_years(first: int, last: int) -> None:
    if first > last:
        raise ValidationError({"last_year": _("Slutåret kan inte vara före startåret.")})


@transaction.atomic
def goal_create(*, acting_user, area: GoalArea, text: str, first_year: int, last_year: int, position: int = 0) -> Goal:
    require(acting_user, EDIT_GOALS, federation=area.federation)
    _check_years(first_year, last_year)
    goal = Goal(area=area, text=text.strip(), first_year=first_year, last_year=last_year, position=position)
    _save(goal, acting_user)
    return goal


@transaction.atomic
def goal_update(*, acting_user, goal: Goal, data: dict[str, Any]) -> Goal:
    require(acting_user, EDIT_GOALS, federation=goal.area.federation)
    area = data.get("area")
    if area is not None and area.federation_id != goal.area.federation_id:
        raise ValidationError({"area": _("Hör till ett annat förbund.")})
    allowed = {k: v for k, v in data.items() if k in ("area", "text", "first_year", "last_year", "position")}
    _check_years(allowed.get("first_year", goal.first_year), allowed.get("last_year", goal.last_year))
    _update(goal, acting_user, allowed)
    return goal


@transaction.atomic
def goal_delete(*, acting_user, goal: Goal) -> None:
    require(acting_user, EDIT_GOALS, federation=goal.area.federation)
    _delete(goal, acting_user)


# --- indicators and targets ------------------------------------------------------------------


def _clean_parameters(parameters: Any) -> dict:
    if not parameters:
        return {}
    if not isinstance(parameters, dict) or not set(parameters) <= PARAMETER_KEYS:
        raise ValidationError({"parameters": _("Okända parametrar (tillåtna: kö, köer, team, område, slag).")})
    queues = parameters.get("queues")
    if queues is not None and not (
        isinstance(queues, list) and queues and all(isinstance(i, int) and 0 < i < 2**31 for i in queues)
    ):
        raise ValidationError({"parameters": _("Parametern för köer ska vara en lista med id.")})
    for key in ("queue", "team", "area"):
        if key in parameters and not (isinstance(parameters[key], int) and 0 < parameters[key] < 2**31):
            raise ValidationError({"parameters": _("Parametern %(key)s ska vara ett id.") % {"key": key}})
    if parameters.get("kind", "resolution") not in ("resolution", "response"):
        raise ValidationError({"parameters": _("Slag ska vara lösningstid eller svarstid.")})
    return parameters


@transaction.atomic
def indicator_create(
    *,
    acting_user,
    goal: Goal,
    name: str,
    source: str,
    unit: str = "",
    parameters: dict | None = None,
    position: int = 0,
) -> Indicator:
    require(acting_user, EDIT_GOALS, federation=goal.area.federation)
    indicator = Indicator(
        goal=goal,
        name=name.strip(),
        source=source,
        unit=unit.strip(),
        parameters=_clean_parameters(parameters),
        position=position,
    )
    _save(indicator, acting_user)
    return indicator


@transaction.atomic
def indicator_update(*, acting_user, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    require(acting_user, EDIT_GOALS, federation=indicator.goal.area.federation)
    allowed = {k: v for k, v in data.items() if k in ("name", "unit", "source", "parameters", "position")}
    if "parameters" in allowed:
        allowed["parameters"] = _clean_parameters(allowed["parameters"])
    _update(indicator, acting_user, allowed)
    return indicator


@transaction.atomic
def indicator_delete(*, acting_user, indicator: Indicator) -> None:
    require(acting_user, EDIT_GOALS, federation=indicator.goal.area.federation)
    _delete(indicator, acting_user)


@transaction.atomic
def target_set(*, acting_user, indicator: Indicator, year: int, direction: str, value: Decimal | None = None) -> Target:
    """Set (or replace) the indicator's target for a year."""
    require(acting_user, EDIT_GOALS, federation=indicator.goal.area.federation)
    relative = direction in (Direction.HIGHER_THAN_LAST_YEAR, Direction.LOWER_THAN_LAST_YEAR)
    if value is None and not relative:
        raise ValidationError({"value": _("Ange ett målvärde för den riktningen.")})
    target = Target.objects.filter(indicator=indicator, year=year).first()
    before = snapshot(target) if target else None
    target = target or Target(indicator=indicator, year=year)
    target.direction, target.value = direction, None if relative else value
    _save(target, acting_user, before=before)
    return target


# --- manual values ---------------------------------------------------------------------------


@transaction.atomic
def manual_value_set(
    *, acting_user, indicator: Indicator, year: int, value: Decimal, source: str, document=None
) -> ManualValue:
    """Enter (or replace) a hand-entered value with where it comes from, and optionally the
    document it is read off."""
    require(acting_user, EDIT_GOALS, federation=indicator.goal.area.federation)
    if indicator.source != "manual":
        raise ValidationError(_("Indikatorn beräknas av Samverkan; värden matas bara in för manuella indikatorer."))
    if not source.strip():
        raise ValidationError({"source": _("Ange varifrån värdet kommer.")})
    row = ManualValue.objects.filter(indicator=indicator, year=year).first()
    before = snapshot(row) if row else None
    row = row or ManualValue(indicator=indicator, year=year, entered_by=acting_user)
    row.value, row.source, row.entered_by = value, source.strip(), acting_user
    row.full_clean(exclude=["document"])
    if document is not None:
        row.document.save(f"performance/{indicator.pk}-{year}-{os.path.basename(document.name)}", document, save=False)
    _save(row, acting_user, before=before, exclude=["document"])
    return row


# --- assessment ------------------------------------------------------------------------------


@transaction.atomic
def assessment_set(*, acting_user, goal: Goal, year: int, fulfilment: str, comment: str = "") -> Assessment:
    """Record a person's assessment with the proposal and the indicator values of this moment;
    later changes to the data change the indicators' current values, never this snapshot."""
    require(acting_user, EDIT_GOALS, federation=goal.area.federation)
    if fulfilment not in Fulfilment.values:
        raise ValidationError({"fulfilment": _("Välj en bedömning.")})
    if not goal.first_year <= year <= goal.last_year:
        raise ValidationError({"year": _("Målet gäller inte det året.")})
    row = goal_row(goal, year)
    assessment = Assessment.objects.filter(goal=goal, year=year).first()
    before = snapshot(assessment) if assessment else None
    assessment = assessment or Assessment(goal=goal, year=year, assessed_by=acting_user)
    assessment.proposed = row.proposed
    assessment.fulfilment = fulfilment
    assessment.comment = comment.strip()
    assessment.values = [r.snapshot() for r in row.indicators]
    assessment.assessed_by = acting_user
    _save(assessment, acting_user, before=before)
    return assessment
