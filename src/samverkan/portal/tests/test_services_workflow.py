import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.portal.models import Status
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.tickets import ticket_assign
from samverkan.portal.services.workflow import ticket_change_status, ticket_reopen
from samverkan.portal.sla import SlaContext

from .conftest import at


def test_workflow_pauses_resolution_clock_while_waiting(world, make_ticket):
    agent = world.users["agent"]
    ticket = make_ticket(impact=2, urgency=2, created_at=at(2023, 3, 1, 9))  # P3: 240 / 1530 min
    ticket = ticket_assign(acting_user=agent, ticket=ticket, assignee=agent)
    assert ticket.status == Status.ASSIGNED
    ticket_change_status(acting_user=agent, ticket=ticket, status=Status.WAITING_REQUESTER, now=at(2023, 3, 1, 10))
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is None  # clock stopped
    state = SlaContext().state(ticket, at(2023, 3, 3, 10))
    assert state.resolution.paused and state.resolution.elapsed_minutes == 60
    # the requester answers two working days later: the ticket is back in progress
    comment_add(acting_user=world.users["orderer"], ticket=ticket, body="Nu är den omstartad.", now=at(2023, 3, 3, 10))
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    # 1470 minutes left from Friday 3 March 10:00: 390 Fri + 510 Mon + 510 Tue + 60 Wed → 9:00
    assert ticket.resolution_due_at == at(2023, 3, 8, 9, 0)
    ticket_change_status(acting_user=agent, ticket=ticket, status=Status.RESOLVED, now=at(2023, 3, 6, 9))
    ticket.refresh_from_db()
    # resolved in time, but nobody answered the requester within the 4-hour response target
    assert ticket.resolution_breached is False and ticket.response_breached is True
    assert SlaContext().state(ticket).resolution.status == "met"


def test_illegal_transitions_and_roles(world, make_ticket):
    ticket = make_ticket()
    with pytest.raises(ValidationError):
        ticket_change_status(acting_user=world.users["agent"], ticket=ticket, status=Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        ticket_change_status(acting_user=world.users["orderer"], ticket=ticket, status=Status.RESOLVED)
    ticket_change_status(acting_user=world.users["agent"], ticket=ticket, status=Status.RESOLVED)
    with pytest.raises(ValidationError):
        ticket_change_status(acting_user=world.users["agent"], ticket=ticket, status=Status.IN_PROGRESS)
    reopened = ticket_reopen(acting_user=world.users["orderer"], ticket=ticket, reason="Fel igen")
    assert reopened.status == Status.NEW and reopened.reopen_count == 1 and reopened.resolved_at is None
    with pytest.raises(ValidationError):
        ticket_reopen(acting_user=world.users["orderer"], ticket=reopened, reason="x")
