"""Read a year's employments from the payroll system's export (CSV or XLSX), all or nothing.

Columns (header row, case and spaces ignored): ``anställningsnummer`` or ``nyckel``,
``anställningsform``, ``kön``, ``åldersgrupp`` or ``födelseår``, ``årsarbetare``,
``arbetade timmar`` (ordinary working time of the year *including* absence — see
``domain.staff_stats``), ``sjukfrånvaro timmar`` and, optionally, ``varav långtid timmar``
(hours in sick spells of 60 days or more). Every problem is ``rad N: fält: orsak``; the file is
bounded in bytes and rows.

No payroll id is kept: the key of each row is replaced on reading by HMAC-SHA256 with a salt the
caller gives (the service derives one per federation from the server's secret key), so the
stored key cannot be traced back to an employee number without the secret, and the same number
in two federations gives unrelated keys. The key is only used to count distinct people within
the import.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from samverkan.domain.errors import DomainError
from samverkan.domain.numbers import NumberError, parse_decimal
from samverkan.domain.staff_stats import AGE_GROUPS, StaffRow, age_group
from samverkan.domain.textfiles import TextFileError, decode, head, read_csv, sniff_delimiter

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_HOURS = Decimal(10_000)  # a year has 8 784 hours

FORMS = {
    "tillsvidareanställd": "permanent",
    "tillsvidareanställning": "permanent",
    "tillsvidare": "permanent",
    "visstidsanställd": "fixed_term",
    "visstidsanställning": "fixed_term",
    "visstid": "fixed_term",
    "timanställd": "hourly",
    "timanställning": "hourly",
    "vikariat": "substitute",
    "vikarie": "substitute",
    "provanställd": "probation",
    "provanställning": "probation",
}
SEXES = {"kvinna": "woman", "k": "woman", "man": "man", "m": "man", "annat": "other", "": "other"}
AGE_ALIASES = {"-29": "-29", "0-29": "-29", "30-49": "30-49", "50-": "50-", "50+": "50-"}
COLUMNS = {
    "anställningsnummer": "key",
    "nyckel": "key",
    "anställningsform": "form",
    "kön": "sex",
    "åldersgrupp": "age_group",
    "födelseår": "birth_year",
    "årsarbetare": "fte",
    "arbetade timmar": "worked",
    "sjukfrånvaro timmar": "sick",
    "varav långtid timmar": "long_sick",
}
REQUIRED = ("key", "form", "sex", "fte", "worked", "sick")


class StaffFileError(DomainError):
    """A problem in the file: ``rad N: fält: orsak`` (line 1 is the header)."""

    def __init__(self, line: int, reason: str, field: str = "") -> None:
        super().__init__(f"rad {line}: {field}: {reason}" if field else f"rad {line}: {reason}")
        self.line = line


def person_key(raw: str, salt: bytes) -> str:
    """The stored key: HMAC-SHA256 of the payroll id (64 hex characters)."""
    return hmac.new(salt, raw.strip().encode(), hashlib.sha256).hexdigest()


def read_staff_file(data: bytes, *, year: int, salt: bytes) -> list[StaffRow]:
    """The rows of a CSV or XLSX file (told apart by content, not by name)."""
    if len(data) > MAX_BYTES:
        raise StaffFileError(1, f"filen är större än {MAX_BYTES // (1024 * 1024)} MB")
    if data[:4] == b"PK\x03\x04":
        return rows_from_table(_xlsx_rows(data), year=year, salt=salt)
    try:
        text = decode(data)
        first = head(text, 1)
        delimiter = sniff_delimiter(first[0] if first else "")
        return rows_from_table(read_csv(text, delimiter, max_rows=MAX_ROWS + 1), year=year, salt=salt)
    except TextFileError as exc:
        raise StaffFileError(exc.line or 1, exc.reason) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:  # a damaged workbook fails anywhere inside openpyxl or zipfile
        raise StaffFileError(1, "arbetsboken kan inte läsas (är filen skadad?)") from None
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if line > MAX_ROWS + 1:
            raise StaffFileError(line, f"filen har fler än {MAX_ROWS} rader")
        yield line, ["" if v is None else _cell_text(v) for v in values]


def _cell_text(value: object) -> str:
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def rows_from_table(records: Iterable[tuple[int, list[str]]], *, year: int, salt: bytes) -> list[StaffRow]:
    """Validate every row; the first problem stops the import (nothing is returned partly)."""
    iterator = iter(records)
    header: list[str] | None = None
    for _line, cells in iterator:
        if any(c.strip() for c in cells):
            header = [" ".join(c.strip().lower().split()) for c in cells]
            break
    if header is None:
        raise StaffFileError(1, "filen är tom")
    fields = [COLUMNS.get(h, "") for h in header]
    missing = [c for c in REQUIRED if c not in fields]
    if "age_group" not in fields and "birth_year" not in fields:
        missing.append("åldersgrupp eller födelseår")
    if missing:
        names = {v: k for k, v in COLUMNS.items()}
        raise StaffFileError(1, "kolumner saknas: " + ", ".join(names.get(m, m) for m in missing))
    result: list[StaffRow] = []
    seen: set[tuple[str, str]] = set()
    for line, cells in iterator:
        if not any(c.strip() for c in cells):
            continue
        if len(result) >= MAX_ROWS:
            raise StaffFileError(line, f"filen har fler än {MAX_ROWS} rader")
        record = {f: (cells[i].strip() if i < len(cells) else "") for i, f in enumerate(fields) if f}
        row = _row(record, line, year, salt)
        if (row.person, row.form) in seen:
            raise StaffFileError(line, "samma person och anställningsform förekommer redan", "anställningsnummer")
        seen.add((row.person, row.form))
        result.append(row)
    if not result:
        raise StaffFileError(1, "filen har inga anställningsrader")
    return result


def _row(record: dict[str, str], line: int, year: int, salt: bytes) -> StaffRow:
    if not record.get("key"):
        raise StaffFileError(line, "värde saknas", "anställningsnummer")
    form = FORMS.get(record.get("form", "").lower())
    if form is None:
        raise StaffFileError(line, f"okänd anställningsform {record.get('form', '')[:40]!r}", "anställningsform")
    sex = SEXES.get(record.get("sex", "").lower())
    if sex is None:
        raise StaffFileError(line, f"okänt kön {record.get('sex', '')[:20]!r} (kvinna, man eller annat)", "kön")
    fte = _number(record, "fte", "årsarbetare", line, Decimal("1.5"))
    worked = _number(record, "worked", "arbetade timmar", line, MAX_HOURS)
    sick = _number(record, "sick", "sjukfrånvaro timmar", line, MAX_HOURS)
    long_sick = _number(record, "long_sick", "varav långtid timmar", line, MAX_HOURS, default=True)
    if sick > worked:
        raise StaffFileError(line, "fler sjuktimmar än arbetade timmar (ordinarie arbetstid)", "sjukfrånvaro timmar")
    if long_sick > sick:
        raise StaffFileError(line, "fler än sjukfrånvarotimmarna", "varav långtid timmar")
    return StaffRow(person_key(record["key"], salt), form, sex, _age(record, line, year), fte, worked, sick, long_sick)


def _age(record: dict[str, str], line: int, year: int) -> str:
    if record.get("age_group"):
        text = record["age_group"].lower().replace("år", "").replace("–", "-").replace(" ", "")
        group = AGE_ALIASES.get(text)
        if group is None:
            raise StaffFileError(line, f"okänd åldersgrupp (ange {', '.join(AGE_GROUPS)})", "åldersgrupp")
        return group
    text = record.get("birth_year", "")
    if not (text.isdigit() and len(text) == 4 and year - 80 <= int(text) <= year - 14):
        raise StaffFileError(line, "ange ett rimligt födelseår med fyra siffror", "födelseår")
    return age_group(int(text), year)


def _number(
    record: dict[str, str], field: str, label: str, line: int, maximum: Decimal, *, default: bool = False
) -> Decimal:
    text = record.get(field, "")
    if not text and default:
        return Decimal(0)
    try:
        return parse_decimal(text, max_digits=9, max_decimals=3, minimum=0, maximum=maximum)
    except NumberError as exc:
        raise StaffFileError(line, str(exc), label) from None
