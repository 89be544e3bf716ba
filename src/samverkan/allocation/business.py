"""The business-case calculator: form data → domain BusinessCase → yearly costs and member shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.allocation.calculation import build_key, participant_of
from samverkan.allocation.models import AllocationKey
from samverkan.domain import keys as dk
from samverkan.domain.business_case import BusinessCase, InvestmentComponent, OperatingCost, YearCost
from samverkan.members.selectors import members_on


@dataclass(frozen=True)
class YearRow:
    label: int
    cost: YearCost
    per_user: Decimal


@dataclass
class BusinessCaseResult:
    case: BusinessCase
    years: list[YearRow]
    members: list[str]
    shares: list[tuple[str, list[Decimal]]]  # member name → amount per year
    key_description: str = ""


def business_case_build(data: dict[str, Any]) -> BusinessCase:
    rate = (data.get("interest_rate") or Decimal(0)) / 100
    operations = [OperatingCost(name, amount) for name, amount in data["operations"]]
    if data["per_user"]:
        operations.append(OperatingCost(_("Rörlig kostnad per användare"), data["per_user"], per_user=True))
    return BusinessCase(
        name=data["name"],
        components=tuple(InvestmentComponent(name, amount) for name, amount in data["components"]),
        depreciation_years=data["years"],
        operating_costs=tuple(operations),
        users=data["users"],
        interest_rate=rate,
    )


def business_case_evaluate(case: BusinessCase, *, first_year: int, key: AllocationKey | None) -> BusinessCaseResult:
    years = [YearRow(first_year + cost.year - 1, cost, case.cost_per_user(cost.year)) for cost in case.cost_per_year()]
    result = BusinessCaseResult(case, years, [], [])
    if key is None:
        return result
    participants = [participant_of(m) for m in members_on(key.federation, date(first_year, 1, 1)).order_by("name")]
    if not participants:
        raise ValidationError(_("Förbundet har inga medlemmar år %(year)s.") % {"year": first_year})
    domain_key, _basis = build_key(key, participants)
    ids = [p.id for p in participants]
    try:
        per_year = [dk.allocate(row.cost.total.quantize(Decimal(1)), domain_key, ids) for row in years]
    except dk.AllocationKeyError as exc:
        raise ValidationError(str(exc)) from exc
    result.members = [p.name for p in participants]
    result.shares = [(p.name, [amounts[p.id] for amounts in per_year]) for p in participants]
    result.key_description = dk.describe(domain_key)
    return result
