import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.portal.services.followers import follower_set


def test_follower_rules(world, make_ticket):
    ticket = make_ticket()
    orderer, contact = world.users["orderer"], world.users["member_contact"]
    follower_set(acting_user=orderer, ticket=ticket, user=contact, follow=True)
    with pytest.raises(PermissionDenied):
        follower_set(acting_user=orderer, ticket=ticket, user=contact, follow=False)
    with pytest.raises(ValidationError):
        follower_set(acting_user=world.users["agent"], ticket=ticket, user=world.users["economist"], follow=True)
    with pytest.raises(PermissionDenied):
        follower_set(acting_user=world.outsider, ticket=ticket, user=world.outsider, follow=True)
    follower_set(acting_user=world.users["agent"], ticket=ticket, user=contact, follow=False)
    assert not ticket.followers.filter(user=contact).exists()
