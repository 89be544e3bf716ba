"""Time the desk spends on tickets; the billable part is invoiced (``selectors.billable_time``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.portal.models import Ticket, TimeEntry
from samverkan.portal.policies import WORK_DESK


@transaction.atomic
def time_entry_add(
    *, acting_user, ticket: Ticket, minutes: int, day: date | None = None, billable: bool = True, note: str = ""
) -> TimeEntry:
    require(acting_user, WORK_DESK, obj=ticket)
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
