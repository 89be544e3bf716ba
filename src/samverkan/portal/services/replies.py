"""One reply from the ticket page: the comment, the files and the agent's new status (and
assignee) together, as agents expect from a help desk — all of it or, on any refusal, nothing."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.models import User
from samverkan.core.permissions import require
from samverkan.domain import ticket_workflow as workflow
from samverkan.portal.models import Status, Ticket
from samverkan.portal.policies import COMMENT_ON_TICKET, WORK_DESK, WRITE_INTERNAL_COMMENT
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.tickets import ticket_assign
from samverkan.portal.services.workflow import ticket_change_status


@transaction.atomic
def ticket_reply(
    *,
    acting_user,
    ticket: Ticket,
    body: str = "",
    internal: bool = False,
    files: tuple = (),
    status: str | None = None,
    assignee: User | None = None,
    change_assignee: bool = False,
    now: datetime | None = None,
) -> Ticket:
    """Assign (when asked), comment, then move the status, in one transaction.

    The move is checked against the workflow after the assignment and before anything is
    written, so a refused status leaves no comment and no stored file behind. ``status`` None
    or the current status means "leave it"; only the desk may move or assign.
    """
    require(acting_user, WRITE_INTERNAL_COMMENT if internal else COMMENT_ON_TICKET, obj=ticket)
    moving = bool(status) and status != ticket.status
    if moving or change_assignee:
        require(acting_user, WORK_DESK, obj=ticket)
    if not body.strip() and not moving and not change_assignee:
        raise ValidationError({"body": _("Skriv en kommentar.")})
    if files and not body.strip():
        raise ValidationError({"body": _("Skriv en kommentar till bilagan.")})
    if change_assignee and assignee != ticket.assignee:
        ticket = ticket_assign(acting_user=acting_user, ticket=ticket, assignee=assignee)
    if moving and status != ticket.status:
        allowed = workflow.moves(ticket.state, workflow.Party.DESK)
        if status not in allowed:
            raise ValidationError(
                {
                    "status": _("Ett ärende med status %(old)s kan inte få status %(new)s.")
                    % {"old": Status(ticket.status).label, "new": _label(status)}
                }
            )
    if body.strip():
        comment_add(acting_user=acting_user, ticket=ticket, body=body, internal=internal, files=files, now=now)
    if moving:
        ticket = ticket_change_status(acting_user=acting_user, ticket=ticket, status=status, now=now)
    else:
        ticket.refresh_from_db()
    return ticket


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status
