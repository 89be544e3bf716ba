"""Writes of the case register (diarium).

Case numbers come from the federation's CaseCounter row for the year, locked with
`select_for_update()` inside the service's transaction, so two secretaries registering at the
same moment get consecutive numbers, never the same one and never a gap. A historic case may be
registered with its existing number (the demo's "2013-16"): it must not collide with a number
in use, and the counter is advanced past it so the next new case follows it.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record
from samverkan.core.permissions import require, require_same_federation
from samverkan.core.services import model_create, model_delete, model_update
from samverkan.domain.case_numbers import format_case_number, parse_case_number, validate_pattern
from samverkan.governance.models import (
    Case,
    CaseCounter,
    CaseDocument,
    CaseLink,
    CaseStatus,
    GovernanceSettings,
)
from samverkan.governance.policies import EDIT_CASES
from samverkan.governance.selectors.cases import case_number_pattern, link_type_of
from samverkan.portal.services.attachments import ALLOWED_UPLOADS, MAGIC

CASE_FIELDS = ("title", "opened", "officer", "secret_title")
DOCUMENT_FIELDS = ("kind", "date", "title", "counterparty", "secrecy")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# "OSL 21 kap. 7 §", "21 kap. 7 § OSL", "OSL 31 kap. 16 a §"
_SECRECY = re.compile(r"^(OSL\s+)?\d{1,2}\s*kap\.?\s*\d{1,3}\s*[a-z]?\s*§.{0,20}$", re.IGNORECASE)


def _locked_counter(federation_id: int, year: int) -> CaseCounter:
    """The year's counter row, created if missing and locked until the transaction ends."""
    if not CaseCounter.objects.filter(federation_id=federation_id, year=year).exists():
        try:
            with transaction.atomic():  # a savepoint: a concurrent first case of the year wins the insert
                CaseCounter.objects.create(federation_id=federation_id, year=year)
        except IntegrityError:
            pass
    return CaseCounter.objects.select_for_update().get(federation_id=federation_id, year=year)


@transaction.atomic
def case_settings_update(*, acting_user, federation, case_number_pattern: str) -> GovernanceSettings:
    """Set the federation's case-number pattern; numbers already given keep their form."""
    require(acting_user, EDIT_CASES, federation=federation)
    pattern = case_number_pattern.strip()
    try:
        validate_pattern(pattern)
    except ValueError as exc:
        raise ValidationError({"case_number_pattern": str(exc)}) from None
    settings, created = GovernanceSettings.objects.get_or_create(federation=federation)
    before = {"case_number_pattern": settings.case_number_pattern}
    settings.case_number_pattern = pattern
    settings.save()
    audit_record(
        actor=acting_user,
        action="create" if created else "update",
        instance=settings,
        before=None if created else before,
        after={"case_number_pattern": pattern},
        federation=federation,
    )
    return settings


@transaction.atomic
def case_open(
    *,
    acting_user,
    federation,
    title: str,
    opened: date,
    officer=None,
    secret_title: bool = False,
    number: str = "",
) -> Case:
    """Register a case: the next number of `opened`'s year, or the given historic `number`."""
    require(acting_user, EDIT_CASES, federation=federation)
    require_same_federation(acting_user, federation=federation, officer=officer)
    pattern = case_number_pattern(federation)
    if number.strip():
        try:
            year, sequence = parse_case_number(pattern, number)
        except ValueError as exc:
            raise ValidationError({"number": str(exc)}) from None
        counter = _locked_counter(federation.pk, year)
        taken = Case.objects.filter(federation=federation, year=year, sequence=sequence)
        if taken.exists():
            raise ValidationError(
                {"number": _("Diarienumret %(number)s finns redan.") % {"number": taken.first().number}}
            )
        if sequence > counter.last:
            counter.last = sequence
            counter.save(update_fields=["last"])
    else:
        year = opened.year
        counter = _locked_counter(federation.pk, year)
        counter.last += 1
        sequence = counter.last
        counter.save(update_fields=["last"])
    formatted = format_case_number(pattern, year, sequence)
    if Case.objects.filter(federation=federation, number=formatted).exists():
        # Only after a pattern change can a number in the old form equal a new one.
        raise ValidationError({"number": _("Diarienumret %(number)s finns redan.") % {"number": formatted}})
    return model_create(
        model=Case,
        acting_user=acting_user,
        federation=federation,
        year=year,
        sequence=sequence,
        number=formatted,
        title=title.strip(),
        opened=opened,
        officer=officer,
        secret_title=secret_title,
        status=CaseStatus.OPEN,
    )


@transaction.atomic
def case_update(*, acting_user, case: Case, data: dict[str, Any]) -> Case:
    """Change title, opening date, officer or title secrecy; the number never changes."""
    require(acting_user, EDIT_CASES, obj=case)
    data = {k: v for k, v in data.items() if k in CASE_FIELDS}
    if "officer" in data:
        require_same_federation(acting_user, federation=case.federation_id, officer=data["officer"])
    if "title" in data:
        data["title"] = data["title"].strip()
    opened = data.get("opened", case.opened)
    if case.closed and opened > case.closed:
        raise ValidationError({"opened": _("Ärendet kan inte öppnas efter att det avslutades.")})
    case, _changed = model_update(instance=case, acting_user=acting_user, data=data)
    return case


