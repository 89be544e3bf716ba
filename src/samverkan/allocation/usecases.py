"""Allocation use cases reachable from more than one entry point (page, PDF, API, CLI).

Each is one function returning one frozen result; the entry points only parse their input
and render the result (`as_dict()` is the JSON the API and the CLI print), so the figures
cannot drift apart between them. Nothing here is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.allocation.calculation import (
    PROSPECT,
    Computation,
    Participant,
    build_key,
    compute,
    participant_of,
    pool_participants,
)
from samverkan.allocation.importers.key_csv import KeyTable
from samverkan.allocation.models import (
    AllocationKey,
    AllocationRun,
    BusinessCaseOption,
    BusinessCaseStudy,
    CostPool,
    PoolKind,
    Unit,
)
from samverkan.domain import keys as dk
from samverkan.domain.apportion import ApportionmentError
from samverkan.domain.business_case import BusinessCase, InvestmentComponent, OperatingCost, YearCost
from samverkan.domain.money import AMOUNT_DIGITS, within_limit
from samverkan.domain.prorata import true_up
from samverkan.members.models import FigureKind, Member, Service
from samverkan.members.selectors import members_on

CostLines = tuple[tuple[str, Decimal], ...]


def _money(amount: Decimal | None, decimals: int = 2) -> str | None:
    """Amounts in JSON: a string with fixed decimals, like DRF's DecimalField."""
    return None if amount is None else f"{amount:.{decimals}f}"


# --- Quick apportionment of a table (`samverkan allocate`, the calculator page, POST calculate/)


@dataclass(frozen=True)
class Apportionment:
    key_description: str
    unit: Unit
    total: Decimal
    amounts: tuple[tuple[str, Decimal], ...]  # member → amount, in the table's order

    def as_dict(self) -> dict[str, Any]:
        decimals = self.unit.decimals
        return {
            "key": self.key_description,
            "unit": self.unit.value,
            "total": _money(self.total, decimals),
            "rows": [{"member": member, "amount": _money(amount, decimals)} for member, amount in self.amounts],
        }


def apportion_table(*, table: KeyTable, total: Decimal, key: str, unit: str = Unit.KRONA) -> Apportionment:
    """Share `total` over the table's members by a key spec such as ``equal:50,population:50``.

    Raises a DomainError (a bad key, a total that is not whole units or too large)."""
    if not within_limit(total):
        raise ApportionmentError(f"{str(total)[:30]} är för stort (högst {AMOUNT_DIGITS} siffror)")
    parsed = dk.parse_key_spec(key, table.columns)
    rounding = Unit(unit)
    amounts = dk.allocate(total, parsed, table.members, rounding.size)
    return Apportionment(dk.describe(parsed), rounding, total, tuple(amounts.items()))


# --- Decision basis for a new member (seed 000): page, PDF and GET decision-basis/


@dataclass(frozen=True)
class FeeRow:
    name: str
    is_prospect: bool
    amount: Decimal
    population: int | None
    comparison: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.comparison is None else self.amount - self.comparison


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    pool: CostPool
    key_description: str
    amount: Decimal
    comparison: Decimal | None


