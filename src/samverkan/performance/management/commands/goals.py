"""`samverkan goals --year 2023 [--federation SLUG] [--user NAME] --format json|table`

The year's goals per federation: [{area, goal, indicators: [{name, target, result, met}],
assessment, proposed}], the same list as the API's `goals/?year=`. Indicator results are
computed now; `assessment` is what a person set (null when not yet assessed).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.actors import command_actor
from samverkan.members.models import Federation
from samverkan.performance.selectors import goals as selectors

FULFILMENT_TEXT = {
    "met": "uppfyllt",
    "partly": "delvis uppfyllt",
    "not_met": "inte uppfyllt",
    "not_assessable": "kan inte bedömas",
    None: "inte bedömt",
}


class Command(BaseCommand):
    help = "Mål och måluppfyllelse för ett år."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="året som bedöms")
        parser.add_argument("--federation", help="förbundets kortnamn (utan: alla förbund)")
        parser.add_argument("--user", help="läs som denna användare (utan: systemet)")
        parser.add_argument("--format", choices=("json", "table"), default="table")

    def handle(self, *args, **options):
        year = options["year"]
        if not 1900 <= year <= 2200:
            raise CommandError(f"ogiltigt år {year}")
        user = command_actor(options.get("user"))
        federation = None
        if options.get("federation"):
            federation = Federation.objects.filter(slug=options["federation"]).first()
            if federation is None:
                raise CommandError(f"förbundet {options['federation']!r} finns inte")
        blocks = selectors.goal_table(user, year=year, federation=federation)
        rows = [g.as_dict() for b in blocks for g in b.goals]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['area']} | {row['goal']} | {FULFILMENT_TEXT[row['assessment']]}")
            for ind in row["indicators"]:
                met = {True: "uppnått", False: "inte uppnått", None: "–"}[ind["met"]]
                self.stdout.write(
                    f"    {ind['name']}: mål {ind['target'] or '–'}, resultat {ind['result'] or '–'} ({met})"
                )
        summary = selectors.summary(blocks)
        self.stdout.write(selectors.summary_text(summary) if summary.total else f"Inga mål gäller för {year}.")
