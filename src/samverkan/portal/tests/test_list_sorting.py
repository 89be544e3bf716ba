"""The ticket lists as lists (core.listing): whitelisted sort, dates, a count fetched after the
page, XLSX with the list's filters, order and scope."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samverkan.portal.models import Ticket

pytestmark = pytest.mark.django_db
DESK = "portal:desk"


@pytest.fixture
def tickets(world, make_ticket):
    """Four open tickets of the world's department, priorities 3, 1, 4, 2, created a day apart."""
    made = []
    for age, priority in enumerate((3, 1, 4, 2)):
        ticket = make_ticket(title=f"Ärende {priority}")
        Ticket.objects.filter(pk=ticket.pk).update(
            priority=priority, created_at=timezone.now() - timedelta(days=age, hours=1)
        )
        made.append(ticket)
    return made


def _ids(response) -> list[int]:
    return [int(row["id"]) for row in response.context["rows"]]


def test_desk_sorted_by_priority_both_ways(world, tickets):
    client = world.client("agent")
    up = client.get(reverse(DESK), {"status": "open", "ordning": "prio"})
    assert [Ticket.objects.get(pk=pk).priority for pk in _ids(up)] == [1, 2, 3, 4]
    down = client.get(reverse(DESK), {"status": "open", "ordning": "-prio"})
    assert [Ticket.objects.get(pk=pk).priority for pk in _ids(down)] == [4, 3, 2, 1]
    html = down.content.decode()
    assert 'aria-sort="descending"' in html and "▼" in html
    assert 'href="?status=open&amp;ordning=prio"' in html  # turns round, keeps the filter
    oldest_first = client.get(reverse(DESK), {"status": "open", "ordning": "skapad"})
    assert _ids(oldest_first) == [t.pk for t in reversed(tickets)]


def test_desk_unknown_sort_is_ignored_with_a_message(world, tickets):
    response = world.client("agent").get(reverse(DESK), {"status": "open", "ordning": "-title"})
    assert response.status_code == 200 and _ids(response) == [t.pk for t in tickets]
    assert "Okänd sortering" in response.content.decode()


def test_sorting_costs_no_extra_query(world, tickets):
    client = world.client("agent")

    def cost(params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(DESK), params).status_code == 200
        return len(queries)

    assert cost({"status": "open", "ordning": "-losning"}) == cost({"status": "open"})


def test_requester_list_keeps_its_order(world, tickets):
    response = world.client("orderer").get(reverse("portal:my-tickets"), {"ordning": "prio"})
    assert _ids(response) == [t.pk for t in tickets]  # newest first, the only order of the two streams
    html = response.content.decode()
    assert "aria-sort" not in html and "Okänd sortering" not in html and 'id="f-fran"' not in html


def test_count_comes_after_the_page(world, tickets):
    client = world.client("agent")
    page = client.get(reverse(DESK), {"status": "open"}).content.decode()
    assert 'hx-get="?status=open&amp;format=antal"' in page
    assert "4 ärenden i urvalet" in client.get(reverse(DESK), {"status": "open", "format": "antal"}).content.decode()
    # the count request says nothing of a bad query (the page did): no message left for later
    client.get(reverse(DESK), {"status": "open", "format": "antal", "ordning": "x", "fran": "x"})
    assert "Okänd sortering" not in client.get(reverse(DESK), {"status": "open"}).content.decode()
    mine = world.client("orderer").get(reverse("portal:my-tickets"), {"format": "antal"}).content.decode()
    assert "4 ärenden i urvalet" in mine
    assert (
        "0 ärenden" in world.client("outsider").get(reverse("portal:ticket-list"), {"format": "antal"}).content.decode()
    )


def test_date_filter(world, tickets):
    client = world.client("agent")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.get(reverse(DESK), {"status": "open", "fran": yesterday, "till": yesterday})
    created = {timezone.localtime(Ticket.objects.get(pk=pk).created_at).date().isoformat() for pk in _ids(response)}
    assert created == {yesterday}
    count = client.get(reverse(DESK), {"status": "open", "till": "2000-01-01", "format": "antal"}).content.decode()
    assert "0 ärenden" in count


def test_xlsx_numbers_dates_order_and_scope(world, tickets, make_ticket):
    other = make_ticket(acting_user=world.users["agent"], department=world.other_department, title="Annan förvaltning")
    response = world.client("agent").get(reverse(DESK), {"status": "open", "ordning": "prio", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5 and isinstance(rows[0][0], int) and isinstance(rows[0][3], int)
    assert [row[3] for row in rows] == sorted(row[3] for row in rows)
    assert sheet.cell(row=2, column=10).is_date
    mine = world.client("orderer").get(reverse("portal:my-tickets"), {"format": "xlsx"})
    ids = {row[0] for row in load_workbook(io.BytesIO(mine.content)).active.iter_rows(min_row=2, values_only=True)}
    assert other.pk not in ids and ids == {t.pk for t in tickets}
    outsider = world.client("outsider").get(reverse("portal:ticket-list"), {"format": "xlsx"})
    assert list(load_workbook(io.BytesIO(outsider.content)).active.iter_rows(min_row=2)) == []
