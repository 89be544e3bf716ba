"""Decision basis for a new member (seed 000): fee table, service costs and the member's total.

The prospective member is either an existing member record (e.g. Dorotea, whose membership is
already entered from the start of the year) or a hypothetical one with a name and a
population. Each pool is computed with the prospect among the participants. A pool whose key
is an adopted table without a row for the prospect cannot say what the prospect would pay;
then its comparison key (normally population) is used instead and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.allocation.calculation import (
    PROSPECT,
    Computation,
    Participant,
    compute,
    participant_of,
    pool_participants,
)
from samverkan.allocation.models import AllocationKey, CostPool, PoolKind
from samverkan.members.models import FigureKind, Member, Service


@dataclass(frozen=True)
class Prospect:
    name: str
    member: Member | None = None
    population: int | None = None

    def participant(self) -> Participant:
        if self.member is not None:
            return participant_of(self.member)
        figures = {FigureKind.POPULATION: self.population} if self.population is not None else {}
        return Participant(PROSPECT, self.name, None, figures)


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
    note: str = ""


@dataclass
class DecisionBasis:
    prospect: Prospect
    on: date
    fee_pool: CostPool
    fee_key_description: str
    comparison_key: AllocationKey | None
    fee_rows: list[FeeRow]
    fee_total: Decimal
    comparison_total: Decimal | None
    fee_for_prospect: Decimal
    service_rows: list[ServiceRow]
    notes: list[str] = field(default_factory=list)

    @property
    def service_total(self) -> Decimal:
        return sum((r.amount for r in self.service_rows), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.fee_for_prospect + self.service_total


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


def decision_basis(*, fee_pool: CostPool, prospect: Prospect, services: list[Service]) -> DecisionBasis:
    if fee_pool.kind != PoolKind.MEMBERSHIP:
        raise ValidationError(_("Välj en pool för medlemsavgift."))
    on = fee_pool.period_start
    notes: list[str] = []
    me = prospect.participant()
    participants = _with_prospect(fee_pool, on, me)
    fees, used = _compute(fee_pool, on, participants, notes)
    comparison = _comparison(fee_pool, used, on, participants)
    rows = [
        FeeRow(
            name=p.name,
            is_prospect=p.id == me.id,
            amount=fees.amounts[p.id],
            population=(comparison.basis if comparison else fees.basis)[p.id].get(FigureKind.POPULATION),
            comparison=comparison.amounts[p.id] if comparison else None,
        )
        for p in participants
    ]
    service_rows = []
    for service in services:
        pools = CostPool.objects.filter(
            federation=fee_pool.federation, services=service, period_start__lte=on, period_end__gte=on
        ).exclude(kind=PoolKind.MEMBERSHIP)
        if not pools:
            notes.append(_("Ingen kostnadspool för %(service)s gäller %(date)s.") % {"service": service, "date": on})
        for pool in pools.select_related("key", "comparison_key"):
            pool_participants_ = _with_prospect(pool, on, me)
            result, pool_used = _compute(pool, on, pool_participants_, notes)
            cmp = _comparison(pool, pool_used, on, pool_participants_)
            service_rows.append(
                ServiceRow(
                    service, pool, result.key_description, result.amounts[me.id], cmp.amounts[me.id] if cmp else None
                )
            )
    return DecisionBasis(
        prospect=prospect,
        on=on,
        fee_pool=fee_pool,
        fee_key_description=fees.key_description,
        comparison_key=fee_pool.comparison_key if comparison else None,
        fee_rows=rows,
        fee_total=sum(fees.amounts.values(), Decimal(0)),
        comparison_total=sum(comparison.amounts.values(), Decimal(0)) if comparison else None,
        fee_for_prospect=fees.amounts[me.id],
        service_rows=service_rows,
        notes=notes,
    )
