"""Long work in the background: start it, follow it, and never leave it half done.

A module declares a kind of work once (in its ``tasks.py``, found by ``autodiscover_modules``):

    @jobs.job_kind("billing.run_create", capability=VIEW_RUNS)
    def run_create(*, acting_user, federation, progress, period):
        run = services.invoice_run_create(..., progress=progress)
        return jobs.JobResult(message=_("Klart."), url=reverse(...))

A page or the API calls ``jobs.start(kind, acting_user=…, federation=…, label=…, **params)``: a ``Job``
row and a django-tasks task are written (in the caller's transaction: with the database backend a
worker sees neither unless it commits; a backend outside the database, e.g. django-tasks-rq, would
need ``start`` to enqueue in ``transaction.on_commit`` instead) and the page shows ``core/_job.html``, which polls
``/jobb/<id>/``. A command calls ``jobs.run_here(...)`` with the same kind: the same function in the
command's own process, with a progress bar on a terminal (``terminal_progress``).

Guarantees, whoever runs it:

* The work runs in one transaction, and the row is marked done inside it, only if this attempt
  still owns the job: a failure rolls everything back and the error is written afterwards, outside.
* Progress (``progress(done, total, message)``) is kept in memory and written by a helper thread at
  most every ``PROGRESS_INTERVAL`` seconds, plus a heartbeat every ``heartbeat_seconds()``: on
  PostgreSQL with the thread's own connection (autocommit, so it is seen while the work's
  transaction is open), on SQLite to a small file beside the database (SQLite has one writer per
  database: a second connection would wait for the work's transaction).
* A job whose heartbeat is older than ``settings.JOB_STALE_SECONDS`` lost its process (a worker
  killed mid-task: its transaction was rolled back by the database). ``reap_stale`` starts it
  again once (``MAX_ATTEMPTS``); after the second loss it is marked failed with a Swedish message.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django_tasks import task

from samverkan.core.models import Job, JobStatus
from samverkan.core.permissions import Capability
from samverkan.domain.errors import DomainError

logger = logging.getLogger(__name__)

Progress = Callable[..., None]
"""``progress(done, total, message="")``: how far the work is; cheap to call as often as you like."""

PROGRESS_INTERVAL = 0.5  # seconds between two progress writes
MAX_ATTEMPTS = 2  # a job is started at most this often (the second time after its process died)


def no_progress(done: int, total: int, message: str = "") -> None:
    """The default ``progress`` of a service called without one."""


@dataclass(frozen=True)
class JobResult:
    """What a finished job shows: a Swedish sentence and, if there is one, a link to the result;
    ``value`` (not stored) is handed to the caller of ``run_here``, e.g. the id of what was made."""

    message: str = ""
    url: str = ""
    link_text: str = ""  # what the link says ("Hämta ZIP-filen"); "Visa resultatet" when blank
    value: Any = None


@dataclass(frozen=True)
class JobKind:
    name: str
    func: Callable[..., JobResult | None]
    capability: Capability | None


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, capability: Capability | None = None):
    """Declare a kind of work. ``func(*, acting_user, federation, progress, **params)`` runs inside the
    job's transaction; ``capability``: besides the starter, who in the federation may follow it."""

    def register(func: Callable[..., JobResult | None]) -> Callable[..., JobResult | None]:
        if name in KINDS and KINDS[name].func is not func:
            raise ValueError(f"job kind {name} declared twice")
        KINDS[name] = JobKind(name, func, capability)
        return func

    return register


def _kind(name: str) -> JobKind:
    if name not in KINDS:
        autodiscover_modules("tasks")
    return KINDS[name]


def _new_job(kind: str, *, acting_user, federation, label: str, origin_url: str, params: dict[str, Any]) -> Job:
    declared = _kind(kind)
    return Job.objects.create(
        federation=federation,
        kind=kind,
        label=str(label)[:200],
        capability=declared.capability.code if declared.capability else "",
        started_by=acting_user,
        params=params,
        origin_url=origin_url[:300],
    )


def start(kind: str, *, acting_user, federation, label: str, origin_url: str = "", **params: Any) -> Job:
    """Queue the work for a worker and return its ``Job`` (params must be JSON: ids, strings, numbers).

    Check what you can before (form validation, ``require``): the function checks again when it runs.
    """
    job = _new_job(kind, acting_user=acting_user, federation=federation, label=label, origin_url=origin_url,
                   params=params)  # fmt: skip
    _enqueue(job)
    job.refresh_from_db()  # a backend that ran it at once (the tests) has finished it
    return job


