from datetime import UTC, datetime

import pytest
from django.urls import reverse

from samverkan.governance.models import RetentionRule
from samverkan.members.models import Contact
from samverkan.portal.models import Status, Team, Ticket
from samverkan.testing import assert_roles

ADMIN = {"admin"}


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def test_pages_roles(world):
    for name in ("records_plan", "records_dispose", "personal_data", "personal_data_erase"):
        assert_roles(world, "get", reverse(f"governance:{name}"), ADMIN)
    rule = RetentionRule.objects.filter(federation=world.federation).first()
    assert rule is not None  # the plan page installed the default plan
    assert_roles(world, "get", reverse("governance:records_rule_edit", args=[rule.pk]), ADMIN)


def test_api_roles(world):
    for name in ("records-rules", "records-disposals", "personal-data"):
        assert_roles(world, "get", reverse(f"governance-api:{name}"), ADMIN, api=True)
    assert_roles(world, "post", reverse("governance-api:records-dispose"), ADMIN, api=True, data={"dry_run": True})


def test_other_federations_rule_is_404(world):
    world.client("outsider").get(reverse("governance:records_plan"))
    foreign = RetentionRule.objects.filter(federation=world.other_federation).first()
    assert world.client("admin").get(reverse("governance:records_rule_edit", args=[foreign.pk])).status_code == 404
    response = world.api("admin").patch(reverse("governance-api:records-rule", args=[foreign.pk]), {"keep_years": 3})
    assert response.status_code == 404


def test_plan_page_and_rule_edit(world):
    client = world.client("admin")
    page = client.get(reverse("governance:records_plan")).content.decode()
    assert "bokföringslagen 7 kap. 2 §" in page
    invoices = RetentionRule.objects.get(federation=world.federation, record_type="invoices")
    response = client.post(
        reverse("governance:records_rule_edit", args=[invoices.pk]),
        {"keep_years": "3", "dispose": "on", "legal_basis": "x"},
    )
    assert response.status_code == 200 and "sju år" in response.content.decode()
    invoices.refresh_from_db()
    assert invoices.keep_years == 7
    tickets = RetentionRule.objects.get(federation=world.federation, record_type="tickets")
    response = client.post(
        reverse("governance:records_rule_edit", args=[tickets.pk]),
        {"keep_years": "3", "dispose": "on", "legal_basis": "y"},
    )
    assert response.status_code == 302
    tickets.refresh_from_db()
    assert tickets.keep_years == 3


def test_api_rule_refused_against_law(world):
    api = world.api("admin")
    rules = {r["record_type"]: r for r in api.get(reverse("governance-api:records-rules")).json()}
    response = api.patch(
        reverse("governance-api:records-rule", args=[rules["minutes"]["id"]]),
        {"dispose": True, "keep_years": 10},
        format="json",
    )
    assert response.status_code == 400
    response = api.patch(
        reverse("governance-api:records-rule", args=[rules["tickets"]["id"]]), {"keep_years": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["keep_years"] == 1


def test_dispose_page_dry_run_and_api(world):
    team = Team.objects.create(federation=world.federation, code="it", name="IT")
    Ticket.objects.create(
        federation=world.federation,
        member=world.member,
        team=team,
        title="Gammalt",
        status=Status.CLOSED,
        closed_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    client = world.client("admin")
    response = client.post(reverse("governance:records_dispose"), {"dry_run": "on"})
    assert response.status_code == 200 and "Provkörning" in response.content.decode()
    assert Ticket.objects.count() == 1
    response = world.api("admin").post(reverse("governance-api:records-dispose"), {"dry_run": False}, format="json")
    assert response.status_code == 200
    lines = {line["record_type"]: line["count"] for line in response.json()["lines"]}
    assert lines["tickets"] == 1 and Ticket.objects.count() == 0
    logs = world.api("admin").get(reverse("governance-api:records-disposals")).json()
    logs = logs["results"] if isinstance(logs, dict) else logs
    assert logs[0]["count"] == 1


def test_personal_data_page_json_and_erase(world):
    Contact.objects.create(member=world.member, name="Karin Malmfjord", email="karin@lycksele.se")
    client = world.client("admin")
    page = client.get(reverse("governance:personal_data"), {"query": "Karin Malmfjord"}).content.decode()
    assert "karin@lycksele.se" in page
    download = client.get(reverse("governance:personal_data"), {"query": "karin@lycksele.se", "format": "json"})
    assert download["Content-Disposition"].startswith("attachment")
    assert "Karin Malmfjord" in download.content.decode()
    assert client.get(reverse("governance:personal_data"), {"query": "K"}).status_code == 200
    response = client.post(
        reverse("governance:personal_data_erase"), {"query": "Karin Malmfjord", "mode": "pseudonymise", "confirm": "on"}
    )
    assert response.status_code == 200 and "Lämnat oförändrat" in response.content.decode()
    assert not Contact.objects.filter(name="Karin Malmfjord").exists()
    api = world.api("admin")
    assert api.get(reverse("governance-api:personal-data"), {"query": "x"}).status_code == 400
    response = api.post(
        reverse("governance-api:personal-data-erase"), {"query": "Bo Berg", "mode": "erase"}, format="json"
    )
    assert response.status_code == 200 and response.json()["mode"] == "erase"
    refused = world.api("secretary").post(
        reverse("governance-api:personal-data-erase"), {"query": "Bo Berg", "mode": "erase"}, format="json"
    )
    assert refused.status_code == 403
