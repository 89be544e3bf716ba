"""`samverkan serve`: the site, and (unless --no-worker) one background worker beside it.

The worker is a child process (`samverkan worker`) started before the web server and stopped when
the server stops, however it stops (Ctrl+C, SIGTERM, an error); if this process is killed outright
the worker notices (PARENT_ENV) and stops after its current task. With Django's auto-reloader only
the outer process starts a worker, not each reloaded child.
"""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from samverkan.core.management.commands.worker import PARENT_ENV

# The longest a request may take under gunicorn; work bounded in the code (Erlang, imports) is
# refused long before, so only a defect or an overloaded machine meets this limit.
REQUEST_TIMEOUT_SECONDS = 60
STOP_SECONDS = 30  # how long a stopping worker may take to finish its task before it is killed


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "samverkan.cli", "worker", "--no-reload"]


def start_worker():
    """The worker beside the site, or None when this is the auto-reloader's child (its parent has one)."""
    if os.environ.get("RUN_MAIN") == "true":
        return None
    return subprocess.Popen(worker_argv(), env={**os.environ, PARENT_ENV: str(os.getpid())})


def stop_process(process) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()  # SIGTERM: the worker finishes its current task, then exits
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()  # its task's transaction is rolled back; the job is started again (core.jobs)
        process.wait()


def _raise_exit(signum, frame):
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "Serve Samverkan (applies pending migrations first) with one background worker beside it. "
        "--workers N uses gunicorn, as in production; --no-worker when workers run elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=0, help="gunicorn worker processes (0 = Django's development server)"
        )
        parser.add_argument("--noreload", action="store_true")
        parser.add_argument(
            "--no-worker", action="store_true", help="start no background worker (run `samverkan worker` yourself)"
        )

    def handle(self, *args, host, port, workers, noreload, no_worker, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if workers:
            from django.conf import settings

            if settings.PRODUCTION:
                call_command("collectstatic", interactive=False, verbosity=0)
        background = None if no_worker else start_worker()
        previous = signal.signal(signal.SIGTERM, _raise_exit)  # a stop request runs the clean-up below
        try:
            if workers:
                self.gunicorn(host, port, workers)
            else:
                call_command("runserver", f"{host}:{port}", use_reloader=not noreload)
        finally:
            stop_process(background)
            signal.signal(signal.SIGTERM, previous)

    def gunicorn(self, host, port, workers):
        server = subprocess.Popen(  # fixed argv, no shell involved
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samverkan.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                # No request runs for ever: a worker silent this long is killed and replaced,
                # and request lines and headers are bounded (gunicorn's defaults, stated).
                "--timeout",
                str(REQUEST_TIMEOUT_SECONDS),
                "--graceful-timeout",
                str(REQUEST_TIMEOUT_SECONDS),
                "--limit-request-line",
                "8190",
                "--limit-request-fields",
                "100",
            ]
        )
        try:
            server.wait()
        finally:
            stop_process(server)
