"""SCB's published population table (Statistikdatabasen/PxWeb CSV export) → figures.

Accepts what SCB actually hands out: semicolon, comma or tab separated; any encoding and line
ending ``domain.textfiles`` reads (UTF-8 with or without BOM, UTF-16, Latin-1/Windows-1252);
an optional title line above the header; a `region` column written
"2481 Lycksele" (or a kommunkod column, or the bare name); one column per year ("2024",
"Folkmängd 2024") or month ("2024M11"). Rows for the whole country or a county (2-digit
codes, "Riket", "… län") are skipped. Extra dimension columns (kön, ålder) are summed per
municipality, or only their "totalt" rows are used when the file has them. One-cell rows of
prose after the table are footnotes; every other row is imported or reported with its line.
Files, fields, values and years are bounded (``MAX_*``, ``FIRST_YEAR``/``LAST_YEAR``).
The reference date is 1 November when the title or header says so, else the period's last
day, unless the caller gives one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from samverkan.domain.errors import DomainError
from samverkan.domain.numbers import NumberError, parse_int
from samverkan.domain.textfiles import MEGABYTE, TextFileError, check_size, decode, head, read_csv, sniff_delimiter
from samverkan.members.validators import municipalities

# SCB's largest table (every municipality by age, sex and year) is a few MB; a population is a
# count, nine digits are more than Sweden has; years outside this range are a typo.
MAX_BYTES = 10 * MEGABYTE
MAX_ROWS = 500_000
MAX_FIELD = 2_000
MAX_VALUE = 99_999_999
FIRST_YEAR, LAST_YEAR = 1900, 2200
HEADER_SEARCH = 30
PERIOD = re.compile(r"(?:^|\s)(\d{4})(?:M(\d{2}))?$", re.ASCII)
REGION = re.compile(r"^\s*(\d{2}|\d{4})\s+(.+?)\s*$", re.ASCII)
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


class ParseError(DomainError):
    """Every problem found, each 'rad N: fältet F: reason', so a user fixes the file in one go."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class _PeriodError(ValueError):
    pass


