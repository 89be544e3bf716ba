import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from samverkan.performance.models import Assessment, ManualValue
from samverkan.performance.services import goals as services
from samverkan.testing import assert_roles

READERS = {"admin", "economist", "board", "secretary"}
EDITORS = {"admin", "economist"}


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def goal(world):
    admin = world.users["admin"]
    area = services.area_create(acting_user=admin, federation=world.federation, name="Miljö")
    goal = services.goal_create(acting_user=admin, area=area, text="Resfria möten", first_year=2022, last_year=2024)
    ind = services.indicator_create(acting_user=admin, goal=goal, name="Resfria möten", source="manual", unit="%")
    services.target_set(acting_user=admin, indicator=ind, year=2023, direction="at_least", value=Decimal(95))
    services.manual_value_set(acting_user=admin, indicator=ind, year=2023, value=Decimal("96.5"), source="Kalendern")
    return goal


def test_goal_table_roles_and_content(world, goal):
    url = reverse("performance:goal_table") + "?ar=2023"
    assert_roles(world, "get", url, allowed=READERS)
    services.assessment_set(acting_user=world.users["admin"], goal=goal, year=2023, fulfilment="met")
    page = world.client("board").get(url).content.decode()
    for text in ("Målområde 1. Miljö", "Måluppfyllelse 2023", "Målvärde 2023", "Resultat 2023", "1 mål: 1 uppfyllt"):
        assert text in page
    assert "96,5" in page and "≥ 95 %" in page
    assert_roles(world, "get", reverse("performance:goal_detail", args=[goal.pk]), allowed=READERS)
    assert world.client("outsider").get(reverse("performance:goal_detail", args=[goal.pk])).status_code == 404
    assert world.client("admin").get(reverse("performance:goal_detail", args=[2**62])).status_code == 404


def test_edit_pages_roles(world, goal):
    ind = goal.indicators.get()
    for name, args in (
        ("goal_create", []),
        ("goal_area_create", []),
        ("goal_edit", [goal.pk]),
        ("indicator_create", [goal.pk]),
        ("indicator_edit", [ind.pk]),
        ("target_set", [ind.pk]),
        ("manual_value_set", [ind.pk]),
        ("assessment_set", [goal.pk, 2023]),
    ):
        assert_roles(world, "get", reverse(f"performance:{name}", args=args), allowed=EDITORS)
    assert world.client("outsider").get(reverse("performance:goal_edit", args=[goal.pk])).status_code == 404


def test_assessment_page_shows_the_proposal_and_saves(world, goal):
    url = reverse("performance:assessment_set", args=[goal.pk, 2023])
    client = world.client("economist")
    page = client.get(url).content.decode()
    assert "Förslag utifrån indikatorerna: Uppfyllt" in page
    response = client.post(url, {"fulfilment": "partly", "comment": "Nästan"})
    assert response.status_code == 302
    a = Assessment.objects.get(goal=goal, year=2023)
    assert (a.proposed, a.fulfilment, a.values[0]["value"]) == ("met", "partly", "96.5")
    assert (
        "Bedömning: Delvis uppfyllt"
        in client.get(reverse("performance:goal_detail", args=[goal.pk]) + "?ar=2023").content.decode()
    )


def test_manual_value_page_with_document_and_errors(world, goal):
    ind = goal.indicators.get()
    url = reverse("performance:manual_value_set", args=[ind.pk])
    doc = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = world.client("admin").post(url, {"year": 2022, "value": "90,5", "source": "Protokoll", "document": doc})
    assert response.status_code == 302
    assert ManualValue.objects.get(indicator=ind, year=2022).document
    response = world.client("admin").post(url, {"year": 2022, "value": "abc", "source": ""})
    assert response.status_code == 200  # the form again, with the errors
    assert ManualValue.objects.get(indicator=ind, year=2022).value == Decimal("90.5")
    target_url = reverse("performance:target_set", args=[ind.pk])
    response = world.client("admin").post(target_url, {"year": 2024, "direction": "at_least", "value": ""})
    assert response.status_code == 200 and "Ange ett målvärde" in response.content.decode()


def test_api_crud_and_year_list(world, goal):
    api = world.api("economist")
    assert_roles(world, "get", "/api/v1/performance/goals/?year=2023", allowed=READERS, api=True)
    rows = api.get("/api/v1/performance/goals/?year=2023").json()
    assert rows == [
        {
            "area": "Miljö",
            "goal": "Resfria möten",
            "indicators": [{"name": "Resfria möten", "target": "≥ 95 %", "result": "96.5", "met": True}],
            "assessment": None,
            "proposed": "met",
        }
    ]
    created = api.post(
        "/api/v1/performance/goals/",
        {"area": goal.area.pk, "text": "Nytt", "first_year": 2023, "last_year": 2024},
        format="json",
    )
    assert created.status_code == 201, created.content
    bad = api.post(
        "/api/v1/performance/goals/",
        {"area": goal.area.pk, "text": "Fel", "first_year": 2024, "last_year": 2023},
        format="json",
    )
    assert bad.status_code == 400
    ind = api.post(
        "/api/v1/performance/indicators/",
        {"goal": created.json()["id"], "name": "Sjuk", "source": "sick_leave", "unit": "%"},
        format="json",
    )
    assert ind.status_code == 201, ind.content
    target = api.post(
        f"/api/v1/performance/indicators/{ind.json()['id']}/target/",
        {"year": 2023, "direction": "below", "value": "4"},
        format="json",
    )
    assert target.status_code == 200, target.content
    assert (
        api.post(
            f"/api/v1/performance/indicators/{ind.json()['id']}/value/",
            {"year": 2023, "value": "1", "source": "x"},
            format="json",
        ).status_code
        == 400
    )
    assessed = api.post(
        f"/api/v1/performance/goals/{goal.pk}/assess/", {"year": 2023, "fulfilment": "met"}, format="json"
    )
    assert assessed.status_code == 200 and assessed.json()["values"][0]["met"] is True
    for role in ("board", "secretary", "member_contact", "orderer", "agent"):
        refused = world.api(role).post("/api/v1/performance/goal-areas/", {"name": "X"}, format="json")
        assert refused.status_code in (403, 404), role
    assert world.api("outsider").get(f"/api/v1/performance/goals/{goal.pk}/").status_code == 404
    assert world.api("admin").get(f"/api/v1/performance/goals/{2**70}/").status_code == 404


def test_cli_json_and_table(world, goal):
    out = StringIO()
    call_command("goals", "--year", "2023", "--federation", world.federation.slug, "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows[0]["area"] == "Miljö" and rows[0]["indicators"][0] == {
        "name": "Resfria möten",
        "target": "≥ 95 %",
        "result": "96.5",
        "met": True,
    }
    out = StringIO()
    call_command("goals", "--year", "2023", stdout=out)
    assert "Resfria möten: mål ≥ 95 %, resultat 96.5 (uppnått)" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("goals", "--year", "2023", "--federation", "finns-inte")
