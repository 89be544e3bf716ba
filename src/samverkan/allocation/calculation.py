"""Fetch-then-calculate: load a pool's key and participants into plain data, call `domain`.

Members are identified by their primary key as a string inside the domain calculation; a
prospective member that does not exist yet (the decision-basis "what if") uses the id
``"ny"`` and brings its own figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.allocation.models import AllocationKey, CostPool, KeyKind, ProRata, Unit
from samverkan.domain import keys as dk
from samverkan.domain.apportion import apportion
from samverkan.domain.money import format_sek
from samverkan.domain.prorata import Membership, allocate_part_year, membership_fraction, part_year_shares
from samverkan.members import selectors as member_selectors
from samverkan.members.models import FigureKind, Member

PROSPECT = "ny"
MAX_MIX_DEPTH = 4


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    member: Member | None = None
    figures: Mapping[str, int] = field(default_factory=dict)  # prospective member's own figures


@dataclass
class Computation:
    participants: list[Participant]
    key: dk.Key
    key_description: str
    basis: dict[str, dict[str, Any]]
    shares: dict[str, Fraction]
    fractions: dict[str, Fraction]
    amounts: dict[str, Decimal]
    inputs: dict[str, Any]


def participant_of(member: Member) -> Participant:
    return Participant(str(member.pk), member.name, member)


def build_key(key: AllocationKey, participants: Sequence[Participant], depth: int = 0) -> tuple[dk.Key, dict]:
    """The domain key plus, per participant, the basis values it used (for the run record)."""
    if depth > MAX_MIX_DEPTH:
        raise ValidationError(_("Nyckeln %(key)s är för djupt nästlad.") % {"key": key})
    basis: dict[str, dict[str, Any]] = {p.id: {} for p in participants}
    if key.kind == KeyKind.EQUAL:
        return dk.EqualShare(), basis
    if key.kind in (KeyKind.DECIDED, KeyKind.FIXED):
        values = {str(v.member_id): v.value for v in key.values.all()}
        _require(key, participants, values)
        for p in participants:
            basis[p.id][key.name] = str(values[p.id])
        if key.kind == KeyKind.DECIDED:
            return dk.DecidedAmounts(values, label=key.name), basis
        return dk.FixedShares(values, label=key.name), basis
    if key.kind in (KeyKind.POPULATION, KeyKind.USERS):
        kind = FigureKind.POPULATION if key.kind == KeyKind.POPULATION else FigureKind.USERS
        assert key.reference_date is not None  # guaranteed by a constraint
        members = [p.member for p in participants if p.member is not None]
        found = member_selectors.figures_on(members, kind, key.reference_date)
        counts: dict[str, int] = {str(mid): value for mid, value in found.items()}
        for p in participants:
            if p.member is None and kind in p.figures:
                counts[p.id] = p.figures[kind]
        _require(key, participants, counts)
        for p in participants:
            basis[p.id][str(kind)] = counts[p.id]
        if key.kind == KeyKind.POPULATION:
            return dk.Population(counts, key.reference_date, label=key.name), basis
        return dk.Users(counts, key.reference_date, label=key.name), basis
    if key.kind == KeyKind.MIX:
        components = []
        for part in key.components.select_related("component"):
            inner, inner_basis = build_key(part.component, participants, depth + 1)
            components.append(dk.MixComponent(part.weight, inner))
            for pid, values in inner_basis.items():
                basis[pid].update(values)
        return dk.WeightedMix(tuple(components), label=key.name), basis
    raise ValidationError(_("Okänd nyckeltyp %(kind)s.") % {"kind": key.kind})


def _require(key: AllocationKey, participants: Sequence[Participant], values: Mapping[str, object]) -> None:
    missing = [p.name for p in participants if p.id not in values]
    if missing:
        if key.reference_date:
            message = _("Nyckeln %(key)s saknar värde för %(names)s på eller före %(date)s.") % {
                "key": key,
                "names": ", ".join(missing),
                "date": key.reference_date.isoformat(),
            }
        else:
            message = _("Nyckeln %(key)s saknar värde för %(names)s.") % {"key": key, "names": ", ".join(missing)}
        raise ValidationError(message)


def pool_participants(pool: CostPool, on: date) -> list[Participant]:
    """Members taking part on `on`: with one of the pool's services handed over, or all members."""
    services = list(pool.services.all())
    if services:
        ids: set[int] = set()
        for service in services:
            ids.update(member_selectors.members_with_service(service, on).values_list("pk", flat=True))
        members = Member.objects.filter(pk__in=ids)
    else:
        members = member_selectors.members_on(pool.federation, on)
    return [participant_of(m) for m in members.order_by("name", "pk")]


