"""Moving a ticket through its statuses by hand, and reopening it (``domain.ticket_workflow``)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.domain.ticket_workflow import Event, Status
from samverkan.portal import notifications
from samverkan.portal.models import Comment, Ticket
from samverkan.portal.policies import REOPEN_TICKET, WORK_DESK
from samverkan.portal.services.comments import author_name
from samverkan.portal.services.ticket_state import party_of, take_step


@transaction.atomic
def ticket_change_status(*, acting_user, ticket: Ticket, status: str, now: datetime | None = None) -> Ticket:
    require(acting_user, WORK_DESK, obj=ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = snapshot(ticket)
    step = take_step(ticket, Event.MOVE, party=party_of(acting_user), to=status, now=now or timezone.now())
    if not step.moved:
        return ticket
    ticket.save()
    audit_record(actor=acting_user, action="status", instance=ticket, before=before, after=snapshot(ticket))
    event = "survey" if step.after == Status.RESOLVED else "status"
    notifications.mail_on_commit(ticket, event=event, actor=acting_user)
    return ticket


@transaction.atomic
def ticket_reopen(*, acting_user, ticket: Ticket, reason: str, now: datetime | None = None) -> Ticket:
    """Requesters and agents may reopen a resolved or closed ticket; the reason becomes a comment."""
    require(acting_user, REOPEN_TICKET, obj=ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    now = now or timezone.now()
    before = snapshot(ticket)
    take_step(ticket, Event.REOPEN, party=party_of(acting_user), now=now)  # refused unless finished
    if not reason.strip():
        raise ValidationError(_("Ange varför ärendet öppnas igen."))
    ticket.save()
    comment = Comment.objects.create(
        ticket=ticket,
        author=acting_user,
        author_name=author_name(acting_user),
        body=_("Återöppnat: %(reason)s") % {"reason": reason.strip()},
        created_at=now,
    )
    audit_record(actor=acting_user, action="reopen", instance=ticket, before=before, after=snapshot(ticket))
    notifications.mail_on_commit(ticket, event="comment", comment=comment, actor=acting_user)
    return ticket
