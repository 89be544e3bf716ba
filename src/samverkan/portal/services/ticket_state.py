"""Applying the ticket workflow (``domain.ticket_workflow``) to a stored ticket.

The domain decides the next status; this module writes what that implies (pauses, the
resolved and closed times, the SLA due times) and words the domain's refusals in Swedish.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.permissions import has_capability
from samverkan.domain import ticket_workflow as workflow
from samverkan.domain.sla import SlaStatus
from samverkan.portal.models import Status, Ticket, TicketPause
from samverkan.portal.policies import WORK_DESK
from samverkan.portal.sla import SlaContext


def party_of(user) -> workflow.Party:
    """Who acts in the workflow's terms: whoever works the desk, or the people served."""
    return workflow.Party.DESK if has_capability(user, WORK_DESK) else workflow.Party.REQUESTER


def refresh_sla(ticket: Ticket, *, now: datetime | None = None) -> None:
    """Recompute the stored due times and breach flags from the pauses (no save)."""
    state = SlaContext().state(ticket, now or timezone.now())
    ticket.response_due_at = state.response.due_at
    ticket.resolution_due_at = state.resolution.due_at
    ticket.response_breached = None if state.response.running else state.response.status == SlaStatus.BREACHED
    ticket.resolution_breached = None if state.resolution.running else state.resolution.status == SlaStatus.BREACHED


def take_step(
    ticket: Ticket, event: workflow.Event, *, party: workflow.Party, now: datetime, to: str | None = None
) -> workflow.Step:
    """Ask the workflow what ``event`` by ``party`` does to the ticket and apply the answer (no save)."""
    try:
        step = workflow.step(ticket.state, event, party, to=workflow.Status(to) if to else None)
    except workflow.WorkflowError as exc:
        raise _refusal(exc) from exc
    _apply_step(ticket, step, now)
    return step


def _apply_step(ticket: Ticket, step: workflow.Step, now: datetime) -> None:
    if step.reopens:
        ticket.resolved_at = ticket.closed_at = None
        ticket.reopen_count += 1
    if step.moved:
        ticket.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        if step.starts_pause:
            TicketPause.objects.create(ticket=ticket, reason=step.starts_pause, started_at=now)
        if step.marks_resolved:
            ticket.resolved_at = now
            ticket.first_response_at = ticket.first_response_at or now
        if step.marks_closed:
            ticket.closed_at = now
        ticket.status = step.after
    ticket.updated_at = now
    refresh_sla(ticket, now=now)


def _refusal(exc: workflow.WorkflowError) -> Exception:
    """The user's words for a refusal of the workflow."""
    if isinstance(exc, workflow.NotAllowed):
        return PermissionDenied(_("Endast handläggare får göra detta."))
    if isinstance(exc, workflow.InvalidMove):
        return ValidationError(
            _("Ett ärende med status %(old)s kan inte få status %(new)s.")
            % {"old": Status(exc.before).label, "new": Status(exc.after).label}
        )
    messages = {
        workflow.AssigneeRequired: _("Tilldela en handläggare först."),
        workflow.NotFinished: _("Bara lösta eller stängda ärenden kan öppnas igen."),
        workflow.NotOpen: _("Bara öppna ärenden kan slås samman."),
    }
    return ValidationError(messages[type(exc)])
