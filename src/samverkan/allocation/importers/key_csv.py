"""Read key variables per member from a CSV file or API rows (the quick calculator's input).

Pure Python, no database: an economist runs it on a spreadsheet export. The file needs a
``member`` column and one column per key variable (``population``, ``users`` …). Comma or
semicolon separated (Swedish Excel writes semicolons), UTF-8 with or without BOM; numbers may
be written the Swedish way (``12 015``, ``1,5``). Every problem is reported with its line.
The API posts the same table as rows (``{"member": "A", "population": 1000}``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from samverkan.domain.errors import DomainError
from samverkan.domain.money import AMOUNT_DIGITS, to_decimal, within_limit


class KeyFileError(DomainError):
    """A problem in the input, with its line: in a file 1 is the header, in API rows the first row."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"rad {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class KeyTable:
    members: list[str]
    columns: dict[str, dict[str, Decimal]]


def _dialect(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return ";" if first.count(";") > first.count(",") else ","


def parse_key_table(text: str) -> KeyTable:
    if not text.strip():
        raise KeyFileError(1, "filen är tom")
    rows = csv.reader(io.StringIO(text), delimiter=_dialect(text))
    header = [h.strip() for h in next(rows)]
    if "member" not in header:
        raise KeyFileError(1, f"kolumnen 'member' saknas (kolumner: {', '.join(header)})")
    if len(set(header)) != len(header):
        raise KeyFileError(1, "en kolumn förekommer två gånger")
    if any(not h for h in header):
        raise KeyFileError(1, "en kolumn saknar namn")
    variables = [h for h in header if h != "member"]
    members: list[str] = []
    columns: dict[str, dict[str, Decimal]] = {v: {} for v in variables}
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise KeyFileError(line, f"{len(row)} fält, rubriken har {len(header)}")
        record = dict(zip(header, (cell.strip() for cell in row), strict=True))
        member = record["member"]
        if not member:
            raise KeyFileError(line, "medlem saknas")
        if member in members:
            raise KeyFileError(line, f"medlemmen {member!r} förekommer redan")
        for variable in variables:
            columns[variable][member] = _number(record[variable], variable, line)
        members.append(member)
    if not members:
        raise KeyFileError(1, "filen har inga medlemsrader")
    return KeyTable(members, columns)


def key_table_from_rows(rows: Sequence[Mapping[str, object]]) -> KeyTable:
    """The API's rows as a key table; row 1 is the first row. A variable missing from a row is
    left out, and the key then names the member it lacks."""
    members: list[str] = []
    columns: dict[str, dict[str, Decimal]] = {}
    for line, row in enumerate(rows, start=1):
        member = str(row.get("member", "")).strip()
        if not member or member in members:
            raise KeyFileError(line, "medlem saknas eller förekommer två gånger")
        members.append(member)
        for variable, value in row.items():
            if variable != "member":
                columns.setdefault(variable, {})[member] = _number(value, variable, line)
    return KeyTable(members, columns)


def _number(value: object, variable: str, line: int) -> Decimal:
    """Key values are counts and amounts (population, users, kronor): bounded like any amount,
    since the exact shares of a value like "1e999999999" never finish computing."""
    if isinstance(value, (bool, float)) or not isinstance(value, (str, int)):
        raise KeyFileError(line, f"{variable}: {value!r} är inte ett tal")
    text = str(value).strip()
    if not text:
        raise KeyFileError(line, f"{variable}: värde saknas")
    try:
        number = to_decimal(text)
    except ValueError:
        raise KeyFileError(line, f"{variable}: {text!r} är inte ett tal") from None
    if number < 0:
        raise KeyFileError(line, f"{variable}: negativt värde {text!r}")
    if not within_limit(number):
        raise KeyFileError(line, f"{variable}: {text[:30]!r} är för stort (högst {AMOUNT_DIGITS} siffror)")
    return number


def read_key_file(path: str) -> KeyTable:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise KeyFileError(_line_of(path, exc.start), "filen är inte UTF-8-kodad") from None
    return parse_key_table(text)


def _line_of(path: str, byte_offset: int) -> int:
    with open(path, "rb") as handle:
        return handle.read(byte_offset).count(b"\n") + 1
