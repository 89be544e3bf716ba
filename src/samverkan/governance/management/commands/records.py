"""`samverkan records dispose [--federation SLUG] [--dry-run]` and `samverkan records remind`.

dispose: dispose of what each federation's document management plan says is due (or count it
         with --dry-run); without --federation every federation (run nightly from cron).
remind:  e-mail agreement reminders (90 and 30 days before a notice deadline or review date);
         run daily, a reminder day gives one e-mail however often it runs.
Both act as `--user NAME` (whose role is checked) or the audited system actor.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samverkan.core.actors import command_actor
from samverkan.domain.errors import DomainError
from samverkan.governance.services.agreements import agreement_reminders
from samverkan.governance.services.records import records_dispose
from samverkan.members.models import Federation


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"ogiltigt datum {text!r} (ÅÅÅÅ-MM-DD)") from None


class Command(BaseCommand):
    help = "Gallring enligt dokumenthanteringsplanen och påminnelser om avtal."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        dispose = sub.add_parser("dispose", help="Gallra det som planen säger är dags att gallra.")
        dispose.add_argument("--federation", help="förbundets kortnamn (utan: alla förbund)")
        dispose.add_argument("--dry-run", action="store_true", help="räkna bara, ta inte bort något")
        dispose.add_argument("--format", choices=["text", "json"], default="text")
        remind = sub.add_parser("remind", help="Skicka påminnelser om avtal till ansvariga.")
        for command in (dispose, remind):
            command.add_argument("--user", help="kör som denna användare (annars systemet)")
            command.add_argument("--date", type=_day, help="dagens datum (ÅÅÅÅ-MM-DD), för test")

    def handle(self, *args, **options):
        actor = command_actor(options.get("user"))
        today = options.get("date") or timezone.localdate()
        try:
            if options["action"] == "remind":
                sent = agreement_reminders(acting_user=actor, today=today)
                self.stdout.write(f"{len(sent)} påminnelser skickade")
                return
            self._dispose(actor, today, options)
        except (ValidationError, PermissionDenied, DomainError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None

    def _dispose(self, actor, today: date, options) -> None:
        federations = Federation.objects.order_by("slug")
        if options.get("federation"):
            federations = federations.filter(slug=options["federation"])
            if not federations.exists():
                raise CommandError(f"förbundet {options['federation']!r} finns inte")
        elif actor.federation_id is not None:
            federations = federations.filter(pk=actor.federation_id)
        results = [
            records_dispose(acting_user=actor, federation=f, today=today, dry_run=options["dry_run"])
            for f in federations
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
            return
        for result in results:
            verb = "skulle gallras" if result.dry_run else "gallrade"
            for line in result.lines:
                cutoff = f" (före {line.cutoff:%Y-%m-%d})" if line.cutoff else ""
                note = f" – {line.note}" if line.note else ""
                self.stdout.write(f"{result.federation}: {line.label}: {line.count} {verb}{cutoff}{note}")
