"""/api/v1/members/…: token auth, pagination, filtering, scoping per role, audited writes, 400s."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from samverkan.core.models import AuditEvent
from samverkan.members.models import Department, FigureKind, HandOver, Member, MemberFigure
from samverkan.testing import PASSWORD, assert_roles

API = "/api/v1/members"
READERS = {"admin", "agent", "economist", "board", "member_contact"}


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row.get("name") or row.get("kommunkod") for row in response.json()["results"])


def test_token_auth_end_to_end(world):
    anonymous = APIClient()
    assert anonymous.get(f"{API}/members/").status_code in (401, 403)
    response = anonymous.post("/api/v1/token/", {"username": "t-board", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert names(client.get(f"{API}/members/")) == ["Lycksele kommun", "Storuman kommun"]
    assert client.get("/api/v1/me/").json()["roles"] == ["board"]
    # Same token on the second request; a wrong one is refused.
    again = anonymous.post("/api/v1/token/", {"username": "t-board", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert client.get(f"{API}/members/").status_code in (401, 403)
    wrong = anonymous.post("/api/v1/token/", {"username": "t-board", "password": "fel"}, format="json")
    assert wrong.status_code == 400 and "non_field_errors" in wrong.json()


@pytest.mark.parametrize("path", ["members/", "federations/", "services/", "handovers/", "figures/"])
def test_read_roles(world, path):
    assert_roles(world, "get", f"{API}/{path}", allowed=READERS, api=True)


def test_departments_are_readable_by_orderer_too(world):
    assert_roles(world, "get", f"{API}/departments/", allowed=READERS | {"orderer"}, api=True)


def test_scoping_per_role(world):
    assert names(world.api("member_contact").get(f"{API}/members/")) == ["Lycksele kommun"]
    assert world.api("member_contact").get(f"{API}/members/{world.other_member.pk}/").status_code == 404
    orderer = world.api("orderer").get(f"{API}/departments/").json()["results"]
    assert [d["id"] for d in orderer] == [world.department.pk]
    assert world.api("orderer").get(f"{API}/departments/{world.other_department.pk}/").status_code == 404
    contact_depts = world.api("member_contact").get(f"{API}/departments/").json()["results"]
    assert {d["member"] for d in contact_depts} == {world.member.pk}
    # The admin of another federation sees nothing of this one.
    outsider = world.api("outsider")
    assert names(outsider.get(f"{API}/members/")) == ["Ludvika kommun"]
    assert outsider.get(f"{API}/members/{world.member.pk}/").status_code == 404
    assert outsider.get(f"{API}/federations/{world.federation.pk}/").status_code == 404
    assert outsider.get(f"{API}/services/{world.service.pk}/participants/").status_code == 404
    figures = outsider.get(f"{API}/figures/").json()["results"]
    assert figures == []
    assert all(h["member"] == world.foreign_member.pk for h in outsider.get(f"{API}/handovers/").json()["results"])


def test_filtering(world):
    admin = world.api("admin")
    assert names(admin.get(f"{API}/members/", {"kommunkod": "2421"})) == ["Storuman kommun"]
    depts = admin.get(f"{API}/departments/", {"member": world.other_member.pk}).json()["results"]
    assert [d["invoice_reference"] for d in depts] == ["2421-SOC"]
    figures = admin.get(f"{API}/figures/", {"member": world.member.pk, "kind": "population"}).json()
    assert [(f["reference_date"], f["value"]) for f in figures["results"]] == [("2023-11-01", 12000)]
    assert admin.get(f"{API}/figures/", {"kind": "nonsense"}).status_code == 400


def test_pagination(world):
    Department.objects.bulk_create(
        Department(member=world.member, name=f"Enhet {i:03d}", invoice_reference=f"E{i}") for i in range(60)
    )
    admin = world.api("admin")
    first = admin.get(f"{API}/departments/").json()
    assert first["count"] == 63 and len(first["results"]) == 50 and first["next"].endswith("page=2")
    second = admin.get(first["next"]).json()
    assert len(second["results"]) == 13 and second["next"] is None
    assert {d["id"] for d in first["results"]}.isdisjoint({d["id"] for d in second["results"]})
    assert admin.get(f"{API}/departments/", {"page": 9}).status_code == 404


def test_service_participants_on_a_date(world):
    url = f"{API}/services/{world.service.pk}/participants/"
    assert names(world.api("economist").get(url, {"on": "2019-12-31"})) == []
    assert names(world.api("economist").get(url, {"on": "2024-01-01"})) == ["Lycksele kommun", "Storuman kommun"]
    assert names(world.api("member_contact").get(url, {"on": "2024-01-01"})) == ["Lycksele kommun"]
    bad = world.api("economist").get(url, {"on": "igår"})
    assert bad.status_code == 400 and "on" in bad.json()


MEMBER = {"name": "Dorotea kommun", "kommunkod": "2425", "orgnr": "2120002429", "joined": "2025-01-01"}


def test_member_writes_only_for_admin(world):
    for role in ("agent", "economist", "board", "member_contact", "orderer", None):
        response = world.api(role).post(f"{API}/members/", MEMBER, format="json")
        assert response.status_code in (401, 403), role
    assert not Member.objects.filter(kommunkod="2425").exists()
    response = world.api("admin").post(f"{API}/members/", MEMBER, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["orgnr"] == "212000-2429" and body["peppol_participant"] == "0007:2120002429"
    assert body["federation"] == world.federation.pk and "joined" not in body
    member = Member.objects.get(pk=body["id"])
    assert member.periods.get().start == date(2025, 1, 1)
    assert AuditEvent.objects.filter(
        object_type="members.Member", object_id=str(member.pk), actor=world.users["admin"]
    ).exists()
    patched = world.api("admin").patch(f"{API}/members/{member.pk}/", {"city": "Dorotea"}, format="json")
    assert patched.status_code == 200 and patched.json()["city"] == "Dorotea"
    assert AuditEvent.objects.filter(object_type="members.Member", action="update").get().after["city"] == "Dorotea"
    assert world.api("economist").patch(f"{API}/members/{member.pk}/", {"city": "X"}, format="json").status_code == 403
    assert world.api("outsider").patch(f"{API}/members/{member.pk}/", {"city": "X"}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**MEMBER, "kommunkod": "9999"}, "kommunkod"),
        ({**MEMBER, "orgnr": "2120002420"}, "orgnr"),
        ({**MEMBER, "kommunkod": "2481"}, "__all__"),  # Lycksele is already a member
        ({k: v for k, v in MEMBER.items() if k != "joined"}, "joined"),
        ({**MEMBER, "joined": "inte-ett-datum"}, "joined"),
        ({**MEMBER, "name": ""}, "name"),
    ],
)
def test_member_validation_errors_are_400_with_field_and_write_nothing(world, data, field):
    before = (Member.objects.count(), AuditEvent.objects.count())
    response = world.api("admin").post(f"{API}/members/", data, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors or any(field in key for key in errors), errors
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert (Member.objects.count(), AuditEvent.objects.count()) == before


def test_department_create_and_update(world):
    url = f"{API}/departments/"
    data = {"member": world.member.pk, "name": "Barn- och utbildning", "code": "BUF", "invoice_reference": "2481-BUF"}
    assert world.api("member_contact").post(url, data, format="json").status_code == 403
    created = world.api("admin").post(url, data, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    updated = world.api("admin").patch(f"{url}{pk}/", {"invoice_reference": "2481-BUF-9"}, format="json")
    assert updated.status_code == 200
    event = AuditEvent.objects.get(object_type="members.Department", object_id=str(pk), action="update")
    assert event.before["invoice_reference"] == "2481-BUF" and event.after["invoice_reference"] == "2481-BUF-9"
    duplicate = world.api("admin").post(url, data, format="json")
    assert duplicate.status_code == 400
    foreign = world.api("admin").post(url, {**data, "member": world.foreign_member.pk}, format="json")
    assert foreign.status_code == 400 and "member" in foreign.json()
    assert not Department.objects.filter(member=world.foreign_member, code="BUF").exists()


def test_handover_create_and_overlap_refused(world):
    url = f"{API}/handovers/"
    data = {"member": world.member.pk, "service": world.service.pk, "start": "2019-01-01", "end": "2019-12-31"}
    created = world.api("admin").post(url, data, format="json")
    assert created.status_code == 201, created.content
    before = HandOver.objects.count()
    overlapping = world.api("admin").post(url, {**data, "start": "2019-06-01", "end": "2020-06-01"}, format="json")
    assert overlapping.status_code == 400 and "redan överlämnat" in str(overlapping.json())
    reversed_dates = world.api("admin").post(url, {**data, "start": "2018-06-01", "end": "2018-01-01"}, format="json")
    assert reversed_dates.status_code == 400
    assert HandOver.objects.count() == before
    assert world.api("economist").post(url, data, format="json").status_code == 403


def test_figures_writable_by_admin_and_economist(world):
    url = f"{API}/figures/"
    data = {"member": world.member.pk, "kind": "users", "reference_date": "2024-01-01", "value": 812}
    for role in ("agent", "board", "member_contact", "orderer"):
        assert world.api(role).post(url, data, format="json").status_code == 403, role
    response = world.api("economist").post(url, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["value"] == 812
    # Storing the same figure again is an idempotent no-op; a new value is an audited update.
    assert world.api("admin").post(url, data, format="json").status_code == 201
    assert MemberFigure.objects.filter(member=world.member, kind=FigureKind.USERS).count() == 1
    world.api("admin").post(url, {**data, "value": 820}, format="json")
    figure = MemberFigure.objects.get(member=world.member, kind=FigureKind.USERS)
    assert figure.value == 820
    assert AuditEvent.objects.filter(object_type="members.MemberFigure", object_id=str(figure.pk)).count() == 2
    for bad, field in (
        ({**data, "value": -5}, "value"),
        ({**data, "kind": "cows"}, "kind"),
        ({**data, "member": world.foreign_member.pk}, "member"),
    ):
        response = world.api("admin").post(url, bad, format="json")
        assert response.status_code == 400 and field in response.json(), response.content
    assert MemberFigure.objects.filter(member=world.foreign_member).count() == 0


def test_schema_lists_member_endpoints(world):
    schema = world.api("admin").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/members/members/" in schema["paths"]
    assert "/api/v1/members/services/{id}/participants/" in schema["paths"]
    assert world.api("admin").get("/api/docs/").status_code == 200


def test_leave_and_rejoin_through_the_api(world):
    url = f"{API}/members/{world.other_member.pk}/"
    assert world.api("economist").post(f"{url}leave/", {"date": "2024-06-30"}, format="json").status_code == 403
    assert world.api("outsider").post(f"{url}leave/", {"date": "2024-06-30"}, format="json").status_code == 404
    left = world.api("admin").post(f"{url}leave/", {"date": "2024-06-30"}, format="json")
    assert left.status_code == 200 and left.json()["end"] == "2024-06-30"
    assert world.other_member.handovers.get().end == date(2024, 6, 30)
    again = world.api("admin").post(f"{url}leave/", {"date": "2024-12-31"}, format="json")
    assert again.status_code == 400 and "ingen pågående" in str(again.json())
    overlapping = world.api("admin").post(f"{url}join/", {"date": "2024-01-01"}, format="json")
    assert overlapping.status_code == 400 and "överlappar" in str(overlapping.json())
    assert world.api("admin").post(f"{url}join/", {}, format="json").json().keys() == {"date"}
    rejoined = world.api("admin").post(f"{url}join/", {"date": "2025-01-01"}, format="json")
    assert rejoined.status_code == 200 and rejoined.json()["end"] is None
    periods = world.api("board").get(url).json()["periods"]
    assert [(p["start"], p["end"]) for p in periods] == [("2020-01-01", "2024-06-30"), ("2025-01-01", None)]
    assert AuditEvent.objects.filter(object_type="members.MembershipPeriod", actor=world.users["admin"]).count() == 2
