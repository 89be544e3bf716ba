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
from samverkan.portal.models import (
    ClosedDay,
    Follower,
    PauseReason,
    SlaTargetSetting,
    Status,
    Team,
    Ticket,
    TicketPause,
)


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
    return [t.pk for t in selectors.list_page(rows).tickets]


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
    assert all(t.department_id == world.department.pk for t in selectors.list_page(rows).tickets)
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


# What a list page costs in queries, whatever its rows' teams, priorities, pauses and number.
# Both: session, user, roles (menu); the page's rows (for "my tickets" merged from its two
# streams, requested and followed, in the same statement); their pauses with the closed days
# and SLA targets (one statement, selectors.list_page); the header's federation. The desk adds
# its teams and saved views.
# Raise a figure only for a reason worth a query on every page view (benchmarks/portal_load.py).
LIST_PAGE_QUERIES = {"portal:desk": 7, "portal:my-tickets": 5}


@pytest.mark.parametrize(("role", "url"), [("agent", "portal:desk"), ("orderer", "portal:my-tickets")])
def test_list_pages_cost_a_fixed_number_of_queries(world, make_ticket, team, role, url):
    client = world.client(role)
    params = {"status": "open"} if url == "portal:desk" else {}
    teams = [
        team,
        Team.objects.create(federation=world.federation, code="nat", name="Nätverk"),
        Team.objects.create(federation=world.federation, code="tel", name="Telefoni"),
    ]
    SlaTargetSetting.objects.create(
        federation=world.federation, team=teams[1], priority=2, response_minutes=30, resolution_minutes=240
    )
    SlaTargetSetting.objects.create(
        federation=world.federation, priority=4, response_minutes=60, resolution_minutes=600
    )
    ClosedDay.objects.create(federation=world.federation, day=timezone.localdate() + timedelta(days=1))
    made = 0

    def add(n: int) -> None:
        nonlocal made
        for _ in range(n):
            i = made = made + 1
            if i % 4 == 0:  # requested by someone else, followed by the orderer
                ticket = make_ticket(acting_user=world.users["agent"], requester_name="Annan", team=teams[i % 3])
                Follower.objects.get_or_create(ticket=ticket, user=world.users["orderer"])
            else:
                ticket = make_ticket(team=teams[i % 3])
            Ticket.objects.filter(pk=ticket.pk).update(priority=1 + i % 5, assignee=world.users["agent"])
            if i % 3 == 0:
                started = timezone.now() - timedelta(hours=2)
                TicketPause.objects.create(
                    ticket=ticket, reason=PauseReason.WAITING_REQUESTER, started_at=started, ended_at=started
                )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url), params)
        assert response.status_code == 200
        assert len(response.context["rows"]) == made
        return len(queries)

    add(3)
    few = count()
    add(12)
    assert count() == few == LIST_PAGE_QUERIES[url]


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


def test_rows_escape_their_text_and_empty_lists_say_so(world, make_ticket):
    """The rows are formatted in Python (views.lists._rows_html): every value must be escaped."""
    make_ticket(title="<script>alert('x')</script> & \"citat\"")
    for role, url, params in [("agent", "portal:desk", {"status": "open"}), ("orderer", "portal:my-tickets", {})]:
        page = world.client(role).get(reverse(url), params).content.decode()
        assert "<script>alert" not in page
        assert '/">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;citat&quot;</a></td>' in page
    desk = world.client("agent").get(reverse("portal:desk"), {"status": "open"}).content.decode()
    assert '<input type="checkbox" name="ticket" value="' in desk and 'aria-label="Välj #' in desk
    empty = world.client("agent").get(reverse("portal:desk"), {"status": "closed"}).content.decode()
    assert "Inga ärenden." in empty


def test_badges_from_the_one_statement_equal_the_orm_path(world, make_ticket, team):
    """selectors.list_page reads pauses, closed days and targets with one raw statement; the badges
    must be those SlaContext computes from the model (its own queries) for the same tickets."""
    from samverkan.portal.sla import SlaContext
    from samverkan.portal.views.lists import _badge_key, _badges

    SlaTargetSetting.objects.create(
        federation=world.federation, team=team, priority=3, response_minutes=20, resolution_minutes=90
    )
    SlaTargetSetting.objects.create(
        federation=world.federation, priority=4, response_minutes=600, resolution_minutes=6000
    )
    ClosedDay.objects.create(federation=world.federation, day=timezone.localdate() - timedelta(days=1))
    now = timezone.now()
    for i, age in enumerate([timedelta(minutes=5), timedelta(hours=3), timedelta(days=2), timedelta(days=12)]):
        ticket = make_ticket(created_at=now - age)
        Ticket.objects.filter(pk=ticket.pk).update(priority=3 + i % 2)
        if i % 2:
            started = now - age / 2
            TicketPause.objects.create(
                ticket=ticket, reason=PauseReason.WAITING_REQUESTER, started_at=started, ended_at=started + age / 4
            )
    rows = world.client("agent").get(reverse("portal:desk"), {"status": "open"}).context["rows"]
    context, badges = SlaContext(), _badges()
    for row in rows:
        state = context.list_state(Ticket.objects.get(pk=row["id"]), timezone.now())
        due = timezone.localtime(state.due_at).strftime("%Y-%m-%d %H:%M") if state.due_at else "–"
        assert (row["sla_css"], row["sla_label"], row["due"]) == (*badges[_badge_key(state)], due)
    assert len(rows) == 4
