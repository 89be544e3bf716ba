"""Every write in the portal: one transaction each, validated, audited; mail on commit.

Callers fetch tickets through ``selectors.ticket_get`` (scoped), so a service only has to
check what the *role* may do with a ticket it can already see.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.models import User
from samverkan.core.roles import MEMBER_CONTACT, ORDERER
from samverkan.domain.priority import priority_for
from samverkan.domain.sla import SlaStatus
from samverkan.members.models import Department, Member
from samverkan.portal import notifications
from samverkan.portal.models import (
    OPEN_STATUSES,
    Attachment,
    Category,
    Channel,
    Comment,
    Follower,
    PauseReason,
    SavedView,
    StandardText,
    Status,
    SurveyResponse,
    Team,
    Ticket,
    TicketLink,
    TicketPause,
    TicketType,
    TimeEntry,
)
from samverkan.portal.selectors import is_desk, tickets_for
from samverkan.portal.sla import SlaContext

# Which status may follow which; reopening (resolved/closed → in progress) is ticket_reopen.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.ASSIGNED: {
        Status.NEW,
        Status.IN_PROGRESS,
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVED,
    },
    Status.IN_PROGRESS: {Status.ASSIGNED, Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY, Status.RESOLVED},
    Status.WAITING_REQUESTER: {Status.IN_PROGRESS, Status.WAITING_THIRD_PARTY, Status.RESOLVED},
    Status.WAITING_THIRD_PARTY: {Status.IN_PROGRESS, Status.WAITING_REQUESTER, Status.RESOLVED},
    Status.RESOLVED: {Status.CLOSED},
    Status.CLOSED: set(),
}

ALLOWED_UPLOADS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".eml": "message/rfc822",
}
# Files whose content must start with these bytes (a renamed .exe is refused).
MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8",),
    ".jpeg": (b"\xff\xd8",),
    ".gif": (b"GIF8",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".odt": (b"PK",),
    ".ods": (b"PK",),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "PORTAL_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def _require_desk(user) -> None:
    if not is_desk(user):
        raise PermissionDenied(_("Endast handläggare får göra detta."))


def _on_commit_mail(ticket: Ticket, *, event: str, comment: Comment | None = None, actor=None) -> None:
    ticket_id, comment_id = ticket.pk, comment.pk if comment else None
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(
        lambda: notifications.send_ticket_mail(ticket_id, event=event, comment_id=comment_id, exclude_user_id=actor_id)
    )


def refresh_sla(ticket: Ticket, *, now: datetime | None = None) -> None:
    """Recompute the stored due times and breach flags from the pauses (no save)."""
    state = SlaContext().state(ticket, now or timezone.now())
    ticket.response_due_at = state.response.due_at
    ticket.resolution_due_at = state.resolution.due_at
    ticket.response_breached = None if state.response.running else state.response.status == SlaStatus.BREACHED
    ticket.resolution_breached = None if state.resolution.running else state.resolution.status == SlaStatus.BREACHED


def _follow(ticket: Ticket, user) -> None:
    if user is not None and user.is_authenticated:
        Follower.objects.get_or_create(ticket=ticket, user=user)


# ---- tickets -------------------------------------------------------------------------------


@transaction.atomic
def ticket_create(
    *,
    acting_user,
    member: Member,
    team: Team,
    title: str,
    description: str = "",
    department: Department | None = None,
    channel: str = Channel.PORTAL,
    type: str = TicketType.INCIDENT,
    category: Category | None = None,
    impact: int = 3,
    urgency: int = 2,
    requester: User | None = None,
    requester_name: str = "",
    requester_email: str = "",
    order_reference: str = "",
    created_at: datetime | None = None,
) -> Ticket:
    federation = member.federation
    if acting_user.is_superuser:
        pass
    elif acting_user.federation_id != federation.pk:
        raise PermissionDenied(_("Medlemmen tillhör inte ditt förbund."))
    elif acting_user.role == ORDERER:
        if department is None or department.pk != acting_user.department_id:
            raise PermissionDenied(_("En beställare kan bara anmäla ärenden för sin egen förvaltning."))
        requester = acting_user
    elif acting_user.role == MEMBER_CONTACT:
        if member.pk != acting_user.member_id:
            raise PermissionDenied(_("Du kan bara anmäla ärenden för din egen kommun."))
        requester = requester or acting_user
    elif not is_desk(acting_user):
        raise PermissionDenied(_("Din roll får inte skapa ärenden."))
    if department is not None and department.member_id != member.pk:
        raise ValidationError(_("Förvaltningen hör inte till medlemmen."))
    if team.federation_id != federation.pk:
        raise ValidationError(_("Teamet hör inte till förbundet."))
    if category is not None and category.team_id != team.pk:
        raise ValidationError(_("Kategorin hör inte till teamet."))
    if not title.strip():
        raise ValidationError(_("Ange en rubrik."))
    if order_reference:
        _check_order(federation, member, order_reference)
    try:
        priority = priority_for(impact, urgency)
    except ValueError as exc:
        raise ValidationError(_("Påverkan och brådska ska vara 1–3.")) from exc
    now = created_at or timezone.now()
    ticket = Ticket(
        federation=federation,
        member=member,
        department=department,
        team=team,
        category=category,
        title=title.strip(),
        description=description,
        channel=channel,
        type=type,
        impact=impact,
        urgency=urgency,
        priority=priority,
        requester=requester,
        order_reference=order_reference,
        requester_name=requester_name or (requester.get_full_name() or requester.username if requester else ""),
        requester_email=requester_email or (requester.email if requester else ""),
        created_at=now,
        updated_at=now,
    )
    ticket.full_clean(exclude=["federation", "member", "department", "team", "category", "requester"])
    refresh_sla(ticket, now=now)
    ticket.save()
    _follow(ticket, requester)
    audit_record(actor=acting_user, action="create", instance=ticket, after=snapshot(ticket), federation=federation)
    _on_commit_mail(ticket, event="created")
    return ticket


def _check_order(federation, member, number: str) -> None:
    """An order ticket points at a catalogue order of the same member (when the catalogue is installed)."""
    try:
        from samverkan.catalogue.models import Order
    except ImportError:  # the catalogue module is optional
        return
    if not Order.objects.filter(federation=federation, member=member, number=number).exists():
        raise ValidationError(_("Beställningen %(nr)s finns inte för medlemmen.") % {"nr": number})


def _set_status(ticket: Ticket, status: str, now: datetime) -> None:
    """Apply the side effects of entering ``status``: pauses, timestamps, breach flags."""
    for pause in ticket.pauses.filter(ended_at__isnull=True):
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
    if status == Status.WAITING_REQUESTER:
        TicketPause.objects.create(ticket=ticket, reason=PauseReason.WAITING_REQUESTER, started_at=now)
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        ticket.first_response_at = ticket.first_response_at or now
        TicketPause.objects.create(ticket=ticket, reason=PauseReason.RESOLVED, started_at=now)
    if status == Status.CLOSED:
        ticket.closed_at = now
    ticket.status = status
    ticket.updated_at = now
    refresh_sla(ticket, now=now)


@transaction.atomic
def ticket_change_status(*, acting_user, ticket: Ticket, status: str, now: datetime | None = None) -> Ticket:
    _require_desk(acting_user)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if status == ticket.status:
        return ticket
    if status not in TRANSITIONS.get(ticket.status, set()):
        raise ValidationError(
            _("Ett ärende med status %(old)s kan inte få status %(new)s.")
            % {"old": ticket.get_status_display(), "new": Status(status).label}
        )
    if status == Status.ASSIGNED and ticket.assignee_id is None:
        raise ValidationError(_("Tilldela en handläggare först."))
    before = snapshot(ticket)
    _set_status(ticket, status, now or timezone.now())
    ticket.save()
    audit_record(actor=acting_user, action="status", instance=ticket, before=before, after=snapshot(ticket))
    _on_commit_mail(ticket, event="survey" if status == Status.RESOLVED else "status", actor=acting_user)
    return ticket


@transaction.atomic
def ticket_reopen(*, acting_user, ticket: Ticket, reason: str, now: datetime | None = None) -> Ticket:
    """Requesters and agents may reopen a resolved or closed ticket; the reason becomes a comment."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in (Status.RESOLVED, Status.CLOSED) or ticket.merged_into_id:
        raise ValidationError(_("Bara lösta eller stängda ärenden kan öppnas igen."))
    if not reason.strip():
        raise ValidationError(_("Ange varför ärendet öppnas igen."))
    now = now or timezone.now()
    before = snapshot(ticket)
    ticket.resolved_at = None
    ticket.closed_at = None
    ticket.reopen_count += 1
    _set_status(ticket, Status.IN_PROGRESS if ticket.assignee_id else Status.NEW, now)
    ticket.save()
    comment = Comment.objects.create(
        ticket=ticket,
        author=acting_user,
        author_name=_display(acting_user),
        body=_("Återöppnat: %(reason)s") % {"reason": reason.strip()},
        created_at=now,
    )
    audit_record(actor=acting_user, action="reopen", instance=ticket, before=before, after=snapshot(ticket))
    _on_commit_mail(ticket, event="comment", comment=comment, actor=acting_user)
    return ticket


