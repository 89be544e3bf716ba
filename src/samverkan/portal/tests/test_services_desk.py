from samverkan.portal.models import Status, Ticket
from samverkan.portal.services.desk import tickets_bulk_update
from samverkan.portal.services.workflow import ticket_change_status


def test_bulk_update_reports_refusals(world, make_ticket):
    agent = world.users["agent"]
    a, b = make_ticket(), make_ticket()
    ticket_change_status(acting_user=agent, ticket=b, status=Status.RESOLVED)
    changed, errors = tickets_bulk_update(
        acting_user=agent, tickets=Ticket.objects.filter(pk__in=[a.pk, b.pk]), action="status", value=Status.IN_PROGRESS
    )
    assert changed == 1 and len(errors) == 1 and b.reference in errors[0]