def _period_date(header: str, first_november: bool) -> date | None:
    """The column's reference date, None when it is not a year or month column."""
    match = PERIOD.search(header.strip())
    if not match:
        return None
    year = int(match[1])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _PeriodError(f"året måste vara mellan {FIRST_YEAR} och {LAST_YEAR}")
    if match[2] is None:
        return date(year, 11, 1) if first_november else date(year, 12, 31)
    month = int(match[2])
    if not 1 <= month <= 12:
        raise _PeriodError("månaden måste vara mellan 01 och 12")
    if first_november and month == 11:
        return date(year, 11, 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def _cells(line: str) -> list[str]:
    return [cell.strip().strip('"').strip().lower() for cell in SPLIT.split(line)]


def _find_header(lines: list[str]) -> int | None:
    """The first line with a region/kommun column; title lines above it only mention them in prose."""
    names = (*CODE_HEADERS, *REGION_HEADERS)
    return next((i for i, line in enumerate(lines) if any(c in names for c in _cells(line))), None)


def _is_aggregate(name: str) -> bool:
    lowered = name.strip().lower()
    return lowered in ("riket", "sverige", "hela riket") or lowered.endswith(" län")


def _looks_like_data(text: str, known: dict[str, str], by_name: dict[str, str]) -> bool:
    """A row of one cell is a footnote ("Källa: SCB …") unless it names a region: then it is a
    data row whose values are missing or were cut off, and that is an error, not a note."""
    stripped = text.strip()
    match = REGION.match(stripped)
    if match and (match[1] in known or len(match[1]) == 2):
        return True
    return stripped in known or stripped.lower() in by_name or _is_aggregate(stripped)


def parse(content: bytes, *, reference_date: date | None = None) -> list[PopulationRow]:
    """All rows or ParseError with every problem found (line number, field, reason).

    Every row below the header is either a municipality's figures, a country or county total
    (skipped by name), or a footnote after the table (one cell of prose); anything else is
    reported with its line, so no municipality goes missing without a word."""
    try:
        check_size(len(content), MAX_BYTES)
        text = decode(content)
    except TextFileError as exc:
        raise ParseError([str(exc)]) from None
    lines = head(text, HEADER_SEARCH)
    header_index = _find_header(lines)
    if header_index is None:
        raise ParseError(["rad 1: hittar ingen rubrikrad med kolumnen 'region' eller 'kommun'"])
    title = " ".join(lines[: header_index + 1]).lower()
    header_line = header_index + 1
    delimiter = sniff_delimiter(lines[header_index])
    records = read_csv(text, delimiter, start_line=header_line, max_field=MAX_FIELD, max_rows=MAX_ROWS)
    try:
        header = [h.strip() for h in next(records)[1]]
    except TextFileError as exc:
        raise ParseError([str(exc)]) from None
    table = _Table(header, header_line, delimiter, "1 november" in title or "1 nov" in title, reference_date)
    try:
        for line, record in records:
            table.add(line, [cell.strip() for cell in record])
    except TextFileError as exc:
        table.errors.append(exc.naming(header))
    return table.rows()


class _Table:
    """The header's columns, then one row at a time into per-municipality totals."""

    def __init__(
        self, header: list[str], header_line: int, delimiter: str, first_november: bool, reference_date: date | None
    ) -> None:
        self.header, self.delimiter = header, delimiter
        lowered = [h.lower() for h in header]
        self.code_col = next((i for i, h in enumerate(lowered) if h in CODE_HEADERS), None)
        self.region_col = next((i for i, h in enumerate(lowered) if h in REGION_HEADERS), None)
        self.period_cols = self._periods(header_line, first_november, reference_date)
        used = {self.code_col, self.region_col, *(i for i, _ in self.period_cols)}
        self.dimension_cols = [i for i in range(len(header)) if i not in used]
        self.known = municipalities()
        self.by_name = {name.lower(): code for code, name in self.known.items()}
        self.errors: list[str] = []
        # (kommunkod, date) → [first line, name, count, summed, values of 'totalt' rows]
        self.totals: dict[tuple[str, date], list] = {}
        self.table_end: int | None = None  # the blank line or footnote that ends the table

    def _periods(self, header_line: int, first_november: bool, reference_date: date | None) -> list[tuple[int, date]]:
        period_cols = []
        for i, h in enumerate(self.header):
            try:
                period = _period_date(h, first_november)
            except _PeriodError as exc:
                raise ParseError([f"rad {header_line}: kolumnen {h[:20]!r}: {exc}"]) from None
            if period is not None:
                period_cols.append((i, period))
        if reference_date is not None:
            if len(period_cols) > 1:
                raise ParseError(
                    [
                        f"rad {header_line}: filen har {len(period_cols)} års- eller månadskolumner; "
                        "ett angivet referensdatum passar bara en kolumn"
                    ]
                )
            if period_cols:
                return [(period_cols[0][0], reference_date)]
            lowered = [h.lower() for h in self.header]
            value_col = next((i for i, h in enumerate(lowered) if any(v in h for v in VALUE_HEADERS)), None)
            if value_col is not None:
                return [(value_col, reference_date)]
        if not period_cols:
            raise ParseError(
                [f"rad {header_line}: ingen kolumn med år (t.ex. 2024) — ange kolumnen Folkmängd och referensdatum"]
            )
        return period_cols

    def add(self, line: int, record: list[str]) -> None:
        if not any(record):
            if self.totals and self.table_end is None:
                self.table_end = line
            return
        if not any(record[1:]) and not _looks_like_data(record[0], self.known, self.by_name):
            self.table_end = self.table_end or line
            return  # a footnote or source line below the table
        if self.table_end is not None:
            self.errors.append(
                f"rad {line}: raden står efter tabellens slut (rad {self.table_end}) men ser ut som data: "
                f"{record[0][:40]!r}"
            )
        elif len(record) < len(self.header):
            self.errors.append(
                f"rad {line}: raden har {len(record)} fält men rubriken {len(self.header)} "
                f"(saknas ett värde, eller är avgränsaren inte {self.delimiter!r}?)"
            )
        elif any(record[len(self.header) :]):
            self.errors.append(f"rad {line}: raden har {len(record)} fält men rubriken bara {len(self.header)}")
        else:
            self._municipality(line, record)

    def _municipality(self, line: int, record: list[str]) -> None:
        region = record[self.region_col] if self.region_col is not None else ""
        if self.code_col is not None:
            code = record[self.code_col]
            code = code.zfill(4) if len(code) == 3 else code
            name = region
        elif match := REGION.match(region):
            code, name = match[1], match[2]
        elif region.lower() in self.by_name:
            code, name = self.by_name[region.lower()], region
        elif region and _is_aggregate(region):
            return
        else:
            self.errors.append(
                f"rad {line}: fältet region: {region[:40]!r} saknar kommunkod (väntade t.ex. '2481 Lycksele')"
            )
            return
        if len(code) == 2 or _is_aggregate(name):
            return
        if code not in self.known:
            self.errors.append(f"rad {line}: fältet kommunkod: {code[:20]!r} finns inte i SCB:s kommunlista")
            return
        dims = [record[i].lower() for i in self.dimension_cols]
        is_total = bool(dims) and all(d.startswith("total") for d in dims)
        for column, ref_date in self.period_cols:
            try:
                value = parse_int(record[column], minimum=0, maximum=MAX_VALUE)
            except NumberError as exc:
                reason = "'..' är inget antal invånare (SCB:s tecken för uppgift saknas)"
                self.errors.append(
                    f"rad {line}: fältet {self.header[column]}: {reason if record[column] == '..' else exc}"
                )
                continue
            entry = self.totals.setdefault((code, ref_date), [line, name or self.known[code], 0, 0, []])
            if not self.dimension_cols and entry[2]:
                self.errors.append(
                    f"rad {line}: fältet region: kommun {code} förekommer två gånger för {ref_date} "
                    f"(första gången på rad {entry[0]})"
                )
                continue
            entry[2] += 1
            if is_total:
                entry[4].append(value)
            else:
                entry[3] += value

    def rows(self) -> list[PopulationRow]:
        if self.errors:
            raise ParseError(self.errors)
        rows = [
            PopulationRow(line, code, name, ref_date, sum(total_rows) if total_rows else summed)
            for (code, ref_date), (line, name, _count, summed, total_rows) in self.totals.items()
        ]
        if not rows:
            raise ParseError(["filen innehåller inga kommunrader"])
        too_large = [r for r in rows if r.value > MAX_VALUE]
        if too_large:
            raise ParseError(
                [f"rad {r.line}: kommun {r.kommunkod}: summan {r.value} är större än {MAX_VALUE}" for r in too_large]
            )
        return sorted(rows, key=lambda r: (r.line, r.reference_date))
