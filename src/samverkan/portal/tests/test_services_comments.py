import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from samverkan.portal import selectors
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.followers import follower_set


def test_internal_comment_never_mailed_nor_visible_to_requesters(
    world, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket()
    follower_set(
        acting_user=world.users["member_contact"], ticket=ticket, user=world.users["member_contact"], follow=True
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(acting_user=world.users["agent"], ticket=ticket, body="HEMLIGT lösenord", internal=True)
        comment_add(acting_user=world.users["agent"], ticket=ticket, body="Vi tittar på det.")
    assert len(mail.outbox) == 2  # orderer and member contact, for the public comment only
    assert all("HEMLIGT" not in m.body and "Vi tittar" in m.body for m in mail.outbox)
    assert [c.body for c in selectors.comments_for(world.users["orderer"], ticket)] == ["Vi tittar på det."]
    assert selectors.comments_for(world.users["agent"], ticket).count() == 2
    with pytest.raises(PermissionDenied):
        comment_add(acting_user=world.users["orderer"], ticket=ticket, body="x", internal=True)
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
