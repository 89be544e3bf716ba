import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from samverkan.core.management.commands.backup import pg_url


class Command(BaseCommand):
    help = "Replace the whole database with the content of FILE written by `samverkan backup`."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if not Path(file).is_file():
            raise CommandError(f"filen {file} finns inte")
        if connection.vendor == "sqlite":
            try:
                source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
                source.execute("select count(*) from django_migrations").fetchone()
            except sqlite3.DatabaseError as exc:
                raise CommandError(f"{file} är ingen Samverkan-säkerhetskopia: {exc}") from None
            connection.ensure_connection()
            source.backup(connection.connection)
            source.close()
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_restore"):
                raise CommandError("pg_restore saknas: installera postgresql-client")
            connection.close()
            result = subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", pg_url(), file],
                capture_output=True, text=True,
            )
            if result.returncode:
                raise CommandError(result.stderr.strip().splitlines()[-1] if result.stderr else "pg_restore misslyckades")
        else:
            raise CommandError(f"restore stöds inte för {connection.vendor}")
        self.stdout.write(f"Databasen återställd från {file}")
