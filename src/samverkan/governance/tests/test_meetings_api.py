"""Meeting API: roles, CRUD of meetings and agenda items, reorder, notice, plan as iCalendar."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from samverkan.governance.services import meetings as services
from samverkan.governance.tests.meetings_helpers import make_body, make_case
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db
READERS = {"admin", "secretary", "economist", "board"}


@pytest.fixture
def meeting(world):
    return services.meeting_create(acting_user=world.users["admin"], body=make_body(world), date=date(2014, 5, 12))


def test_read_endpoints_by_role(world, meeting):
    for url in (
        reverse("governance-api:meeting-list"),
        reverse("governance-api:meeting-detail", kwargs={"pk": meeting.pk}),
        reverse("governance-api:agenda-list", kwargs={"pk": meeting.pk}),
        reverse("governance-api:meeting-plan-ical", kwargs={"body": meeting.body_id, "year": 2014}),
    ):
        assert_roles(world, "get", url, allowed=READERS, api=True)


def test_write_endpoints_refuse_readers(world, meeting):
    url = reverse("governance-api:agenda-list", kwargs={"pk": meeting.pk})
    for role in ("economist", "board", "agent", "member_contact", "orderer"):
        response = world.api(role).post(url, {"kind": "information", "title": "X"}, format="json")
        assert response.status_code == 403, role
    assert world.api("outsider").post(url, {"kind": "information", "title": "X"}, format="json").status_code == 404
    notice = reverse("governance-api:meeting-notice", kwargs={"pk": meeting.pk})
    assert world.api("board").post(notice, {}, format="json").status_code == 403


def test_board_list_is_limited_to_their_bodies(world, meeting):
    other = make_body(world, federation=world.federation, name="Presidiet")
    services.meeting_create(acting_user=world.users["admin"], body=other, date=date(2014, 6, 1))
    rows = world.api("board").get(reverse("governance-api:meeting-list")).json()
    rows = rows.get("results", rows)
    assert {r["body_name"] for r in rows} == {"Samverkansnämnden LYST"}
    rows = world.api("economist").get(reverse("governance-api:meeting-list") + "?ar=2014").json()
    assert len(rows.get("results", rows)) == 2


def test_crud_reorder_and_notice(world, meeting, django_capture_on_commit_callbacks):
    api = world.api("secretary")
    response = api.post(
        reverse("governance-api:meeting-list"),
        {"body": meeting.body_id, "date": "2014-09-15", "topics": "Delårsrapport per 30 augusti"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    new_pk = response.json()["id"]
    detail = api.get(reverse("governance-api:meeting-detail", kwargs={"pk": new_pk})).json()
    assert [i["kind"] for i in detail["agenda"]] == ["adjusters", "approve_agenda", "extra_items"]
    case = make_case(world)
    docs = [d.pk for d in case.documents.all()]
    agenda_url = reverse("governance-api:agenda-list", kwargs={"pk": new_pk})
    response = api.post(agenda_url, {"case": case.pk, "documents": docs, "proposal": "Godkänns."}, format="json")
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["position"] == 4 and item["case_number"] == "2013-16"
    assert [d["secrecy"] for d in item["document_details"]] == ["", "OSL 31 kap. 16 §"]
    item_url = reverse("governance-api:agenda-detail", kwargs={"pk": new_pk, "item": item["id"]})
    assert api.patch(item_url, {"presenter": "Marie Ahlqvist"}, format="json").json()["presenter"] == "Marie Ahlqvist"
    ids = [i["id"] for i in api.get(agenda_url).json()]
    reorder = reverse("governance-api:agenda-reorder", kwargs={"pk": new_pk})
    response = api.post(reorder, {"order": list(reversed(ids))}, format="json")
    assert [i["id"] for i in response.json()] == list(reversed(ids))
    assert api.post(reorder, {"order": ids[:2]}, format="json").status_code == 400
    assert api.delete(item_url).status_code == 204
    notice = reverse("governance-api:meeting-notice", kwargs={"pk": new_pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(notice, {}, format="json")
    assert response.status_code == 201 and response.json()["without_email"] == ["Lilly Bäcklund"]
    assert len(mail.outbox) == 2
    assert api.post(notice, {}, format="json").status_code == 400  # resending needs a note
    response = api.patch(
        reverse("governance-api:meeting-detail", kwargs={"pk": new_pk}), {"status": "adjusted"}, format="json"
    )
    assert response.status_code == 400


def test_plan_calendar(world, meeting):
    response = world.api("board").get(
        reverse("governance-api:meeting-plan-ical", kwargs={"body": meeting.body_id, "year": 2014})
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.count(b"BEGIN:VEVENT") == 1
