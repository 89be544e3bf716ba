"""`samverkan allocate FILE --total AMOUNT --key KEY`: a quick apportionment without a database.

Prints one amount per member, in file order, summing exactly to the total. Errors (a bad
line in the file, an unknown key variable, a total that is not whole kronor) are one line
on stderr and exit status 1.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from samverkan.allocation.importers.key_csv import KeyFileError, read_key_file
from samverkan.allocation.models import Unit
from samverkan.allocation.usecases import Apportionment, apportion_table
from samverkan.domain.errors import DomainError
from samverkan.domain.money import AMOUNT_DIGITS, format_number
from samverkan.domain.numbers import NumberError, parse_decimal


class Command(BaseCommand):
    help = (
        "Fördela ett belopp över medlemmarna i en CSV-fil (kolumn member + nyckelvariabler) "
        "med största-rest-metoden; summan stämmer alltid exakt. Ingen databas behövs."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV med kolumnen member och t.ex. population, users")
        parser.add_argument("--total", required=True, help="beloppet att fördela, t.ex. 1166000 eller '1 166 000'")
        parser.add_argument(
            "--key", required=True, help="population, users, equal, en annan kolumn, eller mix: equal:50,population:50"
        )
        parser.add_argument(
            "--unit", choices=sorted(Unit.values), default=Unit.KRONA, help="avrunda till hela kronor eller öre"
        )
        parser.add_argument(
            "--format",
            choices=["table", "csv", "json"],
            default="table",
            dest="output_format",
            help="table (läsbar), csv (member,amount) eller json (lista med member och amount som sträng)",
        )

    def handle(self, *args, file, total, key, unit, output_format, **options):
        try:
            amount = parse_decimal(total, max_digits=AMOUNT_DIGITS, max_decimals=2)
        except NumberError as exc:
            raise CommandError(f"--total: {exc}") from None
        try:
            table = read_key_file(file)
        except FileNotFoundError:
            raise CommandError(f"{file}: filen finns inte") from None
        except IsADirectoryError:
            raise CommandError(f"{file}: det är en katalog") from None
        except OSError:
            raise CommandError(f"{file}: filen kan inte läsas") from None
        except KeyFileError as exc:
            raise CommandError(f"{file}: {exc}") from None
        try:
            result = apportion_table(table=table, total=amount, key=key, unit=unit)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        rows = result.as_dict()["rows"]
        if output_format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif output_format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["member", "amount"])
            writer.writerows([row["member"], row["amount"]] for row in rows)
        else:
            self._table(result)

    def _table(self, result: Apportionment) -> None:
        decimals = result.unit.decimals
        amounts = {member: _console(amount, decimals) for member, amount in result.amounts}
        total_text = _console(result.total, decimals)
        width = max(len("Summa"), *(len(m) for m in amounts))
        amount_width = max(len(total_text), *(len(a) for a in amounts.values()))
        self.stdout.write(f"Nyckel: {result.key_description}")
        for member, text in amounts.items():
            self.stdout.write(f"{member:<{width}}  {text:>{amount_width}}")
        self.stdout.write(f"{'-' * width}  {'-' * amount_width}")
        self.stdout.write(f"{'Summa':<{width}}  {total_text:>{amount_width}}")


def _console(amount: Decimal, decimals: int) -> str:
    """Swedish grouping with plain spaces and minus, so terminals and pipes show it cleanly."""
    return format_number(amount, decimals).replace("\u00a0", " ").replace("\u2212", "-")
