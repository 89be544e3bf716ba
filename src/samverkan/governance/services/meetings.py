"""Writes for meetings: the meeting plan, the agenda (föredragningslista) and the notice (kallelse).

A new meeting gets the fixed opening items of seeds 001/003/004 (election of adjusters, approval
of the agenda, extra items) so the secretary only adds the cases. Once the minutes are adjusted
the agenda is history: every agenda change is refused from then on. The notice is mailed after
the transaction commits (never for a rollback), one message per seat holder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require, require_same_federation
from samverkan.governance.models import (
    AgendaItem,
    AgendaItemKind,
    Body,
    Case,
    CaseDocument,
    Meeting,
    MeetingStatus,
)
from samverkan.governance.policies import EDIT_MEETINGS
from samverkan.governance.selectors import meetings as selectors

OPENING_ITEMS = (AgendaItemKind.ADJUSTERS, AgendaItemKind.APPROVE_AGENDA, AgendaItemKind.EXTRA_ITEMS)
MEETING_FIELDS = ("date", "start_time", "end_time", "place", "topics", "status")
ITEM_FIELDS = ("kind", "title", "case", "proposal", "presenter", "dispatch_to", "extra")
# statuses a secretary may set by hand; the notice and the minutes set the others
MANUAL_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.CANCELLED)


def _audit(acting_user, action: str, instance, *, federation, before=None, after=None) -> None:
    audit_record(actor=acting_user, action=action, instance=instance, federation=federation, before=before, after=after)


def _check_times(start_time: time | None, end_time: time | None) -> None:
    if end_time and not start_time:
        raise ValidationError({"start_time": _("Ange när sammanträdet börjar om du anger när det slutar.")})
    if start_time and end_time and end_time <= start_time:
        raise ValidationError({"end_time": _("Sluttiden måste vara efter starttiden.")})


def _check_open(meeting: Meeting) -> None:
    """Adjusted minutes freeze the meeting and its agenda (a correction is a later paragraph)."""
    if meeting.status == MeetingStatus.ADJUSTED or selectors.minutes_locked(meeting):
        raise ValidationError(_("Protokollet är justerat; sammanträdet och dess föredragningslista kan inte ändras."))


@transaction.atomic
def meeting_create(
    *,
    acting_user,
    body: Body,
    date: date,
    start_time: time | None = None,
    end_time: time | None = None,
    place: str = "",
    topics: str = "",
) -> Meeting:
    require(acting_user, EDIT_MEETINGS, obj=body)
    _check_times(start_time, end_time)
    meeting = Meeting(
        body=body, date=date, start_time=start_time, end_time=end_time, place=place.strip(), topics=topics.strip()
    )
    meeting.full_clean()
    meeting.save()
    _audit(acting_user, "create", meeting, federation=body.federation, after=snapshot(meeting))
    for position, kind in enumerate(OPENING_ITEMS, start=1):
        item = AgendaItem.objects.create(meeting=meeting, position=position, kind=kind, title=kind.label)
        _audit(acting_user, "create", item, federation=body.federation, after=snapshot(item))
    return meeting


@transaction.atomic
def meeting_update(*, acting_user, meeting: Meeting, data: dict) -> Meeting:
    require(acting_user, EDIT_MEETINGS, obj=meeting.body)
    meeting = Meeting.objects.select_for_update().select_related("body__federation").get(pk=meeting.pk)
    _check_open(meeting)
    unknown = set(data) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    status = data.get("status", meeting.status)
    if status != meeting.status and status not in MANUAL_STATUSES:
        raise ValidationError({"status": _("Den statusen sätts av kallelsen eller justeringen, inte för hand.")})
    before = snapshot(meeting)
    for name, value in data.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) and name != "status" else value)
    _check_times(meeting.start_time, meeting.end_time)
    meeting.full_clean()
    meeting.save()
    _audit(acting_user, "update", meeting, federation=meeting.body.federation, before=before, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_delete(*, acting_user, meeting: Meeting) -> None:
    """Only a meeting without minutes is deleted (with its agenda); otherwise cancel it."""
    require(acting_user, EDIT_MEETINGS, obj=meeting.body)
    if selectors.minutes_exist(meeting):
        raise ValidationError(_("Sammanträdet har ett protokoll och kan inte tas bort; ställ in det i stället."))
    federation = meeting.body.federation
    for item in meeting.agenda_items.all():
        _audit(acting_user, "delete", item, federation=federation, before=snapshot(item))
    _audit(acting_user, "delete", meeting, federation=federation, before=snapshot(meeting))
    meeting.delete()


# ---- agenda ---------------------------------------------------------------------------------


def _check_item(acting_user, meeting: Meeting, kind: str, case: Case | None, documents) -> None:
    require_same_federation(
        acting_user, federation=meeting.body.federation, case=case, documents=[doc.case for doc in documents]
    )
    if kind == AgendaItemKind.CASE and case is None:
        raise ValidationError({"case": _("Välj ärendet ur diariet.")})
    stray = [doc for doc in documents if case is None or doc.case_id != case.pk]
    if stray:
        raise ValidationError({"documents": _("Handlingarna måste höra till punktens ärende.")})


def _lock_agenda(meeting: Meeting) -> Meeting:
    """Lock the meeting row: positions are taken and shifted one writer at a time."""
    return Meeting.objects.select_for_update().select_related("body__federation").get(pk=meeting.pk)


def _renumber(meeting: Meeting, ordered_ids: list[int]) -> None:
    """Give the items positions 1…n in this order without tripping the unique position
    constraint (first out of the way, then into place)."""
    items = meeting.agenda_items
    top = (items.aggregate(top=Max("position"))["top"] or 0) + 1
    for offset, pk in enumerate(ordered_ids):
        items.filter(pk=pk).update(position=top + offset)
    for position, pk in enumerate(ordered_ids, start=1):
        items.filter(pk=pk).update(position=position)


@transaction.atomic
def agenda_item_add(
    *,
    acting_user,
    meeting: Meeting,
    kind: str = AgendaItemKind.CASE,
    title: str = "",
    case: Case | None = None,
    proposal: str = "",
    presenter: str = "",
    dispatch_to: str = "",
    documents: list[CaseDocument] | tuple = (),
    extra: bool | None = None,
    position: int | None = None,
) -> AgendaItem:
    """Add an item at the end (or at `position`, moving later items down). An item added after
    the notice went out is an extra item unless told otherwise."""
    require(acting_user, EDIT_MEETINGS, obj=meeting.body)
    meeting = _lock_agenda(meeting)
    _check_open(meeting)
    documents = list(documents)
    _check_item(acting_user, meeting, kind, case, documents)
    title = title.strip() or (case.title if case else "")
    if not title:
        raise ValidationError({"title": _("Ange en rubrik.")})
    if extra is None:
        extra = meeting.notice_sent_at is not None
    ids = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    top = (meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        position=top + len(ids) + 1,
        kind=kind,
        title=title,
        case=case,
        proposal=proposal.strip(),
        presenter=presenter.strip(),
        dispatch_to=dispatch_to.strip(),
        extra=extra,
    )
    item.full_clean(exclude=["position"])
    item.save()
    item.documents.set(documents)
    at = len(ids) if position is None else min(max(position, 1), len(ids) + 1) - 1
    ids.insert(at, item.pk)
    _renumber(meeting, ids)
    item.refresh_from_db()
    after = snapshot(item) | {"documents": [doc.pk for doc in documents]}
    _audit(acting_user, "create", item, federation=meeting.body.federation, after=after)
    return item


@transaction.atomic
def agenda_item_update(*, acting_user, item: AgendaItem, data: dict) -> AgendaItem:
    """Change an item's fields (ITEM_FIELDS) and, with key "documents", its documents."""
    require(acting_user, EDIT_MEETINGS, obj=item.meeting.body)
    meeting = _lock_agenda(item.meeting)
    _check_open(meeting)
    unknown = set(data) - {*ITEM_FIELDS, "documents"}
    if unknown:
        raise ValidationError(_("Okända fält: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    item = AgendaItem.objects.get(pk=item.pk)
    before = snapshot(item) | {"documents": sorted(item.documents.values_list("pk", flat=True))}
    for name in ITEM_FIELDS:
        if name in data:
            value = data[name]
            setattr(item, name, value.strip() if isinstance(value, str) and name != "kind" else value)
    documents = list(data["documents"]) if "documents" in data else list(item.documents.all())
    if "case" in data and "documents" not in data:
        documents = [doc for doc in documents if item.case is not None and doc.case_id == item.case.pk]
    _check_item(acting_user, meeting, item.kind, item.case, documents)
    if not item.title and item.case is not None:
        item.title = item.case.title
    item.full_clean()
    item.save()
    item.documents.set(documents)
    after = snapshot(item) | {"documents": sorted(doc.pk for doc in documents)}
    _audit(acting_user, "update", item, federation=meeting.body.federation, before=before, after=after)
    return item


@transaction.atomic
def agenda_item_delete(*, acting_user, item: AgendaItem) -> None:
    require(acting_user, EDIT_MEETINGS, obj=item.meeting.body)
    meeting = _lock_agenda(item.meeting)
    _check_open(meeting)
    if selectors.minutes_exist(meeting) and item.pk in _paragraph_item_ids(meeting):
        raise ValidationError(_("Punkten har en paragraf i protokollet och kan inte tas bort."))
    _audit(acting_user, "delete", item, federation=meeting.body.federation, before=snapshot(item))
    item.delete()
    _renumber(meeting, list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)))


