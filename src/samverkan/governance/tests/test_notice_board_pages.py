"""The public notice board: page, API and CLI show current notices and the history."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samverkan.core.roles import ALL_ROLES
from samverkan.governance.services import minutes as services
from samverkan.governance.tests.test_minutes_services import approve_all, make_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(world):
    """An old notice (2013, history) and one posted today (current)."""
    sec = world.users["secretary"]
    old = make_minutes(world)
    for title in ("Dagens ärenden", "Aktuell information"):
        services.paragraph_add(acting_user=sec, minutes=old, title=title)
    approve_all(world, old, posted_on=date(2013, 10, 30))
    from samverkan.governance.models import Meeting, MeetingStatus

    meeting = Meeting.objects.create(body=old.meeting.body, date=timezone.localdate(), status=MeetingStatus.HELD)
    new = services.minutes_create(acting_user=sec, meeting=meeting, secretary=sec, chair_name="T", kept_at="Kansliet")
    services.adjuster_add(acting_user=sec, minutes=new, user=world.users["board"], role="chair")
    services.paragraph_add(acting_user=sec, minutes=new, title="Nytt")
    services.minutes_approve(acting_user=world.users["board"], minutes=new)
    return old, new


def test_page_is_public_and_shows_current_and_history(world, board):
    url = reverse("governance:notice_board", args=[world.federation.slug])
    for role in (*ALL_ROLES, None, "outsider"):  # everyone, logged in or not, any federation
        assert world.client(role).get(url).status_code == 200, role
    response = world.client(None).get(url)
    assert response.status_code == 200
    current, history = response.context["board"].current, response.context["board"].history
    assert [n.posted_on for n in current] == [timezone.localdate()]
    assert [(n.paragraphs, n.posted_on, n.taken_down_on) for n in history] == [
        ("Lyst 50–51", date(2013, 10, 30), date(2013, 11, 20))
    ]
    html = response.content.decode()
    assert "Kommunkansliet" in html and "2013-11-20" in html and "Lyst 50–51" in html


def test_another_federation_board_shows_nothing_of_ours(world, board):
    response = world.client(None).get(reverse("governance:notice_board", args=[world.other_federation.slug]))
    assert response.status_code == 200
    assert "Samverkansnämnden LYST" not in response.content.decode()
    assert world.client(None).get(reverse("governance:notice_board", args=["finns-inte"])).status_code == 404


def test_api_is_public(world, board):
    url = reverse("governance-api:notice-board", args=[world.federation.slug])
    response = world.api(None).get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["current"][0]["taken_down_on"] >= (timezone.localdate() + timedelta(weeks=3)).isoformat()
    assert data["history"][0] == {
        "federation": world.federation.slug,
        "body": "Samverkansnämnden LYST",
        "meeting_date": "2013-10-28",
        "paragraphs": "Lyst 50–51",
        "posted_on": "2013-10-30",
        "taken_down_on": "2013-11-20",
        "kept_at": "Kommunkansliet",
        "current": False,
    }


def test_a_notice_is_current_for_exactly_its_dates(world, board):
    out = StringIO()
    slug = world.federation.slug
    for day, current in (("2013-10-29", None), ("2013-10-30", True), ("2013-11-20", True), ("2013-11-21", False)):
        call_command(
            "governance",
            "notice-board",
            "--federation",
            slug,
            "--date",
            day,
            "--format",
            "json",
            stdout=(out := StringIO()),
        )
        data = json.loads(out.getvalue())
        found = [n["current"] for n in data["current"] + data["history"] if n["posted_on"] == "2013-10-30"]
        assert found == ([] if current is None else [current]), day


def test_cli_table_and_all_federations(world, board):
    out = StringIO()
    call_command("governance", "notice-board", "--format", "table", stdout=out)
    text = out.getvalue()
    assert "Förbund" in text and "2013-11-20" in text and "tidigare" in text and "aktuellt" in text
    out = StringIO()
    call_command("governance", "notice-board", "--format", "json", stdout=out)
    assert {b["federation"] for b in json.loads(out.getvalue())} == {world.federation.slug, world.other_federation.slug}


def test_api_moves_the_take_down_date_within_the_rule(world, board):
    old, _new = board
    url = reverse("governance-api:notice-posting-detail", args=[old.posting.pk])
    assert world.api("secretary").patch(url, {"taken_down_on": "2013-11-19"}, format="json").status_code == 400
    assert world.api("economist").patch(url, {"taken_down_on": "2013-11-25"}, format="json").status_code == 403
    assert world.api("outsider").get(url).status_code == 404
    response = world.api("secretary").patch(url, {"taken_down_on": "2013-11-25"}, format="json")
    assert response.status_code == 200 and response.json()["taken_down_on"] == "2013-11-25"
