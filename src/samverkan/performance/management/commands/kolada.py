"""`samverkan kolada fetch --kpi N00002 --year 2023 [--federation SLUG] [--user NAME]`:
fetch a public key figure from Kolada for the federation's member municipalities.

Acts as `--user NAME` (who needs EDIT_GOALS) or, without it, the system actor. Every refusal —
no such federation, Kolada unreachable, bad JSON — is one CommandError line in Swedish, and the
figures fetched before stay.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from samverkan.core.actors import command_actor
from samverkan.domain.errors import DomainError
from samverkan.members.models import Federation
from samverkan.performance.importers import kolada

KPI = re.compile(r"^[A-Za-z][0-9]{5}$")


def _federation(slug: str | None) -> Federation:
    if slug:
        found = Federation.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"okänt förbund: {slug}")
        return found
    slugs = list(Federation.objects.order_by("slug").values_list("slug", flat=True))
    if not slugs:
        raise CommandError("det finns inget förbund")
    if len(slugs) > 1:
        raise CommandError(f"ange --federation, det finns flera förbund: {', '.join(slugs)}")
    return Federation.objects.get(slug=slugs[0])


class Command(BaseCommand):
    help = "Public key figures from Kolada for the member municipalities."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        fetch = sub.add_parser("fetch", help="fetch one key figure (KPI) for one year")
        fetch.add_argument("--kpi", required=True, help="Kolada's KPI id, e.g. N00002")
        fetch.add_argument("--year", required=True, type=int, help="the year, e.g. 2023")
        fetch.add_argument("--federation", default=None, metavar="SLUG")
        fetch.add_argument("--user", default=None, help="act as this user (default: the system)")

    def handle(self, *args, **opts):
        kpi = opts["kpi"].strip().upper()
        if not KPI.match(kpi):
            raise CommandError(f"ogiltigt nyckeltal: {opts['kpi']} (en bokstav och fem siffror, t.ex. N00002)")
        if not 1990 <= opts["year"] <= 2100:
            raise CommandError(f"ogiltigt år: {opts['year']}")
        federation = _federation(opts.get("federation"))
        actor = command_actor(opts.get("user"))
        try:
            stored = kolada.refresh(acting_user=actor, federation=federation, kpi=kpi, year=opts["year"])
        except (ValidationError, DomainError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "behörighet saknas") from None
        for figure in stored:
            value = "–" if figure.value is None else str(figure.value.normalize())
            self.stdout.write(f"{figure.municipality_id}\t{figure.year}\t{value}")
        self.stdout.write(f"{len(stored)} värden hämtade för {kpi} {opts['year']}")
