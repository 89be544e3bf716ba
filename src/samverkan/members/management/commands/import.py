"""`samverkan import KIND FILE …` — one command for every file import, one subcommand per kind.

A later kind is one more entry in `KINDS` (a function adding its arguments and a handler), so
the CLI keeps a single `import` verb. Every import is all-or-nothing: an error is one line
naming the first bad rows, and nothing is written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

MAX_LISTED_ERRORS = 5


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"kan inte läsa {path}: {exc.strerror or exc}") from None


def summarise(errors: list[str]) -> str:
    listed = "; ".join(errors[:MAX_LISTED_ERRORS])
    more = len(errors) - MAX_LISTED_ERRORS
    return listed + (f" (och {more} fel till)" if more > 0 else "")


def add_population(parser) -> None:
    parser.add_argument("file", type=Path, help="CSV från SCB:s statistikdatabas (semikolon eller komma)")
    parser.add_argument(
        "--reference-date",
        type=iso_date,
        default=None,
        help="referensdatum (ÅÅÅÅ-MM-DD); annars 1 november om tabellen säger så, annars årets sista dag",
    )
    parser.add_argument(
        "--federation", metavar="SLUG", default=None, help="bara medlemmar i detta förbund (standard: alla förbund)"
    )


def run_population(command: BaseCommand, options) -> str:
    from samverkan.core.actors import command_actor
    from samverkan.members.importers.scb_population import ParseError
    from samverkan.members.models import Federation
    from samverkan.members.services import population_import

    path: Path = options["file"]
    content = read_file(path)
    federation = None
    if options["federation"]:
        federation = Federation.objects.filter(slug=options["federation"]).first()
        if federation is None:
            raise CommandError(f"förbundet {options['federation']!r} finns inte")
    user = command_actor(options.get("user"))
    with tqdm(desc="folkmängd", unit="rad", disable=not command.stdout.isatty()) as bar:
        try:
            result = population_import(
                acting_user=user,
                content=content,
                reference_date=options["reference_date"],
                federation=federation,
                progress=bar.update,
            )
        except ParseError as exc:
            raise CommandError(f"{path.name}: {len(exc.errors)} fel, inget importerat: {summarise(exc.errors)}")
        except ValidationError as exc:
            raise CommandError(f"{path.name}: inget importerat: {summarise(exc.messages)}")
    return (
        f"Folkmängd importerad från {path.name}: {result.created} nya, {result.updated} ändrade, "
        f"{result.unchanged} oförändrade; {result.skipped} kommuner utan medlemskap hoppades över."
    )


# kind → (help, add_arguments, run)
KINDS = {
    "population": ("SCB:s folkmängdstabell (CSV)", add_population, run_population),
}


class Command(BaseCommand):
    help = "Import a data file: `import population FILE [--reference-date YYYY-MM-DD] [--federation SLUG]`."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            metavar="ANVÄNDARNAMN",
            default=None,
            help="vem importen loggas på i granskningsloggen (standard: system)",
        )
        subparsers = parser.add_subparsers(dest="kind", required=True)
        for kind, (help_text, add, _run) in KINDS.items():
            add(subparsers.add_parser(kind, help=help_text))

    def handle(self, *args, kind, **options):
        _help, _add, run = KINDS[kind]
        self.stdout.write(run(self, options))
