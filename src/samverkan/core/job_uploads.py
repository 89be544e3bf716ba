"""Files that background jobs read and write, and the glue between a form, its job and the page.

A job may run in another process than the request that started it (``samverkan worker``, or a
worker on another host sharing the private storage), and its parameters must be JSON; so an
upload is copied to ``PRIVATE_STORAGE_ROOT/jobb/`` before the job is queued (in chunks: a
queue_log of a year is a gigabyte) and the job gets the file's token. The job removes the
file when it is finished with it; a file whose job died twice is swept a week later.
A job's output (the ZIP of a run's invoice PDFs) is kept in the same directory under a token the
job's parameters hold, written through :func:`writing` so that only a complete file appears.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.response import Response

from samverkan.core import jobs
from samverkan.core.models import Job
from samverkan.core.selectors import jobs_for

KEEP_SECONDS = 7 * 24 * 3600  # an upload nobody took (its job died twice) is removed after this
_TOKEN = re.compile(r"^[0-9a-f]{32}(\.[a-z0-9]{1,8})?$")
QUERY = "jobb"  # ?jobb=<id> on a page that started a job: shows its progress


def directory() -> Path:
    """Read on every use, so tests and deployments can move ``PRIVATE_STORAGE_ROOT``."""
    return Path(settings.PRIVATE_STORAGE_ROOT) / "jobb"


def keep(upload) -> str:
    """Copy an uploaded file to private storage; returns its token (a job parameter)."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    suffix = Path(getattr(upload, "name", "") or "").suffix.lower()
    token = secrets.token_hex(16) + (suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else "")
    target = folder / token
    with target.open("xb") as out:
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b""):
            out.write(chunk)
    return token


def start_import(kind: str, *, acting_user, upload, label: str, origin_url: str = "", **params) -> Job:
    """Queue the import of an uploaded file into the user's own federation: the file is kept where
    the worker reads it (``params["upload"]`` is its token)."""
    return jobs.start(
        kind,
        acting_user=acting_user,
        federation=acting_user.federation,
        label=label,
        origin_url=origin_url,
        upload=keep(upload),
        **params,
    )


def path_of(token: str) -> Path:
    """The kept file of ``token`` (a job parameter: never a path a caller chose)."""
    if not _TOKEN.match(token):
        raise ValueError(f"not an upload token: {token!r}")
    return directory() / token


@contextmanager
def taken(token: str) -> Iterator[Path]:
    """The kept file for the job's work; removed afterwards: at once when the work failed (a failed
    job is not run again), after the commit when it succeeded (a rollback must leave it for a retry)."""
    path = path_of(token)
    try:
        yield path
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def _sweep(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for entry in folder.iterdir():
        try:
            if entry.is_file() and entry.stat().st_mtime < limit:
                entry.unlink()
        except OSError:
            continue


@contextmanager
def writing(final: Path) -> Iterator[Path]:
    """A temporary file that becomes ``final`` only if the work succeeds (and is gone if it fails)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        yield temporary
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, final)


def shown(request, kind_prefix: str) -> Job | None:
    """The job named by ``?jobb=`` on the page that started it (404 for one the user may not follow
    or of another kind)."""
    value = request.GET.get(QUERY, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404
    job = get_object_or_404(jobs_for(request.user).filter(kind__startswith=kind_prefix), pk=int(value))
    if jobs.is_stale(job):
        job = jobs.give_up(job)
    return jobs.current(job)


def accepted(job: Job) -> Response:
    """The API's answer to started work: 202, the job (as ``GET /api/v1/jobs/<id>/``) and its URL."""
    from samverkan.core.api import JobSerializer

    data = JobSerializer(jobs.as_dict(job)).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})
