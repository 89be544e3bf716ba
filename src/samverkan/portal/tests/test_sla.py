from samverkan.portal.models import Status, Ticket
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.workflow import ticket_change_status

from .conftest import at


def test_list_badges_agree_with_full_timers(world, make_ticket):
    from samverkan.portal.sla import SlaContext

    agent = world.users["agent"]
    ticket = make_ticket(impact=1, urgency=1, created_at=at(2023, 3, 1, 9))  # P1: respond in 30, resolve in 240
    context = SlaContext()
    for now, badge in [(at(2023, 3, 1, 9, 10), "ok"), (at(2023, 3, 1, 9, 25), "warn"), (at(2023, 3, 1, 9, 31), "bad")]:
        assert context.list_state(ticket, now).badge == badge == context.state(ticket, now).badge
    comment_add(acting_user=agent, ticket=ticket, body="Vi är på väg.", now=at(2023, 3, 1, 9, 20))
    ticket_change_status(acting_user=agent, ticket=ticket, status=Status.WAITING_REQUESTER, now=at(2023, 3, 1, 10))
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert context.list_state(ticket, at(2023, 3, 2, 12)).paused
    ticket_change_status(acting_user=agent, ticket=ticket, status=Status.RESOLVED, now=at(2023, 3, 2, 12))
    ticket = Ticket.objects.get(pk=ticket.pk)
    light = context.list_state(ticket, at(2023, 3, 9))
    assert not light.running and light.badge == "ok" == context.state(ticket, at(2023, 3, 9)).badge