def _paragraph_item_ids(meeting: Meeting) -> set[int]:
    return set(meeting.minutes.paragraphs.exclude(agenda_item=None).values_list("agenda_item_id", flat=True))


@transaction.atomic
def agenda_reorder(*, acting_user, meeting: Meeting, order: list[int]) -> list[AgendaItem]:
    """Put the agenda in the given order: `order` lists every item id of the meeting once."""
    require(acting_user, EDIT_MEETINGS, obj=meeting.body)
    meeting = _lock_agenda(meeting)
    _check_open(meeting)
    current = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    if len(order) != len(set(order)) or set(order) != set(current):
        raise ValidationError({"order": _("Ange varje punkt på föredragningslistan exakt en gång.")})
    before = {"order": current}
    _renumber(meeting, list(order))
    audit_record(
        actor=acting_user,
        action="reorder_agenda",
        instance=meeting,
        federation=meeting.body.federation,
        before=before,
        after={"order": list(order)},
    )
    return list(meeting.agenda_items.order_by("position"))


def agenda_item_move(*, acting_user, item: AgendaItem, step: int) -> list[AgendaItem]:
    """Move an item one place up (step -1) or down (+1); at either end nothing changes."""
    ids = list(item.meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    at = ids.index(item.pk)
    to = min(max(at + step, 0), len(ids) - 1)
    ids.insert(to, ids.pop(at))
    return agenda_reorder(acting_user=acting_user, meeting=item.meeting, order=ids)


# ---- notice ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeResult:
    """Who the notice goes to (sent after commit) and who got none for want of an address."""

    meeting_id: int
    sent_at: object
    members: list[str] = field(default_factory=list)  # "Name <address>"
    for_information: list[str] = field(default_factory=list)
    without_email: list[str] = field(default_factory=list)
    resent: bool = False

    def as_dict(self) -> dict:
        return {
            "meeting": self.meeting_id,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "members": self.members,
            "for_information": self.for_information,
            "without_email": self.without_email,
            "resent": self.resent,
        }


@transaction.atomic
def notice_send(*, acting_user, meeting: Meeting, note: str = "", base_url: str = "") -> NoticeResult:
    """Send the notice with the agenda to the body's members and, for information, its
    substitutes. Sending again needs a note (why: a changed agenda, a new document …), which
    the audit trail and the new message carry. `base_url` makes the links absolute."""
    require(acting_user, EDIT_MEETINGS, obj=meeting.body)
    meeting = _lock_agenda(meeting)
    _check_open(meeting)
    note = note.strip()
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Sammanträdet är inställt; ingen kallelse skickas."))
    resent = meeting.notice_sent_at is not None
    if resent and not note:
        raise ValidationError({"note": _("Kallelsen är redan skickad. Skriv varför den skickas igen.")})
    recipients = selectors.notice_recipients(meeting)
    with_address = [r for r in recipients if r.email]
    if not with_address:
        raise ValidationError(
            _("Ingen ledamot eller ersättare i organet har en e-postadress; kallelsen kan inte skickas.")
        )
    before = snapshot(meeting)
    meeting.notice_sent_at = timezone.now()
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.NOTICE_SENT
    meeting.save(update_fields=["notice_sent_at", "status"])
    result = NoticeResult(
        meeting_id=meeting.pk,
        sent_at=meeting.notice_sent_at,
        members=[f"{r.name} <{r.email}>" for r in with_address if not r.for_information],
        for_information=[f"{r.name} <{r.email}>" for r in with_address if r.for_information],
        without_email=[r.name for r in recipients if not r.email],
        resent=resent,
    )
    audit_record(
        actor=acting_user,
        action="notice_resend" if resent else "notice_send",
        instance=meeting,
        federation=meeting.body.federation,
        before=before,
        after=snapshot(meeting) | {"notice": result.as_dict(), "note": note},
    )
    meeting_id = meeting.pk
    secretary = acting_user.get_full_name() or acting_user.get_username()
    # Rendering the PDF and talking to the mail server happen in a worker, once the notice is committed.
    transaction.on_commit(
        lambda: notice_mail_task.enqueue(meeting_id, note=note, base_url=base_url, secretary=secretary)
    )
    return result


@task()
def notice_mail_task(meeting_id: int, *, note: str = "", base_url: str = "", secretary: str = "") -> int:
    """The background task that sends a meeting's notice (``send_notice_mail``)."""
    return send_notice_mail(meeting_id, note=note, base_url=base_url, secretary=secretary)


def send_notice_mail(meeting_id: int, *, note: str = "", base_url: str = "", secretary: str = "") -> int:
    """One message per recipient (no shared To: list) with the agenda in the text and as PDF.
    Secrecy-marked documents are named as such, never linked. Returns how many were sent."""
    from samverkan.governance.exporters import agenda_pdf

    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    items = selectors.agenda_items(meeting)
    pdf = agenda_pdf.render_agenda(meeting, items, notice=True, secretary=secretary)
    detail_url = base_url.rstrip("/") + reverse("governance:meeting_detail", kwargs={"pk": meeting.pk})
    documents_base = base_url.rstrip("/")
    sent = 0
    for recipient in selectors.notice_recipients(meeting):
        if not recipient.email:
            continue
        context = {
            "meeting": meeting,
            "items": items,
            "recipient": recipient,
            "note": note,
            "detail_url": detail_url,
            "base_url": documents_base,
        }
        subject = render_to_string("governance/mail/notice_subject.txt", context).strip()
        body = render_to_string("governance/mail/notice.txt", context)
        message = EmailMessage(subject, body, to=[recipient.email])
        message.attach(f"kallelse-{meeting.date:%Y-%m-%d}.pdf", pdf, "application/pdf")
        sent += message.send()
    return sent