@transaction.atomic
def case_close(*, acting_user, case: Case, closed: date) -> Case:
    require(acting_user, EDIT_CASES, obj=case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Ärendet är redan avslutat."))
    if closed < case.opened:
        raise ValidationError({"closed": _("Ärendet kan inte avslutas innan det öppnades.")})
    case, _changed = model_update(
        instance=case, acting_user=acting_user, data={"status": CaseStatus.CLOSED, "closed": closed}
    )
    return case


def _clean_secrecy(value: str) -> str:
    value = " ".join((value or "").split())
    if value and not _SECRECY.match(value):
        raise ValidationError(
            {"secrecy": _("Ange sekretessgrunden som kapitel och paragraf i OSL, till exempel ”OSL 21 kap. 7 §”.")}
        )
    return value


def _stored_file(case: Case, upload) -> tuple[str, bytes]:
    """A checked upload's storage name — a random directory under the case, the sanitized
    original name kept for the download — and its content."""
    original = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    ext = ("." + original.rsplit(".", 1)[-1].lower()) if "." in original else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError({"file": _("Filtypen %(ext)s är inte tillåten.") % {"ext": ext or "?"}})
    if getattr(upload, "size", 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("Filen är för stor.")})
    data = upload.read()
    if not data:
        raise ValidationError({"file": _("Filen är tom.")})
    if ext in MAGIC and not data.startswith(MAGIC[ext]):
        raise ValidationError({"file": _("Filens innehåll stämmer inte med filtypen.")})
    safe = get_valid_filename(original)[-80:] or f"handling{ext}"
    return f"governance/{case.federation_id}/{case.year}/{uuid.uuid4().hex}/{safe}", data


@transaction.atomic
def document_register(
    *,
    acting_user,
    case: Case,
    kind: str,
    date: date,
    title: str,
    counterparty: str = "",
    secrecy: str = "",
    upload=None,
) -> CaseDocument:
    """Register a document in a case with the case's next document number."""
    require(acting_user, EDIT_CASES, obj=case)
    case = Case.objects.select_for_update().get(pk=case.pk)  # serialises document numbers per case
    sequence = (case.documents.aggregate(last=Max("sequence"))["last"] or 0) + 1
    document = CaseDocument(
        case=case,
        sequence=sequence,
        kind=kind,
        date=date,
        title=title.strip(),
        counterparty=counterparty.strip(),
        secrecy=_clean_secrecy(secrecy),
        registered_by=acting_user,
    )
    document.full_clean(exclude=["file"])
    if upload is not None:
        name, data = _stored_file(case, upload)
        document.file.save(name, ContentFile(data), save=False)
    document.save()
    audit_record(
        actor=acting_user,
        action="create",
        instance=document,
        after={f: str(getattr(document, f)) for f in (*DOCUMENT_FIELDS, "sequence", "file")},
    )
    return document


@transaction.atomic
def document_update(*, acting_user, document: CaseDocument, data: dict[str, Any]) -> CaseDocument:
    """Correct a document's registration or its secrecy marking (the file is not replaced)."""
    require(acting_user, EDIT_CASES, obj=document.case)
    data = {k: v for k, v in data.items() if k in DOCUMENT_FIELDS}
    if "secrecy" in data:
        data["secrecy"] = _clean_secrecy(data["secrecy"])
    for name in ("title", "counterparty"):
        if name in data:
            data[name] = data[name].strip()
    document, _changed = model_update(instance=document, acting_user=acting_user, data=data)
    return document


@transaction.atomic
def link_add(*, acting_user, case: Case, target: Any, note: str = "") -> CaseLink:
    """Link a case to what it concerns (an allocation run or pool, a price-list version, an
    agreement, a hand-over, an invoice run) of the same federation."""
    require(acting_user, EDIT_CASES, obj=case)
    link_type = link_type_of(type(target))
    if link_type is None or target.pk is None:
        raise ValidationError({"target": _("Ett ärende kan inte kopplas till det slaget av objekt.")})
    same = link_type.model.objects.filter(pk=target.pk, **{link_type.federation_path: case.federation_id})
    if not same.exists():
        raise ValidationError({"target": _("Hör till ett annat förbund.")})
    content_type = ContentType.objects.get_for_model(link_type.model)
    if CaseLink.objects.filter(case=case, content_type=content_type, object_id=target.pk).exists():
        raise ValidationError({"target": _("Ärendet är redan kopplat till detta.")})
    return model_create(
        model=CaseLink,
        acting_user=acting_user,
        case=case,
        content_type=content_type,
        object_id=target.pk,
        note=note.strip(),
    )


@transaction.atomic
def link_remove(*, acting_user, link: CaseLink) -> None:
    require(acting_user, EDIT_CASES, obj=link.case)
    model_delete(instance=link, acting_user=acting_user)
