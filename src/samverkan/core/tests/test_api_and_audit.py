"""/api/v1/me/, /api/v1/token/, /api/v1/audit/ and the audit page /granskningslogg/."""

from datetime import date

from rest_framework.test import APIClient

from samverkan.core.actors import SYSTEM_USERNAME, system_actor
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.models import AuditEvent
from samverkan.members import services
from samverkan.testing import PASSWORD, assert_roles


def test_me_shows_role_and_scope(world):
    me = world.api("orderer").get("/api/v1/me/").json()
    assert me["roles"] == ["orderer"] and me["department"] == world.department.pk
    assert me["federation"] == world.federation.pk and "password" not in me
    assert APIClient().get("/api/v1/me/").status_code in (401, 403)


def test_token_requires_credentials(world):
    client = APIClient()
    assert client.post("/api/v1/token/", {}, format="json").status_code == 400
    assert client.get("/api/v1/token/").status_code == 405
    token = client.post("/api/v1/token/", {"username": "t-admin", "password": PASSWORD}, format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "t-admin"


def make_history(world):
    admin = world.users["admin"]
    services.member_update(member=world.member, acting_user=admin, data={"city": "Lycksele"})
    services.department_update(department=world.department, acting_user=admin, data={"invoice_reference": "X-1"})
    services.member_update(member=world.foreign_member, acting_user=world.outsider, data={"city": "Ludvika"})


def test_audit_api_admin_only_and_scoped_to_federation(world):
    make_history(world)
    assert_roles(world, "get", "/api/v1/audit/", allowed={"admin"}, api=True)
    rows = world.api("admin").get("/api/v1/audit/").json()["results"]
    assert {r["object_repr"] for r in rows} == {"Lycksele kommun", "Socialförvaltningen (Lycksele kommun)"}
    member_event = next(r for r in rows if r["object_type"] == "members.Member")
    assert member_event["actor_repr"] == "t-admin" and member_event["action"] == "update"
    assert (member_event["before"]["city"], member_event["after"]["city"]) == ("", "Lycksele")
    outsider_rows = world.api("outsider").get("/api/v1/audit/").json()["results"]
    assert [r["object_repr"] for r in outsider_rows] == ["Ludvika kommun"]


def test_audit_api_filters(world):
    make_history(world)
    admin = world.api("admin")
    assert [r["object_type"] for r in admin.get("/api/v1/audit/", {"object_type": "department"}).json()["results"]] == [
        "members.Department"
    ]
    assert admin.get("/api/v1/audit/", {"actor": "nobody"}).json()["count"] == 0
    assert admin.get("/api/v1/audit/", {"action": "update"}).json()["count"] == 2
    assert admin.get("/api/v1/audit/", {"action": "delete"}).json()["count"] == 0


def test_audit_page_admin_only_shows_before_and_after(world):
    make_history(world)
    assert_roles(world, "get", "/granskningslogg/", allowed={"admin"})
    page = world.client("admin").get("/granskningslogg/").content.decode()
    assert "Lycksele kommun" in page and "t-admin" in page
    assert "Ludvika" not in page  # the other federation's history
    filtered = world.client("admin").get("/granskningslogg/", {"typ": "department"}).content.decode()
    assert "Socialförvaltningen" in filtered and "members.Member " not in filtered
    assert "Ludvika kommun" in world.client("outsider").get("/granskningslogg/").content.decode()


def test_audit_record_resolves_federation_and_system_actor(world):
    actor = system_actor()
    event = audit_record(actor=actor, action="approve", instance=world.department, after=snapshot(world.department))
    assert event.federation == world.federation and event.actor == actor and event.actor_repr == SYSTEM_USERNAME
    assert actor.is_system and not actor.has_usable_password() and system_actor() == actor
    assert event.object_type == "members.Department" and event.after["member"] == world.member.pk
    period = world.member.periods.get()
    assert audit_record(actor=world.users["admin"], action="x", instance=period).federation == world.federation
    assert snapshot(None) is None
    assert snapshot(period)["start"] == date(2020, 1, 1).isoformat()
    assert AuditEvent.objects.filter(action="approve").count() == 1


def test_nul_bytes_in_the_address_are_a_400_not_a_database_error(world):
    admin = world.api("admin")
    assert admin.get("/api/v1/audit/", {"object_type": "a\x00b"}).status_code == 400
    assert admin.get("/api/v1/audit/?actor=%00").status_code == 400
    assert world.client("admin").get("/granskningslogg/", {"typ": "\x00"}).status_code == 400
    assert admin.get("/api/v1/audit/", {"object_type": "members"}).status_code == 200
