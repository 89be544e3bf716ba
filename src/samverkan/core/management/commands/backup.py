"""`samverkan backup FILE`: the database and the private files (attachments) in one archive,
taken while the site runs; see samverkan.core.backup for the format."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.backup import BackupError, write_archive


class Command(BaseCommand):
    help = "Write the database and the private files to FILE (a zip archive with a manifest and checksums)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            written = write_archive(file.resolve())
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = f"{written.files} {'fil' if written.files == 1 else 'filer'}"
        self.stdout.write(f"Säkerhetskopia skriven till {file} (databasen och {files})")
