"""Who may do what in the portal: capabilities add up over a user's roles, scoping follows the
widest role, and the API answers a refused write with 403."""

import pytest
from django.core.exceptions import PermissionDenied

from samverkan.core.models import User
from samverkan.core.roles import AGENT, ECONOMIST, ORDERER
from samverkan.portal import selectors
from samverkan.portal.models import Status
from samverkan.portal.services.workflow import ticket_change_status


def test_an_economist_who_orders_reports_but_does_not_work_the_desk(world, make_ticket):
    user = User.objects.create_user(
        "t-economist-orderer", federation=world.federation, roles=[ECONOMIST, ORDERER], department=world.department
    )
    ticket = make_ticket(acting_user=user)
    assert ticket.requester == user
    assert set(selectors.tickets_for(user)) == {ticket}  # economists see no tickets; the orderer role does
    with pytest.raises(PermissionDenied):
        ticket_change_status(acting_user=user, ticket=ticket, status=Status.RESOLVED)


def test_an_agent_who_also_orders_sees_and_works_the_whole_federation(world, make_ticket):
    user = User.objects.create_user(
        "t-agent-orderer", federation=world.federation, roles=[AGENT, ORDERER], department=world.department
    )
    elsewhere = make_ticket(acting_user=world.users["agent"], member=world.other_member, department=None)
    assert elsewhere in selectors.tickets_for(user)
    assert ticket_change_status(acting_user=user, ticket=elsewhere, status=Status.RESOLVED).status == Status.RESOLVED


def test_refused_api_writes_are_403(world, make_ticket):
    ticket = make_ticket()
    url = f"/api/v1/portal/tickets/{ticket.pk}"
    orderer, agent = world.api("orderer"), world.api("agent")
    assert orderer.post(f"{url}/assign/", {"assignee": None}, format="json").status_code == 403
    assert orderer.get(f"{url}/time/").status_code == 403
    assert orderer.post(f"{url}/time/", {"minutes": 5, "day": "2025-01-10"}, format="json").status_code == 403
    ticket_change_status(acting_user=world.users["agent"], ticket=ticket, status=Status.RESOLVED)
    assert agent.post(f"{url}/survey/", {"score": 9}, format="json").status_code == 403
    assert orderer.post(f"{url}/survey/", {"score": 9}, format="json").status_code == 201
    assert world.api("economist").post(f"{url}/comments/", {"body": "x"}, format="json").status_code == 403
