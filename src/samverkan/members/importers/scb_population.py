"""SCB's published population table (Statistikdatabasen/PxWeb CSV export) → figures.

Accepts what SCB actually hands out: semicolon, comma or tab separated; UTF-8 (with or
without BOM) or Latin-1; an optional title line above the header; a `region` column written
"2481 Lycksele" (or separate kommunkod and name columns); one column per year ("2024") or
month ("2024M11"). Rows for the whole country or a county (2-digit codes) are skipped.
The reference date is 1 November when the title or header says so, else the period's last
day, unless the caller gives one.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from samverkan.members.validators import municipalities

YEAR = re.compile(r"^(\d{4})$")
MONTH = re.compile(r"^(\d{4})M(\d{2})$")
REGION = re.compile(r"^\s*(\d{2}|\d{4})\s+(.+?)\s*$")


@dataclass(frozen=True)
class PopulationRow:
    line: int
    kommunkod: str
    name: str
    reference_date: date
    value: int


@dataclass
class ParseError(Exception):
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.errors)


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _period_date(header: str, first_november: bool, override: date | None) -> date | None:
    header = header.strip()
    if match := YEAR.match(header):
        year = int(match[1])
        if override:
            return override
        return date(year, 11, 1) if first_november else date(year, 12, 31)
    if match := MONTH.match(header):
        year, month = int(match[1]), int(match[2])
        if override:
            return override
        if first_november and month == 11:
            return date(year, 11, 1)
        return date(year, month, calendar.monthrange(year, month)[1])
    return None


def _number(text: str) -> int | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").strip()
    return int(cleaned) if cleaned.isdigit() else None


def parse(content: bytes, *, reference_date: date | None = None) -> list[PopulationRow]:
    """All rows or ParseError with every problem found (line number, field, reason)."""
    text = decode(content)
    lines = text.splitlines()
    header_index = next(
        (i for i, line in enumerate(lines) if re.search(r"region|kommun", line, re.IGNORECASE)), None
    )
    if header_index is None:
        raise ParseError(["rad 1: hittar ingen rubrikrad med kolumnen 'region' eller 'kommun'"])
    title = " ".join(lines[:header_index]) + " " + lines[header_index]
    first_november = "1 november" in title.lower() or "1 nov" in title.lower()
    sample = lines[header_index]
    delimiter = max(";,\t", key=sample.count)
    reader = csv.reader(io.StringIO("\n".join(lines[header_index:])), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    lowered = [h.lower() for h in header]
    code_col = next((i for i, h in enumerate(lowered) if h in ("kommunkod", "kod", "regionkod")), None)
    region_col = next((i for i, h in enumerate(lowered) if h in ("region", "kommun", "kommunnamn")), None)
    period_cols = [(i, _period_date(h, first_november, reference_date)) for i, h in enumerate(header)]
    period_cols = [(i, d) for i, d in period_cols if d is not None]
    if not period_cols:
        value_col = next((i for i, h in enumerate(lowered) if "folkmängd" in h or h in ("antal", "värde")), None)
        if value_col is None or reference_date is None:
            raise ParseError([
                f"rad {header_index + 1}: ingen kolumn med år (t.ex. 2024) — ange kolumnen Folkmängd och referensdatum"
            ])
        period_cols = [(value_col, reference_date)]
    known = municipalities()
    rows: list[PopulationRow] = []
    errors: list[str] = []
    seen: set[tuple[str, date]] = set()
    for offset, record in enumerate(reader, start=header_index + 2):
        if not any(cell.strip() for cell in record):
            continue
        if code_col is not None:
            code = record[code_col].strip() if code_col < len(record) else ""
            name = record[region_col].strip() if region_col is not None and region_col < len(record) else ""
        elif region_col is not None and region_col < len(record) and (m := REGION.match(record[region_col])):
            code, name = m[1], m[2]
        else:
            if len(lines) and offset > header_index + 2 and len(record) == 1:
                continue  # footnotes below the table
            errors.append(f"rad {offset}: fältet region: saknar kommunkod (väntade t.ex. '2481 Lycksele')")
            continue
        if len(code) == 2:
            continue
        if code not in known:
            errors.append(f"rad {offset}: fältet kommunkod: {code!r} finns inte i SCB:s kommunlista")
            continue
        for column, ref_date in period_cols:
            raw = record[column] if column < len(record) else ""
            value = _number(raw)
            if value is None:
                errors.append(f"rad {offset}: fältet {header[column]}: {raw!r} är inget antal invånare")
                continue
            if (code, ref_date) in seen:
                errors.append(f"rad {offset}: kommun {code} förekommer två gånger för {ref_date}")
                continue
            seen.add((code, ref_date))
            rows.append(PopulationRow(offset, code, name or known[code], ref_date, value))
    if errors:
        raise ParseError(errors)
    if not rows:
        raise ParseError(["filen innehåller inga kommunrader"])
    return rows
