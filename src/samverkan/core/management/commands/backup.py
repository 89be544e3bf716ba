import shutil
import sqlite3
import subprocess

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_url() -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


class Command(BaseCommand):
    help = "Copy the whole database to FILE (SQLite online backup, or pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(file) as target:
                connection.connection.backup(target)
            target.close()
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump saknas: installera postgresql-client")
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", file, pg_url()],
                                    capture_output=True, text=True)
            if result.returncode:
                raise CommandError(result.stderr.strip().splitlines()[-1] if result.stderr else "pg_dump misslyckades")
        else:
            raise CommandError(f"backup stöds inte för {connection.vendor}")
        self.stdout.write(f"Säkerhetskopia skriven till {file}")
