from samverkan.core.actors import system_actor
from samverkan.portal.models import Comment
from samverkan.portal.services.escalation import sla_escalate

from .conftest import at


def test_sla_escalation_once(world, make_ticket, django_capture_on_commit_callbacks):
    make_ticket(impact=1, urgency=1, created_at=at(2023, 3, 1, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_escalate(acting_user=system_actor(), now=at(2023, 3, 1, 9, 25)) == 1
    assert sla_escalate(acting_user=system_actor(), now=at(2023, 3, 1, 12)) == 0
    assert Comment.objects.filter(internal=True, body__contains="SLA").count() == 1