def _enqueue(job: Job) -> None:
    # Written before the enqueue: an immediate backend runs the job within enqueue() and finds it queued.
    result = execute_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def run_here(
    kind: str, *, acting_user, federation, label: str, progress: Progress | None = None, **params: Any
) -> tuple[Job, JobResult]:
    """Run the work in this process (the CLI), recorded like a queued job; ``progress`` is called too
    (e.g. ``terminal_progress``). The work's exception is raised again after it has been recorded."""
    job = _new_job(kind, acting_user=acting_user, federation=federation, label=label, origin_url="", params=params)
    result = _execute(job, also=progress, reraise=True)
    job.refresh_from_db()
    return job, result or JobResult()


@task()
def execute_job(job_id: int) -> None:
    """The one django-tasks task: runs the job's kind (the worker's entry point)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is not None:
        _execute(job)


def _execute(job: Job, *, also: Progress | None = None, reraise: bool = False) -> JobResult | None:
    now = timezone.now()
    attempt = job.attempts + 1
    # Claim: only a queued job starts, and only once per attempt (a task delivered twice runs once).
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED, attempts=job.attempts).update(
        status=JobStatus.RUNNING, attempts=attempt, started_at=now, heartbeat_at=now, error=""
    )
    if not claimed:
        return None
    job.refresh_from_db()
    reporter = _Reporter(job.pk, also=also)
    try:
        declared = _kind(job.kind)
        with reporter, transaction.atomic():
            result = (
                declared.func(
                    acting_user=job.started_by, federation=job.federation, progress=reporter.progress, **job.params
                )
                or JobResult()
            )
            reporter.stop()  # no progress write may race the final one
            done, total = reporter.counts()
            owned = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=attempt).update(
                status=JobStatus.DONE,
                done=max(done, total),
                total=total,
                message=str(result.message)[:300],
                result_url=result.url[:300],
                result_label=str(result.link_text)[:100],
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            if not owned:  # given up as dead and started again meanwhile: this attempt writes nothing
                raise JobLost(_("Arbetet startades om under tiden; det här försöket sparade ingenting."))
    except BaseException as exc:
        done, total = reporter.counts()
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=attempt).update(
            status=JobStatus.FAILED,
            done=done,
            total=total,
            error=error_text(exc),
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if reraise or not isinstance(exc, Exception):
            raise
        return None
    finally:
        _progress_file(job.pk).unlink(missing_ok=True)
    return result


class JobLost(RuntimeError):
    """This attempt no longer owns its job (another attempt was started)."""


def error_text(exc: BaseException) -> str:
    """The Swedish text a person sees: the service's own messages, or a general sentence (the details
    go to the log, not to the page)."""
    if isinstance(exc, ValidationError):
        return "\n".join(exc.messages)
    if isinstance(exc, (DomainError, PermissionDenied, JobLost)):
        return str(exc)
    logger.error("job failed", exc_info=exc)
    return _("Ett oväntat fel inträffade (%(error)s). Inget av arbetet sparades; försök igen eller kontakta "
             "förvaltningen.") % {"error": type(exc).__name__}  # fmt: skip


# --- progress and heartbeat, written outside the work's transaction


def heartbeat_seconds() -> float:
    return max(1.0, min(30.0, settings.JOB_STALE_SECONDS / 5))


def _uses_files() -> bool:
    return connections["default"].vendor == "sqlite"


def _progress_file(job_id: int) -> Path:
    return Path(settings.HOME) / "jobs" / f"{job_id}.json"


class _Reporter:
    """Holds the latest progress; a thread writes it (throttled) and the heartbeat."""

    def __init__(self, job_id: int, *, also: Progress | None = None) -> None:
        self.job_id = job_id
        self.also = also
        self._state = (0, 0, "")
        self._written: tuple[int, int, str] | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"job-{job_id}-progress", daemon=True)

    def progress(self, done: int, total: int, message: str = "") -> None:
        with self._lock:
            self._state = (int(done), int(total), str(message)[:300])
        self._wake.set()
        if self.also is not None:
            self.also(done, total, message)

    def counts(self) -> tuple[int, int]:
        with self._lock:
            return self._state[0], self._state[1]

    def __enter__(self) -> _Reporter:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._wake.set()
            self._thread.join()

    def _loop(self) -> None:
        files = _uses_files()
        try:
            while not self._stopped.is_set():
                self._wake.wait(heartbeat_seconds())
                if self._stopped.is_set():
                    break
                self._wake.clear()
                self._write(files)
                self._stopped.wait(PROGRESS_INTERVAL)  # at most two writes a second
        finally:
            if not files:
                connections.close_all()  # this thread's own connection

    def _write(self, files: bool) -> None:
        with self._lock:
            done, total, message = self._state
        now = timezone.now()
        try:
            if files:
                path = _progress_file(self.job_id)
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(".tmp")
                temporary.write_text(
                    json.dumps({"done": done, "total": total, "message": message, "heartbeat": now.isoformat()})
                )
                os.replace(temporary, path)
            else:  # this thread's own connection, in autocommit: seen at once by the pages
                Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                    done=done, total=total, message=message, heartbeat_at=now
                )
        except Exception:  # progress is a courtesy: never let it stop the work
            logger.warning("job %s: progress not written", self.job_id, exc_info=True)


def current(job: Job) -> Job:
    """The job with the latest progress and heartbeat (from the progress file on SQLite)."""
    if job.status != JobStatus.RUNNING:
        return job
    try:
        data = json.loads(_progress_file(job.pk).read_text())
    except (OSError, ValueError):
        return job
    job.done, job.total, job.message = data["done"], data["total"], data["message"]
    job.heartbeat_at = datetime.fromisoformat(data["heartbeat"])
    return job


# --- dead processes


def is_stale(job: Job, *, now: datetime | None = None) -> bool:
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    limit = (now or timezone.now()) - timedelta(seconds=settings.JOB_STALE_SECONDS)
    return current(job).heartbeat_at < limit  # type: ignore[operator]


def reap_stale(*, now: datetime | None = None) -> list[Job]:
    """Jobs whose process died: started again (once), or failed. Returns the jobs changed."""
    changed = []
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if is_stale(job, now=now):
            changed.append(give_up(job))
    return changed


def give_up(job: Job) -> Job:
    _forget_task(job.task_id)
    _progress_file(job.pk).unlink(missing_ok=True)
    running = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
    if job.attempts < MAX_ATTEMPTS and job.task_id:  # queued work (a command's own run is not redone)
        if running.update(status=JobStatus.QUEUED, message=_("Arbetet avbröts och startas om.")):
            _enqueue(job)
    else:
        running.update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=_("Arbetet avbröts: processen som körde det slutade svara. Inget av det sparades; starta det igen."),
        )
    job.refresh_from_db()
    return job


def _forget_task(task_id: str) -> None:
    """Mark a dead worker's database task failed, so it is not left 'running' in the queue table."""
    if not task_id or not any(backend["BACKEND"].startswith("django_tasks_db") for backend in settings.TASKS.values()):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="samverkan.core.jobs.JobLost",
        traceback="the worker stopped answering",
    )  # fmt: skip


