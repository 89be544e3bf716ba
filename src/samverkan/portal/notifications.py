"""E-mail to a ticket's followers, and the signed tag that lets a reply find its ticket.

Only public events are ever mailed: the callers (services) never pass an internal comment,
and the body is built from public fields only. Every recipient is re-checked against the
visibility rules at send time, so a follower who changed department stops getting mail.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.portal.models import Comment, Ticket

TAG_RE = re.compile(r"\[Samverkan #(\d+):([0-9a-f]{12})\]")


def ticket_token(ticket_id: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"portal-ticket:{ticket_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


def subject_tag(ticket: Ticket) -> str:
    return f"[Samverkan #{ticket.pk}:{ticket_token(ticket.pk)}]"


def parse_tag(subject: str) -> int | None:
    """The ticket id in a reply's subject, if its token is genuine."""
    match = TAG_RE.search(subject or "")
    if not match:
        return None
    ticket_id = int(match.group(1))
    return ticket_id if hmac.compare_digest(match.group(2), ticket_token(ticket_id)) else None


def recipients(ticket: Ticket, *, exclude_user_id: int | None) -> list[str]:
    from samverkan.portal.selectors import tickets_for

    addresses: set[str] = set()
    for follower in ticket.followers.select_related("user"):
        user = follower.user
        if user.pk == exclude_user_id or not user.email or not user.is_active:
            continue
        if tickets_for(user).filter(pk=ticket.pk).exists():
            addresses.add(user.email)
    if ticket.requester_id is None and ticket.requester_email:
        addresses.add(ticket.requester_email)
    return sorted(addresses)


def mail_on_commit(ticket: Ticket, *, event: str, comment: Comment | None = None, actor=None) -> None:
    """Mail the followers once the service's transaction has committed (never for a rollback)."""
    ticket_id, comment_id = ticket.pk, comment.pk if comment else None
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(
        lambda: send_ticket_mail(ticket_id, event=event, comment_id=comment_id, exclude_user_id=actor_id)
    )


def send_ticket_mail(
    ticket_id: int, *, event: str, comment_id: int | None = None, exclude_user_id: int | None = None
) -> int:
    """Send one mail per recipient (no shared To: list). Returns how many were sent."""
    ticket = Ticket.objects.select_related("team").get(pk=ticket_id)
    lines = [
        _("Ärende %(ref)s: %(title)s") % {"ref": ticket.reference, "title": ticket.title},
        _("Status: %(status)s") % {"status": ticket.get_status_display()},
        "",
    ]
    if comment_id is not None:
        comment = Comment.objects.get(pk=comment_id, ticket=ticket)
        if comment.internal:
            raise ValueError("internal comments are never mailed")
        lines += [_("Ny kommentar från %(name)s:") % {"name": comment.author_name}, "", comment.body, ""]
    elif event == "status":
        lines += [_("Ärendets status har ändrats."), ""]
    elif event == "created":
        lines += [_("Vi har tagit emot ditt ärende."), "", ticket.description, ""]
    elif event == "survey":
        lines += [_("Ärendet är löst. Hur nöjd är du? Svara på en fråga (1–10) i serviceportalen."), ""]
    lines.append(_("Svara på detta meddelande för att lägga till en kommentar i ärendet."))
    body = "\n".join(lines)
    subject = f"{subject_tag(ticket)} {ticket.title}"
    reply_to = [getattr(settings, "PORTAL_INBOUND_EMAIL", "arende@samverkan.local")]
    sent = 0
    for address in recipients(ticket, exclude_user_id=exclude_user_id):
        sent += EmailMessage(subject, body, to=[address], reply_to=reply_to).send()
    return sent
