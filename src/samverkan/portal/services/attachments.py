"""Files on tickets: only known types whose content matches the name, stored under a random name."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.permissions import require
from samverkan.portal.models import Attachment, Comment, Ticket
from samverkan.portal.policies import COMMENT_ON_TICKET, WRITE_INTERNAL_COMMENT

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


def _too_big() -> ValidationError:
    return ValidationError(_("Filen är större än %(mb)s MB.") % {"mb": max_upload_bytes() // (1024 * 1024)})


def _check_upload(name: str, data: bytes) -> str:
    """The content type to store, or a ValidationError saying why the file is refused."""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError(_("Filtypen %(ext)s är inte tillåten.") % {"ext": ext or "?"})
    if len(data) > max_upload_bytes():
        raise _too_big()
    if not data:
        raise ValidationError(_("Filen är tom."))
    if ext in MAGIC and not data.startswith(MAGIC[ext]):
        raise ValidationError(_("Filens innehåll stämmer inte med filtypen."))
    return ALLOWED_UPLOADS[ext]


@transaction.atomic
def attachment_add(
    *, acting_user, ticket: Ticket, upload, internal: bool = False, comment: Comment | None = None
) -> Attachment:
    """Store under ``portal/<yyyy>/<mm>/<uuid>`` — never the uploader's name or extension — outside
    MEDIA_ROOT, so nothing uploaded can be executed or served without the access check."""
    require(acting_user, WRITE_INTERNAL_COMMENT if internal else COMMENT_ON_TICKET, obj=ticket)
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if hasattr(upload, "size") and upload.size > max_upload_bytes():
        raise _too_big()
    data = upload.read()
    content_type = _check_upload(name, data)
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
