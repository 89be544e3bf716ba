import pytest
from django.db import connection  # noqa: F401 - used by the skipif condition

from samverkan.portal import selectors
from samverkan.portal.services.comments import comment_add


def test_search_does_not_find_internal_text_for_requesters(world, make_ticket):
    ticket = make_ticket()
    comment_add(acting_user=world.users["agent"], ticket=ticket, body="routerkonfiguration", internal=True)
    assert list(selectors.ticket_list(world.users["agent"], filters={"q": "routerkonfiguration"})) == [ticket]
    assert list(selectors.ticket_list(world.users["orderer"], filters={"q": "routerkonfiguration"})) == []
    assert list(selectors.ticket_list(world.users["orderer"], filters={"q": "blinkar"})) == [ticket]


def test_visibility_scopes(world, make_ticket):
    own = make_ticket()
    other_dept = make_ticket(acting_user=world.users["agent"], department=world.other_department)
    other_member = make_ticket(acting_user=world.users["agent"], member=world.other_member, department=None)
    assert set(selectors.tickets_for(world.users["orderer"])) == {own}
    assert set(selectors.tickets_for(world.users["member_contact"])) == {own, other_dept}
    assert set(selectors.tickets_for(world.users["agent"])) == {own, other_dept, other_member}
    assert not selectors.tickets_for(world.users["economist"]).exists()
    assert not selectors.tickets_for(world.outsider).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="Swedish stemming needs PostgreSQL")
def test_postgres_full_text_stems_swedish(world, make_ticket):
    ticket = make_ticket(title="Skrivaren på plan 2 skriver inte ut")
    comment_add(acting_user=world.users["agent"], ticket=ticket, body="Bytt tonerkassetten")
    agent = world.users["agent"]
    assert list(selectors.ticket_list(agent, filters={"q": "skrivare"})) == [ticket]
    assert list(selectors.ticket_list(agent, filters={"q": "tonerkassett"})) == [ticket]
    assert not selectors.ticket_list(agent, filters={"q": "router"}).exists()
