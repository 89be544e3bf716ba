"""The list pages' fast paths (ticket_list_rows, prepared rows, hand-rendered filters) must
show exactly what ticket_list() selects, with a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.core.models import User
from samverkan.core.roles import ORDERER
from samverkan.portal import selectors
from samverkan.portal.models import Follower, Status, Ticket


@pytest.fixture
def mixed(world, make_ticket):
    """Tickets the orderer requested, follows, or neither; some share a creation time (tie on id)."""
    agent, orderer = world.users["agent"], world.users["orderer"]
    base = timezone.now() - timedelta(days=3)
    made = []
    for i in range(9):
        created = base + timedelta(hours=i // 2)  # pairs with equal created_at
        if i % 3 == 0:
            ticket = make_ticket(created_at=created)  # requested by the orderer
        else:
            ticket = make_ticket(acting_user=agent, requester_name="Annan", created_at=created)
            if i % 3 == 1:
                Follower.objects.get_or_create(ticket=ticket, user=orderer)
        made.append(ticket)
    # followed, but in another department: outside the orderer's scope
    other = make_ticket(acting_user=agent, department=world.other_department, created_at=base)
    Follower.objects.get_or_create(ticket=other, user=orderer)
    Ticket.objects.filter(pk=made[3].pk).update(status=Status.CLOSED)
    return made


def _ids(rows):
    return [t.pk for t in rows]


@pytest.mark.parametrize("role", ["orderer", "member_contact", "agent"])
@pytest.mark.parametrize("filters", [{}, {"status": "open"}, {"q": "Skrivaren"}])
def test_rows_equal_ticket_list_for_every_window(world, mixed, role, filters):
    user = world.users[role]
    expected = list(selectors.ticket_list(user, filters=filters, mine=True).values_list("pk", flat=True))
    rows = selectors.ticket_list_rows(user, filters=filters, mine=True)
    assert _ids(rows[0:50]) == expected
    for start, stop in [(0, 2), (1, 4), (3, 9), (7, 20)]:
        assert _ids(rows[start:stop]) == expected[start:stop]
    if role == "orderer":
        assert expected and len(expected) < len(mixed)  # the scenario really filters


def test_requester_rows_are_scoped(world, mixed):
    orderer = world.users["orderer"]
    rows = selectors.ticket_list_rows(orderer, mine=True)[0:50]
    assert all(t.department_id == world.department.pk for t in rows)
    # an orderer of another department who follows (and even requested) tickets here sees none of them
    stranger = User.objects.create_user(
        "t-stranger", federation=world.federation, roles=[ORDERER], department=world.other_department
    )
    Ticket.objects.filter(pk=mixed[1].pk).update(requester=stranger)
    Follower.objects.create(ticket=mixed[2], user=stranger)
    assert selectors.ticket_list_rows(stranger, mine=True)[0:50] == []
    own = Ticket.objects.filter(department=world.other_department).first()
    Follower.objects.create(ticket=own, user=stranger)
    assert _ids(selectors.ticket_list_rows(stranger, mine=True)[0:50]) == [own.pk]
    assert list(selectors.ticket_list_rows(world.outsider, mine=True)[0:50]) == []


def test_requester_rows_reject_unbounded_slices(world):
    rows = selectors.ticket_list_rows(world.users["orderer"], mine=True)
    with pytest.raises(TypeError):
        rows[3]
    with pytest.raises(TypeError):
        rows[2:]


@pytest.mark.parametrize(("role", "url"), [("agent", "portal:desk"), ("orderer", "portal:my-tickets")])
def test_list_pages_cost_the_same_queries_for_3_and_12_tickets(world, make_ticket, role, url):
    client = world.client(role)
    params = {"status": "open"} if url == "portal:desk" else {}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url), params)
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        make_ticket()
    few = count()
    for _ in range(9):
        make_ticket()
    assert count() == few


def test_rows_link_plain_ids_not_localized_numbers(world, team):
    """USE_THOUSAND_SEPARATOR would turn id 12345 into "12 345" in links and checkbox values."""
    Ticket.objects.create(
        pk=12345,
        federation=world.federation,
        member=world.member,
        department=world.department,
        requester=world.users["orderer"],
        team=team,
        title="Stort id",
    )
    page = world.client("agent").get(reverse("portal:desk"), {"status": "open"}).content.decode()
    assert 'href="/portal/arenden/12345/"' in page and 'value="12345"' in page
    mine = world.client("orderer").get(reverse("portal:my-tickets")).content.decode()
    assert 'href="/portal/arenden/12345/"' in mine


def test_row_shows_names_status_and_sla(world, make_ticket):
    ticket = make_ticket()
    row = world.client("agent").get(reverse("portal:desk"), {"status": "open"}).context["rows"][0]
    assert row["id"] == str(ticket.pk) and row["reference"] == ticket.reference
    assert row["status"] == "Ny" and row["team"] == "IT-support" and row["assignee"] == "–"
    assert row["organisation"] == f"{world.member.name} / {world.department.name}"
    local = timezone.localtime(ticket.created_at).strftime("%Y-%m-%d %H:%M")
    assert row["created"] == local and row["sla_css"] == "ok" and row["sla_label"] == "Inom SLA"


def test_filter_form_keeps_chosen_values_and_marks_errors(world, team):
    client = world.client("agent")
    page = client.get(
        reverse("portal:desk"), {"status": "open", "team": team.pk, "q": "skrivare <b>", "breached": "on"}
    ).content.decode()
    assert '<option value="open" selected>' in page
    assert f'<option value="{team.pk}" selected>IT-support</option>' in page
    assert 'name="q" id="id_q" value="skrivare &lt;b&gt;"' in page
    assert 'name="breached" id="id_breached" checked' in page
    assert '<label for="id_assignee">' in page
    bad = client.get(reverse("portal:desk"), {"status": "bogus"}).content.decode()
    assert 'name="status" id="id_status" aria-invalid="true"' in bad
    requester_page = world.client("orderer").get(reverse("portal:my-tickets")).content.decode()
    assert 'id="id_assignee"' not in requester_page and 'id="id_status"' in requester_page
