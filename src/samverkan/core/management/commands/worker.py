"""`samverkan worker`: run the background tasks (invoice runs, imports, e-mail) from the database queue.

The options are django-tasks-db's worker's (`samverkan worker --help`): `--queue-name a,b` or `'*'`,
`--interval S` (sleep when the queue is empty, default 1), `--batch` (run what is queued, then stop),
`--max-tasks N` (stop after N, e.g. to recycle memory under a supervisor), `--worker-id`, `--reload`
(restart on code changes; default with SAMVERKAN_DEBUG=1). Run as many as the machine has cores to
spare: each takes one task at a time, and the queue hands each task to exactly one of them.

Besides running tasks, each worker looks for jobs whose process died (core.jobs.reap_stale): at start
and every half of settings.JOB_STALE_SECONDS. Started by `samverkan serve`, it also stops when serve's
process is gone (PARENT_ENV), so a killed server leaves no worker behind.
"""

from __future__ import annotations

import os
import signal
import threading

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands import db_worker

from samverkan.core import jobs

PARENT_ENV = "SAMVERKAN_WORKER_PARENT"  # set by `serve`: the pid whose end stops this worker


class Command(db_worker.Command):
    help = "Run a background worker (django-tasks database queue); see the module docstring for options."

    def handle(self, *args, **options):
        jobs.reap_stale()
        if not options.get("batch"):
            threading.Thread(target=_watch, args=(os.environ.get(PARENT_ENV),), daemon=True).start()
        # The worker installs its own signal handlers (they exit the process); give the old ones
        # back when it stops, so a worker run in-process (tests, `--batch` from a script) leaves none behind.
        saved = {sig: signal.getsignal(sig) for sig in _SIGNALS}
        try:
            return super().handle(*args, **options)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)


_SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]


def _watch(parent: str | None) -> None:
    """Reap dead jobs now and then; stop (gracefully: the running task finishes) when the parent is gone."""
    interval = max(1.0, settings.JOB_STALE_SECONDS / 2)
    stop = threading.Event()
    waited = 0.0
    while not stop.wait(2.0):
        if parent and os.getppid() != int(parent):
            os.kill(os.getpid(), signal.SIGTERM)
            return
        waited += 2.0
        if waited >= interval:
            waited = 0.0
            try:
                jobs.reap_stale()
            finally:
                connections.close_all()
