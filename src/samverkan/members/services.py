"""Every write about federations and members: validated, one transaction, audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.core.services import model_create, model_delete, model_update
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
from samverkan.members.policies import MANAGE_FIGURES, MANAGE_MEMBERS
from samverkan.members.validators import normalise_orgnr


def federation_create(*, acting_user, **data: Any) -> Federation:
    require(acting_user, MANAGE_MEMBERS)
    if not (acting_user.is_superuser or acting_user.is_system):
        raise PermissionDenied(_("Bara plattformens administratör kan skapa förbund."))
    data["orgnr"] = normalise_orgnr(data["orgnr"])
    return model_create(model=Federation, acting_user=acting_user, **data)


@transaction.atomic
def member_create(*, acting_user, federation: Federation, joined: date, **data: Any) -> Member:
    """A new member and its first membership period (joining may be mid-year)."""
    require(acting_user, MANAGE_MEMBERS, federation=federation)
    data["orgnr"] = normalise_orgnr(data["orgnr"])
    member = model_create(model=Member, acting_user=acting_user, federation=federation, **data)
    member_join(acting_user=acting_user, member=member, start=joined)
    return member


def member_update(*, member: Member, acting_user, data: dict[str, Any]) -> Member:
    require(acting_user, MANAGE_MEMBERS, obj=member)
    if "orgnr" in data:
        data["orgnr"] = normalise_orgnr(data["orgnr"])
    return model_update(instance=member, acting_user=acting_user, data=data)[0]


@transaction.atomic
def member_join(*, acting_user, member: Member, start: date) -> MembershipPeriod:
    """A new membership period from `start`; refused while another period is open or ends later."""
    require(acting_user, MANAGE_MEMBERS, obj=member)
    open_or_later = member.periods.filter(end__isnull=True) | member.periods.filter(end__gte=start)
    if open_or_later.exists():
        raise ValidationError(_("Medlemskapet överlappar en befintlig medlemsperiod."))
    return model_create(model=MembershipPeriod, acting_user=acting_user, member=member, start=start)


@transaction.atomic
def member_leave(*, acting_user, member: Member, end: date) -> MembershipPeriod:
    """Ends the open membership period and every open hand-over on the same day.

    Hand-overs planned to start after the last day never take effect, so they are removed
    (audited) rather than left as one-day periods a cost key would pick up.
    """
    require(acting_user, MANAGE_MEMBERS, obj=member)
    period = member.periods.select_for_update().filter(end__isnull=True).first()
    if period is None:
        raise ValidationError(_("%(member)s har ingen pågående medlemsperiod.") % {"member": member})
    if end < period.start:
        raise ValidationError(_("Utträdet kan inte ligga före inträdet."))
    model_update(instance=period, acting_user=acting_user, data={"end": end})
    for handover in member.handovers.filter(end__isnull=True) | member.handovers.filter(end__gt=end):
        if handover.start > end:
            model_delete(instance=handover, acting_user=acting_user)
        else:
            model_update(instance=handover, acting_user=acting_user, data={"end": end})
    return period


def service_create(*, acting_user, federation: Federation, **data: Any) -> Service:
    require(acting_user, MANAGE_MEMBERS, federation=federation)
    return model_create(model=Service, acting_user=acting_user, federation=federation, **data)


def _check_handover(
    *, member: Member, service: Service, start: date, end: date | None, exclude_pk: int | None = None
) -> None:
    if service.federation_id != member.federation_id:
        raise ValidationError(_("Verksamheten tillhör ett annat förbund."))
    if end is not None and end < start:
        raise ValidationError(_("Slutdatum kan inte ligga före startdatum."))
    # Two periods overlap when each starts before (or on) the day the other ends.
    overlapping = member.handovers.filter(service=service).exclude(end__lt=start).exclude(pk=exclude_pk)
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():
        raise ValidationError(
            _("%(member)s har redan överlämnat %(service)s under perioden.") % {"member": member, "service": service}
        )


@transaction.atomic
def handover_create(
    *, acting_user, member: Member, service: Service, start: date, end: date | None = None, **data: Any
) -> HandOver:
    require(acting_user, MANAGE_MEMBERS, obj=member)
    _check_handover(member=member, service=service, start=start, end=end)
    return model_create(
        model=HandOver, acting_user=acting_user, member=member, service=service, start=start, end=end, **data
    )


def department_create(*, acting_user, member: Member, **data: Any) -> Department:
    require(acting_user, MANAGE_MEMBERS, obj=member)
    return model_create(model=Department, acting_user=acting_user, member=member, **data)


def department_update(*, department: Department, acting_user, data: dict[str, Any]) -> Department:
    require(acting_user, MANAGE_MEMBERS, obj=department.member)
    return model_update(instance=department, acting_user=acting_user, data=data)[0]


def contact_create(*, acting_user, member: Member, **data: Any) -> Contact:
    require(acting_user, MANAGE_MEMBERS, obj=member)
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
    skipped: int = 0  # rows for municipalities that are not members in scope

    @property
    def changed(self) -> int:
        return self.created + self.updated


@transaction.atomic
def figures_store(
    *, acting_user, rows: list[FigureRow], progress: Callable[[int], object] | None = None
) -> FigureImportResult:
    """Stores figures idempotently: the same value again is 'unchanged' and writes nothing.

    `progress(n)` is called after each row so a CLI can show a bar without the service knowing.
    """
    for federation_id in {row.member.federation_id for row in rows} or {None}:
        require(acting_user, MANAGE_FIGURES, federation=federation_id)
    result = FigureImportResult()
    for row in rows:
        existing = MemberFigure.objects.filter(
            member=row.member, kind=row.kind, reference_date=row.reference_date
        ).first()
        if existing is None:
            model_create(
                model=MemberFigure,
                acting_user=acting_user,
                member=row.member,
                kind=row.kind,
                reference_date=row.reference_date,
                value=row.value,
                source=row.source,
            )
            result.created += 1
        elif existing.value != row.value:
            before = snapshot(existing)
            existing.value, existing.source = row.value, row.source or existing.source
            existing.full_clean()
            existing.save(update_fields=["value", "source"])
            audit_record(actor=acting_user, action="update", instance=existing, before=before, after=snapshot(existing))
            result.updated += 1
        else:
            result.unchanged += 1
        if progress is not None:
            progress(1)
    return result


@transaction.atomic
def population_import(
    *,
    acting_user,
    content: bytes,
    reference_date: date | None = None,
    federation: Federation | None = None,
    progress: Callable[[int], object] | None = None,
) -> FigureImportResult:
    """SCB population file → population figures for every member with a matching kommunkod.

    All-or-nothing: a bad row raises ParseError (with line numbers) before anything is written,
    and any later failure rolls the whole import back. Importing the same file again changes
    nothing. Municipalities that are not members of any federation in scope are counted as
    skipped, since SCB files list all 290.
    """
    require(acting_user, MANAGE_FIGURES, federation=federation)
    if federation is None and not (acting_user.is_superuser or acting_user.is_system):
        raise PermissionDenied(_("Ange förbundet att importera till."))
    from samverkan.members.importers.scb_population import parse
    from samverkan.members.models import FigureKind

    parsed = parse(content, reference_date=reference_date)
    members = Member.objects.all() if federation is None else federation.members.all()
    by_code: dict[str, list[Member]] = {}
    for member in members:
        by_code.setdefault(member.kommunkod, []).append(member)
    rows = [
        FigureRow(
            member=member, kind=FigureKind.POPULATION, reference_date=row.reference_date, value=row.value, source="SCB"
        )
        for row in parsed
        for member in by_code.get(row.kommunkod, [])
    ]
    result = figures_store(acting_user=acting_user, rows=rows, progress=progress)
    result.skipped = sum(1 for row in parsed if row.kommunkod not in by_code)
    return result
