"""Background jobs (core.jobs): success, failure with nothing written, progress, a dead worker's job
started again once and then failed, who may follow a job, the database queue and its worker, and
the command line's progress bar."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samverkan.core import jobs
from samverkan.core.audit import audit_record
from samverkan.core.models import AuditEvent, Job, JobStatus
from samverkan.core.policies import VIEW_AUDIT_LOG


@jobs.job_kind("tests.write", capability=VIEW_AUDIT_LOG)
def write_rows(*, acting_user, federation, progress, count, fail=False):
    for n in range(count):
        audit_record(actor=acting_user, action="job-test", object_type="tests.Row", object_id=str(n))
        progress(n + 1, count, f"rad {n + 1}")
    if fail:
        raise ValidationError("Rad 3 är ogiltig.")
    return jobs.JobResult(message=f"{count} rader skrivna.", url="/granskningslogg/")


@jobs.job_kind("tests.crash")
def crash(*, acting_user, federation, progress):
    audit_record(actor=acting_user, action="job-test", object_type="tests.Row")
    raise RuntimeError("internal detail")


def _start(world, role="economist", **params):
    return jobs.start(
        "tests.write",
        acting_user=world.users[role],
        federation=world.federation,
        label="Testarbete",
        origin_url="/",
        **params,
    )


def test_success_records_result_and_progress(world):
    job = _start(world, count=3)
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.message, job.result_url) == (3, 3, "3 rader skrivna.", "/granskningslogg/")
    assert job.attempts == 1 and job.task_id and job.finished_at
    assert AuditEvent.objects.filter(action="job-test").count() == 3
    page = world.client("economist").get(reverse("core:job", args=[job.pk]))
    assert page.status_code == 200
    assert "3 rader skrivna." in page.content.decode() and "Visa resultatet" in page.content.decode()


def test_failure_writes_nothing_and_shows_the_error(world):
    job = _start(world, count=5, fail=True)
    assert job.status == JobStatus.FAILED
    assert job.error == "Rad 3 är ogiltig."
    assert job.done == 5  # how far it came is kept, the work is not
    assert not AuditEvent.objects.filter(action="job-test").exists()
    html = world.client("economist").get(reverse("core:job", args=[job.pk])).content.decode()
    assert "Arbetet misslyckades." in html and "Rad 3 är ogiltig." in html


def test_unexpected_error_is_told_in_swedish_without_details(world):
    job = jobs.start("tests.crash", acting_user=world.users["admin"], federation=world.federation, label="Krasch")
    assert job.status == JobStatus.FAILED
    assert "Ett oväntat fel inträffade (RuntimeError)" in job.error
    assert "internal detail" not in job.error
    assert not AuditEvent.objects.filter(action="job-test").exists()


def test_htmx_poll_answers_the_state_and_stops_when_finished(world):
    job = _start(world, count=1)
    client = world.client("economist")
    response = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 286  # htmx: stop polling
    assert "<h1" not in response.content.decode()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now(), done=1, total=4)
    response = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'<progress id="job-{job.pk}-bar" max="4" value="1">' in response.content.decode()
    full = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in full and 'aria-live="polite"' in full


def test_the_result_link_is_left_out_on_the_result_page_itself(world):
    job = _start(world, count=1)  # its result is the audit log
    client, url = world.client("economist"), reverse("core:job", args=[job.pk])
    link = 'href="/granskningslogg/">Visa resultatet</a>'
    polled_from = lambda page: client.get(  # noqa: E731
        url, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}
    ).content.decode()
    assert link in polled_from("/fakturering/")
    assert link not in polled_from("/granskningslogg/")
    assert link in client.get(url).content.decode()  # the job's own page


def test_who_may_follow_a_job(world):
    job = _start(world, count=1)  # started by the economist; capability: the audit log (admin)
    url = reverse("core:job", args=[job.pk])
    api_url = reverse("core-api:api-job", args=[job.pk])
    for role, expected in [("economist", 200), ("admin", 200), ("agent", 404), ("outsider", 404)]:
        assert world.client(role).get(url).status_code == expected, role
        assert world.api(role).get(api_url).status_code == expected, role
    assert world.client(None).get(url).status_code == 302
    assert world.api(None).get(api_url).status_code in (401, 403)
    body = world.api("economist").get(api_url).json()
    assert body["status"] == "done" and body["page_url"] == url and body["url"] == api_url


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_while_the_works_transaction_is_open(settings, tmp_path):
    """SQLite: a file beside the database (one writer per database); PostgreSQL: the reporter thread's
    own connection in autocommit. Either way the work's open transaction does not hide it."""
    from django.db import connection, transaction

    settings.HOME = tmp_path
    job = Job.objects.create(kind="tests.write", label="x", status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    with transaction.atomic(), jobs._Reporter(job.pk) as reporter:
        AuditEvent.objects.create(action="job-test", object_type="tests.Row")  # the work holds a write
        for n in range(1, 1001):
            reporter.progress(n, 1000, "på väg")
        deadline = time.monotonic() + 10
        while jobs.current(Job.objects.get(pk=job.pk)).done != 1000 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = jobs.current(Job.objects.get(pk=job.pk))
        assert (seen.done, seen.total, seen.message) == (1000, 1000, "på väg")
    assert (tmp_path / "jobs" / f"{job.pk}.json").exists() == (connection.vendor == "sqlite")


def _stale(world, attempts):
    old = timezone.now() - timedelta(hours=1)
    return Job.objects.create(
        federation=world.federation,
        kind="tests.write",
        label="Testarbete",
        started_by=world.users["economist"],
        params={"count": 2},
        status=JobStatus.RUNNING,
        attempts=attempts,
        task_id="dead-worker",
        started_at=old,
        heartbeat_at=old,
    )


def test_a_dead_workers_job_is_started_again_once(world):
    job = _stale(world, attempts=1)
    [changed] = jobs.reap_stale()
    assert changed.pk == job.pk
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2  # the immediate backend ran it again
    assert AuditEvent.objects.filter(action="job-test").count() == 2


def test_a_job_that_dies_twice_fails_with_a_swedish_message(world):
    job = _stale(world, attempts=2)
    url = reverse("core:job", args=[job.pk])
    html = world.client("economist").get(url).content.decode()  # the page notices too
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "processen som körde det slutade svara" in job.error and "slutade svara" in html
    assert not AuditEvent.objects.filter(action="job-test").exists()


def test_a_fresh_heartbeat_is_not_stale(world):
    job = _stale(world, attempts=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert jobs.reap_stale() == []


def test_a_job_runs_once_even_if_delivered_twice(world):
    job = _start(world, count=1)
    jobs.execute_job.call(job.pk)  # a second delivery of the same task
    assert AuditEvent.objects.filter(action="job-test").count() == 1


@pytest.mark.django_db(transaction=True)  # the worker closes a connection left in a transaction (PostgreSQL)
def test_database_queue_and_worker(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    job = _start(world, count=2)
    assert job.status == JobStatus.QUEUED
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == "READY"
    from django.core.management import call_command

    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO())
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == JobStatus.DONE and task.status == "SUCCESSFUL"
    assert AuditEvent.objects.filter(action="job-test").count() == 2


def test_command_line_runs_the_same_work_with_a_progress_bar(world):
    stream = io.StringIO()
    with jobs.terminal_progress("Testarbete", stream=stream, force=True) as progress:
        job, result = jobs.run_here(
            "tests.write",
            acting_user=world.users["admin"],
            federation=world.federation,
            label="Testarbete",
            progress=progress,
            count=3,
        )
    assert result.message == "3 rader skrivna." and job.status == JobStatus.DONE
    assert "Testarbete" in stream.getvalue() and "3/3" in stream.getvalue()
    quiet = io.StringIO()  # not a terminal: no bar
    with jobs.terminal_progress("Testarbete", stream=quiet) as progress:
        progress(1, 2)
    assert quiet.getvalue() == ""


def test_command_line_failure_is_raised_and_recorded(world):
    with pytest.raises(ValidationError):
        jobs.run_here(
            "tests.write", acting_user=world.users["admin"], federation=world.federation, label="x", count=2, fail=True
        )
    job = Job.objects.get(kind="tests.write")
    assert job.status == JobStatus.FAILED and job.error == "Rad 3 är ogiltig."
    assert not AuditEvent.objects.filter(action="job-test").exists()
