"""Reads of minutes, paragraphs, decision links and the public notice board.

Minutes are read by whoever may read their meeting (`selectors.meetings.meetings_for`: staff
see their federation's bodies, a board member the bodies they sit in) and, in addition, by the
people who must approve them (their Adjuster rows). The notice board is public: it is chosen by
federation slug and shows only what a posted notice of adjusted minutes says.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from samverkan.core.permissions import has_capability, scope
from samverkan.domain.notice_period import is_current
from samverkan.governance.models import (
    Adjuster,
    Attendance,
    AttendanceKind,
    Body,
    DecisionLink,
    Minutes,
    NoticePosting,
    Paragraph,
)
from samverkan.governance.policies import ADJUST_MINUTES, VIEW_MEETINGS
from samverkan.governance.selectors.bodies import seat_users_for
from samverkan.governance.selectors.meetings import meeting_bodies_for, meetings_for
from samverkan.members.models import Federation


def minutes_for(user: Any) -> QuerySet[Minutes]:
    """Minutes of meetings the user may read, plus those the user must approve."""
    if not has_capability(user, VIEW_MEETINGS):
        return Minutes.objects.none()
    readable = Q(meeting__in=meetings_for(user))
    if has_capability(user, ADJUST_MINUTES):
        own = scope(user, Minutes.objects.all(), federation="meeting__body__federation", member=None, department=None)
        readable |= Q(pk__in=own.filter(adjusters__user=user).values("pk"))
    return Minutes.objects.filter(readable).select_related("meeting", "meeting__body", "meeting__body__federation")


def minutes_get(user: Any, pk: int) -> Minutes:
    """One minutes the user may read (404 otherwise, also for another federation's)."""
    return get_object_or_404(minutes_for(user), pk=pk)


def minutes_of_meeting(user: Any, meeting_pk: int) -> Minutes:
    return get_object_or_404(minutes_for(user), meeting__pk=meeting_pk)  # (a too large id: 404)


def paragraphs_for(user: Any) -> QuerySet[Paragraph]:
    return Paragraph.objects.filter(minutes__in=minutes_for(user)).select_related(
        "body", "case", "minutes", "minutes__meeting"
    )


def paragraph_get(user: Any, pk: int) -> Paragraph:
    return get_object_or_404(paragraphs_for(user), pk=pk)


def minutes_paragraphs(minutes: Minutes) -> list[Paragraph]:
    return list(minutes.paragraphs.select_related("body", "case").order_by("number"))


KIND_ORDER = {kind: n for n, kind in enumerate(AttendanceKind.values)}  # members, serving substitutes, …


def minutes_attendance(minutes: Minutes) -> list[Attendance]:
    """Those present in the order of seed 001: members, serving substitutes, substitutes, others."""
    rows = Attendance.objects.filter(meeting_id=minutes.meeting_id).order_by("pk")
    return sorted(rows, key=lambda a: KIND_ORDER.get(a.kind, len(KIND_ORDER)))


def minutes_adjusters(minutes: Minutes) -> list[Adjuster]:
    """The chair first, then the adjusters, in the order they were named."""
    return sorted(minutes.adjusters.select_related("user"), key=lambda a: (a.role != "chair", a.pk))


def attendance_get(user: Any, pk: int) -> Attendance:
    minutes = minutes_for(user)
    return get_object_or_404(Attendance.objects.filter(meeting__minutes__in=minutes), pk=pk)


def adjuster_get(user: Any, pk: int) -> Adjuster:
    return get_object_or_404(Adjuster.objects.filter(minutes__in=minutes_for(user)), pk=pk)


def adjuster_users_for(user: Any) -> QuerySet:
    """People of the user's federation who can be named chair or adjuster (a login of their own)."""
    return seat_users_for(user)


def counter_bodies_for(user: Any) -> QuerySet[Body]:
    return meeting_bodies_for(user)


def pending_approval(minutes: Minutes, user: Any) -> Adjuster | None:
    """The user's own not yet approved Adjuster row of these minutes, if any."""
    return minutes.adjusters.filter(user=user, approved_at__isnull=True).first()


def paragraph_label(paragraph: Paragraph) -> str:
    """The margin label of seed 001: the body's prefix and the number ("Lyst 51"), or "§ 51"."""
    return f"{paragraph.body.paragraph_prefix or '§'} {paragraph.number}"


def paragraph_effects(paragraph: Paragraph) -> list[DecisionLink]:
    return list(paragraph.effects.select_related("content_type").order_by("pk"))


def decisions_for(obj: Any) -> QuerySet[Paragraph]:
    """The paragraphs that decided `obj` (an allocation run, a price version, a member …), oldest
    first. For other apps' pages: the caller has already resolved `obj` through its own scoped
    selector, and a paragraph's existence and label are no secret to someone who may see `obj`."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return (
        Paragraph.objects.filter(effects__content_type=content_type, effects__object_id=obj.pk)
        .select_related("body", "case", "minutes", "minutes__meeting")
        .order_by("year", "number")
        .distinct()
    )


def decision_link_get(user: Any, pk: int) -> DecisionLink:
    return get_object_or_404(DecisionLink.objects.filter(paragraph__in=paragraphs_for(user)), pk=pk)


# The public notice board --------------------------------------------------------------------


@dataclass(frozen=True)
class PostedNotice:
    federation: str
    body: str
    meeting_date: date
    paragraphs: str  # "50–58"
    posted_on: date
    taken_down_on: date
    kept_at: str
    current: bool

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("meeting_date", "posted_on", "taken_down_on"):
            data[key] = data[key].isoformat()
        return data


@dataclass(frozen=True)
class NoticeBoard:
    federation: str  # slug
    federation_name: str
    today: date
    current: list[PostedNotice]
    history: list[PostedNotice]

    def as_dict(self) -> dict[str, Any]:
        return {
            "federation": self.federation,
            "federation_name": self.federation_name,
            "today": self.today.isoformat(),
            "current": [n.as_dict() for n in self.current],
            "history": [n.as_dict() for n in self.history],
        }


def paragraph_range(numbers: list[int], prefix: str = "") -> str:
    """'50–58' for consecutive numbers, '50, 52–53' otherwise; with the body's prefix in front."""
    if not numbers:
        return ""
    numbers = sorted(numbers)
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    text = ", ".join(parts)
    return f"{prefix} {text}".strip() if prefix else text


def posting_get(user: Any, pk: int) -> NoticePosting:
    return get_object_or_404(NoticePosting.objects.filter(minutes__in=minutes_for(user)), pk=pk)


def federation_by_slug(slug: str) -> Federation:
    return get_object_or_404(Federation.objects.all(), slug=slug)


def notice_postings(federation: Federation | None = None) -> QuerySet[NoticePosting]:
    qs = NoticePosting.objects.select_related(
        "minutes", "minutes__meeting", "minutes__meeting__body", "minutes__meeting__body__federation"
    ).order_by("-posted_on", "-pk")
    if federation is not None:
        qs = qs.filter(minutes__meeting__body__federation=federation)
    return qs


def _notice(posting: NoticePosting, today: date) -> PostedNotice:
    minutes = posting.minutes
    body = minutes.meeting.body
    numbers = list(minutes.paragraphs.values_list("number", flat=True))
    return PostedNotice(
        federation=body.federation.slug,
        body=body.name,
        meeting_date=minutes.meeting.date,
        paragraphs=paragraph_range(numbers, body.paragraph_prefix),
        posted_on=posting.posted_on,
        taken_down_on=posting.taken_down_on,
        kept_at=posting.kept_at,
        current=is_current(posting.posted_on, posting.taken_down_on, today),
    )


def notice_board(federation: Federation, today: date) -> NoticeBoard:
    """What the public notice board shows on `today`: notices up now, and earlier ones
    (history). Notices dated in the future are not shown yet."""
    notices = [_notice(p, today) for p in notice_postings(federation).filter(posted_on__lte=today)]
    return NoticeBoard(
        federation=federation.slug,
        federation_name=federation.name,
        today=today,
        current=[n for n in notices if n.current],
        history=[n for n in notices if not n.current],
    )
