"""SCB's published population table (Statistikdatabasen/PxWeb CSV export) → figures.

Accepts what SCB actually hands out: semicolon, comma or tab separated; UTF-8 (with or
without BOM) or Latin-1; an optional title line above the header; a `region` column written
"2481 Lycksele" (or a kommunkod column, or the bare name); one column per year ("2024",
"Folkmängd 2024") or month ("2024M11"). Rows for the whole country or a county (2-digit
codes, "Riket", "… län") are skipped. Extra dimension columns (kön, ålder) are summed per
municipality, or only their "totalt" rows are used when the file has them.
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

PERIOD = re.compile(r"(?:^|\s)(\d{4})(?:M(\d{2}))?$")
REGION = re.compile(r"^\s*(\d{2}|\d{4})\s+(.+?)\s*$")
CODE_HEADERS = ("kommunkod", "kod", "regionkod")
REGION_HEADERS = ("region", "kommun", "kommunnamn")
VALUE_HEADERS = ("folkmängd", "antal", "värde")
SPLIT = re.compile(r"[;,\t]")


@dataclass(frozen=True)
class PopulationRow:
    line: int
    kommunkod: str
    name: str
    reference_date: date
    value: int


@dataclass
class ParseError(Exception):
    """Every problem found, each 'rad N: fältet F: reason', so a user fixes the file in one go."""

    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.errors)


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _period_date(header: str, first_november: bool) -> date | None:
    match = PERIOD.search(header.strip())
    if not match:
        return None
    year = int(match[1])
    if match[2] is None:
        return date(year, 11, 1) if first_november else date(year, 12, 31)
    month = int(match[2])
    if not 1 <= month <= 12:
        return None
    if first_november and month == 11:
        return date(year, 11, 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").strip()
    return int(cleaned) if cleaned.isdigit() else None


def _cells(line: str) -> list[str]:
    return [cell.strip().strip('"').strip().lower() for cell in SPLIT.split(line)]


def _find_header(lines: list[str]) -> int | None:
    """The first line with a region/kommun column; title lines above it only mention them in prose."""
    names = (*CODE_HEADERS, *REGION_HEADERS)
    return next((i for i, line in enumerate(lines) if any(c in names for c in _cells(line))), None)


def _is_aggregate(name: str) -> bool:
    lowered = name.strip().lower()
    return lowered in ("riket", "sverige", "hela riket") or lowered.endswith(" län")


def parse(content: bytes, *, reference_date: date | None = None) -> list[PopulationRow]:
    """All rows or ParseError with every problem found (line number, field, reason)."""
    lines = decode(content).splitlines()
    header_index = _find_header(lines)
    if header_index is None:
        raise ParseError(["rad 1: hittar ingen rubrikrad med kolumnen 'region' eller 'kommun'"])
    title = " ".join(lines[: header_index + 1]).lower()
    first_november = "1 november" in title or "1 nov" in title
    sample = lines[header_index]
    delimiter = max(";,\t", key=sample.count)
    reader = csv.reader(io.StringIO("\n".join(lines[header_index:])), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    lowered = [h.lower() for h in header]
    header_line = header_index + 1
    code_col = next((i for i, h in enumerate(lowered) if h in CODE_HEADERS), None)
    region_col = next((i for i, h in enumerate(lowered) if h in REGION_HEADERS), None)
    period_cols = [(i, _period_date(h, first_november)) for i, h in enumerate(header)]
    period_cols = [(i, d) for i, d in period_cols if d is not None]
    if reference_date is not None:
        if len(period_cols) > 1:
            raise ParseError(
                [
                    f"rad {header_line}: filen har {len(period_cols)} års- eller månadskolumner; "
                    "ett angivet referensdatum passar bara en kolumn"
                ]
            )
        if not period_cols:
            value_col = next((i for i, h in enumerate(lowered) if any(v in h for v in VALUE_HEADERS)), None)
            if value_col is not None:
                period_cols = [(value_col, reference_date)]
        else:
            period_cols = [(period_cols[0][0], reference_date)]
    if not period_cols:
        raise ParseError(
            [f"rad {header_line}: ingen kolumn med år (t.ex. 2024) — ange kolumnen Folkmängd och referensdatum"]
        )
    used = {code_col, region_col, *(i for i, _ in period_cols)}
    dimension_cols = [i for i in range(len(header)) if i not in used]
    known = municipalities()
    by_name = {name.lower(): code for code, name in known.items()}
    errors: list[str] = []
    # (kommunkod, date) → [first line, name, value, from a 'totalt' row]
    totals: dict[tuple[str, date], list] = {}
    for line, record in enumerate(reader, start=header_line + 1):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) == 1 and line > header_line + 1:
            continue  # footnotes and source lines below the table
        region = record[region_col].strip() if region_col is not None and region_col < len(record) else ""
        if code_col is not None:
            code = record[code_col].strip() if code_col < len(record) else ""
            code = code.zfill(4) if len(code) == 3 else code
            name = region
        elif match := REGION.match(region):
            code, name = match[1], match[2]
        elif region.lower() in by_name:
            code, name = by_name[region.lower()], region
        elif region and _is_aggregate(region):
            continue
        else:
            errors.append(f"rad {line}: fältet region: {region!r} saknar kommunkod (väntade t.ex. '2481 Lycksele')")
            continue
        if len(code) == 2 or _is_aggregate(name):
            continue
        if code not in known:
            errors.append(f"rad {line}: fältet kommunkod: {code!r} finns inte i SCB:s kommunlista")
            continue
        dims = [record[i].strip().lower() for i in dimension_cols if i < len(record)]
        is_total = bool(dims) and all(d.startswith("totalt") or d.startswith("total") for d in dims)
        for column, ref_date in period_cols:
            raw = record[column] if column < len(record) else ""
            value = _number(raw)
            if value is None:
                errors.append(f"rad {line}: fältet {header[column]}: {raw.strip()!r} är inget antal invånare")
                continue
            key = (code, ref_date)
            if key not in totals:
                totals[key] = [line, name or known[code], 0, 0, []]
            entry = totals[key]
            if not dimension_cols and entry[2]:
                errors.append(
                    f"rad {line}: fältet region: kommun {code} förekommer två gånger för {ref_date} "
                    f"(första gången på rad {entry[0]})"
                )
                continue
            entry[2] += 1
            if is_total:
                entry[4].append(value)
            else:
                entry[3] += value
    if errors:
        raise ParseError(errors)
    rows = [
        PopulationRow(line, code, name, ref_date, sum(total_rows) if total_rows else summed)
        for (code, ref_date), (line, name, _count, summed, total_rows) in totals.items()
    ]
    if not rows:
        raise ParseError(["filen innehåller inga kommunrader"])
    return sorted(rows, key=lambda r: (r.line, r.reference_date))