@transaction.atomic
def ticket_assign(*, acting_user, ticket: Ticket, assignee: User | None = None, team: Team | None = None) -> Ticket:
    _require_desk(acting_user)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if assignee is not None and (assignee.federation_id != ticket.federation_id or not is_desk(assignee)):
        raise ValidationError(_("Handläggaren måste vara handläggare i samma förbund."))
    if team is not None and team.federation_id != ticket.federation_id:
        raise ValidationError(_("Teamet hör inte till förbundet."))
    before = snapshot(ticket)
    ticket.assignee = assignee
    if team is not None and team.pk != ticket.team_id:
        ticket.team = team
        ticket.category = None
    now = timezone.now()
    if assignee is not None and ticket.status == Status.NEW:
        _set_status(ticket, Status.ASSIGNED, now)
    elif assignee is None and ticket.status == Status.ASSIGNED:
        _set_status(ticket, Status.NEW, now)
    else:
        ticket.updated_at = now
        refresh_sla(ticket, now=now)
    ticket.save()
    _follow(ticket, assignee)
    audit_record(actor=acting_user, action="assign", instance=ticket, before=before, after=snapshot(ticket))
    return ticket


@transaction.atomic
def ticket_classify(
    *, acting_user, ticket: Ticket, impact: int, urgency: int, type: str | None = None, category: Category | None = None
) -> Ticket:
    """Change impact/urgency (hence priority and SLA targets), type and category."""
    _require_desk(acting_user)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if category is not None and category.team_id != ticket.team_id:
        raise ValidationError(_("Kategorin hör inte till teamet."))
    try:
        priority = priority_for(impact, urgency)
    except ValueError as exc:
        raise ValidationError(_("Påverkan och brådska ska vara 1–3.")) from exc
    before = snapshot(ticket)
    ticket.impact, ticket.urgency, ticket.priority = impact, urgency, priority
    if type:
        ticket.type = type
    ticket.category = category
    ticket.updated_at = timezone.now()
    refresh_sla(ticket)
    ticket.save()
    audit_record(actor=acting_user, action="classify", instance=ticket, before=before, after=snapshot(ticket))
    return ticket


