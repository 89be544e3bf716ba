"""Import an existing asset register from CSV (semicolon or comma, UTF-8) or XLSX.

Columns (header row, Swedish, case-insensitive; order free):
inventarienummer*, typ*, beskrivning, serienummer, anskaffningsdatum* (ÅÅÅÅ-MM-DD),
anskaffningsvärde* (1 234,50 or 1234.50), avskrivningstid* (3/4/5/6), kommunkod,
förvaltning (department code), innehavare, status (code or Swedish label).

Parsing gives line-numbered errors for every bad row and writes nothing; see
``assets.services.assets_import`` for the all-or-nothing, idempotent write.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from samverkan.assets.models import AssetStatus, AssetType
from samverkan.domain.depreciation import DEPRECIATION_CLASSES
from samverkan.domain.money import to_decimal

REQUIRED = ("inventarienummer", "typ", "anskaffningsdatum", "anskaffningsvärde", "avskrivningstid")
ALIASES = {"inköpsdatum": "anskaffningsdatum", "inköpsvärde": "anskaffningsvärde", "avskrivningsår": "avskrivningstid"}


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


def read_table(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """Rows as (line number, cells), header first."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [
                ""
                if c is None
                else (
                    c.date().isoformat()
                    if isinstance(c, datetime)
                    else c.isoformat()
                    if isinstance(c, date)
                    else str(c)
                )
                for c in row
            ]
            rows.append((number, cells))
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegisterParseError(["Filen är inte UTF-8-kodad."]) from None
    dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    return list(enumerate(csv.reader(io.StringIO(text), delimiter=dialect), start=1))


def parse(data: bytes, filename: str) -> list[ParsedRow]:
    table = [(n, cells) for n, cells in read_table(data, filename) if any(c.strip() for c in cells)]
    if not table:
        raise RegisterParseError(["Filen är tom."])
    header_line, header = table[0]
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise RegisterParseError([f"Rad {header_line}: kolumner saknas: {', '.join(missing)}"])
    errors: list[str] = []
    rows: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for line, cells in table[1:]:
        raw = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)}
        row = ParsedRow(line=line)
        problems = []
        for column in REQUIRED:
            if not raw.get(column):
                problems.append(f"{column} saknas")
        number = raw.get("inventarienummer", "")
        if number in seen:
            problems.append(f"inventarienummer {number} finns redan på rad {seen[number]}")
        elif number:
            seen[number] = line
        asset_type = _choice(raw.get("typ", ""), AssetType.choices)
        if raw.get("typ") and asset_type is None:
            problems.append(f"okänd typ {raw['typ']!r}")
        status = _choice(raw.get("status") or "in_use", AssetStatus.choices)
        if status is None:
            problems.append(f"okänd status {raw['status']!r}")
        purchase_date = None
        if raw.get("anskaffningsdatum"):
            try:
                purchase_date = date.fromisoformat(raw["anskaffningsdatum"][:10])
            except ValueError:
                problems.append(f"ogiltigt datum {raw['anskaffningsdatum']!r}")
        value: Decimal | None = None
        if raw.get("anskaffningsvärde"):
            try:
                value = to_decimal(raw["anskaffningsvärde"])
                if value < 0 or value != value.quantize(Decimal("0.01")):
                    raise ValueError
            except (ValueError, TypeError):
                problems.append(f"ogiltigt belopp {raw['anskaffningsvärde']!r}")
        years = None
        if raw.get("avskrivningstid"):
            try:
                years = int(Decimal(raw["avskrivningstid"].replace(",", ".")))
            except Exception:
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
    return rows