@dataclass(frozen=True)
class DecisionBasis:
    prospect_name: str
    on: date
    fee_pool: CostPool
    fee_key_description: str
    comparison_key: AllocationKey | None
    fee_rows: tuple[FeeRow, ...]
    fee_total: Decimal
    comparison_total: Decimal | None
    fee_for_prospect: Decimal
    service_rows: tuple[ServiceRow, ...]
    notes: tuple[str, ...]

    @property
    def service_total(self) -> Decimal:
        return sum((r.amount for r in self.service_rows), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.fee_for_prospect + self.service_total

    def as_dict(self) -> dict[str, Any]:
        return {
            "prospect": self.prospect_name,
            "date": self.on.isoformat(),
            "fee_pool": self.fee_pool.pk,
            "fee_key": self.fee_key_description,
            "fees": [
                {
                    "member": r.name,
                    "is_prospect": r.is_prospect,
                    "amount": _money(r.amount),
                    "population": r.population,
                    "population_key_amount": _money(r.comparison),
                    "difference": _money(r.difference),
                }
                for r in self.fee_rows
            ],
            "fee_total": _money(self.fee_total),
            "fee_for_prospect": _money(self.fee_for_prospect),
            "services": [
                {
                    "service": r.service.name,
                    "pool": r.pool.name,
                    "key": r.key_description,
                    "amount": _money(r.amount),
                    "population_key_amount": _money(r.comparison),
                }
                for r in self.service_rows
            ],
            "service_total": _money(self.service_total),
            "total": _money(self.total),
            "notes": list(self.notes),
        }


def decision_basis(
    *,
    fee_pool: CostPool,
    member: Member | None = None,
    name: str = "",
    population: int | None = None,
    services: list[Service] | tuple[Service, ...] = (),
) -> DecisionBasis:
    """Fee table, service costs and the total for a prospective member.

    The prospect is an existing member record (e.g. Dorotea, entered from the start of the
    year) or a hypothetical one with a name and a population. Each pool is computed with the
    prospect among the participants. A pool whose key is an adopted table without a row for
    the prospect cannot say what the prospect would pay; then its comparison key (normally
    population) is used instead and a note says so.
    """
    if fee_pool.kind != PoolKind.MEMBERSHIP:
        raise ValidationError(_("Välj en pool för medlemsavgift."))
    on = fee_pool.period_start
    notes: list[str] = []
    me = _prospect(member, name, population)
    participants = _with_prospect(fee_pool, on, me)
    fees, used = _compute(fee_pool, on, participants, notes)
    comparison = _comparison(fee_pool, used, on, participants)
    fee_rows = tuple(
        FeeRow(
            name=p.name,
            is_prospect=p.id == me.id,
            amount=fees.amounts[p.id],
            population=(comparison.basis if comparison else fees.basis)[p.id].get(FigureKind.POPULATION),
            comparison=comparison.amounts[p.id] if comparison else None,
        )
        for p in participants
    )
    service_rows = []
    for service in services:
        pools = CostPool.objects.filter(
            federation=fee_pool.federation, services=service, period_start__lte=on, period_end__gte=on
        ).exclude(kind=PoolKind.MEMBERSHIP)
        if not pools:
            notes.append(_("Ingen kostnadspool för %(service)s gäller %(date)s.") % {"service": service, "date": on})
        for pool in pools.select_related("key", "comparison_key"):
            with_me = _with_prospect(pool, on, me)
            result, pool_used = _compute(pool, on, with_me, notes)
            other = _comparison(pool, pool_used, on, with_me)
            compared = other.amounts[me.id] if other else None
            service_rows.append(ServiceRow(service, pool, result.key_description, result.amounts[me.id], compared))
    return DecisionBasis(
        prospect_name=me.name,
        on=on,
        fee_pool=fee_pool,
        fee_key_description=fees.key_description,
        comparison_key=fee_pool.comparison_key if comparison else None,
        fee_rows=fee_rows,
        fee_total=sum(fees.amounts.values(), Decimal(0)),
        comparison_total=sum(comparison.amounts.values(), Decimal(0)) if comparison else None,
        fee_for_prospect=fees.amounts[me.id],
        service_rows=tuple(service_rows),
        notes=tuple(notes),
    )


def _prospect(member: Member | None, name: str, population: int | None) -> Participant:
    if member is not None:
        return participant_of(member)
    figures = {FigureKind.POPULATION: population} if population is not None else {}
    return Participant(PROSPECT, name, None, figures)


def _with_prospect(pool: CostPool, on: date, prospect: Participant) -> list[Participant]:
    participants = pool_participants(pool, on)
    if all(p.id != prospect.id for p in participants):
        participants.append(prospect)
    return participants


def _compute(
    pool: CostPool, on: date, participants: list[Participant], notes: list[str]
) -> tuple[Computation, AllocationKey]:
    try:
        return compute(pool, pool.key, on, participants=participants), pool.key
    except ValidationError:
        if pool.comparison_key is None:
            raise
        notes.append(
            _("%(pool)s: nyckeln %(key)s räcker inte för den nya medlemmen; beräknat med %(cmp)s.")
            % {"pool": pool, "key": pool.key, "cmp": pool.comparison_key}
        )
        return compute(pool, pool.comparison_key, on, participants=participants), pool.comparison_key


def _comparison(pool: CostPool, used: AllocationKey, on: date, participants: list[Participant]) -> Computation | None:
    if pool.comparison_key is None or pool.comparison_key == used:
        return None
    try:
        return compute(pool, pool.comparison_key, on, participants=participants)
    except ValidationError:
        return None


# --- Business case (investment calculator, seed 003): page and POST business-case/


@dataclass(frozen=True)
class YearRow:
    label: int
    cost: YearCost
    per_user: Decimal


@dataclass(frozen=True)
class BusinessCaseResult:
    case: BusinessCase
    years: tuple[YearRow, ...]
    shares: tuple[tuple[str, tuple[Decimal, ...]], ...] = ()  # member name → amount per year
    key_description: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "investment": _money(self.case.investment),
            "years": [
                {
                    "year": row.label,
                    "capital_cost": _money(row.cost.capital_cost),
                    "fixed_operating": _money(row.cost.fixed_operating),
                    "fixed_total": _money(row.cost.fixed_total),
                    "variable_operating": _money(row.cost.variable_operating),
                    "total": _money(row.cost.total),
                    "per_user": _money(row.per_user),
                }
                for row in self.years
            ],
            "key": self.key_description,
            "members": [{"member": name, "amounts": [_money(a) for a in amounts]} for name, amounts in self.shares],
        }