@transaction.atomic
def ticket_merge(*, acting_user, source: Ticket, target: Ticket) -> Ticket:
    """Close ``source`` as a duplicate of ``target``; its followers and comments stay visible there."""
    _require_desk(acting_user)
    if source.pk == target.pk:
        raise ValidationError(_("Ett ärende kan inte slås samman med sig självt."))
    if source.federation_id != target.federation_id:
        raise ValidationError(_("Ärendena tillhör olika förbund."))
    if target.merged_into_id:
        raise ValidationError(_("Målärendet är självt sammanslaget."))
    source = Ticket.objects.select_for_update().get(pk=source.pk)
    if not source.is_open:
        raise ValidationError(_("Bara öppna ärenden kan slås samman."))
    before = snapshot(source)
    now = timezone.now()
    source.merged_into = target
    _set_status(source, Status.CLOSED, now)
    source.save()
    for follower in source.followers.all():
        Follower.objects.get_or_create(ticket=target, user=follower.user)
    Comment.objects.create(
        ticket=source,
        author=acting_user,
        author_name=_display(acting_user),
        via=Comment.Via.SYSTEM,
        body=_("Sammanslaget med ärende %(ref)s.") % {"ref": target.reference},
        created_at=now,
    )
    Comment.objects.create(
        ticket=target,
        author=acting_user,
        author_name=_display(acting_user),
        via=Comment.Via.SYSTEM,
        body=_("Ärende %(ref)s (%(title)s) har slagits samman hit.") % {"ref": source.reference, "title": source.title},
        created_at=now,
    )
    audit_record(actor=acting_user, action="merge", instance=source, before=before, after=snapshot(source))
    return target


