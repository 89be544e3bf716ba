"""Import an existing asset register from CSV or XLSX.

Columns (header row, Swedish, case-insensitive; order free):
inventarienummer*, typ*, beskrivning, serienummer, anskaffningsdatum* (ÅÅÅÅ-MM-DD),
anskaffningsvärde* (1 234,50 or 1234.50), avskrivningstid* (3/4/5/6), kommunkod,
förvaltning (department code), innehavare, status (code or Swedish label).

The file is recognised by its content, not its name: an XLSX workbook (a ZIP with
``[Content_Types].xml``; its first sheet), otherwise text read by ``domain.textfiles`` (any
encoding, BOM and line ending it knows; semicolon or comma). Size, rows, columns and fields
are bounded (``MAX_*``, stated on the import page), every value is checked by the same rule
as the form and the API (``assets.validators``, the model's field lengths), and every bad row
is reported with its line and column while nothing is written; see
``assets.services.assets_import`` for the all-or-nothing, idempotent write.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from samverkan.assets.models import Asset, AssetStatus, AssetType
from samverkan.assets.validators import (
    MAX_PURCHASE_VALUE,
    VALUE_DECIMALS,
    VALUE_DIGITS,
    validate_purchase_date,
    validate_purchase_value,
)
from samverkan.domain.depreciation import DEPRECIATION_CLASSES
from samverkan.domain.numbers import NumberError, parse_decimal, parse_int
from samverkan.domain.textfiles import (
    MEGABYTE,
    TextFileError,
    check_size,
    decode,
    head,
    read_csv,
    sniff_delimiter,
)

REQUIRED = ("inventarienummer", "typ", "anskaffningsdatum", "anskaffningsvärde", "avskrivningstid")
ALIASES = {"inköpsdatum": "anskaffningsdatum", "inköpsvärde": "anskaffningsvärde", "avskrivningsår": "avskrivningstid"}
# A register of a federation's equipment: thousands of rows, a few hundred kB.
MAX_BYTES = 5 * MEGABYTE
MAX_ROWS = 10_000  # each new row is a few ms of writes (asset, history, audit): ~30 s at most
MAX_COLUMNS = 50
MAX_FIELD = 1_000  # any cell; the columns stored are checked against their own length below
MAX_UNPACKED = 100 * MEGABYTE  # an XLSX is a ZIP: what it unpacks to is bounded too
TEXT_COLUMNS = {  # column → the model field whose length bounds it
    "inventarienummer": "inventory_number",
    "beskrivning": "description",
    "serienummer": "serial_number",
    "innehavare": "holder_name",
}
LOOKUP_LENGTH = 20  # kommunkod and förvaltning name existing rows; longer is a typo


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any] = field(default_factory=dict)


class RegisterParseError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _choice(value: str, choices) -> str | None:
    text = value.strip().lower()
    for code, label in choices:
        if text in (code, str(label).lower()):
            return code
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise RegisterParseError(["Filen är en trasig ZIP- eller XLSX-fil."]) from None
    if "[Content_Types].xml" not in {m.filename for m in members}:
        raise RegisterParseError(["Filen är en ZIP-fil men ingen XLSX-arbetsbok ([Content_Types].xml saknas)."])
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise RegisterParseError([f"Arbetsboken är större än {MAX_UNPACKED // MEGABYTE} MB uppackad."])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read the cells there are, not the size the file claims
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            yield number, [_cell_text(c) for c in row]
    except RegisterParseError:
        raise
    except Exception:  # a damaged workbook fails anywhere inside openpyxl, zipfile or the XML parser
        raise RegisterParseError(
            ["Arbetsboken kan inte läsas (är filen skadad?); spara den igen eller som CSV."]
        ) from None


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = decode(data)
    header = next((line for line in head(text, 50) if line.strip()), "")
    return read_csv(text, sniff_delimiter(header, ";,"), max_field=MAX_FIELD)


def read_table(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Rows as (line number, cells), blank rows left out, header first; an XLSX by its content."""
    check_size(len(data), MAX_BYTES)
    rows = _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    count = 0
    for line, cells in rows:
        if any(c.strip() for c in cells):
            count += 1
            if count > MAX_ROWS + 1:
                raise TextFileError(f"filen har fler än {MAX_ROWS} rader", line)
            yield line, cells


def parse(data: bytes) -> list[ParsedRow]:
    try:
        return _parse(read_table(data))
    except TextFileError as exc:
        raise RegisterParseError([str(exc)[:1].upper() + str(exc)[1:]]) from None


