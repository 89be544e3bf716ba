"""Reads about members, always scoped by the asking user's role and organisation."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samverkan.core.params import id_or_none
from samverkan.core.permissions import scope
from samverkan.members.models import (
    Department,
    Federation,
    HandOver,
    Member,
    MemberFigure,
    MembershipPeriod,
    Service,
)


def federations_public() -> QuerySet[Federation]:
    return Federation.objects.all()


def federations_for(user) -> QuerySet[Federation]:
    """Every role of a federation sees the federation itself (name, address, bankgiro): a member
    contact or orderer too, whom `scope` would give nothing since a federation has no member."""
    if not user.is_authenticated or not user.is_active:
        return Federation.objects.none()
    if user.is_superuser or user.is_system:
        return Federation.objects.all()
    return Federation.objects.filter(pk=user.federation_id) if user.roles else Federation.objects.none()


def federation_for(user, slug: str | None = None, *, guess: bool = False) -> Federation:
    """The federation a page or call is about: one named by slug among those the user may see
    (404 for another's), else the user's own. A superuser (who may have none) gets the only
    federation there is, or with `guess` (a page that only reads) the first by name — never a
    guess for a write."""
    visible = federations_for(user).order_by("name")
    if slug:
        return get_object_or_404(visible, slug=slug)
    if user.federation_id is not None:
        return get_object_or_404(visible, pk=user.federation_id)
    if visible.count() == 1 or (guess and visible.exists()):
        return visible.first()
    raise ValidationError({"federation": _("Ange vilket förbund som avses.")})


def members_for(user) -> QuerySet[Member]:
    return scope(user, Member.objects.select_related("federation"), member="pk", department=None)


def member_get(user, pk: int) -> Member:
    return get_object_or_404(members_for(user), pk=pk)


def member_from_query(user, value: str | None) -> Member | None:
    """The member a list is filtered to (`?medlem=<id>`): None when not asked for, 404 for an id
    that is not one of the user's members (another federation's, another contact's, garbage)."""
    if not value:
        return None
    pk = id_or_none(value)
    if pk is None:
        raise Http404
    return member_get(user, pk)


def departments_for(user) -> QuerySet[Department]:
    return scope(
        user,
        Department.objects.select_related("member"),
        federation="member__federation",
        member="member",
        department="pk",
    )


def services_for(user) -> QuerySet[Service]:
    """A federation's services are its common offer, so every role in it sees them
    (member contacts and orderers too; `scope` alone would hide rows without a member link)."""
    if not user.is_authenticated or not user.is_active:
        return Service.objects.none()
    if user.is_superuser or user.is_system:
        return Service.objects.all()
    return Service.objects.filter(federation_id=user.federation_id) if user.roles else Service.objects.none()


def _active_on(on: date) -> Q:
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


def members_on(federation: Federation, on: date) -> QuerySet[Member]:
    """Members whose membership covers date `on`."""
    periods = MembershipPeriod.objects.filter(_active_on(on), member=OuterRef("pk"))
    return Member.objects.filter(federation=federation).filter(Exists(periods))


def members_with_service(service: Service, on: date) -> QuerySet[Member]:
    """Who takes part in `service` on date `on`: a member then, with the service handed over then."""
    handovers = HandOver.objects.filter(_active_on(on), member=OuterRef("pk"), service=service)
    return members_on(service.federation, on).filter(Exists(handovers))


def figures_on(members, kind: str, on: date) -> dict[int, int]:
    """member id → value of the latest `kind` figure on or before `on`, for many members at once."""
    result: dict[int, int] = {}
    rows = (
        MemberFigure.objects.filter(member__in=members, kind=kind, reference_date__lte=on)
        .order_by("member_id", "reference_date")
        .values_list("member_id", "value")
    )
    for member_id, value in rows:
        result[member_id] = value
    return result


def member_history(member: Member, limit: int = 50):
    """Audit events of the member and of what hangs off it (periods, hand-overs, departments,
    contacts, figures), newest first — the member page's history of changes."""
    from samverkan.core.models import AuditEvent

    related = {
        "members.Member": [member.pk],
        "members.MembershipPeriod": member.periods.values_list("pk", flat=True),
        "members.HandOver": member.handovers.values_list("pk", flat=True),
        "members.Department": member.departments.values_list("pk", flat=True),
        "members.Contact": member.contacts.values_list("pk", flat=True),
        "members.MemberFigure": member.figures.values_list("pk", flat=True),
    }
    condition = Q(pk__in=[])
    for object_type, pks in related.items():
        condition |= Q(object_type=object_type, object_id__in=[str(pk) for pk in pks])
    return AuditEvent.objects.filter(condition).order_by("-at", "-id")[:limit]
