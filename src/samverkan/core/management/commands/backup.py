"""`samverkan backup FILE`: the whole database in one file, taken while the site runs.

SQLite uses the online backup API (a consistent copy even with concurrent writers), written to a
temporary file beside FILE and renamed into place, so a failed backup never leaves half a file.
PostgreSQL uses `pg_dump --format=custom`; connection details go through PG* environment
variables, never the command line, so the password does not show in `ps`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_env() -> dict[str, str]:
    """libpq environment for the current connection (NAME is test_<name> under pytest)."""
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": s["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    return env


def last_line(stderr: str, fallback: str) -> str:
    lines = [line for line in (stderr or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else fallback


class Command(BaseCommand):
    help = "Copy the whole database to FILE (SQLite online backup, or pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        target = file.resolve()
        if not target.parent.is_dir():
            raise CommandError(f"katalogen {target.parent} finns inte")
        if connection.vendor == "sqlite":
            self._sqlite(target)
        elif connection.vendor == "postgresql":
            self._postgres(target)
        else:
            raise CommandError(f"backup stöds inte för {connection.vendor}")
        self.stdout.write(f"Säkerhetskopia skriven till {file}")

    def _sqlite(self, target: Path) -> None:
        connection.ensure_connection()
        fd, temp = tempfile.mkstemp(prefix=".backup-", suffix=".sqlite3", dir=target.parent)
        os.close(fd)
        try:
            copy = sqlite3.connect(temp)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
            os.replace(temp, target)
        except (sqlite3.Error, OSError) as exc:
            raise CommandError(f"säkerhetskopian kunde inte skrivas: {exc}") from None
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    def _postgres(self, target: Path) -> None:
        if not shutil.which("pg_dump"):
            raise CommandError("pg_dump saknas: installera postgresql-client")
        fd, temp = tempfile.mkstemp(prefix=".backup-", suffix=".dump", dir=target.parent)
        os.close(fd)
        try:
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", temp],
                capture_output=True,
                text=True,
                env=pg_env(),
            )
            if result.returncode:
                raise CommandError(last_line(result.stderr, "pg_dump misslyckades"))
            os.replace(temp, target)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
