"""`samverkan annual_report --year 2023 [--federation SLUG] [--user NAME] -o FILE.pdf [--html]`

The year's annual report assembled and written as an accessible (tagged PDF/UA-1) PDF, or the
HTML it is drawn from with --html. Acts as --user (whose capabilities are checked) or the system.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from samverkan.core.actors import command_actor
from samverkan.domain.errors import DomainError
from samverkan.members.models import Federation
from samverkan.performance.exporters import annual_pdf
from samverkan.performance.models import AnnualReport
from samverkan.performance.selectors import annual as selectors


def _federation(slug: str | None) -> Federation:
    if slug:
        found = Federation.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"förbundet {slug!r} finns inte")
        return found
    slugs = list(Federation.objects.order_by("slug").values_list("slug", flat=True))
    if len(slugs) != 1:
        raise CommandError(f"ange --federation ({', '.join(slugs) or 'inga förbund finns'})")
    return Federation.objects.get(slug=slugs[0])


class Command(BaseCommand):
    help = "Årsredovisningen för ett år som tillgänglig PDF."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="räkenskapsåret, t.ex. 2023")
        parser.add_argument("--federation", help="förbundets kortnamn (krävs när det finns flera)")
        parser.add_argument("--user", help="läs som denna användare (utan: systemet)")
        parser.add_argument("-o", "--output", required=True, help="filen som skrivs (PDF)")
        parser.add_argument("--html", action="store_true", help="skriv HTML i stället för PDF")

    def handle(self, *args, **options):
        year = options["year"]
        if not 1900 <= year <= 2200:
            raise CommandError(f"ogiltigt år {year}")
        federation = _federation(options.get("federation"))
        user = command_actor(options.get("user"))
        report = AnnualReport.objects.filter(federation=federation, year=year).first()
        if report is None:
            raise CommandError(f"det finns ingen årsredovisning för {year} i {federation.slug}")
        try:
            report = selectors.report_get(user, report.pk)
            document = selectors.assemble(user, report)
        except (PermissionDenied, ValidationError, DomainError) as exc:
            message = " ".join(getattr(exc, "messages", None) or [str(exc)])
            raise CommandError(message) from exc
        path = Path(options["output"])
        if options["html"]:
            path.write_text(annual_pdf.html(document), encoding="utf-8")
        else:
            path.write_bytes(annual_pdf.render(document))
        for warning in document.warnings:
            self.stderr.write(f"varning: {warning}")
        self.stdout.write(f"{path} ({len(document.parts)} avsnitt)")
