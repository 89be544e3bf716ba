"""POST /api/v1/performance/staff/import/: the payroll export through the API as a background
job (202 + the job's URL; tests run jobs at once), all-or-nothing, a bad line failing the job
with the line named, refused to every role but economists and admins."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.performance.models import Employment, StaffImport
from samverkan.performance.tests.test_staff_import import csv_of, people

URL = "/api/v1/performance/staff/import/"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def _post(world, role, data: bytes, year=2023, name="lon-2023.csv"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return world.api(role).post(URL, {"year": year, "file": upload}, format="multipart")


def test_economist_imports_and_reads_aggregates_only(world):
    response = _post(world, "economist", csv_of(people(6) + people(5, sex="Man", start=10)))
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "done" and response["Location"] == job["url"]
    assert world.api("economist").get(job["url"]).json()["status"] == "done"
    report = world.api("board").get("/api/v1/performance/staff/?year=2023").json()
    assert report["forms"]["total"][0] == 11
    assert "person_key" not in str(report)


def test_a_bad_line_fails_the_job_naming_it_and_nothing_changes(world):
    assert _post(world, "admin", csv_of(people(5))).json()["status"] == "done"
    bad = [*people(5), "9;Konsult;Kvinna;30–49 år;1;1000;0;0"]
    job = _post(world, "admin", csv_of(bad)).json()
    assert job["status"] == "failed"
    assert "rad 7: anställningsform" in job["error"]
    assert Employment.objects.count() == 5 and StaffImport.objects.count() == 1


def test_missing_file_and_bad_year_are_400(world):
    assert world.api("economist").post(URL, {"year": 2023}, format="multipart").status_code == 400
    assert _post(world, "economist", csv_of(people(5)), year=1800).status_code == 400


def test_only_economists_and_admins_import(world):
    for role in ("board", "secretary", "member_contact", "agent"):
        assert _post(world, role, csv_of(people(5))).status_code == 403, role
    assert not StaffImport.objects.exists()
