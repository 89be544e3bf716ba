"""Minutes pages and API: who reads, who edits, who approves; locked minutes refuse via the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from samverkan.governance.models import Minutes, NoticePosting, Paragraph
from samverkan.governance.services import minutes as services
from samverkan.governance.tests.test_minutes_services import add_case, approve_all, make_minutes
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db
EDITORS = {"admin", "secretary"}
READERS = {"admin", "secretary", "economist", "board"}  # board: sits in the body (Seat.user)


@pytest.fixture
def minutes(world):
    m = make_minutes(world)
    p = services.paragraph_add(
        acting_user=world.users["secretary"],
        minutes=m,
        title="Resepolicy",
        case=add_case(world),
        dispatch_to="Lycksele kommun",
    )
    world.extra["paragraph"] = p
    return m


def test_read_pages_and_api_by_role(world, minutes):
    p = world.extra["paragraph"]
    for url in (
        reverse("governance:minutes_list"),
        reverse("governance:minutes_detail", args=[minutes.pk]),
        reverse("governance:paragraph_detail", args=[p.pk]),
    ):
        assert_roles(world, "get", url, allowed=READERS)
    for url in (
        reverse("governance-api:minutes-list"),
        reverse("governance-api:minutes-detail", args=[minutes.pk]),
        reverse("governance-api:paragraph-detail", args=[p.pk]),
    ):
        assert_roles(world, "get", url, allowed=READERS, api=True)
    assert world.client("outsider").get(reverse("governance:minutes_detail", args=[minutes.pk])).status_code == 404
    assert world.api("outsider").get(reverse("governance-api:minutes-detail", args=[minutes.pk])).status_code == 404


def test_detail_shows_seed_layout_facts(world, minutes):
    html = world.client("secretary").get(reverse("governance:minutes_detail", args=[minutes.pk])).content.decode()
    assert "Lyst 50" in html and "2013-16" in html and "Kommunkansliet" in html
    page = world.client("economist").get(reverse("governance:paragraph_detail", args=[world.extra["paragraph"].pk]))
    assert "Lycksele kommun" in page.content.decode()


def test_a_board_member_without_a_seat_sees_nothing(world, minutes):
    from samverkan.core.models import User
    from samverkan.core.roles import BOARD
    from samverkan.testing import PASSWORD

    other = User.objects.create_user(username="t-board3", password=PASSWORD, federation=world.federation, roles=[BOARD])
    client = world.client(None)
    client.force_login(other)
    assert client.get(reverse("governance:minutes_detail", args=[minutes.pk])).status_code == 404
    assert client.get(reverse("governance:minutes_list")).context["rows"].count() == 0


def test_edit_pages_by_role(world, minutes):
    for url in (
        reverse("governance:paragraph_add", args=[minutes.pk]),
        reverse("governance:attendance_add", args=[minutes.pk]),
        reverse("governance:adjuster_add", args=[minutes.pk]),
        reverse("governance:minutes_edit", args=[minutes.pk]),
        reverse("governance:paragraph_edit", args=[world.extra["paragraph"].pk]),
        reverse("governance:decision_link_add", args=[world.extra["paragraph"].pk]),
        reverse("governance:paragraph_counter"),
    ):
        assert_roles(world, "get", url, allowed=EDITORS)


def test_secretary_adds_a_paragraph_through_the_page(world, minutes):
    url = reverse("governance:paragraph_add", args=[minutes.pk])
    response = world.client("secretary").post(
        url, {"title": "Verksamhetsplan 2014", "decision": "Fastställs.", "dispatch_to": "Verksamhetschef kundtjänst"}
    )
    assert response.status_code == 302
    assert Paragraph.objects.get(title="Verksamhetsplan 2014").number == 51
    assert world.client("economist").post(url, {"title": "x"}).status_code == 403


def test_api_write_roles(world, minutes):
    url = reverse("governance-api:paragraph-list", args=[minutes.pk])
    for role in ("economist", "board", "agent", "member_contact", "orderer", None):
        assert world.api(role).post(url, {"title": "x"}, format="json").status_code in (401, 403), role
    assert world.api("outsider").post(url, {"title": "x"}, format="json").status_code in (403, 404)
    response = world.api("secretary").post(url, {"title": "Ny", "case": None}, format="json")
    assert response.status_code == 201 and response.json()["label"] == "Lyst 51"
    foreign = world.api("secretary").post(url, {"title": "x", "case": 999999}, format="json")
    assert foreign.status_code == 400


def test_approval_through_page_and_api(world, minutes):
    approve = reverse("governance:minutes_approve", args=[minutes.pk])
    assert world.client("economist").post(approve).status_code == 403
    assert world.client("secretary").post(approve).status_code == 302  # refused by the service: not an adjuster
    assert not minutes.adjusters.filter(approved_at__isnull=False).exists()
    assert world.client("board").post(approve, {"posted_on": "2013-10-30"}).status_code == 302
    api = reverse("governance-api:minutes-approve", args=[minutes.pk])
    client = world.api(None)
    client.force_authenticate(world.extra["board2"])
    response = client.post(api, {"posted_on": "2013-10-30"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["locked_at"] and data["posting"]["taken_down_on"] == "2013-11-20"
    assert NoticePosting.objects.filter(minutes=minutes).exists()
    assert client.post(api, {}, format="json").status_code == 400


def test_locked_minutes_refuse_api_writes(world, minutes):
    approve_all(world, minutes, posted_on=date(2013, 10, 30))
    sec = world.api("secretary")
    p = world.extra["paragraph"]
    attempts = [
        sec.post(reverse("governance-api:paragraph-list", args=[minutes.pk]), {"title": "Rättelse"}, format="json"),
        sec.patch(reverse("governance-api:paragraph-detail", args=[p.pk]), {"text": "ändrad"}, format="json"),
        sec.patch(reverse("governance-api:minutes-detail", args=[minutes.pk]), {"chair_name": "X"}, format="json"),
        sec.post(
            reverse("governance-api:attendance-list", args=[minutes.pk]), {"name": "X", "kind": "other"}, format="json"
        ),
        sec.post(
            reverse("governance-api:adjuster-list", args=[minutes.pk]), {"user": world.users["admin"].pk}, format="json"
        ),
        sec.delete(reverse("governance-api:adjuster-detail", args=[minutes.adjusters.first().pk])),
    ]
    for response in attempts:
        assert response.status_code == 400, response.content
        assert "justerat" in response.content.decode()
    p.refresh_from_db()
    assert p.text == "" and Minutes.objects.get(pk=minutes.pk).chair_name == "Tomas Mörtsell"
    # A locked paragraph's page offers no edit link; a decision link may still be added
    link = sec.post(
        reverse("governance-api:decision-links", args=[p.pk]),
        {"target_type": "members.member", "object_id": world.member.pk, "description": "Antagning"},
        format="json",
    )
    assert link.status_code == 201 and link.json()[0]["target"] == str(world.member)
    foreign = sec.post(
        reverse("governance-api:decision-links", args=[p.pk]),
        {"target_type": "members.member", "object_id": world.foreign_member.pk},
        format="json",
    )
    assert foreign.status_code == 400


def test_decision_link_page(world, minutes):
    p = world.extra["paragraph"]
    url = reverse("governance:decision_link_add", args=[p.pk])
    response = world.client("secretary").post(
        url, {"target_type": "members.member", "object_id": world.member.pk, "description": "Ny medlem"}
    )
    assert response.status_code == 302
    page = world.client("board").get(reverse("governance:paragraph_detail", args=[p.pk])).content.decode()
    assert "Ny medlem" in page and str(world.member) in page
    assert reverse("members:member-detail", args=[world.member.pk]) in page


def test_pdf_download_roles(world, minutes):
    url = reverse("governance:minutes_pdf", args=[minutes.pk])
    response = world.client("economist").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert world.client("agent").get(url).status_code == 403
    assert world.client("outsider").get(url).status_code == 404


def test_decisions_for_an_object_through_the_api(world, minutes):
    p = world.extra["paragraph"]
    services.decision_link_add(acting_user=world.users["secretary"], paragraph=p, target=world.member)
    url = reverse("governance-api:decisions-for")
    query = {"target_type": "members.member", "object_id": world.member.pk}
    data = world.api("economist").get(url, query).json()
    assert [row["label"] for row in data] == ["Lyst 50"]
    assert world.api("outsider").get(url, query).json() == []
    assert world.api("agent").get(url, query).status_code == 403
    link = p.effects.get()
    detail = reverse("governance-api:decision-link-detail", args=[link.pk])
    assert world.api("economist").delete(detail).status_code == 403
    assert world.api("secretary").delete(detail).status_code == 204
    assert not p.effects.exists()


def test_create_and_edit_minutes_through_page_and_api(world, minutes):
    from samverkan.governance.models import Meeting

    sec = world.users["secretary"]
    meeting = Meeting.objects.create(body=minutes.meeting.body, date=date(2013, 12, 9))
    url = reverse("governance:minutes_create", args=[meeting.pk])
    assert world.client("economist").get(url).status_code == 403
    data = {"secretary": sec.pk, "chair_name": "Tomas Mörtsell", "kept_at": "Kommunkansliet"}
    assert world.client("secretary").post(url, data).status_code == 302
    created = Minutes.objects.get(meeting=meeting)
    again = world.client("secretary").post(url, data)
    assert again.status_code == 200 and "redan ett protokoll" in again.content.decode()
    edit = reverse("governance:minutes_edit", args=[created.pk])
    assert world.client("secretary").post(edit, {**data, "agenda_changes": "Ärende utgår."}).status_code == 302
    created.refresh_from_db()
    assert created.agenda_changes == "Ärende utgår."
    other = Meeting.objects.create(body=minutes.meeting.body, date=date(2013, 12, 16))
    api = world.api("secretary").post(
        reverse("governance-api:minutes-list"),
        {"meeting": other.pk, "secretary": sec.pk, "chair_name": "T"},
        format="json",
    )
    assert api.status_code == 201, api.content
    foreign = world.api("secretary").post(
        reverse("governance-api:minutes-list"),
        {"meeting": other.pk, "secretary": world.outsider.pk, "chair_name": "T"},
        format="json",
    )
    assert foreign.status_code == 400


def test_attendance_adjusters_and_numbering_pages(world, minutes):
    client = world.client("secretary")
    response = client.post(
        reverse("governance:attendance_add", args=[minutes.pk]),
        {"name": "Erika Arklöf", "title": "projektledare", "kind": "other", "paragraphs": "alla"},
    )
    assert response.status_code == 200 and "51-52" in response.content.decode()  # the help on the refused field
    client.post(
        reverse("governance:attendance_add", args=[minutes.pk]),
        {"name": "Erika Arklöf", "title": "projektledare", "kind": "other", "paragraphs": "51-52"},
    )
    row = minutes.meeting.attendance.get()
    assert row.paragraphs == "51-52"
    assert client.post(reverse("governance:attendance_remove", args=[row.pk])).status_code == 302
    assert not minutes.meeting.attendance.exists()
    response = client.post(
        reverse("governance:adjuster_add", args=[minutes.pk]), {"user": world.outsider.pk, "role": "adjuster"}
    )
    assert response.status_code == 200  # another federation's person is no choice
    client.post(
        reverse("governance:adjuster_add", args=[minutes.pk]), {"user": world.users["admin"].pk, "role": "adjuster"}
    )
    added = minutes.adjusters.get(user=world.users["admin"])
    assert client.post(reverse("governance:adjuster_remove", args=[added.pk])).status_code == 302
    assert not minutes.adjusters.filter(pk=added.pk).exists()
    body = minutes.meeting.body
    assert (
        client.post(
            reverse("governance:paragraph_counter"), {"body": body.pk, "year": 2014, "next_number": 10}
        ).status_code
        == 302
    )
    api = world.api("secretary").post(
        reverse("governance-api:paragraph-counter"), {"body": body.pk, "year": 2014, "next_number": 5}, format="json"
    )
    assert api.status_code == 200 and api.json()["next_number"] == 5
