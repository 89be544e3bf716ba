"""Writes of the agreement register: agreements, their revisions, and the reminders to the
responsible officer before a notice deadline or review date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import jobs
from samverkan.core.audit import audit_record
from samverkan.core.permissions import require, require_same_federation
from samverkan.core.services import model_create, model_update
from samverkan.domain.agreement_dates import DEFAULT_REMINDER_DAYS, parse_renewal, reminder_window_start
from samverkan.domain.errors import DomainError
from samverkan.governance.models import Agreement, AgreementRevision
from samverkan.governance.policies import EDIT_AGREEMENTS
from samverkan.governance.selectors.agreements import agreement_dates, agreements_for

AGREEMENT_FIELDS = (
    "kind",
    "title",
    "parties",
    "counterparty",
    "host_member",
    "valid_from",
    "valid_to",
    "term",
    "renewal",
    "notice_months",
    "notice_deadline",
    "review_by",
    "responsible",
    "case",
)
REVISION_FIELDS = ("decided_on", "decided_by", "paragraph_ref", "case_ref", "paragraph", "change", "review_by")


def _check(data: dict[str, Any]) -> None:
    """What the model cannot say: dates in order and a renewal text the register can compute with."""
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Slutdatum kan inte ligga före startdatum.")})
    if data.get("renewal"):
        try:
            parse_renewal(data["renewal"])
        except DomainError as exc:
            raise ValidationError({"renewal": str(exc)}) from None


def _references(acting_user, federation, data: dict[str, Any]) -> None:
    responsible = data.get("responsible")
    require_same_federation(
        acting_user,
        federation=federation,
        host_member=data.get("host_member"),
        case=data.get("case"),
    )
    if responsible is not None and responsible.federation_id != getattr(federation, "pk", federation):
        raise ValidationError({"responsible": _("Hör till ett annat förbund.")})


@transaction.atomic
def agreement_create(*, acting_user, federation, file=None, **data: Any) -> Agreement:
    require(acting_user, EDIT_AGREEMENTS, federation=federation)
    data = {k: v for k, v in data.items() if k in AGREEMENT_FIELDS}
    _check(data)
    _references(acting_user, federation, data)
    agreement = model_create(model=Agreement, acting_user=acting_user, federation=federation, **data)
    if file is not None:
        agreement_attach_file(acting_user=acting_user, agreement=agreement, file=file)
    return agreement


@transaction.atomic
def agreement_update(*, acting_user, agreement: Agreement, file=None, **data: Any) -> Agreement:
    require(acting_user, EDIT_AGREEMENTS, obj=agreement)
    data = {k: v for k, v in data.items() if k in AGREEMENT_FIELDS}
    _check({"valid_from": agreement.valid_from, "valid_to": agreement.valid_to, **data})
    _references(acting_user, agreement.federation_id, data)
    if {"valid_to", "notice_deadline", "renewal", "notice_months", "review_by"} & {
        k for k, v in data.items() if getattr(agreement, k) != v
    }:
        data["reminded_at"] = None  # new deadlines: remind afresh
    agreement, _changed = model_update(instance=agreement, acting_user=acting_user, data=data)
    if file is not None:
        agreement_attach_file(acting_user=acting_user, agreement=agreement, file=file)
    return agreement


@transaction.atomic
def agreement_attach_file(*, acting_user, agreement: Agreement, file) -> Agreement:
    """Store the signed agreement privately (served only by the download view); the old file
    is removed once the new one is committed."""
    require(acting_user, EDIT_AGREEMENTS, obj=agreement)
    old = agreement.file.name if agreement.file else ""
    agreement.file.save(f"governance/agreements/{agreement.federation_id}/{file.name}", file, save=False)
    agreement.save(update_fields=["file"])
    audit_record(
        actor=acting_user, action="file", instance=agreement, before={"file": old}, after={"file": agreement.file.name}
    )
    if old and old != agreement.file.name:
        storage = agreement.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return agreement


@transaction.atomic
def revision_add(*, acting_user, agreement: Agreement, **data: Any) -> AgreementRevision:
    """A revision as the table on an agreement's front page records it (seed 003): decided on,
    by whom, §, Dnr, what it changed, when to review next. Its review date, when given, becomes
    the agreement's."""
    require(acting_user, EDIT_AGREEMENTS, obj=agreement)
    data = {k: v for k, v in data.items() if k in REVISION_FIELDS}
    paragraph = data.get("paragraph")
    if paragraph is not None and paragraph.body.federation_id != agreement.federation_id:
        raise ValidationError({"paragraph": _("Hör till ett annat förbund.")})
    if paragraph is not None and not data.get("paragraph_ref"):
        data["paragraph_ref"] = str(paragraph)
    revision = model_create(model=AgreementRevision, acting_user=acting_user, agreement=agreement, **data)
    if revision.review_by is not None:
        model_update(
            instance=agreement, acting_user=acting_user, data={"review_by": revision.review_by, "reminded_at": None}
        )
    return revision


LABELS = {"notice": gettext_lazy("Sista dag för uppsägning"), "review": gettext_lazy("Bör revideras senast")}


def agreement_reminders(*, acting_user, today: date, days=DEFAULT_REMINDER_DAYS) -> list[Agreement]:
    """E-mail each agreement's responsible officer when a notice deadline or review date is
    `days` (90 and 30) days away. `reminded_at` records the last e-mail: a deadline whose latest
    reminder day is after it is due again, so each reminder day gives one e-mail however often
    the task runs. The system actor covers every federation, a person their own."""
    require(acting_user, EDIT_AGREEMENTS)
    sent = []
    for agreement in agreements_for(acting_user).filter(responsible__isnull=False).prefetch_related("revisions"):
        if not agreement.responsible.email:
            continue
        due = []
        for kind, deadline in agreement_dates(agreement, today).deadlines():
            start = reminder_window_start(deadline, today, days)
            if start is not None and (
                agreement.reminded_at is None or timezone.localdate(agreement.reminded_at) < start
            ):
                due.append((kind, deadline))
        if due and _remind(acting_user=acting_user, agreement=agreement, due=due):
            sent.append(agreement)
    return sent


@transaction.atomic
def _remind(*, acting_user, agreement: Agreement, due: list[tuple[str, date]]) -> bool:
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.reminded_at != agreement.reminded_at:  # another run took it meanwhile
        return False
    lines = [f"{LABELS[kind]}: {deadline:%Y-%m-%d}" for kind, deadline in due]
    subject = _("Påminnelse om avtal: %(title)s") % {"title": agreement.title}
    body = "\n".join([_("Avtalet %(title)s har en kommande tidsgräns.") % {"title": agreement.title}, "", *lines])
    recipient = agreement.responsible.email
    model_update(instance=locked, acting_user=acting_user, data={"reminded_at": timezone.now()})
    audit_record(
        actor=acting_user,
        action="remind",
        instance=locked,
        after={"to": recipient, "deadlines": {kind: f"{d:%Y-%m-%d}" for kind, d in due}},
    )
    jobs.mail_after_commit(subject, body, [recipient], from_email=settings.DEFAULT_FROM_EMAIL)  # by a worker
    return True