# --- where a job is followed (who may: core.selectors.jobs_for)


def page_url(job: Job) -> str:
    return reverse("core:job", args=[job.pk])


def api_url(job: Job) -> str:
    return reverse("core-api:api-job", args=[job.pk])


def as_dict(job: Job) -> dict[str, Any]:
    """The job as the API answers it (and the CLI prints it)."""
    job = current(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": job.label,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "result_url": job.result_url,
        "result_label": job.result_label,
        "error": job.error,
        "attempts": job.attempts,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "page_url": page_url(job),
        "url": api_url(job),
    }


# --- the command line


@contextmanager
def terminal_progress(desc: str, *, stream=None, force: bool | None = None) -> Iterator[Progress]:
    """A ``progress`` callable that draws a tqdm bar on a terminal (``stream`` defaults to stderr; not
    a terminal: nothing is drawn, so logs and pipes stay clean)."""
    from tqdm import tqdm

    stream = stream or sys.stderr
    show = force if force is not None else stream.isatty()
    bar = tqdm(total=0, desc=desc, file=stream, disable=not show, unit="", dynamic_ncols=True)
    last = [0.0]

    def progress(done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < 0.1 and done < total:
            return
        last[0] = now
        if total and bar.total != total:
            bar.total = total
        bar.n = done
        if message:
            bar.set_postfix_str(message, refresh=False)
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()


# --- e-mail, sent by a worker after the transaction that decided it commits


@task()
def deliver_mail(subject: str, body: str, recipients: list[str], from_email: str | None = None) -> int:
    """Send one message (the task a worker runs). A failure is kept on the task row, not retried."""
    from django.core.mail import send_mail

    return send_mail(subject, body, from_email, recipients, fail_silently=False)


def mail_after_commit(subject: str, body: str, recipients: list[str], *, from_email: str | None = None) -> None:
    """Queue a plain-text message for when the current transaction commits (none if it rolls back):
    the request or command does not wait for the mail server, and a slow or failing one delays no one."""
    subject, body, recipients = str(subject), str(body), [str(r) for r in recipients]
    transaction.on_commit(lambda: deliver_mail.enqueue(subject, body, recipients, from_email))
