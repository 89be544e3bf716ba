"""Issue 15's role rules across the module, page and API: board members read everything here,
economists and admins edit, member contacts see only what the federation publishes (the adopted
annual report, with its goal table and staff tables, but not the goal or staff pages behind it);
small groups suppressed in the report too; the CLI as the issue writes it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from samverkan.performance.models import Employment, StaffImport
from samverkan.performance.services import annual as annual_services
from samverkan.performance.services import goals as services
from samverkan.testing import assert_roles

READERS = {"admin", "economist", "board", "secretary"}
EDITORS = {"admin", "economist"}


@pytest.fixture
def year_2023(world):
    """A goal with a sick-leave indicator, assessed; 6 women and 2 men on the payroll (the men's
    sick leave must not be readable); the annual report, adopted."""
    admin = world.users["admin"]
    area = services.area_create(acting_user=admin, federation=world.federation, name="Personal och kompetens")
    goal = services.goal_create(
        acting_user=admin, area=area, text="Ingen ska drabbas av ohälsa.", first_year=2022, last_year=2024
    )
    sick = services.indicator_create(acting_user=admin, goal=goal, name="Total sjukfrånvaro", source="sick_leave")
    services.target_set(acting_user=admin, indicator=sick, year=2023, direction="below", value=Decimal(4))
    imp = StaffImport.objects.create(federation=world.federation, year=2023, source_name="lon.csv", imported_by=admin)
    for n, sex in enumerate(["woman"] * 6 + ["man"] * 2):
        Employment.objects.create(
            staff_import=imp,
            person_key=f"p{n}",
            form="permanent",
            sex=sex,
            age_group="30-49",
            fte=Decimal(1),
            worked_hours=Decimal(1000),
            sick_hours=Decimal(20 if sex == "woman" else 90),
            long_sick_hours=Decimal(0),
        )
    services.assessment_set(acting_user=admin, goal=goal, year=2023, fulfilment="met", comment="Under 4 %.")
    report = annual_services.report_create(acting_user=admin, federation=world.federation, year=2023)
    annual_services.adopt(acting_user=admin, report=report, adopted_on=date(2024, 3, 1))
    return report


def test_board_reads_everything_and_only_economists_and_admins_edit(world, year_2023):
    for url in ("/mal/", reverse("performance:goal_table") + "?ar=2023", reverse("performance:staff") + "?ar=2023"):
        assert_roles(world, "get", url, allowed=READERS)
    for url in ("/api/v1/performance/goals/?year=2023", "/api/v1/performance/staff/?year=2023"):
        assert_roles(world, "get", url, allowed=READERS, api=True)
    assert_roles(world, "get", reverse("performance:goal_create"), allowed=EDITORS)
    assert_roles(world, "get", reverse("performance:annual_create"), allowed=EDITORS)
    for role in READERS - EDITORS:
        response = world.api(role).post("/api/v1/performance/goal-areas/", {"name": "Nytt"}, format="json")
        assert response.status_code == 403, role
    created = world.api("economist").post("/api/v1/performance/goal-areas/", {"name": "Nytt"}, format="json")
    assert created.status_code == 201


def test_member_contacts_see_only_the_published_report(world, year_2023):
    contact, api = world.client("member_contact"), world.api("member_contact")
    page = reverse("performance:annual_detail", args=[year_2023.pk])
    detail = reverse("performance-api:annual_report_detail", args=[year_2023.pk])
    assert contact.get(page).status_code == 403 and api.get(detail).status_code == 403
    annual_services.publish(acting_user=world.users["admin"], report=year_2023)
    html = contact.get(page).content.decode()
    assert "1 mål: 1 uppfyllt" in html and "Ingen ska drabbas av ohälsa." in html
    assert "Medelantal anställda (årsarbetare)" in html
    parts = {p["key"]: p for p in api.get(detail).json()["parts"]}
    assert parts["goals"]["goals"][0]["assessment"] == "met"
    assert parts["staff_tables"]["staff"]["forms"]["total"][0] == 8
    # … but not the pages and API behind the report
    for url in ("/mal/", reverse("performance:goal_table"), reverse("performance:staff")):
        assert contact.get(url).status_code == 403, url
    for url in ("/api/v1/performance/goals/?year=2023", "/api/v1/performance/staff/?year=2023"):
        assert api.get(url).status_code == 403, url


def test_small_groups_are_suppressed_in_the_report(world, year_2023):
    detail = reverse("performance-api:annual_report_detail", args=[year_2023.pk])
    staff = {p["key"]: p for p in world.api("board").get(detail).json()["parts"]}["staff_tables"]["staff"]
    by_sex = {row["key"]: row["values"][0] for row in staff["sick_by_sex"]["rows"]}
    assert by_sex["man"] is None  # two men: their sick leave cannot be read off
    # and with the men hidden, the women's figure would give them away from the total: hidden too
    assert by_sex["woman"] is None or staff["sick_by_sex"]["total"][0] is None
    html = world.client("board").get(reverse("performance:annual_detail", args=[year_2023.pk])).content.decode()
    assert "Sjukfrånvaro redovisas inte för grupper med färre än 5 personer" in html


def test_cli_goals_as_the_issue_writes_it(world, year_2023, capsys):
    from samverkan.cli import main

    main(["governance", "goals", "--year", "2023", "--format", "json", "--federation", "testforbund"])
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["area"] == "Personal och kompetens" and rows[0]["assessment"] == "met"
    (indicator,) = rows[0]["indicators"]
    assert set(indicator) == {"name", "target", "result", "met"}
    assert indicator["target"].startswith("< 4")
    assert round(Decimal(indicator["result"]), 1) == Decimal("3.8")  # (6×20 + 2×90) h / 8 000 h
    assert indicator["met"] is True


def test_cli_annual_report_as_the_issue_writes_it(world, year_2023, tmp_path):
    """Its own test: a command run through the CLI closes the database connection when it ends
    (Django's run_from_argv), which ends a test's transaction on PostgreSQL."""
    from samverkan.cli import main

    out = tmp_path / "arsredovisning.pdf"
    main(["governance", "annual-report", "--year", "2023", "--federation", "testforbund", "-o", str(out)])
    assert out.read_bytes().startswith(b"%PDF-")