def business_case(
    *,
    name: str,
    components: CostLines,
    years: int,
    users: int,
    first_year: int,
    operations: CostLines = (),
    per_user: Decimal = Decimal(0),
    interest_rate: Decimal | None = None,
    key: AllocationKey | None = None,
) -> BusinessCaseResult:
    """Cost per year (years 1..N and the first after), per user, and per member by `key`.

    `interest_rate` is in percent; with a key, the members of year 1 share each year's total
    rounded to the krona. Raises ValidationError (the key) or a DomainError (the figures)."""
    variable = (OperatingCost(_("Rörlig kostnad per användare"), per_user, per_user=True),) if per_user else ()
    case = BusinessCase(
        name=name,
        components=tuple(InvestmentComponent(label, amount) for label, amount in components),
        depreciation_years=years,
        operating_costs=tuple(OperatingCost(label, amount) for label, amount in operations) + variable,
        users=users,
        interest_rate=(interest_rate or Decimal(0)) / 100,
    )
    rows = tuple(
        YearRow(first_year + cost.year - 1, cost, case.cost_per_user(cost.year)) for cost in case.cost_per_year()
    )
    if key is None:
        return BusinessCaseResult(case, rows)
    participants = [participant_of(m) for m in members_on(key.federation, date(first_year, 1, 1)).order_by("name")]
    if not participants:
        raise ValidationError(_("Förbundet har inga medlemmar år %(year)s.") % {"year": first_year})
    domain_key, _basis = build_key(key, participants)
    ids = [p.id for p in participants]
    per_year = [case.member_shares(row.cost.year, domain_key, ids) for row in rows]
    shares = tuple((p.name, tuple(amounts[p.id] for amounts in per_year)) for p in participants)
    return BusinessCaseResult(case, rows, shares, dk.describe(domain_key))


# --- Saved business cases: options side by side and against today's costs (page and API)


@dataclass(frozen=True)
class OptionResult:
    option: BusinessCaseOption
    result: BusinessCaseResult
    investment_by_year: tuple[tuple[int, Decimal], ...]  # when the investment is paid out

    def cost_in(self, year: int) -> Decimal:
        """The option's cost in a calendar year: nothing before year 1, the steady state after."""
        if year < self.option.first_year:
            return Decimal("0.00")
        return self.result.case.year_cost(year - self.option.first_year + 1).total

    def paid_in(self, year: int) -> Decimal:
        return sum((amount for y, amount in self.investment_by_year if y == year), Decimal("0.00"))


@dataclass(frozen=True)
class ComparisonYear:
    year: int
    current: Decimal
    options: tuple[tuple[Decimal, Decimal, Decimal], ...]  # per option: investment paid, cost, cost − today


