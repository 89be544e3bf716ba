"""Writes of minutes: attendance, adjusters, numbered paragraphs, adjustment and the notice.

Paragraph numbers run per body and year across meetings (Lyst 50 … 58): the next number is
taken from the body's ParagraphCounter row, locked with SELECT … FOR UPDATE inside the
service's transaction, so two secretaries closing paragraphs at once get consecutive numbers
and a number is never reused or renumbered. Minutes lock when the chair and every adjuster have
approved them; every service here then refuses, and migration 0002 makes the database refuse
too. Decision links are not part of the minutes and may be added after adjustment.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import federation_id_of, require, require_same_federation
from samverkan.core.services import model_create, model_delete, model_update
from samverkan.domain.notice_period import NoticePeriodError, check_take_down, earliest_take_down
from samverkan.governance.models import (
    Adjuster,
    AdjusterRole,
    Attendance,
    AttendanceKind,
    Body,
    Case,
    DecisionLink,
    Meeting,
    MeetingStatus,
    Minutes,
    NoticePosting,
    Paragraph,
    ParagraphCounter,
)
from samverkan.governance.policies import ADJUST_MINUTES, EDIT_MEETINGS

MINUTES_FIELDS = ("secretary", "chair_name", "adjustment_place_time", "kept_at", "agenda_changes")
PARAGRAPH_FIELDS = ("title", "case", "text", "decision", "dispatch_to", "reservations")
ATTENDANCE_FIELDS = ("name", "title", "kind", "paragraphs", "seat")
# "51-52", "53", "50-52, 55" (närvarande vid §)
PARAGRAPH_SPAN = re.compile(r"^\s*\d+(\s*[-–]\s*\d+)?(\s*,\s*\d+(\s*[-–]\s*\d+)?)*\s*$")

# What a paragraph may be linked to: app_label.model → path from the target to its federation.
DECISION_TARGETS = {
    "allocation.allocationrun": "pool__federation",
    "allocation.costpool": "federation",
    "catalogue.priceversion": "item__federation",
    "catalogue.catalogueitem": "federation",
    "members.member": "federation",
    "members.handover": "member__federation",
    "billing.invoicerun": "federation",
    "governance.agreement": "federation",
    "governance.agreementrevision": "agreement__federation",
    "governance.case": "federation",
}


def _refuse_locked(minutes: Minutes) -> None:
    """Services refuse before the database would (fresh read: another request may have locked)."""
    if minutes.locked_at is not None or Minutes.objects.filter(pk=minutes.pk, locked_at__isnull=False).exists():
        raise ValidationError(
            _(
                "Protokollet är justerat och kan inte ändras. "
                "En rättelse görs som en ny paragraf vid ett senare sammanträde."
            )
        )


def _federation(minutes: Minutes):
    return minutes.meeting.body.federation


@transaction.atomic
def minutes_create(
    *,
    acting_user,
    meeting: Meeting,
    secretary,
    chair_name: str,
    adjustment_place_time: str = "",
    kept_at: str = "",
    agenda_changes: str = "",
) -> Minutes:
    require(acting_user, EDIT_MEETINGS, obj=meeting.body)
    require_same_federation(acting_user, federation=meeting.body.federation, secretary=secretary)
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("Sammanträdet har redan ett protokoll."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Sammanträdet är inställt."))
    return model_create(
        model=Minutes,
        acting_user=acting_user,
        meeting=meeting,
        secretary=secretary,
        chair_name=chair_name,
        adjustment_place_time=adjustment_place_time,
        kept_at=kept_at,
        agenda_changes=agenda_changes,
    )


@transaction.atomic
def minutes_update(*, acting_user, minutes: Minutes, data: dict[str, Any]) -> Minutes:
    require(acting_user, EDIT_MEETINGS, obj=minutes.meeting.body)
    _refuse_locked(minutes)
    unknown = set(data) - set(MINUTES_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "secretary" in data:
        require_same_federation(acting_user, federation=_federation(minutes), secretary=data["secretary"])
    model_update(instance=minutes, acting_user=acting_user, data=data)
    return minutes


# Attendance ----------------------------------------------------------------------------------


def _check_attendance(data: dict[str, Any]) -> None:
    span = data.get("paragraphs") or ""
    if span and not PARAGRAPH_SPAN.match(span):
        raise ValidationError({"paragraphs": _("Ange paragrafer som ”51-52” eller ”50, 53-54”.")})
    if data.get("kind") and data["kind"] not in AttendanceKind.values:
        raise ValidationError({"kind": _("Okänt slag av närvaro.")})


@transaction.atomic
def attendance_add(
    *,
    acting_user,
    minutes: Minutes,
    name: str,
    kind: str,
    title: str = "",
    paragraphs: str = "",
    seat=None,
) -> Attendance:
    require(acting_user, EDIT_MEETINGS, obj=minutes.meeting.body)
    _refuse_locked(minutes)
    if seat is not None and seat.body_id != minutes.meeting.body_id:
        raise ValidationError({"seat": _("Platsen hör till ett annat organ.")})
    data = {"name": name, "kind": kind, "title": title, "paragraphs": paragraphs.strip()}
    _check_attendance(data)
    return model_create(model=Attendance, acting_user=acting_user, meeting=minutes.meeting, seat=seat, **data)


@transaction.atomic
def attendance_update(*, acting_user, attendance: Attendance, data: dict[str, Any]) -> Attendance:
    minutes = attendance.meeting.minutes
    require(acting_user, EDIT_MEETINGS, obj=minutes.meeting.body)
    _refuse_locked(minutes)
    unknown = set(data) - set(ATTENDANCE_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    seat = data.get("seat")
    if seat is not None and seat.body_id != minutes.meeting.body_id:
        raise ValidationError({"seat": _("Platsen hör till ett annat organ.")})
    _check_attendance(data)
    model_update(instance=attendance, acting_user=acting_user, data=data)
    return attendance


@transaction.atomic
def attendance_remove(*, acting_user, attendance: Attendance) -> None:
    minutes = attendance.meeting.minutes
    require(acting_user, EDIT_MEETINGS, obj=minutes.meeting.body)
    _refuse_locked(minutes)
    model_delete(instance=attendance, acting_user=acting_user)


# Adjusters -----------------------------------------------------------------------------------


@transaction.atomic
def adjuster_add(*, acting_user, minutes: Minutes, user, role: str = AdjusterRole.ADJUSTER) -> Adjuster:
    """Name the chair or an adjuster; they approve the minutes with their own login."""
    require(acting_user, EDIT_MEETINGS, obj=minutes.meeting.body)
    _refuse_locked(minutes)
    require_same_federation(acting_user, federation=_federation(minutes), user=user)
    if role not in AdjusterRole.values:
        raise ValidationError({"role": _("Okänd roll.")})
    if minutes.adjusters.filter(user=user).exists():
        raise ValidationError({"user": _("Personen justerar redan protokollet.")})
    if role == AdjusterRole.CHAIR and minutes.adjusters.filter(role=AdjusterRole.CHAIR).exists():
        raise ValidationError({"role": _("Protokollet har redan en ordförande som justerar.")})
    return model_create(model=Adjuster, acting_user=acting_user, minutes=minutes, user=user, role=role)


@transaction.atomic
def adjuster_remove(*, acting_user, adjuster: Adjuster) -> None:
    minutes = adjuster.minutes
    require(acting_user, EDIT_MEETINGS, obj=minutes.meeting.body)
    _refuse_locked(minutes)
    if adjuster.approved_at is not None:
        raise ValidationError(_("Justeraren har redan godkänt protokollet och kan inte tas bort."))
    model_delete(instance=adjuster, acting_user=acting_user)


# Paragraphs ----------------------------------------------------------------------------------


@transaction.atomic
def paragraph_counter_set(*, acting_user, body: Body, year: int, next_number: int) -> ParagraphCounter:
    """Let a body's numbering for a year start at `next_number` (LYST's October 2013 minutes
    start at 50). A number a paragraph already has is never reused: the next number must be
    above the highest one taken (it may go back over numbers that were only reserved)."""
    require(acting_user, EDIT_MEETINGS, obj=body)
    if next_number < 1:
        raise ValidationError({"next_number": _("Numret måste vara minst 1.")})
    counter, _created = ParagraphCounter.objects.get_or_create(body=body, year=year)
    counter = ParagraphCounter.objects.select_for_update().get(pk=counter.pk)
    used = Paragraph.objects.filter(body=body, year=year).aggregate(m=Max("number"))["m"] or 0
    if next_number <= used:
        raise ValidationError(
            {"next_number": _("Nästa nummer måste vara större än %(n)s, som redan är använt.") % {"n": used}}
        )
    model_update(instance=counter, acting_user=acting_user, data={"last": next_number - 1})
    return counter


def _next_number(body: Body, year: int) -> int:
    """Take the next number of the body's year: the counter row is locked until commit."""
    counter, _created = ParagraphCounter.objects.get_or_create(body=body, year=year)
    counter = ParagraphCounter.objects.select_for_update().get(pk=counter.pk)
    used = Paragraph.objects.filter(body=body, year=year).aggregate(m=Max("number"))["m"] or 0
    counter.last = max(counter.last, used) + 1
    counter.save(update_fields=["last"])
    return counter.last


