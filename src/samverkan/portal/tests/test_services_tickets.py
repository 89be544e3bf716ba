import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.portal.models import Follower, Status
from samverkan.portal.notifications import subject_tag
from samverkan.portal.services.tickets import ticket_link, ticket_merge

from .conftest import at


def test_create_sets_priority_due_times_and_follower(world, make_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(impact=1, urgency=2, created_at=at(2023, 3, 1, 9))
    assert ticket.priority == 2
    assert ticket.response_due_at == at(2023, 3, 1, 10)  # P2: 60 business minutes
    assert ticket.resolution_due_at == at(2023, 3, 2, 9)  # P2: 510 minutes = one working day
    assert Follower.objects.filter(ticket=ticket, user=world.users["orderer"]).exists()
    assert len(mail.outbox) == 1 and subject_tag(ticket) in mail.outbox[0].subject


def test_orderer_cannot_create_for_other_department(world, make_ticket):
    with pytest.raises(PermissionDenied):
        make_ticket(department=world.other_department)
    with pytest.raises(PermissionDenied):
        make_ticket(acting_user=world.users["member_contact"], member=world.other_member, department=None)
    with pytest.raises(PermissionDenied):
        make_ticket(acting_user=world.users["economist"])
    with pytest.raises(PermissionDenied):
        make_ticket(acting_user=world.outsider)


def test_create_validates_team_and_matrix(world, make_ticket, other_team):
    agent = world.users["agent"]
    with pytest.raises(ValidationError):
        make_ticket(acting_user=agent, team=other_team)
    with pytest.raises(ValidationError):
        make_ticket(acting_user=agent, impact=4)
    with pytest.raises(ValidationError):
        make_ticket(acting_user=agent, department=world.other_member.departments.first())


def test_order_reference_must_exist(world, make_ticket):
    with pytest.raises(ValidationError):
        make_ticket(type="order", order_reference="B-999")


def test_merge_and_link(world, make_ticket):
    agent = world.users["agent"]
    a, b = make_ticket(), make_ticket(title="Samma skrivare")
    ticket_merge(acting_user=agent, source=b, target=a)
    b.refresh_from_db()
    assert b.status == Status.CLOSED and b.merged_into == a
    assert a.comments.filter(body__contains=b.reference).exists()
    with pytest.raises(ValidationError):
        ticket_merge(acting_user=agent, source=a, target=a)
    c = make_ticket()
    link = ticket_link(acting_user=agent, ticket=c, other=a)
    assert (link.from_ticket, link.to_ticket) == (a, c)
    assert ticket_link(acting_user=agent, ticket=a, other=c) == link
