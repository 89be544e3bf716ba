"""Comments on tickets: public ones are mailed to the followers, internal notes never are."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.permissions import require
from samverkan.domain.ticket_workflow import Event, Party
from samverkan.portal import notifications
from samverkan.portal.models import Comment, Ticket
from samverkan.portal.policies import COMMENT_ON_TICKET, WRITE_INTERNAL_COMMENT
from samverkan.portal.services.attachments import attachment_add
from samverkan.portal.services.followers import add_follower
from samverkan.portal.services.ticket_state import party_of, refresh_sla, take_step


def author_name(user) -> str:
    """The name a comment is signed with (kept when the account is later removed)."""
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
    require(acting_user, WRITE_INTERNAL_COMMENT if internal else COMMENT_ON_TICKET, obj=ticket)
    party = party_of(acting_user)
    if not body.strip():
        raise ValidationError(_("Skriv en kommentar."))
    if not ticket.is_open and not internal and party is Party.REQUESTER:
        raise ValidationError(_("Ärendet är avslutat. Öppna det igen för att kommentera."))
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    comment = Comment.objects.create(
        ticket=ticket,
        author=acting_user,
        author_name=author_name(acting_user),
        body=body.strip(),
        internal=internal,
        via=via,
        created_at=now,
    )
    for upload in files:
        attachment_add(acting_user=acting_user, ticket=ticket, upload=upload, internal=internal, comment=comment)
    if not internal:
        if party is Party.DESK and ticket.first_response_at is None:
            ticket.first_response_at = now
        if party is Party.REQUESTER:
            take_step(ticket, Event.REPLY, party=party_of(acting_user), now=now)
        else:
            ticket.updated_at = now
            refresh_sla(ticket, now=now)
        ticket.save()
        add_follower(ticket, acting_user)
        notifications.mail_on_commit(ticket, event="comment", comment=comment, actor=acting_user)
    return comment
