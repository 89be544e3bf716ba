from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Samverkan (applies pending migrations first)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--noreload", action="store_true")

    def handle(self, *args, host, port, noreload, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("runserver", f"{host}:{port}", use_reloader=not noreload)
