"""`samverkan telephony import FILE` and `samverkan telephony service-level FILE --within S`.

service-level works on the file alone (no database): :func:`..usecases.service_level_from_file`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.domain.numbers import NumberError, parse_int
from samverkan.domain.service_level import CONVENTION_LABELS, Convention
from samverkan.telephony.importers.csv_records import CsvMapping, mapping_from_spec
from samverkan.telephony.importers.lines import InputError
from samverkan.telephony.usecases import service_level_from_file
from samverkan.telephony.validators import MAX_SECONDS


def _mapping(opts) -> CsvMapping | None:
    """--csv-columns callid=Samtal,queue=Kö,... and --csv-delimiter ";" → a mapping (None: the header decides)."""
    try:
        return mapping_from_spec(opts.get("csv_columns") or "", opts.get("csv_delimiter") or None)
    except ValueError as exc:
        raise CommandError(f"--csv-columns/--csv-delimiter: {exc}") from None


def _seconds(opts, name: str) -> int:
    try:
        return parse_int(opts[name], minimum=0, maximum=MAX_SECONDS)
    except NumberError as exc:
        raise CommandError(f"--{name.replace('_', '-')}: {exc}") from None


def _detect_format(path: Path, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.suffix.lower() == ".csv" else "queue_log"


class Command(BaseCommand):
    help = "Call records: import into the database, or compute service level straight from a file."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a queue_log or CSV file (all-or-nothing, idempotent)")
        imp.add_argument("file")
        imp.add_argument("--format", choices=["queue_log", "csv"], default=None, dest="file_format")
        imp.add_argument("--federation", default="lystkom", help="federation slug (default lystkom)")
        imp.add_argument("--csv-columns", default="", help="CSV column mapping, e.g. callid=Samtal,queue=Kö")
        imp.add_argument("--csv-delimiter", default=None, help="CSV delimiter (default: from the header , ; or tab)")
        imp.add_argument("--skip-bad-lines", action="store_true", help="skip malformed lines and report them")

        sl = sub.add_parser("service-level", help="service level from a file, no database needed")
        sl.add_argument("file")
        sl.add_argument("--within", required=True, help="threshold T in seconds")
        sl.add_argument("--by", choices=["all", "queue", "month", "hour", "day", "weekday", "year"], default="all")
        sl.add_argument("--format", choices=["table", "json"], default="table", dest="output")
        sl.add_argument("--input-format", choices=["queue_log", "csv"], default=None)
        sl.add_argument(
            "--convention", choices=[c.value for c in Convention], default=Convention.ABANDON_ADJUSTED.value
        )
        sl.add_argument("--short-abandon", default="5", help="short-abandon threshold in seconds (default 5)")
        sl.add_argument("--csv-columns", default="", help="CSV column mapping, e.g. callid=Samtal,queue=Kö")
        sl.add_argument("--csv-delimiter", default=None, help="CSV delimiter (default: from the header , ; or tab)")
        sl.add_argument("--skip-bad-lines", action="store_true")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"filen finns inte: {path}")
        if opts["action"] == "import":
            return self._import(path, opts)
        return self._service_level(path, opts)

    def _import(self, path: Path, opts) -> None:
        """The page's background job, run here with a progress bar (on a terminal)."""
        from django.core.exceptions import ValidationError

        from samverkan.core import jobs
        from samverkan.core.actors import system_actor
        from samverkan.members.models import Federation
        from samverkan.telephony import tasks
        from samverkan.telephony.models import ImportBatch

        try:
            federation = Federation.objects.get(slug=opts["federation"])
        except Federation.DoesNotExist:
            raise CommandError(f"okänt förbund: {opts['federation']}") from None
        _mapping(opts)  # a bad --csv-columns is refused before anything starts
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise CommandError(f"filen kan inte läsas: {exc.strerror or exc}") from None
        try:
            with jobs.terminal_progress("samtal") as progress:
                _job, result = jobs.run_here(
                    tasks.KIND,
                    acting_user=system_actor(),
                    federation=federation,
                    label=f"Import av samtal: {path.name}",
                    progress=progress,
                    path=str(path.resolve()),
                    file_name=path.name[:255],
                    file_format=_detect_format(path, opts["file_format"]),
                    skip_bad_lines=opts["skip_bad_lines"],
                    csv_columns=opts["csv_columns"] or "",
                    csv_delimiter=opts["csv_delimiter"] or "",
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(f"filen kan inte läsas: {exc.strerror or exc}") from None
        self.stdout.write(result.message)
        batch_id, created = result.value
        if created:
            for skipped in ImportBatch.objects.get(pk=batch_id).skipped_lines[:20]:
                self.stderr.write(f"rad {skipped['line']}: {skipped['reason']}")

    def _service_level(self, path: Path, opts) -> None:
        within, short_abandon = _seconds(opts, "within"), _seconds(opts, "short_abandon")
        try:
            result = service_level_from_file(
                path,
                file_format=_detect_format(path, opts["input_format"]),
                within_seconds=within,
                group_by=opts["by"],
                convention=Convention(opts["convention"]),
                short_abandon_seconds=short_abandon,
                skip_bad_lines=opts["skip_bad_lines"],
                csv_mapping=_mapping(opts),
            )
        except InputError as exc:
            raise CommandError(f"{exc}; inget räknades") from None
        except OSError as exc:
            raise CommandError(f"filen kan inte läsas: {exc.strerror or exc}") from None
        for error in result.skipped[:20]:
            self.stderr.write(f"överhoppad rad {error.line_number}: {error.reason}")
        rows = result.rows()
        if opts["output"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        convention, within = result.convention, result.within_seconds
        self.stdout.write(f"Servicenivå: {CONVENTION_LABELS[convention]}; T = {within} s")
        header = ["grupp", "inkomna", "besvarade", "avbrutna", "inom T", "servicenivå", "snitt svarstid (s)"]
        table = [header] + [
            [
                r["group"],
                str(r["offered"]),
                str(r["answered"]),
                str(r["abandoned"]),
                str(r["answered_within"]),
                _percent(r["service_level"]),
                "–" if r["asa_seconds"] is None else r["asa_seconds"],
            ]
            for r in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            self.stdout.write(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
                )
            )


def _percent(value: str | None) -> str:
    if value is None:
        return "–"
    return f"{Decimal(value) * 100:.1f} %".replace(".", ",")
