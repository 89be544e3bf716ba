"""`samverkan restore FILE`: replace the whole database with a backup from `samverkan backup`.

The file is checked before anything is touched: a file that is not a Samverkan backup of the
database's kind is refused with one line and the database stays as it was.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from samverkan.core.management.commands.backup import last_line, pg_env

PG_DUMP_MAGIC = b"PGDMP"


def check_sqlite_backup(file: Path) -> sqlite3.Connection:
    try:
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        found = source.execute("select count(*) from django_migrations where app = 'members'").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise CommandError(f"{file} är ingen Samverkan-säkerhetskopia: {exc}") from None
    if not found:
        source.close()
        raise CommandError(f"{file} är ingen Samverkan-säkerhetskopia: tabellerna saknas")
    return source


class Command(BaseCommand):
    help = "Replace the whole database with the content of FILE written by `samverkan backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"filen {file} finns inte")
        if connection.vendor == "sqlite":
            source = check_sqlite_backup(file)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            except sqlite3.Error as exc:
                raise CommandError(f"återställningen misslyckades: {exc}") from None
            finally:
                source.close()
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_restore"):
                raise CommandError("pg_restore saknas: installera postgresql-client")
            with file.open("rb") as handle:
                if handle.read(len(PG_DUMP_MAGIC)) != PG_DUMP_MAGIC:
                    raise CommandError(f"{file} är ingen Samverkan-säkerhetskopia (pg_dump custom format)")
            connection.close()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    pg_env()["PGDATABASE"],
                    str(file),
                ],
                capture_output=True,
                text=True,
                env=pg_env(),
            )
            if result.returncode:
                raise CommandError(last_line(result.stderr, "pg_restore misslyckades"))
        else:
            raise CommandError(f"restore stöds inte för {connection.vendor}")
        self.stdout.write(f"Databasen återställd från {file}")
