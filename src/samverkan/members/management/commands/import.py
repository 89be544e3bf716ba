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

from samverkan.domain.textfiles import MEGABYTE

MAX_LISTED_ERRORS = 5


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def read_file(path: Path, limit: int) -> bytes:
    """The file's bytes, at most ``limit`` (a larger file, or an endless one such as a device or
    a pipe, is refused without reading it all)."""
    try:
        with path.open("rb") as handle:
            content = handle.read(limit + 1)
    except FileNotFoundError:
        raise CommandError(f"kan inte läsa {path}: filen finns inte") from None
    except IsADirectoryError:
        raise CommandError(f"kan inte läsa {path}: det är en katalog") from None
    except PermissionError:
        raise CommandError(f"kan inte läsa {path}: behörighet saknas") from None
    except OSError:
        raise CommandError(f"kan inte läsa {path}") from None
    if len(content) > limit:
        raise CommandError(f"{path.name}: filen är större än {limit // MEGABYTE} MB; inget importerat")
    return content


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
    """The page's background job, run here with a progress bar (on a terminal)."""
    from samverkan.core import jobs
    from samverkan.core.actors import command_actor
    from samverkan.members.importers.scb_population import MAX_BYTES, ParseError
    from samverkan.members.models import Federation
    from samverkan.members.tasks import KIND

    path: Path = options["file"]
    read_file(path, MAX_BYTES)  # refused here, before a job is recorded: missing, too large, unreadable
    federation = None
    if options["federation"]:
        federation = Federation.objects.filter(slug=options["federation"]).first()
        if federation is None:
            raise CommandError(f"förbundet {options['federation']!r} finns inte")
    user = command_actor(options.get("user"))
    reference = options["reference_date"]
    with jobs.terminal_progress("folkmängd") as progress:
        try:
            _job, result = jobs.run_here(
                KIND,
                acting_user=user,
                federation=federation,
                label=f"Import av folkmängd: {path.name}",
                progress=progress,
                path=str(path.resolve()),
                reference_date=reference.isoformat() if reference else "",
            )
        except ParseError as exc:
            raise CommandError(f"{path.name}: {len(exc.errors)} fel, inget importerat: {summarise(exc.errors)}")
        except ValidationError as exc:
            raise CommandError(f"{path.name}: inget importerat: {summarise(exc.messages)}")
    return f"{path.name}: {result.message}"


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