def _text_problems(raw: dict[str, str]) -> list[str]:
    problems = []
    for column, value in raw.items():
        if "\x00" in value:
            problems.append(f"{column}: NUL-tecken är inte tillåtna")
        limit = Asset._meta.get_field(TEXT_COLUMNS[column]).max_length if column in TEXT_COLUMNS else None
        if column in ("kommunkod", "förvaltning"):
            limit = LOOKUP_LENGTH
        if limit is not None and len(value) > limit:
            problems.append(f"{column}: högst {limit} tecken (här {len(value)})")
    return problems


def _purchase_date(text: str) -> date:
    """ÅÅÅÅ-MM-DD, also with a time of day after it (a spreadsheet's date and time cell)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text).date()


def _validated(validator, value) -> str | None:
    try:
        validator(value)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _parse(table: Iterator[tuple[int, list[str]]]) -> list[ParsedRow]:
    first = next(table, None)
    if first is None:
        raise RegisterParseError(["Filen är tom."])
    header_line, header = first
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise RegisterParseError([f"Rad {header_line}: kolumner saknas: {', '.join(missing)}"])
    errors: list[str] = []
    rows: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for line, cells in table:
        raw = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names) if name}
        row = ParsedRow(line=line)
        problems = []
        for column in REQUIRED:
            if not raw.get(column):
                problems.append(f"{column} saknas")
        text_problems = _text_problems(raw)
        if text_problems:
            errors.append(f"Rad {line}: " + "; ".join(text_problems))
            continue
        number = raw.get("inventarienummer", "")
        if number in seen:
            problems.append(f"inventarienummer {number} finns redan på rad {seen[number]}")
        elif number:
            seen[number] = line
        asset_type = _choice(raw.get("typ", ""), AssetType.choices)
        if raw.get("typ") and asset_type is None:
            problems.append(f"okänd typ {raw['typ'][:30]!r}")
        status = _choice(raw.get("status") or "in_use", AssetStatus.choices)
        if status is None:
            problems.append(f"okänd status {raw['status'][:30]!r}")
        purchase_date = None
        if raw.get("anskaffningsdatum"):
            try:
                purchase_date = _purchase_date(raw["anskaffningsdatum"])
            except ValueError:
                problems.append(f"anskaffningsdatum: ogiltigt datum {raw['anskaffningsdatum'][:30]!r} (ÅÅÅÅ-MM-DD)")
            else:
                if problem := _validated(validate_purchase_date, purchase_date):
                    problems.append(f"anskaffningsdatum: {problem}")
        value: Decimal | None = None
        if raw.get("anskaffningsvärde"):
            try:
                value = parse_decimal(
                    raw["anskaffningsvärde"],
                    max_digits=VALUE_DIGITS,
                    max_decimals=VALUE_DECIMALS,
                    minimum=0,
                    maximum=MAX_PURCHASE_VALUE,
                )
            except NumberError as exc:
                problems.append(f"anskaffningsvärde: {exc}")
            else:
                if problem := _validated(validate_purchase_value, value):
                    problems.append(f"anskaffningsvärde: {problem}")
        years = None
        if raw.get("avskrivningstid"):
            try:  # the one parser: "1e999999999" is refused, never expanded to a billion digits
                years = parse_int(raw["avskrivningstid"], max_digits=2)
            except NumberError:
                years = None
            if years not in DEPRECIATION_CLASSES:
                problems.append(f"avskrivningstid ska vara 3, 4, 5 eller 6 år, inte {raw['avskrivningstid']!r}")
        if status == AssetStatus.DISPOSED:
            problems.append("utrangerade inventarier importeras inte; utrangera dem efter importen")
        if raw.get("förvaltning") and not raw.get("kommunkod"):
            problems.append("förvaltning kräver kommunkod")
        if problems:
            errors.append(f"Rad {line}: " + "; ".join(problems))
            continue
        row.values = {
            "inventory_number": number,
            "asset_type": asset_type,
            "description": raw.get("beskrivning", ""),
            "serial_number": raw.get("serienummer", ""),
            "purchase_date": purchase_date,
            "purchase_value": value,
            "depreciation_years": years,
            "kommunkod": raw.get("kommunkod", ""),
            "department_code": raw.get("förvaltning", ""),
            "holder_name": raw.get("innehavare", ""),
            "status": status,
        }
        rows.append(row)
    if errors:
        raise RegisterParseError(errors)
    if not rows:
        raise RegisterParseError([f"Filen har inga rader under rubrikraden (rad {header_line})."])
    return rows
