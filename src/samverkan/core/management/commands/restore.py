"""`samverkan restore FILE`: replace the database and the private files with an archive from
`samverkan backup`. The archive is verified in full before anything is replaced; a refusal is one
line and leaves the database and the files as they were (see samverkan.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = "Replace the database and the private files with the archive FILE written by `samverkan backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            restored = restore_archive(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        message = f"Databasen återställd från {file} ({restored.files} {'fil' if restored.files == 1 else 'filer'})"
        if restored.pending_migrations:
            message += f"; {restored.pending_migrations} migreringar återstår: kör samverkan migrate"
        self.stdout.write(message)
