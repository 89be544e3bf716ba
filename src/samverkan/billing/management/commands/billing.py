"""`samverkan billing run|invoices|export-peppol|export-sie|export-pdf|export-xlsx|validate`.

    samverkan billing run --period 2025-Q1 [--approve]      preview + Peppol check (with --approve: approve + issue);
                                                            a progress bar on a terminal
    samverkan billing invoices [--period P] [--format table|json]
    samverkan billing export-peppol F2025-00001 -o faktura.xml
    samverkan billing export-sie 12 -o run.se               (12 = the run id shown by `run`)
    samverkan billing pdf-batch 12 -o fakturor.zip          every invoice of an issued run as PDF
    samverkan billing validate faktura.xml                  EN 16931 + Peppol BIS 3.0 rules; exit 1 on a fatal finding

The command acts as the system actor (audited as such). With several federations in the
database, ``--federation SLUG`` picks one (default: the only federation with a service
catalogue). In listings credit notes have negative amounts, so a listing sums to what was billed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from samverkan.billing import services, usecases
from samverkan.billing.exporters import adapters
from samverkan.billing.models import Invoice, InvoiceRun, RunStatus
from samverkan.billing.peppol.validate import MAX_BYTES, UnreadableDocument, fatal, validate
from samverkan.core import jobs
from samverkan.core.actors import system_actor
from samverkan.domain.money import format_number
from samverkan.domain.periods import parse_period
from samverkan.members.models import Federation


def _federation(slug: str | None) -> Federation:
    if slug:
        try:
            return Federation.objects.get(slug=slug)
        except Federation.DoesNotExist:
            raise CommandError(f"förbundet {slug!r} finns inte") from None
    candidates = list(Federation.objects.filter(catalogue_items__isnull=False).distinct()) or list(
        Federation.objects.all()
    )
    if len(candidates) != 1:
        names = ", ".join(f.slug for f in candidates) or "inga"
        raise CommandError(f"ange --federation (förbund: {names})")
    return candidates[0]


def _signed(invoice: Invoice, amount: Decimal) -> Decimal:
    return -amount if invoice.is_credit_note else amount


class Command(BaseCommand):
    help = "Fakturering: körningar per period, fakturor, export till Peppol (UBL), SIE 4, PDF och XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--federation", help="förbundets kortnamn (t.ex. lystkom)")
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="skapa en fakturakörning för en period")
        run.add_argument("--period", required=True, help="2025-Q1, 2025-T1, 2025-03 eller 2025")
        run.add_argument("--approve", action="store_true", help="godkänn och utfärda direkt")
        run.add_argument(
            "--timing", choices=["arrears", "advance"], help="i efterskott eller förskott (förval: inställningarna)"
        )
        run.add_argument("--prorata", choices=["days", "whole_months"], default="days")
        run.add_argument("--federation", dest="federation_sub", help="förbundets kortnamn")
        inv = sub.add_parser("invoices", help="lista fakturor")
        inv.add_argument("--period", help="bara fakturor för (del av) perioden, t.ex. 2025-Q1 eller 2025")
        inv.add_argument("--format", choices=["table", "json"], default="table", dest="output_format")
        inv.add_argument("--federation", dest="federation_sub")
        inv.add_argument("--drafts", action="store_true", help="ta med ej utfärdade fakturor")
        for name, target, helptext in (
            ("export-peppol", "number", "Peppol BIS Billing 3.0 (UBL) för en faktura eller kreditfaktura"),
            ("export-pdf", "number", "PDF för en faktura eller kreditfaktura"),
            ("export-sie", "run", "SIE 4 (verifikationer) för en körning"),
            ("export-xlsx", "run", "XLSX-sammanställning per medlem för en körning"),
        ):
            p = sub.add_parser(name, help=helptext)
            p.add_argument(target, help="fakturanummer" if target == "number" else "körningens id")
            p.add_argument("-o", "--output", required=True, help="fil att skriva")
            p.add_argument("--federation", dest="federation_sub")
        batch = sub.add_parser("pdf-batch", help="alla fakturor i en utfärdad körning som PDF i en ZIP-fil")
        batch.add_argument("run", help="körningens id")
        batch.add_argument("-o", "--output", required=True, help="ZIP-fil att skriva")
        batch.add_argument("--federation", dest="federation_sub")
        check = sub.add_parser("validate", help="kontrollera en e-faktura (UBL) mot EN 16931 och Peppol BIS 3.0")
        check.add_argument("file", metavar="FIL.xml", help="fakturan eller kreditfakturan att kontrollera")

    def handle(self, *args, action, **options):
        slug = options.get("federation_sub") or options.get("federation")
        try:
            getattr(self, "do_" + action.replace("-", "_"))(slug=slug, **options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def do_run(self, *, slug, period, approve, timing, prorata, **_):
        """The same work as the page's background job, here in this process, with a progress bar on a
        terminal (stderr): create the preview, check its drafts against the Peppol rules, and with
        --approve approve and issue it, all in one transaction."""
        federation, system = _federation(slug), system_actor()
        label = f"Fakturakörning {period}"
        with jobs.terminal_progress(label) as progress:
            _job, result = jobs.run_here(
                "billing.run_execute",
                acting_user=system,
                federation=federation,
                label=label,
                progress=progress,
                period=period,
                approve=approve,
                timing=timing,
                prorata_rule=prorata,
            )
        run = InvoiceRun.objects.get(pk=result.value)
        invoices = run.invoices.all()
        if not invoices:
            services.invoice_run_discard(acting_user=system, run=run)
            self.stdout.write(
                f"Inget nytt att fakturera för {period} (allt är redan fakturerat); ingen körning sparad."
            )
            for warning in filter(None, run.note.splitlines()):
                self.stderr.write(f"varning: {warning}")
            return
        total = sum((i.total for i in invoices), Decimal("0.00"))
        self.stdout.write(
            f"Körning {run.pk} {run.period} ({run.get_status_display().lower()}): {run.lines.count()} rader, "
            f"{len(invoices)} fakturor, totalt {format_number(total, 2)} kr"
        )
        for warning in filter(None, run.note.splitlines()):
            self.stderr.write(f"varning: {warning}")
        if run.status == RunStatus.ISSUED:
            rec = usecases.run_reconciliation(run)
            if not rec.balanced:
                raise CommandError(f"avstämning misslyckades: {rec}")
            self.stdout.write(f"Avstämt: fakturor = rader = SIE ({format_number(rec.invoices_total, 2)} kr)")

    def do_pdf_batch(self, *, run, output, **_):
        """The page's background job, here in this process with a progress bar on a terminal."""
        from samverkan.billing import pdf_batch

        if not str(run).isdigit():
            raise CommandError(f"körningen {run!r} finns inte")
        with jobs.terminal_progress(f"PDF, körning {run}") as progress:
            result = pdf_batch.run_here_into(
                acting_user=system_actor(), run_pk=int(run), target=Path(output), progress=progress
            )
        self.stdout.write(f"{result.message} Skriven till {output}.")

    def do_invoices(self, *, slug, period, output_format, drafts, **_):
        invoices = Invoice.objects.select_related("member", "federation").order_by("issue_date", "number", "pk")
        if slug or Federation.objects.count() == 1:
            invoices = invoices.filter(federation=_federation(slug))
        if not drafts:
            invoices = invoices.filter(issued=True)
        if period:
            try:
                parsed = parse_period(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            invoices = invoices.filter(period_start__gte=parsed.start, period_end__lte=parsed.end)
        rows = [
            {
                "number": i.number or "",
                "member": i.member.name,
                "issue_date": i.issue_date.isoformat(),
                "net": f"{_signed(i, i.net):.2f}",
                "vat": f"{_signed(i, i.vat):.2f}",
                "total": f"{_signed(i, i.total):.2f}",
            }
            for i in invoices
        ]
        if output_format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        header = f"{'Nummer':<14} {'Medlem':<26} {'Datum':<10} {'Netto':>14} {'Moms':>12} {'Att betala':>14}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in rows:
            self.stdout.write(
                f"{r['number']:<14} {r['member'][:26]:<26} {r['issue_date']:<10} "
                f"{format_number(Decimal(r['net']), 2):>14} {format_number(Decimal(r['vat']), 2):>12} "
                f"{format_number(Decimal(r['total']), 2):>14}"
            )
        total = sum((Decimal(r["total"]) for r in rows), Decimal(0))
        self.stdout.write(f"{len(rows)} fakturor, summa {format_number(total, 2)} kr")

    def _invoice(self, slug, number) -> Invoice:
        matches = Invoice.objects.filter(number=number, issued=True)
        if slug:
            matches = matches.filter(federation__slug=slug)
        found = list(matches.select_related("member", "federation", "credits")[:2])
        if not found:
            raise CommandError(f"ingen utfärdad faktura med nummer {number}")
        if len(found) > 1:
            raise CommandError(f"nummer {number} finns i flera förbund; ange --federation")
        return found[0]

    def _run(self, slug, run_id) -> InvoiceRun:
        runs = InvoiceRun.objects.filter(pk=int(run_id)) if str(run_id).isdigit() else InvoiceRun.objects.none()
        if slug:
            runs = runs.filter(federation__slug=slug)
        run = runs.select_related("federation").first()
        if run is None:
            raise CommandError(f"ingen körning med id {run_id}")
        return run

    def _write(self, output, data: bytes, what: str):
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}") from None
        self.stdout.write(f"{what} skriven till {output} ({len(data)} byte)")

    def do_export_peppol(self, *, slug, number, output, **_):
        self._write(output, adapters.peppol_bytes(self._invoice(slug, number)), "Peppol-faktura")

    def do_export_pdf(self, *, slug, number, output, **_):
        self._write(output, adapters.invoice_pdf(self._invoice(slug, number)), "PDF")

    def do_export_sie(self, *, slug, run, output, **_):
        found = self._run(slug, run)
        if found.status != RunStatus.ISSUED:
            raise CommandError("körningen är inte utfärdad; SIE skrivs bara för utfärdade fakturor")
        self._write(output, adapters.sie_bytes_for_run(found), "SIE-fil")

    def do_export_xlsx(self, *, slug, run, output, **_):
        self._write(output, adapters.run_xlsx(self._run(slug, run)), "XLSX")

    def do_validate(self, *, file, **_):
        """Works on the file alone (no database): one line per finding, exit 1 on a fatal one."""
        try:
            with open(file, "rb") as stream:
                findings = validate(stream.read(MAX_BYTES + 1))
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        except UnreadableDocument as exc:
            raise CommandError(f"{file}: {exc}") from None
        for finding in findings:
            kind = "fatalt fel" if finding.fatal else "varning"
            self.stdout.write(f"{finding.rule_id} [{kind}, {finding.rule_set}] vid {finding.location}: {finding.text}")
        errors = len(fatal(findings))
        warnings = len(findings) - errors
        summary = (
            f"{file}: {errors} {'fatalt fel' if errors == 1 else 'fatala fel'}, "
            f"{warnings} {'varning' if warnings == 1 else 'varningar'} enligt EN 16931 och Peppol BIS 3.0"
        )
        if errors:
            raise CommandError(summary)
        self.stdout.write(summary)