@transaction.atomic
def ticket_link(*, acting_user, ticket: Ticket, other: Ticket) -> TicketLink:
    _require_desk(acting_user)
    if ticket.pk == other.pk or ticket.federation_id != other.federation_id:
        raise ValidationError(_("Välj ett annat ärende i samma förbund."))
    low, high = sorted((ticket, other), key=lambda t: t.pk)
    link, _created = TicketLink.objects.get_or_create(from_ticket=low, to_ticket=high)
    return link


# ---- comments, attachments, followers --------------------------------------------------------


def _display(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_full_name() or user.username


@transaction.atomic
def comment_add(
    *,
    acting_user,
    ticket: Ticket,
    body: str,
    internal: bool = False,
    via: str = Comment.Via.WEB,
    files: tuple = (),
    now: datetime | None = None,
) -> Comment:
    """A public comment is mailed to followers; an internal note (agents only) never is.

    A requester's reply to a ticket waiting for them puts it back in progress, which also
    restarts the resolution clock.
    """
    if internal:
        _require_desk(acting_user)
    if not body.strip():
        raise ValidationError(_("Skriv en kommentar."))
    if not ticket.is_open and not internal and not is_desk(acting_user):
        raise ValidationError(_("Ärendet är avslutat. Öppna det igen för att kommentera."))
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    comment = Comment.objects.create(
        ticket=ticket,
        author=acting_user,
        author_name=_display(acting_user),
        body=body.strip(),
        internal=internal,
        via=via,
        created_at=now,
    )
    for upload in files:
        attachment_add(acting_user=acting_user, ticket=ticket, upload=upload, internal=internal, comment=comment)
    if not internal:
        if is_desk(acting_user) and ticket.first_response_at is None:
            ticket.first_response_at = now
        if not is_desk(acting_user) and ticket.status == Status.WAITING_REQUESTER:
            _set_status(ticket, Status.IN_PROGRESS, now)
        ticket.updated_at = now
        refresh_sla(ticket, now=now)
        ticket.save()
        _follow(ticket, acting_user)
        _on_commit_mail(ticket, event="comment", comment=comment, actor=acting_user)
    return comment


def _check_upload(name: str, data: bytes) -> tuple[str, str]:
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError(_("Filtypen %(ext)s är inte tillåten.") % {"ext": ext or "?"})
    if len(data) > max_upload_bytes():
        raise ValidationError(_("Filen är större än %(mb)s MB.") % {"mb": max_upload_bytes() // (1024 * 1024)})
    if not data:
        raise ValidationError(_("Filen är tom."))
    if ext in MAGIC and not data.startswith(MAGIC[ext]):
        raise ValidationError(_("Filens innehåll stämmer inte med filtypen."))
    return ext, ALLOWED_UPLOADS[ext]


@transaction.atomic
def attachment_add(
    *, acting_user, ticket: Ticket, upload, internal: bool = False, comment: Comment | None = None
) -> Attachment:
    """Store under ``portal/<yyyy>/<mm>/<uuid>`` — never the uploader's name or extension — outside
    MEDIA_ROOT, so nothing uploaded can be executed or served without the access check."""
    if internal:
        _require_desk(acting_user)
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if hasattr(upload, "size") and upload.size > max_upload_bytes():
        raise ValidationError(_("Filen är större än %(mb)s MB.") % {"mb": max_upload_bytes() // (1024 * 1024)})
    data = upload.read()
    _ext, content_type = _check_upload(name, data)
    now = timezone.now()
    stored = ContentFile(data, name=f"portal/{now:%Y/%m}/{uuid.uuid4().hex}")
    return Attachment.objects.create(
        ticket=ticket,
        comment=comment,
        file=stored,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        internal=internal,
        uploaded_by=acting_user,
        uploaded_at=now,
    )


@transaction.atomic
def follower_set(*, acting_user, ticket: Ticket, user: User, follow: bool) -> None:
    """Follow or unfollow; only people who can see the ticket may follow it.

    Anyone who sees the ticket may add a colleague who also sees it (the requester adds a
    colleague at the department or the member contact); only agents remove others.
    """
    if user.pk != acting_user.pk and not follow:
        _require_desk(acting_user)
    if not tickets_for(acting_user).filter(pk=ticket.pk).exists():
        raise PermissionDenied(_("Du får inte se ärendet."))
    if follow:
        if not tickets_for(user).filter(pk=ticket.pk).exists():
            raise ValidationError(_("Personen får inte se ärendet."))
        Follower.objects.get_or_create(ticket=ticket, user=user)
    else:
        Follower.objects.filter(ticket=ticket, user=user).delete()


# ---- time, surveys, standard texts, saved views -------------------------------------------------


@transaction.atomic
def time_entry_add(
    *, acting_user, ticket: Ticket, minutes: int, day: date | None = None, billable: bool = True, note: str = ""
) -> TimeEntry:
    _require_desk(acting_user)
    if not 0 < minutes <= 24 * 60:
        raise ValidationError(_("Ange 1–1440 minuter."))
    entry = TimeEntry(
        ticket=ticket, user=acting_user, minutes=minutes, day=day or timezone.localdate(), billable=billable, note=note
    )
    entry.full_clean(exclude=["ticket", "user"])
    entry.save()
    audit_record(
        actor=acting_user,
        action="time",
        instance=entry,
        after=snapshot(entry),
        federation=ticket.federation,
        object_repr=f"{ticket.reference} {minutes} min",
    )
    return entry


@transaction.atomic
def survey_answer(*, acting_user, ticket: Ticket, score: int, comment: str = "") -> SurveyResponse:
    if is_desk(acting_user):
        raise PermissionDenied(_("Enkäten besvaras av beställaren."))
    ticket = Ticket.objects.get(pk=ticket.pk)
    if ticket.status not in (Status.RESOLVED, Status.CLOSED) or ticket.merged_into_id:
        raise ValidationError(_("Enkäten kan besvaras när ärendet är löst."))
    if not 1 <= int(score) <= 10:
        raise ValidationError(_("Betyget ska vara 1–10."))
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        raise ValidationError(_("Enkäten är redan besvarad."))
    return SurveyResponse.objects.create(
        ticket=ticket, team=ticket.team, respondent=acting_user, score=int(score), comment=comment
    )


@transaction.atomic
def standard_text_save(
    *,
    acting_user,
    federation,
    title: str,
    body: str,
    team: Team | None = None,
    active: bool = True,
    instance: StandardText | None = None,
) -> StandardText:
    _require_desk(acting_user)
    from samverkan.portal.texts import check_template

    check_template(body)
    before = snapshot(instance)
    text = instance or StandardText(federation=federation)
    text.title, text.body, text.team, text.active = title, body, team, active
    text.full_clean(exclude=["federation", "team"])
    text.save()
    audit_record(
        actor=acting_user,
        action="update" if instance else "create",
        instance=text,
        before=before,
        after=snapshot(text),
        federation=federation,
    )
    return text


@transaction.atomic
def saved_view_save(*, acting_user, name: str, query: str) -> SavedView:
    if not name.strip():
        raise ValidationError(_("Ge vyn ett namn."))
    view, _created = SavedView.objects.update_or_create(
        user=acting_user, name=name.strip(), defaults={"query": query[:500]}
    )
    return view


BULK_ACTIONS = ("assign_me", "unassign", "status", "team")


def tickets_bulk_update(*, acting_user, tickets, action: str, value: Any = None) -> tuple[int, list[str]]:
    """Apply one action to many tickets; each ticket is its own transaction so one refusal
    does not undo the others. Returns (changed, error messages)."""
    _require_desk(acting_user)
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Okänd åtgärd."))
    changed, errors = 0, []
    for ticket in tickets:
        try:
            if action == "assign_me":
                ticket_assign(acting_user=acting_user, ticket=ticket, assignee=acting_user)
            elif action == "unassign":
                ticket_assign(acting_user=acting_user, ticket=ticket, assignee=None)
            elif action == "status":
                ticket_change_status(acting_user=acting_user, ticket=ticket, status=value)
            elif action == "team":
                ticket_assign(acting_user=acting_user, ticket=ticket, assignee=ticket.assignee, team=value)
            changed += 1
        except ValidationError as exc:
            errors.append(f"{ticket.reference}: {' '.join(exc.messages)}")
    return changed, errors


# ---- inbound e-mail ---------------------------------------------------------------------------


QUOTE_HEADER_RE = re.compile(r"^(Den|On) .*(skrev|wrote)\b.*:$")


def _plain_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    text = part.get_content()
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        # Quoted history starts here in the clients municipalities use (Outlook, Gmail, Apple Mail).
        if stripped.startswith((">", "-----Original", "Från:", "From:")) or QUOTE_HEADER_RE.match(stripped):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def inbound_mail_receive(*, raw: bytes) -> Comment:
    """Turn a reply to a notification into a public comment by the sender.

    The subject must carry the ticket's signed tag and the sender address must belong to
    an active user who may see the ticket; anything else is refused (no comment written).
    Attachments on the mail are stored with the same checks as uploads.
    """
    message = message_from_bytes(raw, policy=policy.default)
    if not isinstance(message, EmailMessage):
        raise ValidationError(_("Meddelandet kunde inte läsas."))
    ticket_id = notifications.parse_tag(str(message.get("Subject", "")))
    if ticket_id is None:
        raise ValidationError(_("Ämnesraden saknar giltig ärendemärkning."))
    address = parseaddr(str(message.get("From", "")))[1].lower()
    senders = [
        u
        for u in User.objects.filter(email__iexact=address, is_active=True)
        if tickets_for(u).filter(pk=ticket_id).exists()
    ]
    if not address or not senders:
        raise ValidationError(_("Avsändaren får inte se ärendet."))
    body = _plain_body(message)
    ticket = Ticket.objects.get(pk=ticket_id)
    files = []
    for part in message.iter_attachments():
        filename = part.get_filename()
        if filename:
            files.append(ContentFile(part.get_payload(decode=True) or b"", name=filename))
    return comment_add(
        acting_user=senders[0], ticket=ticket, body=body or _("(tomt svar)"), via=Comment.Via.EMAIL, files=tuple(files)
    )


# ---- SLA escalation ---------------------------------------------------------------------------


def sla_escalate(*, now: datetime | None = None) -> int:
    """Warn once per ticket whose timer is in warning or breached: an internal note and a mail
    to the assignee (or the team address). Run every few minutes from cron/systemd."""
    from django.core.mail import send_mail

    now = now or timezone.now()
    context = SlaContext()
    escalated = 0
    candidates = (
        Ticket.objects.filter(status__in=OPEN_STATUSES, escalated_at__isnull=True)
        .exclude(status=Status.WAITING_REQUESTER)
        .select_related("team", "assignee")
        .prefetch_related("pauses")
    )
    for ticket in candidates.iterator(chunk_size=500):
        worst = context.state(ticket, now).worst
        if worst.status not in (SlaStatus.WARNING, SlaStatus.BREACHED):
            continue
        with transaction.atomic():
            Ticket.objects.filter(pk=ticket.pk).update(escalated_at=now)
            label = _("överskriden") if worst.status == SlaStatus.BREACHED else _("nära att överskridas")
            Comment.objects.create(
                ticket=ticket,
                internal=True,
                via=Comment.Via.SYSTEM,
                author_name="Samverkan",
                body=_("SLA-eskalering: tiden är %(label)s.") % {"label": label},
                created_at=now,
            )
            recipient = ticket.assignee.email if ticket.assignee and ticket.assignee.email else ticket.team.email
            if recipient:
                transaction.on_commit(
                    lambda r=recipient, t=ticket, lab=label: send_mail(
                        f"SLA {lab}: {t.reference} {t.title}", _("Ärendet behöver åtgärdas."), None, [r]
                    )
                )
        escalated += 1
    return escalated
