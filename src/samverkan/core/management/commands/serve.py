import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

# The longest a request may take under gunicorn; work bounded in the code (Erlang, imports) is
# refused long before, so only a defect or an overloaded machine meets this limit.
REQUEST_TIMEOUT_SECONDS = 60


class Command(BaseCommand):
    help = "Serve Samverkan (applies pending migrations first). --workers N uses gunicorn, as in production."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=0, help="gunicorn worker processes (0 = Django's development server)"
        )
        parser.add_argument("--noreload", action="store_true")

    def handle(self, *args, host, port, workers, noreload, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if workers:
            from django.conf import settings

            if settings.PRODUCTION:
                call_command("collectstatic", interactive=False, verbosity=0)
            # Replace this process with gunicorn (fixed argv, no shell involved).
            os.execv(  # noqa: S606
                sys.executable,
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
                ],
            )
        call_command("runserver", f"{host}:{port}", use_reloader=not noreload)
