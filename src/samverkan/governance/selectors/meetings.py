"""Reads for meetings, meeting plans and agendas.

Staff who hold VIEW_MEETINGS through a role other than board (admin, secretary, economist) see
every body of their federation; a board member sees only the meetings of bodies they hold a
seat in (Seat.user) — the bodies' papers are theirs, not every body's of the federation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from samverkan.core.params import MAX_YEAR, MIN_YEAR
from samverkan.core.permissions import has_capability, scope
from samverkan.core.roles import BOARD
from samverkan.governance.models import (
    AgendaItem,
    Body,
    Case,
    CaseDocument,
    Meeting,
    Minutes,
    Office,
    Seat,
    SeatKind,
)
from samverkan.governance.policies import VIEW_MEETINGS

_WIDE_ROLES = VIEW_MEETINGS.roles - {BOARD}


def _seat_limited(user) -> bool:
    """True when the user reads meetings only as a board member (only the bodies they sit in)."""
    if user.is_superuser or getattr(user, "is_system", False):
        return False
    return user.roles.isdisjoint(_WIDE_ROLES)


def meeting_bodies_for(user) -> QuerySet[Body]:
    """The bodies whose meetings the user may read."""
    if not has_capability(user, VIEW_MEETINGS):
        return Body.objects.none()
    qs = scope(user, Body.objects.all(), federation="federation", member=None, department=None)
    if _seat_limited(user):
        qs = qs.filter(pk__in=Seat.objects.filter(user=user).values("body_id"))
    return qs


def meetings_for(user) -> QuerySet[Meeting]:
    bodies = meeting_bodies_for(user)
    return Meeting.objects.filter(body__in=bodies).select_related("body", "body__federation")


def meeting_get(user, pk: int) -> Meeting:
    """One meeting the user may read (404 otherwise, also for another federation's)."""
    return get_object_or_404(meetings_for(user), pk=pk)


def agenda_items_for(user) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting__in=meetings_for(user))
        .select_related("meeting", "meeting__body", "case")
        .prefetch_related(Prefetch("documents", queryset=CaseDocument.objects.select_related("case")))
    )


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda of a meeting the caller has already resolved through `meeting_get`."""
    return list(
        meeting.agenda_items.select_related("case")
        .prefetch_related(Prefetch("documents", queryset=CaseDocument.objects.select_related("case")))
        .order_by("position")
    )


def agenda_cases_for(user) -> QuerySet[Case]:
    """Cases of the user's federation an agenda item may refer to."""
    return scope(user, Case.objects.all(), federation="federation", member=None, department=None)


def agenda_documents_for(user) -> QuerySet[CaseDocument]:
    """Documents of the user's federation's cases (an item's own case is checked by the service)."""
    return scope(
        user, CaseDocument.objects.select_related("case"), federation="case__federation", member=None, department=None
    )


def meeting_document_get(user, meeting: Meeting, pk: int) -> CaseDocument:
    """A document on the agenda of a meeting the user may read (404 when not on it)."""
    return get_object_or_404(CaseDocument.objects.filter(agenda_items__meeting=meeting).distinct(), pk=pk)


def plan_years(user, body: Body) -> list[int]:
    """The years with meetings of a body, newest first."""
    dates = meetings_for(user).filter(body=body).dates("date", "year", order="DESC")
    return [d.year for d in dates]


def meeting_plan(user, body: Body, year: int) -> list[Meeting]:
    if not MIN_YEAR <= year <= MAX_YEAR:  # a year the date lookups cannot take (URL ints are unbounded)
        raise Http404
    return list(meetings_for(user).filter(body=body, date__year=year).order_by("date", "start_time"))


def meeting_chair(meeting: Meeting) -> str:
    """The name of the body's chair on the meeting day ("" when none is recorded)."""
    seat = (
        Seat.objects.filter(body=meeting.body, office=Office.CHAIR, start__lte=meeting.date)
        .exclude(end__lt=meeting.date)
        .order_by("-start")
        .first()
    )
    return seat.person_name if seat else ""


def minutes_exist(meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting).exists()


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def minutes_locked(meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting, locked_at__isnull=False).exists()


@dataclass(frozen=True)
class NoticeRecipient:
    name: str
    email: str  # "" when the seat has no user or the user no e-mail address
    for_information: bool  # a substitute's copy ("för kännedom")


def notice_recipients(meeting: Meeting) -> list[NoticeRecipient]:
    """Every seat holder of the body whose term covers the meeting day: members get the notice,
    substitutes a copy for information."""
    seats = (
        Seat.objects.filter(body=meeting.body, start__lte=meeting.date)
        .exclude(end__lt=meeting.date)
        .select_related("user")
        .order_by("kind", "person_name")
    )
    found: list[NoticeRecipient] = []
    seen: set[str] = set()
    for seat in seats:  # members first: one holding both seats gets the member's notice once
        user = seat.user
        email = user.email if user is not None and user.is_active and user.email else ""
        if email and email.lower() in seen:
            continue
        seen.add(email.lower())
        found.append(NoticeRecipient(seat.person_name, email, seat.kind == SeatKind.SUBSTITUTE))
    return found
