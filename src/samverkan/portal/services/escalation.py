"""Scheduled SLA escalation (``samverkan portal escalate``, every few minutes from cron/systemd)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import jobs
from samverkan.core.permissions import require
from samverkan.domain.sla import SlaStatus
from samverkan.portal.models import OPEN_STATUSES, Comment, Status, Ticket
from samverkan.portal.policies import WORK_DESK
from samverkan.portal.selectors import tickets_for
from samverkan.portal.sla import SlaContext


def sla_escalate(*, acting_user, now: datetime | None = None) -> int:
    """Warn once per ticket whose timer is in warning or breached: an internal note and a mail
    to the assignee (or the team address). Scheduled runs act as the system actor (all
    federations); a person escalates only the tickets they see."""
    require(acting_user, WORK_DESK)
    now = now or timezone.now()
    context = SlaContext()
    escalated = 0
    candidates = (
        tickets_for(acting_user)
        .filter(status__in=OPEN_STATUSES, escalated_at__isnull=True)
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
            if recipient:  # sent by a worker once this ticket's transaction commits
                jobs.mail_after_commit(
                    f"SLA {label}: {ticket.reference} {ticket.title}", _("Ärendet behöver åtgärdas."), [recipient]
                )
        escalated += 1
    return escalated
