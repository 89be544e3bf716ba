"""Replies to notification mails become public comments by their sender.

The API (from the mail server) and ``samverkan portal import-mail`` (from a maildir) both
hand the raw message to ``inbound_mail_receive`` and only report its answer.
"""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from samverkan.core.models import User
from samverkan.core.permissions import require
from samverkan.portal import notifications
from samverkan.portal.models import Comment, Ticket
from samverkan.portal.policies import IMPORT_MAIL
from samverkan.portal.selectors import tickets_for
from samverkan.portal.services.comments import comment_add

QUOTE_HEADER_RE = re.compile(r"^(Den|On) .*(skrev|wrote)\b.*:$")


class UnreadableMail(ValidationError):
    """A mail that cannot be kept at all (undecodable, or holding what the database cannot store):
    the API refuses it (400) and ``portal import-mail`` sets it aside with the reason."""


def _readable_message(raw: bytes) -> EmailMessage:
    """The parsed mail, refused before anything is looked up or stored if it cannot be kept.

    A NUL in the sender, subject, text or a file name (encoded or not: =00, base64, RFC 2047)
    cannot be stored on PostgreSQL and would end as a 500 — and the mail server would retry
    it forever; an unknown charset cannot be decoded at all.
    """
    try:
        message = message_from_bytes(raw, policy=policy.default)
        parts = list(message.walk())
        texts = [str(value) for part in parts for value in (*part.values(), part.get_filename() or "")]
        texts += [part.get_content() for part in parts if part.get_content_maintype() == "text"]
    except LookupError:
        raise UnreadableMail(_("Meddelandet har en okänd teckenkodning.")) from None
    except (ValueError, TypeError, AttributeError, IndexError):
        raise UnreadableMail(_("Meddelandet kunde inte läsas.")) from None
    if not isinstance(message, EmailMessage):
        raise UnreadableMail(_("Meddelandet kunde inte läsas."))
    if any("\x00" in text for text in texts):
        raise UnreadableMail(_("Meddelandet innehåller NUL-tecken."))
    return message


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


def inbound_mail_receive(*, acting_user, raw: bytes) -> Comment:
    """Turn a reply to a notification into a public comment by the sender.

    The subject must carry the ticket's signed tag and the sender address must belong to
    an active user who may see the ticket; anything else is refused (no comment written).
    Attachments on the mail are stored with the same checks as uploads. ``acting_user`` is
    who delivers the mail (the system actor); the comment is the sender's.
    """
    require(acting_user, IMPORT_MAIL)
    message = _readable_message(raw)
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
    ticket = Ticket.objects.get(pk=ticket_id)
    require(acting_user, IMPORT_MAIL, obj=ticket)
    body = _plain_body(message)
    files = []
    for part in message.iter_attachments():
        filename = part.get_filename()
        if filename:
            files.append(ContentFile(part.get_payload(decode=True) or b"", name=filename))
    return comment_add(
        acting_user=senders[0], ticket=ticket, body=body or _("(tomt svar)"), via=Comment.Via.EMAIL, files=tuple(files)
    )
