"""Files handed to background jobs (core.job_uploads): kept, taken once, gone when done, never
half written; and the ?jobb= glue of the pages that start them."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory

from samverkan.core import job_uploads, jobs
from samverkan.core.models import Job, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path


def test_keep_copies_the_upload_under_a_token(tmp_path):
    token = job_uploads.keep(SimpleUploadedFile("Kölogg 2023.LOG", b"a|b\n" * 1000))
    assert token.endswith(".log") and job_uploads.path_of(token).read_bytes() == b"a|b\n" * 1000
    assert job_uploads.path_of(token).parent == tmp_path / "jobb"
    weird = job_uploads.keep(SimpleUploadedFile("x.ä b", b"1"))
    assert "." not in weird  # a suffix that is not plain letters and digits is dropped


@pytest.mark.parametrize("token", ["../etc/passwd", "/var/x", "abc", "0" * 32 + "/x", "0" * 32 + ".toolongsuffix"])
def test_a_token_is_never_a_path(token):
    with pytest.raises(ValueError):
        job_uploads.path_of(token)


def test_taken_removes_the_file_after_commit_and_at_once_on_failure(django_capture_on_commit_callbacks):
    done = job_uploads.keep(SimpleUploadedFile("a.csv", b"1"))
    with django_capture_on_commit_callbacks(execute=True), job_uploads.taken(done) as path:
        assert path.read_bytes() == b"1"
    assert not job_uploads.path_of(done).exists()
    failed = job_uploads.keep(SimpleUploadedFile("b.csv", b"2"))
    with pytest.raises(RuntimeError), job_uploads.taken(failed):
        raise RuntimeError("the import refused the file")
    assert not job_uploads.path_of(failed).exists()


def test_a_rolled_back_success_keeps_the_file_for_the_retry():
    """A worker that dies after the work but before the commit: the database rolls back, and the
    job started again must still find its file."""
    token = job_uploads.keep(SimpleUploadedFile("a.csv", b"1"))
    with transaction.atomic():
        with job_uploads.taken(token):
            pass
        transaction.set_rollback(True)
    assert job_uploads.path_of(token).exists()


def test_old_orphans_are_swept(tmp_path):
    old = job_uploads.keep(SimpleUploadedFile("a.csv", b"1"))
    week_ago = time.time() - job_uploads.KEEP_SECONDS - 60
    os.utime(job_uploads.path_of(old), (week_ago, week_ago))
    fresh = job_uploads.keep(SimpleUploadedFile("b.csv", b"2"))
    assert not job_uploads.path_of(old).exists() and job_uploads.path_of(fresh).exists()


def test_writing_publishes_only_a_complete_file(tmp_path):
    final = tmp_path / "out" / "job-1.zip"
    with pytest.raises(RuntimeError), job_uploads.writing(final) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError
    assert not final.exists() and not list(final.parent.iterdir())
    with job_uploads.writing(final) as temporary:
        temporary.write_bytes(b"whole")
    assert final.read_bytes() == b"whole" and list(final.parent.iterdir()) == [final]


def test_shown_finds_only_a_job_the_user_may_follow(world):
    job = Job.objects.create(
        federation=world.federation, kind="assets.import_register", label="x", started_by=world.users["agent"]
    )
    factory = RequestFactory()

    def shown(user, value, prefix="assets."):
        request = factory.get("/", {job_uploads.QUERY: value})
        request.user = user
        return job_uploads.shown(request, prefix)

    assert shown(world.users["agent"], str(job.pk)) == job
    assert shown(world.users["agent"], "") is None  # a page opened without a job
    for user, value, prefix in (
        (world.outsider, str(job.pk), "assets."),  # another federation
        (world.users["agent"], str(job.pk), "billing."),  # another kind of work
        (world.users["agent"], "x1", "assets."),
        (world.users["agent"], "9" * 30, "assets."),
    ):
        with pytest.raises(Http404):
            shown(user, value, prefix)


def test_accepted_is_202_with_the_job_and_its_url(world):
    job = Job.objects.create(federation=world.federation, kind="k", label="x", status=JobStatus.QUEUED)
    response = job_uploads.accepted(job)
    assert response.status_code == 202 and response["Location"] == jobs.api_url(job)
    assert response.data["status"] == "queued" and response.data["url"] == jobs.api_url(job)
