"""`samverkan portal escalate`, `samverkan portal import-mail <maildir>` and `samverkan portal order-tickets`.

escalate:    warn about SLA timers in warning or breach (run every few minutes from cron).
import-mail: turn replies in a maildir (new/ and cur/) into ticket comments; each message
             is moved to `.Done` or `.Rejected` inside the maildir so a rerun never imports
             it twice. A mail that cannot be read at all (unknown charset, NUL, or any error
             while storing it) goes to `failed/` with `<name>.reason.txt` beside it, and the
             run goes on with the next mail.
order-tickets: give every order placed before orders were tickets its ticket (run once after
             upgrading; a rerun finds nothing to do).
"""

from __future__ import annotations

import mailbox
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from samverkan.core.actors import command_actor, system_actor
from samverkan.members.models import Federation
from samverkan.portal.services.escalation import sla_escalate
from samverkan.portal.services.inbound_mail import UnreadableMail, inbound_mail_receive
from samverkan.portal.usecases import open_order_tickets


class Command(BaseCommand):
    help = "Serviceportalen: SLA-eskalering och inläsning av e-postsvar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("escalate", help="Varna för ärenden nära eller över SLA-tiden.")
        mail = sub.add_parser("import-mail", help="Läs svar från en maildir och gör dem till kommentarer.")
        mail.add_argument("maildir")
        orders = sub.add_parser("order-tickets", help="Skapa ärenden för beställningar som saknar ärende.")
        orders.add_argument("--user", help="Kör som den här användaren (standard: systemet).")

    def handle(self, *args, **options):
        if options["action"] == "escalate":
            count = sla_escalate(acting_user=system_actor())
            self.stdout.write(f"{count} ärenden eskalerade")
            return
        if options["action"] == "order-tickets":
            self._order_tickets(command_actor(options.get("user")))
            return
        path = Path(options["maildir"])
        if not (path / "new").is_dir() or not (path / "cur").is_dir():
            raise CommandError(f"{path} är ingen maildir (new/ och cur/ saknas)")
        box = mailbox.Maildir(path, create=False)
        done = box.add_folder("Done") if "Done" not in box.list_folders() else box.get_folder("Done")
        rejected = box.add_folder("Rejected") if "Rejected" not in box.list_folders() else box.get_folder("Rejected")
        failed_dir = path / "failed"
        imported = refused = failed = 0
        actor = system_actor()
        for key in list(box.keys()):
            raw = box.get_bytes(key)
            try:
                comment = inbound_mail_receive(acting_user=actor, raw=raw)
            except UnreadableMail as exc:
                self._fail(failed_dir, key, raw, " ".join(exc.messages))
                failed += 1
            except (ValidationError, PermissionDenied) as exc:
                rejected.add(box.get_message(key))
                refused += 1
                self.stderr.write(f"{key}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            except Exception as exc:  # one mail must never stop the run: set it aside and go on
                self._fail(failed_dir, key, raw, f"oväntat fel ({type(exc).__name__}: {str(exc)[:300]})")
                failed += 1
            else:
                done.add(box.get_message(key))
                imported += 1
                self.stdout.write(f"{key}: kommentar på ärende #{comment.ticket_id}")
            box.remove(key)
        self.stdout.write(f"{imported} inlästa, {refused} avvisade, {failed} misslyckade (i {failed_dir})")

    def _order_tickets(self, actor) -> None:
        for federation in Federation.objects.filter(orders__isnull=False).distinct().order_by("slug"):
            try:
                count = open_order_tickets(acting_user=actor, federation=federation)
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError(f"{federation.name}: {' '.join(getattr(exc, 'messages', [str(exc)]))}") from exc
            self.stdout.write(f"{federation.name}: {count} beställningar fick ärenden")

    def _fail(self, failed_dir: Path, key: str, raw: bytes, reason: str) -> None:
        """The mail as it came in, beside a file saying why it could not be read in."""
        failed_dir.mkdir(exist_ok=True)
        (failed_dir / key).write_bytes(raw)
        (failed_dir / f"{key}.reason.txt").write_text(reason + "\n", encoding="utf-8")
        self.stderr.write(f"{key}: {reason} — flyttat till {failed_dir}")
