"""Staff report page and API: roles, aggregates only, small groups suppressed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.performance.models import Employment
from samverkan.performance.services.staff import staff_import
from samverkan.performance.tests.test_staff_import import csv_of, people
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db
READERS = {"admin", "economist", "board", "secretary"}


def load(world, year=2023, women=4, men=8):
    data = csv_of(
        [*people(women, sex="Kvinna", sick="90", start=0), *people(men, sex="Man", sick="20", age="50-", start=500)]
    )
    staff_import(
        acting_user=world.users["admin"], federation=world.federation, year=year, data=data, source_name="l.csv"
    )


def test_group_of_four_never_shows_and_its_complement_hides(world):
    load(world)
    body = world.api("board").get(reverse("performance-api:staff"), {"year": 2023}).json()
    by_sex = {r["key"]: r["values"][0] for r in body["sick_by_sex"]["rows"]}
    assert by_sex == {"woman": None, "man": None}  # 4 women; men hidden too, else total − men
    assert float(body["sick_by_sex"]["total"][0]) == pytest.approx(4.3)
    ages = {r["key"]: r["values"][0] for r in body["sick_by_age"]["rows"]}
    assert ages == {"-29": None, "30-49": None, "50-": None}
    assert body["forms"]["total"][0] == 12 and body["available"] == [2023]
    assert "person_key" not in str(body) and Employment.objects.first().person_key not in str(body)


def test_groups_of_five_show(world):
    load(world, women=5, men=5)
    body = world.api("economist").get(reverse("performance-api:staff"), {"year": 2023}).json()
    assert [float(r["values"][0]) for r in body["sick_by_sex"]["rows"]] == [9.0, 2.0]
    assert float(body["fte"]["total"][0]) == 10.0
    assert float(body["long_term"][0]) == 0.0


def test_roles_page_and_api(world):
    load(world)
    assert_roles(world, "get", reverse("performance:staff") + "?ar=2023", allowed=READERS)
    assert_roles(world, "get", reverse("performance-api:staff") + "?year=2023", allowed=READERS, api=True)
    assert_roles(world, "get", reverse("performance:staff_import"), allowed={"admin", "economist"})


def test_page_shows_dash_for_suppressed(world):
    load(world)
    page = world.client("board").get(reverse("performance:staff"), {"ar": 2023}).content.decode()
    assert "–" in page and "Sjukfrånvaro i procent av arbetad tid per kön" in page


def test_other_federation_sees_nothing(world):
    load(world)
    body = world.api(None).get(reverse("performance-api:staff"), {"year": 2023})
    assert body.status_code in (401, 403)
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.outsider)
    data = client.get(reverse("performance-api:staff"), {"year": 2023}).json()
    assert data["available"] == [] and data["forms"]["rows"] == []


def test_api_bad_year_is_400(world):
    assert world.api("admin").get(reverse("performance-api:staff"), {"year": "x"}).status_code == 400


def test_upload_page_reports_line_and_writes_nothing(world, settings, tmp_path):
    """The upload page starts a background job and shows its error, or its result with a link."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    bad = csv_of([*people(5), "x;Tillsvidareanställd;Man;-29;1;10;11;0"])
    response = world.client("economist").post(
        reverse("performance:staff_import"), {"year": 2023, "file": SimpleUploadedFile("l.csv", bad)}, follow=True
    )
    assert response.status_code == 200 and "rad 7" in response.content.decode()
    assert "Arbetet misslyckades" in response.content.decode()
    assert not Employment.objects.exists()
    good = SimpleUploadedFile("l.csv", csv_of(people(5)))
    response = world.client("economist").post(reverse("performance:staff_import"), {"year": 2023, "file": good})
    assert response.status_code == 302 and Employment.objects.count() == 5
    page = world.client("economist").get(response.url).content.decode()
    assert "Personalstatistiken för 2023 är importerad." in page and "?ar=2023" in page


def seed_2023_csv() -> bytes:
    """A payroll file reproducing seed 002's staff tables for 2023 (helper PE may copy it).
    Seed 002 gives 15,9 FTE for 15 men, so each man is 1,06 FTE; the importer allows up to 1,5."""
    lines = []
    women = [("-29", "30,7")] * 3 + [("30-49", "0")] * 3 + [("50-", "71,7")] * 7
    men = [("-29", "0")] * 2 + [("30-49", "75,6")] * 5 + [("50-", "36,4")] * 8
    for i, (age, sick) in enumerate(women):
        form, fte, worked = ("Visstidsanställd", "0,9", "1530") if i == 0 else ("Tillsvidareanställd", "0,85", "1445")
        lines.append(f"{1001 + i};{form};Kvinna;{age};{fte};{worked};{sick};0")
    for i, (age, sick) in enumerate(men):
        form = "Visstidsanställd" if i == 0 else "Tillsvidareanställd"
        lines.append(f"{1101 + i};{form};Man;{age};1,06;1696;{sick};0")
    return csv_of(lines)


def test_seed_002_tables_of_2023_are_reproduced(world):
    staff_import(
        acting_user=world.users["economist"],
        federation=world.federation,
        year=2023,
        data=seed_2023_csv(),
        source_name="lon.csv",
    )
    body = world.api("board").get(reverse("performance-api:staff"), {"year": 2023}).json()

    def first(table):
        return {r["key"]: float(r["values"][0]) for r in table["rows"]}, float(table["total"][0])

    assert first(body["fte"]) == ({"woman": 11.1, "man": 15.9}, 27.0)
    assert first(body["sick_by_sex"]) == ({"woman": 3.1, "man": 2.6}, 2.9)
    assert first(body["sick_by_age"]) == ({"-29": 1.2, "30-49": 2.9, "50-": 3.3}, 2.9)
    forms = {(r["form"], r["sex"]): r["values"][0] for r in body["forms"]["rows"]}
    assert forms == {
        ("fixed_term", "woman"): 1,
        ("fixed_term", "man"): 1,
        ("permanent", "woman"): 12,
        ("permanent", "man"): 14,
    }
    assert body["forms"]["total"][0] == 28 and float(body["long_term"][0]) == 0.0
