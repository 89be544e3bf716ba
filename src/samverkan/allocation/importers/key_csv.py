"""Read key variables per member from a CSV file or API rows (the quick calculator's input).

Pure Python, no database: an economist runs it on a spreadsheet export. The file needs a
``member`` column and one column per key variable (``population``, ``users`` …). Comma or
semicolon separated (Swedish Excel writes semicolons), UTF-8 with or without BOM, any line
endings; numbers are read by the one number parser (``12 015``, ``1,5``; no exponent). Every
problem is reported with its line. A file is read line by line and holds at most ``MAX_ROWS``
members, so a huge file is refused quickly. The API posts the same table as rows
(``{"member": "A", "population": 1000}``).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from samverkan.domain.errors import DomainError
from samverkan.domain.money import AMOUNT_DIGITS
from samverkan.domain.numbers import NumberError, parse_decimal
from samverkan.domain.textfiles import TextFileError, open_text

MAX_ROWS = 10_000  # members in one table: a federation has tens; the API takes as many rows
KEY_DECIMALS = 6


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


def read_key_table(handle: TextIO) -> KeyTable:
    """The table in an open text stream (opened with ``newline=""``), read line by line."""
    first = handle.readline()
    if not first.strip():
        if not first or not handle.read(1).strip():
            raise KeyFileError(1, "filen är tom")
        raise KeyFileError(1, "rubrikraden är tom")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = csv.reader(itertools.chain([first], handle), delimiter=delimiter, strict=True)
    try:
        return _table(rows)
    except csv.Error as exc:
        reason = "ett fält är för långt" if "field larger" in str(exc) else "felaktig CSV (citattecken eller radslut)"
        raise KeyFileError(rows.line_num, reason) from None


def _table(rows: Any) -> KeyTable:
    """The rows of a ``csv.reader`` (its ``line_num`` names the line of each problem)."""
    header = [h.strip() for h in next(rows)]
    if "member" not in header:
        raise KeyFileError(1, f"kolumnen 'member' saknas (kolumner: {', '.join(header)})")
    if len(set(header)) != len(header):
        raise KeyFileError(1, "en kolumn förekommer två gånger")
    if any(not h for h in header):
        raise KeyFileError(1, "en kolumn saknar namn")
    variables = [h for h in header if h != "member"]
    members: list[str] = []
    seen: set[str] = set()
    columns: dict[str, dict[str, Decimal]] = {v: {} for v in variables}
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(members) >= MAX_ROWS:
            raise KeyFileError(line, f"högst {MAX_ROWS} medlemsrader")
        if len(row) != len(header):
            raise KeyFileError(line, f"{len(row)} fält, rubriken har {len(header)}")
        record = dict(zip(header, (cell.strip() for cell in row), strict=True))
        member = record["member"]
        if not member:
            raise KeyFileError(line, "medlem saknas")
        if member in seen:
            raise KeyFileError(line, f"medlemmen {member[:100]!r} förekommer redan")
        for variable in variables:
            columns[variable][member] = _number(record[variable], variable, line)
        members.append(member)
        seen.add(member)
    if not members:
        raise KeyFileError(1, "filen har inga medlemsrader")
    return KeyTable(members, columns)


def key_table_from_rows(rows: Sequence[Mapping[str, object]]) -> KeyTable:
    """The API's rows as a key table; row 1 is the first row. A variable missing from a row is
    left out, and the key then names the member it lacks."""
    members: list[str] = []
    seen: set[str] = set()
    columns: dict[str, dict[str, Decimal]] = {}
    for line, row in enumerate(rows, start=1):
        member = str(row.get("member", "")).strip()
        if not member or member in seen:
            raise KeyFileError(line, "medlem saknas eller förekommer två gånger")
        members.append(member)
        seen.add(member)
        for variable, value in row.items():
            if variable != "member":
                columns.setdefault(variable, {})[member] = _number(value, variable, line)
    return KeyTable(members, columns)


def _number(value: object, variable: str, line: int) -> Decimal:
    """Key values are counts and amounts (population, users, kronor): bounded like any amount,
    since the exact shares of a value like "1e999999999" never finish computing."""
    if isinstance(value, (bool, float)) or not isinstance(value, (str, int)):
        raise KeyFileError(line, f"{variable}: {str(value)[:30]!r} är inte ett tal")
    text = str(value).strip() if isinstance(value, str) else value
    if text == "":
        raise KeyFileError(line, f"{variable}: värde saknas")
    try:
        number = parse_decimal(text, max_digits=AMOUNT_DIGITS, max_decimals=KEY_DECIMALS)
    except NumberError as exc:
        raise KeyFileError(line, f"{variable}: {exc}") from None
    if number < 0:
        raise KeyFileError(line, f"{variable}: negativt värde {text!r}")
    return number


def read_key_file(path: str) -> KeyTable:
    """The table in a file: any BOM, UTF-16 or Windows-1252 is read (``domain.textfiles``); a
    file that is not text at all (XLSX, PDF, binary) is named as what it is."""
    try:
        with open(path, "rb") as raw:
            return read_key_table(open_text(raw))
    except TextFileError as exc:
        raise KeyFileError(exc.line or 1, exc.reason) from None
    except UnicodeDecodeError:
        raise KeyFileError(_line_not_utf8(path), "filen är inte UTF-8-kodad") from None


def _line_not_utf8(path: str) -> int:
    """The line of the first byte that is not UTF-8 (the decoder's offset is within a chunk)."""
    line = 1
    with open(path, "rb") as handle:
        for raw in handle:
            unified = raw.replace(b"\r\n", b"\n")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return line + raw[: exc.start].replace(b"\r\n", b"\n").count(b"\r")
            line += unified.count(b"\n") + unified.count(b"\r")
    return line
