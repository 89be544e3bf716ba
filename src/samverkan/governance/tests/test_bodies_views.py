"""Pages and API of bodies and seats, per role, and the board-member rule through both doors."""

from datetime import date

import pytest
from django.urls import reverse

from samverkan.governance.models import Body, BodyKind, Seat
from samverkan.governance.services.bodies import body_create, seat_add
from samverkan.testing import assert_roles

READERS = {"admin", "secretary", "economist", "board"}
EDITORS = {"admin", "secretary"}


@pytest.fixture
def body(world):
    return body_create(
        acting_user=world.users["admin"], federation=world.federation, name="Direktionen", kind=BodyKind.BOARD
    )


@pytest.fixture
def seated(world, body):
    return seat_add(
        acting_user=world.users["admin"],
        body=body,
        person_name="Bo Board",
        user=world.users["board"],
        appointed_by=world.member,
        start=date(2020, 1, 1),
    )


def test_list_page_roles(world, body):
    assert_roles(world, "get", reverse("governance:body_list"), allowed=READERS)
    assert_roles(world, "get", reverse("governance:body_create"), allowed=EDITORS)


def test_detail_page_roles_and_board_rule(world, body, seated):
    url = reverse("governance:body_detail", args=[body.pk])
    assert_roles(world, "get", url, allowed=READERS)
    assert_roles(world, "get", reverse("governance:body_edit", args=[body.pk]), allowed=EDITORS)
    assert_roles(world, "get", reverse("governance:seat_add", args=[body.pk]), allowed=EDITORS)
    assert_roles(world, "get", reverse("governance:seat_edit", args=[seated.pk]), allowed=EDITORS)
    other = body_create(
        acting_user=world.users["admin"], federation=world.federation, name="Presidiet", kind="presidium"
    )
    assert world.client("board").get(reverse("governance:body_detail", args=[other.pk])).status_code == 404
    assert world.client("outsider").get(url).status_code == 404
    page = world.client("board").get(reverse("governance:body_list")).content.decode()
    assert "Direktionen" in page and "Presidiet" not in page
    assert "Bo Board" in world.client("economist").get(url).content.decode()


def test_create_and_seat_through_pages(world):
    client = world.client("secretary")
    response = client.post(reverse("governance:body_create"), {"name": "Gemensamma nämnden", "kind": "joint_committee"})
    assert response.status_code == 302
    body = Body.objects.get(name="Gemensamma nämnden")
    response = client.post(
        reverse("governance:seat_add", args=[body.pk]),
        {
            "person_name": "Eva",
            "kind": "member",
            "office": "chair",
            "start": "2023-01-01",
            "appointed_by": world.member.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    seat = Seat.objects.get(body=body)
    # another federation's member is not a choice
    response = client.post(
        reverse("governance:seat_add", args=[body.pk]),
        {"person_name": "X", "kind": "member", "start": "2023-01-01", "appointed_by": world.foreign_member.pk},
    )
    assert response.status_code == 200 and Seat.objects.filter(body=body).count() == 1
    # a second chair: the service's refusal beside the field
    response = client.post(
        reverse("governance:seat_add", args=[body.pk]),
        {"person_name": "Y", "kind": "member", "office": "chair", "start": "2023-06-01"},
    )
    assert response.status_code == 200 and "innehas redan" in response.content.decode()
    response = client.post(reverse("governance:seat_end", args=[seat.pk]), {"end": "2024-12-31"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end == date(2024, 12, 31)
    assert (
        world.client("economist")
        .post(reverse("governance:seat_end", args=[seat.pk]), {"end": "2025-01-01"})
        .status_code
        == 403
    )


def test_api_roles_and_scoping(world, body, seated):
    assert_roles(world, "get", "/api/v1/governance/bodies/", allowed=READERS, api=True)
    assert_roles(world, "get", f"/api/v1/governance/bodies/{body.pk}/", allowed=READERS, api=True)
    assert_roles(world, "get", "/api/v1/governance/seats/", allowed=READERS, api=True)
    assert world.api("outsider").get(f"/api/v1/governance/bodies/{body.pk}/").status_code == 404
    other = body_create(
        acting_user=world.users["admin"], federation=world.federation, name="Presidiet", kind="presidium"
    )
    names = [b["name"] for b in world.api("board").get("/api/v1/governance/bodies/").json()["results"]]
    assert names == ["Direktionen"]
    assert world.api("board").get(f"/api/v1/governance/bodies/{other.pk}/").status_code == 404


def test_api_writes(world, body):
    api = world.api("secretary")
    response = api.post("/api/v1/governance/bodies/", {"name": "Revisorerna", "kind": "auditors"}, format="json")
    assert response.status_code == 201, response.json()
    response = api.post("/api/v1/governance/bodies/", {"name": "Revisorerna", "kind": "auditors"}, format="json")
    assert response.status_code == 400
    seat = {"body": body.pk, "person_name": "Eva", "kind": "member", "start": "2023-01-01"}
    response = api.post("/api/v1/governance/seats/", seat, format="json")
    assert response.status_code == 201, response.json()
    seat_id = response.json()["id"]
    assert api.patch(f"/api/v1/governance/seats/{seat_id}/", {"party": "M"}, format="json").json()["party"] == "M"
    response = api.post(f"/api/v1/governance/seats/{seat_id}/end/", {"end": "2026-12-31"}, format="json")
    assert response.json()["end"] == "2026-12-31"
    # another federation's member → 400; other roles refused
    bad = dict(seat, appointed_by=world.foreign_member.pk)
    assert api.post("/api/v1/governance/seats/", bad, format="json").status_code == 400
    for role in ("economist", "board", "agent", "member_contact", "orderer", None):
        assert world.api(role).post(
            "/api/v1/governance/bodies/", {"name": "Z", "kind": "other"}, format="json"
        ).status_code in (401, 403)
    assert (
        world.api("outsider").patch(f"/api/v1/governance/bodies/{body.pk}/", {"name": "Q"}, format="json").status_code
        == 404
    )
