import pytest
from django.core.exceptions import ValidationError

from samverkan.core.actors import system_actor
from samverkan.portal.models import Comment
from samverkan.portal.notifications import subject_tag
from samverkan.portal.services.inbound_mail import inbound_mail_receive


def test_inbound_mail_becomes_public_comment(world, make_ticket):
    ticket = make_ticket()
    raw = (
        f"From: Beställaren <orderer@test.se>\r\nTo: arende@samverkan.local\r\n"
        f"Subject: SV: {subject_tag(ticket)} {ticket.title}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Den fungerar nu, tack!\r\n\r\nDen 1 mars skrev Samverkan:\r\n> gammal text\r\n"
    ).encode()
    comment = inbound_mail_receive(acting_user=system_actor(), raw=raw)
    assert comment.body == "Den fungerar nu, tack!" and comment.via == Comment.Via.EMAIL
    assert comment.author == world.users["orderer"] and not comment.internal
    forged = raw.replace(subject_tag(ticket).encode(), f"[Samverkan #{ticket.pk}:000000000000]".encode())
    with pytest.raises(ValidationError):
        inbound_mail_receive(acting_user=system_actor(), raw=forged)
    stranger = raw.replace(b"orderer@test.se", b"outsider@evil.se")
    with pytest.raises(ValidationError):
        inbound_mail_receive(acting_user=system_actor(), raw=stranger)