def period_participants(pool: CostPool) -> tuple[list[Participant], dict[str, Fraction]]:
    """Part-year pools: everyone who belonged at some point in the period, with their fraction.

    Membership runs from the later of joining the federation and handing the service over to
    the earlier of leaving and taking it back (the first such stretch overlapping the period).
    """
    basis = "days" if pool.prorata == ProRata.DAYS else "months"
    services = list(pool.services.all())
    result: list[Participant] = []
    fractions: dict[str, Fraction] = {}
    members = Member.objects.filter(federation=pool.federation).prefetch_related("periods", "handovers")
    for member in members.order_by("name", "pk"):
        stretch = _stretch(member, services, pool.period_start, pool.period_end)
        if stretch is None:
            continue
        fraction = membership_fraction(pool.period_start, pool.period_end, stretch, basis)
        if fraction > 0:
            result.append(participant_of(member))
            fractions[str(member.pk)] = fraction
    return result, fractions


def _overlaps(start: date, end: date | None, first: date, last: date) -> bool:
    return start <= last and (end is None or end >= first)


def _stretch(member: Member, services: list, first: date, last: date) -> Membership | None:
    period = next((p for p in member.periods.all() if _overlaps(p.start, p.end, first, last)), None)
    if period is None:
        return None
    joined, left = period.start, period.end
    if services:
        service_ids = {s.pk for s in services}
        handover = next(
            (
                h
                for h in member.handovers.all()
                if h.service_id in service_ids and _overlaps(h.start, h.end, first, last)
            ),
            None,
        )
        if handover is None:
            return None
        joined = max(joined, handover.start)
        left = handover.end if left is None else (left if handover.end is None else min(left, handover.end))
    return Membership(joined=joined, left=left)


def compute(
    pool: CostPool,
    key: AllocationKey,
    participation_date: date,
    *,
    participants: list[Participant] | None = None,
    total: Decimal | None = None,
) -> Computation:
    """Allocate the pool (or `total`) by `key`; raises ValidationError in Swedish on bad input."""
    fractions: dict[str, Fraction] = {}
    if participants is None:
        if pool.prorata == ProRata.NONE:
            participants = pool_participants(pool, participation_date)
        else:
            participants, fractions = period_participants(pool)
    if not participants:
        raise ValidationError(
            _("Inga medlemmar deltar i %(pool)s på %(date)s.") % {"pool": pool, "date": participation_date}
        )
    amount = pool.total if total is None else total
    domain_key, basis = build_key(key, participants)
    ids = [p.id for p in participants]
    unit = Unit(pool.unit).size
    if isinstance(domain_key, dk.DecidedAmounts):
        table_total = sum((domain_key.amounts[i] for i in ids), Decimal(0))
        if table_total != amount:
            raise ValidationError(
                _("De beslutade beloppen för deltagarna summerar till %(table)s, inte till %(total)s.")
                % {"table": format_sek(table_total, 2), "total": format_sek(amount, 2)}
            )
    try:
        shares = dk.exact_shares(domain_key, ids)
        if fractions and any(f != 1 for f in fractions.values()):
            if isinstance(domain_key, dk.DecidedAmounts):
                raise ValidationError(_("Beslutade belopp kan inte räknas om för del av år."))
            amounts = allocate_part_year(amount, domain_key, ids, fractions, unit)
        else:
            amounts = dk.allocate(amount, domain_key, ids, unit)
    except dk.AllocationKeyError as exc:
        raise ValidationError(_("Fördelningen går inte att göra: %(reason)s") % {"reason": exc}) from exc
    inputs = {
        "pool": pool.name,
        "period": [pool.period_start.isoformat(), pool.period_end.isoformat()],
        "participation_date": participation_date.isoformat(),
        "total": str(amount),
        "unit": pool.unit,
        "prorata": pool.prorata,
        "key": key_record(key),
        "participants": [
            {
                "member_id": p.member.pk if p.member else None,
                "name": p.name,
                "basis": basis[p.id],
                "share": f"{shares[p.id].numerator}/{shares[p.id].denominator}",
                "fraction": str(fractions.get(p.id, Fraction(1))),
            }
            for p in participants
        ],
    }
    return Computation(participants, domain_key, dk.describe(domain_key), basis, shares, fractions, amounts, inputs)


def key_record(key: AllocationKey) -> dict[str, Any]:
    """The key's definition as plain JSON, stored with a run."""
    record: dict[str, Any] = {
        "id": key.pk,
        "name": key.name,
        "kind": key.kind,
        "reference_date": key.reference_date.isoformat() if key.reference_date else None,
    }
    if key.kind == KeyKind.MIX:
        record["components"] = [
            {"weight": str(c.weight), "key": key_record(c.component)}
            for c in key.components.select_related("component")
        ]
    return record


def reproduce(inputs: dict[str, Any]) -> list[Decimal]:
    """Recompute a stored run's amounts from its stored inputs alone (no current data).

    Uses the exact shares and part-year fractions recorded at the time, so an auditor can
    check years later that the stored amounts follow from the stored basis.
    """
    participants = inputs["participants"]
    shares = {str(i): Fraction(p["share"]) for i, p in enumerate(participants)}
    fractions = {str(i): Fraction(p["fraction"]) for i, p in enumerate(participants)}
    if any(f != 1 for f in fractions.values()):
        shares = part_year_shares(shares, fractions)
    return apportion(Decimal(inputs["total"]), list(shares.values()), Unit(inputs["unit"]).size)