def _check_case(acting_user, minutes: Minutes, case: Case | None) -> None:
    if case is not None:
        require_same_federation(acting_user, federation=_federation(minutes), case=case)


@transaction.atomic
def paragraph_add(
    *,
    acting_user,
    minutes: Minutes,
    title: str,
    case: Case | None = None,
    text: str = "",
    decision: str = "",
    dispatch_to: str = "",
    reservations: str = "",
    agenda_item=None,
) -> Paragraph:
    """Close a paragraph: it gets the next number of its body and year, for good."""
    require(acting_user, EDIT_MEETINGS, obj=minutes.meeting.body)
    _refuse_locked(minutes)
    _check_case(acting_user, minutes, case)
    if agenda_item is not None and agenda_item.meeting_id != minutes.meeting_id:
        raise ValidationError({"agenda_item": _("Punkten hör till ett annat sammanträde.")})
    if not title.strip():
        raise ValidationError({"title": _("Ange en rubrik.")})
    body = minutes.meeting.body
    year = minutes.meeting.date.year
    return model_create(
        model=Paragraph,
        acting_user=acting_user,
        minutes=minutes,
        body=body,
        year=year,
        number=_next_number(body, year),
        agenda_item=agenda_item,
        case=case,
        title=title.strip(),
        text=text,
        decision=decision,
        dispatch_to=_lines(dispatch_to),
        reservations=reservations,
    )


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


