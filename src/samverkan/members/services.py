"""Every write about federations and members: validated, one transaction, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.services import model_create, model_update
from samverkan.members.models import (
    Contact,
    Department,
    Federation,
    HandOver,
    Member,
    MemberFigure,
    MembershipPeriod,
    Service,
)
from samverkan.members.validators import normalise_orgnr


def federation_create(*, acting_user, **data: Any) -> Federation:
    data["orgnr"] = normalise_orgnr(data["orgnr"])
    return model_create(model=Federation, acting_user=acting_user, **data)


def federation_update(*, federation: Federation, acting_user, data: dict[str, Any]) -> Federation:
    if "orgnr" in data:
        data["orgnr"] = normalise_orgnr(data["orgnr"])
    return model_update(instance=federation, acting_user=acting_user, data=data)[0]


@transaction.atomic
def member_create(*, acting_user, federation: Federation, joined: date, **data: Any) -> Member:
    """A new member and its first membership period (joining may be mid-year)."""
    data["orgnr"] = normalise_orgnr(data["orgnr"])
    member = model_create(model=Member, acting_user=acting_user, federation=federation, **data)
    member_join(acting_user=acting_user, member=member, start=joined)
    return member


def member_update(*, member: Member, acting_user, data: dict[str, Any]) -> Member:
    if "orgnr" in data:
        data["orgnr"] = normalise_orgnr(data["orgnr"])
    return model_update(instance=member, acting_user=acting_user, data=data)[0]


@transaction.atomic
def member_join(*, acting_user, member: Member, start: date) -> MembershipPeriod:
    open_or_later = member.periods.filter(end__isnull=True) | member.periods.filter(end__gte=start)
    if open_or_later.exists():
        raise ValidationError(_("Medlemskapet överlappar en befintlig medlemsperiod."))
    return model_create(model=MembershipPeriod, acting_user=acting_user, member=member, start=start)


@transaction.atomic
def member_leave(*, acting_user, member: Member, end: date) -> MembershipPeriod:
    """Ends the open membership period and every open hand-over on the same day."""
    period = member.periods.select_for_update().filter(end__isnull=True).first()
    if period is None:
        raise ValidationError(_("%(member)s har ingen pågående medlemsperiod.") % {"member": member})
    if end < period.start:
        raise ValidationError(_("Utträdet kan inte ligga före inträdet."))
    model_update(instance=period, acting_user=acting_user, data={"end": end})
    for handover in member.handovers.filter(end__isnull=True):
        model_update(instance=handover, acting_user=acting_user, data={"end": max(end, handover.start)})
    return period


def service_create(*, acting_user, federation: Federation, **data: Any) -> Service:
    return model_create(model=Service, acting_user=acting_user, federation=federation, **data)


def handover_create(*, acting_user, member: Member, service: Service, start: date, **data: Any) -> HandOver:
    if service.federation_id != member.federation_id:
        raise ValidationError(_("Verksamheten tillhör ett annat förbund."))
    overlapping = member.handovers.filter(service=service).exclude(end__lt=start)
    if overlapping.exists():
        raise ValidationError(_("%(member)s har redan överlämnat %(service)s under perioden.")
                              % {"member": member, "service": service})
    return model_create(model=HandOver, acting_user=acting_user, member=member, service=service, start=start, **data)


def handover_update(*, handover: HandOver, acting_user, data: dict[str, Any]) -> HandOver:
    return model_update(instance=handover, acting_user=acting_user, data=data)[0]


def department_create(*, acting_user, member: Member, **data: Any) -> Department:
    return model_create(model=Department, acting_user=acting_user, member=member, **data)


def department_update(*, department: Department, acting_user, data: dict[str, Any]) -> Department:
    return model_update(instance=department, acting_user=acting_user, data=data)[0]


def contact_create(*, acting_user, member: Member, **data: Any) -> Contact:
    return model_create(model=Contact, acting_user=acting_user, member=member, **data)


@dataclass(frozen=True)
class FigureRow:
    member: Member
    kind: str
    reference_date: date
    value: int
    source: str = ""


@dataclass
class FigureImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated


@transaction.atomic
def figures_store(*, acting_user, rows: list[FigureRow]) -> FigureImportResult:
    """Stores figures idempotently: the same value again is 'unchanged' and writes nothing."""
    result = FigureImportResult()
    for row in rows:
        existing = MemberFigure.objects.filter(
            member=row.member, kind=row.kind, reference_date=row.reference_date
        ).first()
        if existing is None:
            model_create(
                model=MemberFigure, acting_user=acting_user, member=row.member, kind=row.kind,
                reference_date=row.reference_date, value=row.value, source=row.source,
            )
            result.created += 1
        elif existing.value != row.value:
            before = snapshot(existing)
            existing.value, existing.source = row.value, row.source or existing.source
            existing.save(update_fields=["value", "source"])
            audit_record(actor=acting_user, action="update", instance=existing, before=before, after=snapshot(existing))
            result.updated += 1
        else:
            result.unchanged += 1
    return result


@transaction.atomic
def population_import(
    *, acting_user, content: bytes, reference_date: date | None = None, federation: Federation | None = None
) -> FigureImportResult:
    """SCB population file → population figures for every member with a matching kommunkod.

    All-or-nothing: a bad row raises ParseError (with line numbers) before anything is written.
    Importing the same file again changes nothing. Municipalities that are not members of any
    federation in scope are skipped, since SCB files list all 290.
    """
    from samverkan.members.importers.scb_population import parse
    from samverkan.members.models import FigureKind

    parsed = parse(content, reference_date=reference_date)
    members = Member.objects.all() if federation is None else federation.members.all()
    by_code: dict[str, list[Member]] = {}
    for member in members:
        by_code.setdefault(member.kommunkod, []).append(member)
    rows = [
        FigureRow(member=member, kind=FigureKind.POPULATION, reference_date=row.reference_date,
                  value=row.value, source="SCB")
        for row in parsed
        for member in by_code.get(row.kommunkod, [])
    ]
    return figures_store(acting_user=acting_user, rows=rows)