@dataclass(frozen=True)
class SavedBusinessCase:
    study: BusinessCaseStudy
    current_costs: tuple[tuple[str, Decimal], ...]
    current_total: Decimal
    options: tuple[OptionResult, ...]
    years: tuple[ComparisonYear, ...]
    totals: tuple[tuple[Decimal, Decimal], ...]  # per option over the years shown: cost, cost − today

    def as_dict(self) -> dict[str, Any]:
        study = self.study
        return {
            "id": study.pk,
            "name": study.name,
            "description": study.description,
            "updated_at": study.updated_at.isoformat(),
            "current_costs": [{"name": n, "amount": _money(a)} for n, a in self.current_costs],
            "current_total": _money(self.current_total),
            "options": [
                {
                    "id": o.option.pk,
                    "name": o.option.name,
                    "first_year": o.option.first_year,
                    "depreciation_years": o.option.depreciation_years,
                    "interest_rate": _money(o.option.interest_rate),
                    "users": o.option.users,
                    "per_user": _money(o.option.per_user),
                    "note": o.option.note,
                    "components": o.option.components,
                    "operations": o.option.operations,
                    "investment_by_year": [{"year": y, "amount": _money(a)} for y, a in o.investment_by_year],
                    **o.result.as_dict(),
                }
                for o in self.options
            ],
            "comparison": [
                {
                    "year": row.year,
                    "current": _money(row.current),
                    "options": [
                        {
                            "option": o.option.name,
                            "investment": _money(paid),
                            "cost": _money(cost),
                            "difference": _money(diff),
                        }
                        for o, (paid, cost, diff) in zip(self.options, row.options, strict=True)
                    ],
                }
                for row in self.years
            ],
            "totals": [
                {"option": o.option.name, "cost": _money(cost), "difference": _money(diff)}
                for o, (cost, diff) in zip(self.options, self.totals, strict=True)
            ],
        }


def _option_result(option: BusinessCaseOption) -> OptionResult:
    result = business_case(
        name=option.name,
        components=tuple((c["name"], Decimal(c["amount"])) for c in option.components),
        years=option.depreciation_years,
        users=option.users,
        first_year=option.first_year,
        operations=tuple((c["name"], Decimal(c["amount"])) for c in option.operations),
        per_user=option.per_user,
        interest_rate=option.interest_rate,
    )
    paid: dict[int, Decimal] = {}
    for c in option.components:
        year = c.get("year") or option.first_year
        paid[year] = paid.get(year, Decimal(0)) + Decimal(c["amount"])
    return OptionResult(option, result, tuple(sorted(paid.items())))


def saved_business_case(study: BusinessCaseStudy) -> SavedBusinessCase:
    """Every figure recomputed from the stored inputs by ``domain.business_case``.

    The years shown run from the first investment or year 1 of any option to the first year
    after the longest depreciation (the steady state); today's costs are the same every year.
    """
    costs = tuple((c["name"], Decimal(c["amount"])) for c in study.current_costs)
    current = sum((a for _n, a in costs), Decimal("0.00"))
    options = tuple(_option_result(o) for o in study.options.all())
    if not options:
        return SavedBusinessCase(study, costs, current, (), (), ())
    first = min(min(o.option.first_year, *(y for y, _a in o.investment_by_year)) for o in options)
    last = max(o.option.first_year + o.option.depreciation_years for o in options)
    years = tuple(
        ComparisonYear(
            year,
            current,
            tuple((o.paid_in(year), o.cost_in(year), o.cost_in(year) - current) for o in options),
        )
        for year in range(first, last + 1)
    )
    totals = tuple(
        (sum((row.options[i][1] for row in years), Decimal(0)), sum((row.options[i][2] for row in years), Decimal(0)))
        for i in range(len(options))
    )
    return SavedBusinessCase(study, costs, current, options, years, totals)


# --- Comparison of two runs, e.g. final − preliminary (the March true-up): page, exports, API


@dataclass(frozen=True)
class ComparisonRow:
    member: str
    first: Decimal | None
    second: Decimal | None
    difference: Decimal


@dataclass(frozen=True)
class Comparison:
    """Rendered as JSON by `api.ComparisonSerializer`, which also types the OpenAPI schema."""

    first: AllocationRun
    second: AllocationRun
    rows: tuple[ComparisonRow, ...]
    first_total: Decimal
    second_total: Decimal
    difference_total: Decimal


def run_comparison(first: AllocationRun, second: AllocationRun) -> Comparison:
    """Per member: second − first, members of either run included."""
    names: dict[str, str] = {}
    a: dict[str, Decimal] = {}
    b: dict[str, Decimal] = {}
    for run, target in ((first, a), (second, b)):
        for line in run.lines.select_related("member").order_by("position"):
            names[str(line.member_id)] = line.member.name
            target[str(line.member_id)] = line.amount
    differences = true_up(a, b)
    rows = tuple(ComparisonRow(names[m], a.get(m), b.get(m), diff) for m, diff in differences.items())
    first_total = sum(a.values(), Decimal(0))
    second_total = sum(b.values(), Decimal(0))
    return Comparison(first, second, rows, first_total, second_total, second_total - first_total)