@transaction.atomic
def paragraph_update(*, acting_user, paragraph: Paragraph, data: dict[str, Any]) -> Paragraph:
    """Edit a paragraph of unadjusted minutes; its number never changes."""
    require(acting_user, EDIT_MEETINGS, obj=paragraph.body)
    _refuse_locked(paragraph.minutes)
    unknown = set(data) - set(PARAGRAPH_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_case(acting_user, paragraph.minutes, data.get("case"))
    if "dispatch_to" in data:
        data = {**data, "dispatch_to": _lines(data["dispatch_to"])}
    model_update(instance=paragraph, acting_user=acting_user, data=data)
    return paragraph


# Adjustment ----------------------------------------------------------------------------------


@transaction.atomic
def minutes_approve(
    *,
    acting_user,
    minutes: Minutes,
    posted_on: date | None = None,
    taken_down_on: date | None = None,
    adjuster=None,
    at: datetime | None = None,
) -> Adjuster:
    """The acting user's own approval as chair or adjuster (recorded and audited). When the last
    one approves, the minutes lock, the meeting is adjusted and the notice is posted: on
    `posted_on` (default today) until `taken_down_on` (default and minimum: the end of the
    three-week appeal period, domain/notice_period.py).

    Minutes adjusted on paper long ago (the demo's 2013 meeting, an import of old minutes) are
    recorded by the system actor: `adjuster` is the person whose approval it is and `at` when
    it was given, which also becomes the lock time and the default notice date. A person may
    pass neither, so nobody can backdate their own approval; the audit row is the system's."""
    require(acting_user, ADJUST_MINUTES, obj=minutes.meeting.body)
    historic = adjuster is not None or at is not None
    if historic and not getattr(acting_user, "is_system", False):
        raise PermissionDenied(_("Bara systemet kan registrera en justering i efterhand."))
    if historic and (adjuster is None or at is None):
        raise ValidationError(_("Ange både justeraren och tidpunkten för en justering i efterhand."))
    if at is not None and at > timezone.now():
        raise ValidationError(_("Justeringen kan inte registreras med en tid i framtiden."))
    minutes = Minutes.objects.select_for_update().select_related("meeting", "meeting__body").get(pk=minutes.pk)
    _refuse_locked(minutes)
    if at is not None and timezone.localdate(at) < minutes.meeting.date:
        raise ValidationError(_("Protokollet kan inte justeras före sammanträdet."))
    mine = minutes.adjusters.filter(user=adjuster or acting_user).first()
    if mine is None:
        raise ValidationError(_("Bara ordföranden och de utsedda justerarna kan justera protokollet."))
    if mine.approved_at is not None:
        raise ValidationError(_("Du har redan justerat protokollet."))
    if not minutes.paragraphs.exists():
        raise ValidationError(_("Protokollet har inga paragrafer."))
    now = at or timezone.now()
    before = snapshot(mine)
    mine.approved_at = now
    mine.save(update_fields=["approved_at"])
    audit_record(actor=acting_user, action="approve", instance=mine, before=before, after=snapshot(mine))
    if minutes.adjusters.filter(approved_at__isnull=True).exists():
        return mine
    _lock(acting_user, minutes, now, posted_on, taken_down_on)
    return mine


def _lock(acting_user, minutes: Minutes, now, posted_on: date | None, taken_down_on: date | None) -> None:
    if not minutes.kept_at.strip():
        raise ValidationError(_("Ange förvaringsplats för protokollet innan det justeras."))
    posted_on = posted_on or timezone.localdate(now)
    if posted_on < minutes.meeting.date:
        raise ValidationError({"posted_on": _("Anslaget kan inte sättas upp före sammanträdet.")})
    taken_down_on = _checked_take_down(posted_on, taken_down_on or earliest_take_down(posted_on))
    model_update(instance=minutes, acting_user=acting_user, data={"locked_at": now})
    model_update(instance=minutes.meeting, acting_user=acting_user, data={"status": MeetingStatus.ADJUSTED})
    model_create(
        model=NoticePosting,
        acting_user=acting_user,
        minutes=minutes,
        posted_on=posted_on,
        taken_down_on=taken_down_on,
        kept_at=minutes.kept_at,
    )


def _checked_take_down(posted_on: date, taken_down_on: date) -> date:
    try:
        return check_take_down(posted_on, taken_down_on)
    except NoticePeriodError as exc:
        raise ValidationError({"taken_down_on": str(exc)}) from exc


@transaction.atomic
def notice_extend(*, acting_user, posting: NoticePosting, taken_down_on: date) -> NoticePosting:
    """Move a notice's take-down date; never before the end of the appeal period."""
    require(acting_user, EDIT_MEETINGS, obj=posting.minutes.meeting.body)
    _checked_take_down(posting.posted_on, taken_down_on)
    model_update(instance=posting, acting_user=acting_user, data={"taken_down_on": taken_down_on})
    return posting


# Decision links ------------------------------------------------------------------------------


def decision_target_federation_id(target: Any) -> int | None:
    label = f"{target._meta.app_label}.{target._meta.model_name}"
    path = DECISION_TARGETS.get(label)
    if path is None:
        raise ValidationError({"target": _("Ett beslut kan inte kopplas till den sortens objekt.")})
    if path == "federation":
        return federation_id_of(target)
    return type(target).objects.filter(pk=target.pk).values_list(f"{path}_id", flat=True).first()


@transaction.atomic
def decision_link_add(*, acting_user, paragraph: Paragraph, target: Any, description: str = "") -> DecisionLink:
    """Record what a paragraph decided in Samverkan (shown on both sides). Allowed after the
    minutes are adjusted: the link records an effect, it does not change the minutes."""
    require(acting_user, EDIT_MEETINGS, obj=paragraph.body)
    if decision_target_federation_id(target) != paragraph.body.federation_id:
        raise ValidationError({"target": _("Hör till ett annat förbund.")})
    require_same_federation(acting_user, federation=paragraph.body.federation)
    content_type = ContentType.objects.get_for_model(type(target))
    if DecisionLink.objects.filter(paragraph=paragraph, content_type=content_type, object_id=target.pk).exists():
        raise ValidationError({"target": _("Paragrafen är redan kopplad till detta.")})
    return model_create(
        model=DecisionLink,
        acting_user=acting_user,
        paragraph=paragraph,
        content_type=content_type,
        object_id=target.pk,
        description=description,
    )


@transaction.atomic
def decision_link_remove(*, acting_user, link: DecisionLink) -> None:
    require(acting_user, EDIT_MEETINGS, obj=link.paragraph.body)
    model_delete(instance=link, acting_user=acting_user)
