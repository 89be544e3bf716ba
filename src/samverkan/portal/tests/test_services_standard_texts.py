import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.portal.services.standard_texts import standard_text_save


def test_standard_text_placeholders(world, make_ticket, team):
    from samverkan.portal.texts import render_standard_text

    agent = world.users["agent"]
    text = standard_text_save(
        acting_user=agent,
        federation=world.federation,
        title="Omstart",
        body="Hej {namn}! Ärende {arende} hanteras av {handlaggare}, {team}.",
    )
    ticket = make_ticket()
    rendered = render_standard_text(text.body, ticket=ticket, agent=agent)
    assert rendered == f"Hej {ticket.requester_name}! Ärende {ticket.reference} hanteras av t-agent, IT-support."
    with pytest.raises(ValidationError):
        standard_text_save(acting_user=agent, federation=world.federation, title="X", body="{ticket.__class__}")
    with pytest.raises(PermissionDenied):
        standard_text_save(acting_user=world.users["orderer"], federation=world.federation, title="Y", body="x")
