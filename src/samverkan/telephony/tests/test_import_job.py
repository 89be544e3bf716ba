"""The call import as a background job: through the database queue and a worker, again after a
dead worker (its kept upload still there), and the CLI's run in its own process."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samverkan.core import job_uploads, jobs
from samverkan.core.models import Job, JobStatus
from samverkan.telephony import tasks
from samverkan.telephony.models import ImportBatch

from .conftest import LOG_2023, stored_calls


@pytest.mark.django_db(transaction=True)  # the worker closes a connection left in a transaction (PostgreSQL)
def test_queued_import_waits_for_the_worker_then_imports(calls, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = calls.client("agent")
    log = LOG_2023 + "1688209200|n1|vaxel-lyc|NONE|ABANDON|1|1|12\n"
    response = client.post(
        reverse("telephony:import"), {"file": SimpleUploadedFile("ny.log", log.encode()), "file_format": "queue_log"}
    )
    job = Job.objects.get(kind=tasks.KIND)
    assert job.status == JobStatus.QUEUED and "n1" not in stored_calls()
    page = client.get(response.url).content.decode()
    assert 'hx-get="/jobb/' in page and "<progress" in page  # the page polls the job
    assert len(list((tmp_path / "jobb").iterdir())) == 1  # the upload waits on disk for the worker
    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and "n1" in stored_calls()


def test_a_dead_workers_import_runs_again_with_its_kept_file(calls, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    token = job_uploads.keep(
        SimpleUploadedFile("ny.log", (LOG_2023 + "1688209200|n1|vaxel-lyc|NONE|ABANDON|1|1|12\n").encode())
    )
    old = timezone.now() - timedelta(hours=1)
    job = Job.objects.create(
        federation=calls.federation,
        kind=tasks.KIND,
        label="Import av samtal: ny.log",
        started_by=calls.users["agent"],
        params={"upload": token, "file_name": "ny.log", "file_format": "queue_log"},
        status=JobStatus.RUNNING,
        attempts=1,
        task_id="dead-worker",
        started_at=old,
        heartbeat_at=old,
    )
    before = ImportBatch.objects.count()
    [again] = jobs.reap_stale()
    assert again.pk == job.pk and again.status == JobStatus.DONE and again.attempts == 2
    assert ImportBatch.objects.count() == before + 1 and "n1" in stored_calls()


def test_cli_runs_the_job_here_and_records_it(calls, tmp_path):
    path = tmp_path / "ny.log"
    path.write_text(LOG_2023 + "1688209200|n1|vaxel-lyc|NONE|ABANDON|1|1|12\n")
    out = io.StringIO()
    call_command("telephony", "import", str(path), "--federation", calls.federation.slug, stdout=out)
    job = Job.objects.get(kind=tasks.KIND)
    assert job.status == JobStatus.DONE and job.started_by.is_system and job.params["path"] == str(path.resolve())
    assert "nya samtal importerades" in out.getvalue() and path.exists()  # the command's own file is left alone
