"""`samverkan demo`: an empty database, migrated, filled with the demo federations.

Each module contributes through `samverkan.<module>.demo.build(stdout)`, called in the order
of settings.SAMVERKAN_MODULES so later modules can build on earlier ones.
"""

from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from tqdm import tqdm


def module_builders():
    for module in settings.SAMVERKAN_MODULES:
        yield module, import_module(f"samverkan.{module}.demo").build


class Command(BaseCommand):
    help = "Create or rebuild the demo database (all existing data in it is replaced)."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
        builders = list(module_builders())
        # One transaction: a failing builder leaves an empty database, not half a demo.
        with transaction.atomic(), tqdm(builders, desc="demo", unit="modul", disable=not self.stdout.isatty()) as bar:
            for module, build in bar:
                bar.set_postfix_str(module)
                build(self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demodatabasen är klar. Inloggningar: se README (lösenord Samverkan-demo-2025).")
        )
