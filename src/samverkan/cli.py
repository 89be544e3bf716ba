"""`samverkan` — the command line. Each command is a Django management command underneath,
so `samverkan migrate` and friends work too; DATABASE_URL selects the database everywhere."""

from __future__ import annotations

import os
import sys

USAGE = """usage: samverkan COMMAND [options]

Commands:
  demo                          create or rebuild the demo database (Lystkom, GSN, E-dala)
  serve [--host H] [--port P]   serve the site (default http://127.0.0.1:8000) with one background worker
  worker [--batch] [--queue-name Q]  run background work (invoice runs, imports, e-mail); one per spare core
  import population FILE        import SCB's population table (CSV)
  allocate FILE --total N --key K   apportion an amount over a CSV (no database needed)
  billing run|invoices|export-peppol|export-sie …   invoicing
  telephony import|service-level …                  call records and service level
  staffing erlang|plan …                            Erlang C staffing
  finance import-sie|report …                       the ledger (SIE 4) and the finance reports
  governance minutes-pdf|notice-board …             minutes as PDF, the public notice board
  governance goals|annual-report …                  goal fulfilment, the annual report as PDF
  records dispose|remind                            disposal by the records plan, agreement reminders
  backup FILE / restore FILE    the database and attachments to one archive and back (verified)
  createsuperuser, migrate, …   any Django management command

`samverkan COMMAND --help` explains a command.
"""


def django_main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


# Verbs the issues name under `governance` but that live in the performance app above it (the
# governance app may not import performance, so its command cannot dispatch to them).
ALIASES = {("governance", "goals"): "goals", ("governance", "annual-report"): "annual_report"}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) >= 2 and (args[0], args[1]) in ALIASES:
        args = [ALIASES[(args[0], args[1])], *args[2:]]
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return
    try:
        django_main(["samverkan", *args])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # one clear line, not a traceback, unless asked for
        if os.environ.get("SAMVERKAN_DEBUG_CLI"):
            raise
        print(f"samverkan: fel: {exc or type(exc).__name__}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
