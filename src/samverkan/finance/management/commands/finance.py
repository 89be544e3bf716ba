"""`samverkan finance import-sie FILE [--federation SLUG]` and
`samverkan finance report KIND --year Y [--federation SLUG] [--period …] [--format …] [-o FILE]`.

Both act as `--user NAME` (whose capabilities are checked) or, without it, the system actor.
`--federation` may be left out while there is only one federation. Every refusal is one
CommandError line in Swedish.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from samverkan.core import jobs
from samverkan.core.actors import command_actor
from samverkan.domain.errors import DomainError
from samverkan.finance.exporters import report_pdf, report_text, report_xlsx
from samverkan.finance.tasks import SIE_KIND
from samverkan.finance.usecases import followup, statements
from samverkan.members.models import Federation

FOLLOWUP_KINDS = followup.KINDS  # operating, followup, investments
STATEMENT_KINDS = statements.KINDS  # income, balance, cashflow, balance-requirement
FORMATS = ("table", "json", "xlsx", "pdf")
FEDERATION_HELP = "federation slug (required with several federations)"


def _federation(slug: str | None) -> Federation:
    if slug:
        found = Federation.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Federation.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"okänt förbund: {slug} (finns: {known or 'inga'})")
        return found
    slugs = list(Federation.objects.order_by("slug").values_list("slug", flat=True))
    if not slugs:
        raise CommandError("det finns inget förbund")
    if len(slugs) > 1:
        raise CommandError(f"ange --federation, det finns flera förbund: {', '.join(slugs)}")
    return Federation.objects.get(slug=slugs[0])


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or "behörighet saknas"
    return str(exc)


class Command(BaseCommand):
    help = "The ledger (SIE import) and the finance reports: follow-up, operating statement, statements."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-sie", help="import a SIE 4 file as the federation's ledger for its year")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--federation", default=None, metavar="SLUG", help=FEDERATION_HELP)
        imp.add_argument("--encoding", default=None, help="cp437 (PC8, the standard) or latin-1; default: detected")
        imp.add_argument("--user", default=None, help="act as this user (default: the system)")

        rep = sub.add_parser("report", help="a finance report as a table, JSON, XLSX or PDF")
        rep.add_argument("kind", metavar="KIND", help=f"one of {', '.join((*FOLLOWUP_KINDS, *STATEMENT_KINDS))}")
        rep.add_argument("--year", required=True, metavar="Y", help="the year, e.g. 2023")
        rep.add_argument("--federation", default=None, metavar="SLUG", help=FEDERATION_HELP)
        rep.add_argument("--period", default=None, help="T1, T2, Y or YYYY-MM..YYYY-MM (follow-up reports)")
        rep.add_argument("--budget", default=None, help="budget version (default: the adopted one)")
        rep.add_argument("--format", default="table", dest="output", metavar="FORMAT", help="table, json, xlsx or pdf")
        rep.add_argument("-o", "--output", default=None, dest="out_file", metavar="FILE", help="write to this file")
        rep.add_argument("--user", default=None, help="act as this user (default: the system)")

    def handle(self, *args, **opts):
        if opts["action"] == "import-sie":
            return self._import(opts)
        return self._report(opts)

    def _import(self, opts) -> None:
        """The page's background job, run here with a progress bar (on a terminal)."""
        path = Path(opts["file"])
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise CommandError(f"filen kan inte läsas: {path}: {exc.strerror or exc}") from None
        federation = _federation(opts.get("federation"))
        actor = command_actor(opts.get("user"))
        try:
            with jobs.terminal_progress("huvudbok") as progress:
                _job, result = jobs.run_here(
                    SIE_KIND,
                    acting_user=actor,
                    federation=federation,
                    label=f"Import av huvudbok: {path.name}",
                    progress=progress,
                    path=str(path.resolve()),
                    source_name=path.name,
                    encoding=opts.get("encoding") or "",
                )
        except (ValidationError, DomainError, PermissionDenied) as exc:
            raise CommandError(_message(exc)) from None
        except OSError as exc:
            raise CommandError(f"filen kan inte läsas: {path}: {exc.strerror or exc}") from None
        for line in result.value:
            self.stdout.write(line)

    def _report(self, opts) -> None:
        kind, fmt, out = opts["kind"], opts["output"], opts.get("out_file")
        if kind not in (*FOLLOWUP_KINDS, *STATEMENT_KINDS):
            raise CommandError(f"okänd rapport: {kind} (välj {', '.join((*FOLLOWUP_KINDS, *STATEMENT_KINDS))})")
        if fmt not in FORMATS:
            raise CommandError(f"okänt format: {fmt} (välj {', '.join(FORMATS)})")
        if fmt in ("xlsx", "pdf") and not out:
            raise CommandError(f"--format {fmt} kräver -o FIL")
        year_text = str(opts["year"]).strip()
        if not (year_text.isdigit() and len(year_text) == 4):
            raise CommandError(f"--year: ange året med fyra siffror, inte {opts['year']!r}")
        period = opts.get("period")
        if kind in STATEMENT_KINDS and period not in (None, "Y", "y"):
            raise CommandError(f"--period gäller bara {', '.join(FOLLOWUP_KINDS)}; {kind} avser alltid helår")
        if kind in STATEMENT_KINDS and opts.get("budget"):
            raise CommandError(f"--budget gäller bara operating och followup, inte {kind}")
        federation = _federation(opts.get("federation"))
        actor = command_actor(opts.get("user"))
        try:
            if kind in FOLLOWUP_KINDS:
                report = followup.followup_report(
                    user=actor,
                    federation=federation,
                    kind=kind,
                    year=int(year_text),
                    period=period or "Y",
                    budget=opts.get("budget"),
                )
            else:
                report = statements.statement_report(user=actor, federation=federation, kind=kind, year=int(year_text))
        except (ValidationError, DomainError, PermissionDenied) as exc:
            raise CommandError(_message(exc)) from None
        self._write(report, fmt, out)

    def _write(self, report, fmt: str, out: str | None) -> None:
        if fmt == "json":
            body: str | bytes = json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
        elif fmt == "table":
            body = report_text.render(report.table)
        elif fmt == "xlsx":
            body = report_xlsx.render(report.table)
        else:
            body = report_pdf.render(report.table)
        if out is None:
            self.stdout.write(body if isinstance(body, str) else body.decode(), ending="")
            return
        try:
            if isinstance(body, bytes):
                Path(out).write_bytes(body)
            else:
                Path(out).write_text(body, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"filen kan inte skrivas: {out}: {exc.strerror or exc}") from None
        self.stderr.write(f"Skrev {out}.")
