"""`samverkan governance notice-board [--federation SLUG] [--date DAY] --format json|table` and
`samverkan governance minutes-pdf MEETING -o FILE`.

notice-board: the public notice board (anslagstavla): current notices of adjusted minutes and
              the earlier ones, with posting and take-down dates; the JSON of one federation is
              the API's (/api/v1/governance/notice-board/SLUG/), without --federation a list of
              them, one per federation.
minutes-pdf:  the minutes of meeting id MEETING as PDF, in the layout of seed 001, read as
              `--user NAME` (whose role and bodies are checked) or the system actor.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from samverkan.core.actors import command_actor
from samverkan.governance.exporters.minutes_pdf import minutes_pdf
from samverkan.governance.selectors import minutes as selectors
from samverkan.members.models import Federation

TABLE_COLUMNS = ("Förbund", "Organ", "Sammanträde", "Paragrafer", "Uppsatt", "Tas ned", "Förvaras", "Status")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"ogiltigt datum {text!r} (ÅÅÅÅ-MM-DD)") from None


class Command(BaseCommand):
    help = "Styrning: anslagstavlan och protokoll som PDF."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        board = sub.add_parser("notice-board", help="Anslagstavlan: aktuella och tidigare anslag.")
        board.add_argument("--federation", help="förbundets kortnamn (utan: alla förbund)")
        board.add_argument("--date", help="visa tavlan som den ser ut denna dag (ÅÅÅÅ-MM-DD; utan: i dag)")
        board.add_argument("--format", choices=("json", "table"), default="table")
        pdf = sub.add_parser("minutes-pdf", help="Protokollet för ett sammanträde som PDF.")
        pdf.add_argument("meeting", type=int, help="sammanträdets id")
        pdf.add_argument("-o", "--output", required=True, help="PDF-filen som skrivs")
        pdf.add_argument("--user", help="läs som denna användare (utan: systemet)")

    def handle(self, *args, **options):
        if options["action"] == "notice-board":
            return self._notice_board(options)
        return self._minutes_pdf(options)

    def _notice_board(self, options):
        today = _day(options["date"]) if options.get("date") else timezone.localdate()
        if options.get("federation"):
            federations = list(Federation.objects.filter(slug=options["federation"]))
            if not federations:
                raise CommandError(f"förbundet {options['federation']!r} finns inte")
        else:
            federations = list(Federation.objects.order_by("slug"))
        boards = [selectors.notice_board(f, today) for f in federations]
        if options["format"] == "json":
            data = boards[0].as_dict() if options.get("federation") else [b.as_dict() for b in boards]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [TABLE_COLUMNS]
        for board in boards:
            for notice in [*board.current, *board.history]:
                rows.append(
                    (
                        board.federation,
                        notice.body,
                        notice.meeting_date.isoformat(),
                        notice.paragraphs,
                        notice.posted_on.isoformat(),
                        notice.taken_down_on.isoformat(),
                        notice.kept_at,
                        "aktuellt" if notice.current else "tidigare",
                    )
                )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(TABLE_COLUMNS))]
        for row in rows:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )

    def _minutes_pdf(self, options):
        actor = command_actor(options.get("user"))
        try:
            minutes = selectors.minutes_of_meeting(actor, options["meeting"])
        except Http404:
            raise CommandError(f"sammanträde {options['meeting']} har inget protokoll som du kan läsa") from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        target = Path(options["output"])
        try:
            target.write_bytes(minutes_pdf(minutes))
        except OSError as exc:
            raise CommandError(f"kan inte skriva {target}: {exc.strerror}") from None
        self.stdout.write(f"{target} ({minutes.paragraphs.count()} paragrafer)")
