"""Read the budget template (XLSX) an economist fills in: sheet «Budget» and sheet «Prognos».

Sheet «Budget» (or the only sheet of a workbook that has one): a header row, then one row per
activity and account (or account group: «50» is every account starting with 50). Columns, in any
order, case-insensitive: «Verksamhet» (optional column; blank = no activity), «Konto»
(required), «Helår» and/or «Jan» … «Dec» (at least one amount column); others such as
«Benämning» are ignored. Amounts are kronor with at most two decimals, written as an economist
reads a report: income positive, costs negative (the service turns them into the ledger's sign).

- A row with only «Helår» is spread evenly over the twelve months in öre by largest remainder:
  every month gets the whole öre of total ÷ 12 and the first (total mod 12) months one öre more
  (for a negative total the same, mirrored), so the months always sum exactly to the year.
- A row with months uses them (a blank month is 0). With both, the months must sum to «Helår»,
  else the row is refused.
- A row with an activity and an account but no amount at all is a zero budget; the rows are
  counted (`BudgetSheet.without_amount`) and shown after the import, not skipped unseen.

Sheet «Prognos»: «Verksamhet» (required), «Rad» (optional: Intäkter, Personalkostnader,
Övriga kostnader, Avskrivningar; blank = the activity's net result), «Prognos helår»
(kronor, report sign), «Kommentar».

Every problem is reported as «Rad N, kolumn X: reason» (all of them, up to `MAX_ERRORS`) and
nothing is returned, so the service writes nothing. File size, unpacked size, rows and columns
are bounded. Pure Python: no database.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from samverkan.domain.errors import DomainError
from samverkan.domain.money import to_ore
from samverkan.domain.numbers import NumberError, parse_decimal
from samverkan.finance.exporters.budget_xlsx import BUDGET_SHEET, FORECAST_SHEET, MONTHS, YEAR_COLUMN

MEGABYTE = 1024 * 1024
MAX_BYTES = 5 * MEGABYTE
MAX_UNPACKED = 100 * MEGABYTE  # an XLSX is a ZIP: what it unpacks to is bounded too
MAX_ROWS = 50_000
MAX_COLUMNS = 40
MAX_ERRORS = 50
MAX_TEXT = 1_000  # a comment
AMOUNT_DIGITS = 13  # kronor with two decimals: fits the öre column with room for sums
_MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
# «Rad» of the forecast sheet: the operating lines (domain.ledger_lines.OperatingLine) by name.
FORECAST_LINES = {
    "": "",
    "resultat": "",
    "netto": "",
    "intäkter": "income",
    "personalkostnader": "staff_costs",
    "övriga kostnader": "other_costs",
    "avskrivningar": "depreciation",
}


class BudgetFileError(DomainError):
    """The file cannot be imported; `problems` are Swedish lines naming row, column and reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass(frozen=True)
class BudgetRow:
    row: int
    activity: str
    account: str
    months: tuple[int, ...]  # öre per month 1–12, report sign (income positive)


@dataclass(frozen=True)
class BudgetSheet:
    rows: list[BudgetRow]
    without_amount: list[int] = field(default_factory=list)  # row numbers read as zero budget


@dataclass(frozen=True)
class ForecastRow:
    row: int
    activity: str
    line: str  # "" or an OperatingLine value
    amount: Decimal  # kronor, report sign
    comment: str


def spread_evenly(total_ore: int) -> tuple[int, ...]:
    """Twelve months that sum exactly to `total_ore` (largest remainder, earlier months first)."""
    sign = -1 if total_ore < 0 else 1
    whole, left = divmod(abs(total_ore), 12)
    return tuple(sign * (whole + (1 if month < left else 0)) for month in range(12))


# ---- reading the workbook --------------------------------------------------------------------


def _open(data: bytes):
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise BudgetFileError([f"Filen är större än {MAX_BYTES // MEGABYTE} MB."])
    if not data:
        raise BudgetFileError(["Filen är tom."])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise BudgetFileError(["Filen är ingen XLSX-arbetsbok (spara den som Excel-arbetsbok, .xlsx)."]) from None
    if "[Content_Types].xml" not in {m.filename for m in members}:
        raise BudgetFileError(["Filen är en ZIP-fil men ingen XLSX-arbetsbok."])
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise BudgetFileError([f"Arbetsboken är större än {MAX_UNPACKED // MEGABYTE} MB uppackad."])
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails anywhere inside openpyxl, zipfile or the XML parser
        raise BudgetFileError(["Arbetsboken kan inte läsas (är filen skadad?); spara den igen."]) from None


def _sheet(workbook, name: str, *, only_sheet_ok: bool):
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == name.lower():
            return sheet
    if only_sheet_ok and len(workbook.worksheets) == 1:
        return workbook.worksheets[0]
    raise BudgetFileError([f"Bladet «{name}» saknas i arbetsboken."])


def _rows(sheet) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the non-blank rows; a damaged sheet is one clear error."""
    try:
        sheet.reset_dimensions()  # read the cells there are, not the size the file claims
        count = 0
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            cells = list(row)
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            count += 1
            if count > MAX_ROWS + 1:
                raise BudgetFileError([f"Rad {number}: bladet «{sheet.title}» har fler än {MAX_ROWS} rader."])
            yield number, cells
    except BudgetFileError:
        raise
    except Exception:
        raise BudgetFileError(["Arbetsboken kan inte läsas (är filen skadad?); spara den igen."]) from None


def _text(value: Any) -> str:
    """A cell as text: a whole number typed as a number (81141, 5010.0) without decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _amount(value: Any) -> Decimal:
    """Kronor with at most two decimals; a float from a formula is read to the öre when it is
    within a millionth of it (0.1 + 0.2), otherwise refused like a typed 1,234."""
    if isinstance(value, bool):
        raise NumberError("är inte ett tal")
    if isinstance(value, float):
        exact = parse_decimal(value, max_digits=30, max_decimals=30, max_exponent=30)
        rounded = exact.quantize(Decimal("0.01"))
        if abs(exact - rounded) < Decimal("0.000001"):
            value = rounded
    return parse_decimal(value, max_digits=AMOUNT_DIGITS, max_decimals=2)


class _Header:
    def __init__(self, number: int, cells: list[Any], known: dict[str, str], sheet: str) -> None:
        self.columns: dict[str, int] = {}
        self.names: dict[str, str] = {}  # key → the column's name as written
        for index, cell in enumerate(cells):
            text = _text(cell)
            key = known.get(text.lower())
            if key is None:
                continue
            if key in self.columns:
                raise BudgetFileError([f"Rad {number}: kolumnen «{text}» finns två gånger i bladet «{sheet}»."])
            self.columns[key] = index
            self.names[key] = text

    def cell(self, cells: list[Any], key: str) -> Any:
        index = self.columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None


def _budget_columns() -> dict[str, str]:
    known = {"verksamhet": "activity", "konto": "account", YEAR_COLUMN.lower(): "year", "helar": "year"}
    for month, (short, name) in enumerate(zip(MONTHS, _MONTH_NAMES, strict=True), start=1):
        known[short.lower()] = known[name] = f"m{month}"
    return known


def _code(value: Any, *, max_length: int) -> str:
    return _text(value)[: max_length + 1]


def read_budget(data: bytes) -> BudgetSheet:
    """The budget sheet's rows, or BudgetFileError listing every problem."""
    workbook = _open(data)
    try:
        sheet = _sheet(workbook, BUDGET_SHEET, only_sheet_ok=True)
        return _read_budget_rows(_rows(sheet), sheet.title)
    finally:
        workbook.close()


def _read_budget_rows(rows: Iterator[tuple[int, list[Any]]], title: str) -> BudgetSheet:
    first = next(rows, None)
    if first is None:
        raise BudgetFileError([f"Bladet «{title}» är tomt."])
    header = _Header(first[0], first[1], _budget_columns(), title)
    if "account" not in header.columns:
        raise BudgetFileError([f"Rad {first[0]}: kolumnen «Konto» saknas."])
    month_keys = [f"m{m}" for m in range(1, 13)]
    if "year" not in header.columns and not any(k in header.columns for k in month_keys):
        raise BudgetFileError([f"Rad {first[0]}: kolumnen «{YEAR_COLUMN}» eller månadskolumner (Jan … Dec) saknas."])
    errors: list[str] = []
    result: list[BudgetRow] = []
    without_amount: list[int] = []
    seen: dict[tuple[str, str], int] = {}

    def problem(number: int, column: str, reason: str) -> None:
        errors.append(f"Rad {number}, kolumn {column}: {reason}.")
        if len(errors) >= MAX_ERRORS:
            raise BudgetFileError([*errors, f"(Fler än {MAX_ERRORS} fel; rätta dessa först.)"])

    for number, cells in rows:
        before = len(errors)
        activity = _code(header.cell(cells, "activity"), max_length=40)
        account = _code(header.cell(cells, "account"), max_length=20)
        if len(activity) > 40:
            problem(number, header.names["activity"], "högst 40 tecken")
        if not account:
            problem(number, header.names["account"], "kontot saknas")
        elif not (account.isascii() and account.isdigit()) or len(account) > 20:
            problem(number, header.names["account"], f"«{account[:20]}» är inget kontonummer (bara siffror, högst 20)")
        amounts: dict[str, int] = {}
        for key in ("year", *month_keys):
            raw = header.cell(cells, key)
            if raw is None or _text(raw) == "":
                continue
            try:
                amounts[key] = to_ore(_amount(raw))
            except NumberError as exc:
                problem(number, header.names[key], _number_problem(raw, exc))
        if len(errors) > before:
            continue
        months_given = [k for k in month_keys if k in amounts]
        if months_given:
            months = tuple(amounts.get(k, 0) for k in month_keys)
            if "year" in amounts and sum(months) != amounts["year"]:
                problem(
                    number,
                    header.names["year"],
                    f"helåret ({_kronor(amounts['year'])}) är inte summan av månaderna ({_kronor(sum(months))})",
                )
                continue
        elif "year" in amounts:
            months = spread_evenly(amounts["year"])
        else:
            months = (0,) * 12
            without_amount.append(number)
        key = (activity, account)
        if key in seen:
            problem(number, header.names["account"], f"verksamhet och konto finns redan på rad {seen[key]}")
            continue
        seen[key] = number
        result.append(BudgetRow(number, activity, account, months))
    if errors:
        raise BudgetFileError(errors)
    return BudgetSheet(result, without_amount)


def _number_problem(raw: Any, exc: NumberError) -> str:
    """The number parser's reason with the value in front, unless the reason already shows it."""
    reason = str(exc)
    return reason if reason.startswith("«") else f"«{_text(raw)[:20]}» {reason}"


def _kronor(ore: int) -> str:
    sign = "−" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole:,}".replace(",", "\u00a0") + f",{cents:02d}"


def read_forecasts(data: bytes) -> list[ForecastRow]:
    """The rows of sheet «Prognos», or BudgetFileError listing every problem."""
    workbook = _open(data)
    try:
        sheet = _sheet(workbook, FORECAST_SHEET, only_sheet_ok=False)
        return _read_forecast_rows(_rows(sheet), sheet.title)
    finally:
        workbook.close()


def _read_forecast_rows(rows: Iterator[tuple[int, list[Any]]], title: str) -> list[ForecastRow]:
    first = next(rows, None)
    if first is None:
        raise BudgetFileError([f"Bladet «{title}» är tomt."])
    known = {
        "verksamhet": "activity",
        "rad": "line",
        "prognos helår": "amount",
        "prognos": "amount",
        "kommentar": "comment",
    }
    header = _Header(first[0], first[1], known, title)
    for key, name in (("activity", "Verksamhet"), ("amount", "Prognos helår")):
        if key not in header.columns:
            raise BudgetFileError([f"Rad {first[0]}: kolumnen «{name}» saknas i bladet «{title}»."])
    errors: list[str] = []
    result: list[ForecastRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        problems: list[str] = []
        activity = _code(header.cell(cells, "activity"), max_length=40)
        line_text = _text(header.cell(cells, "line")).lower()
        comment = _text(header.cell(cells, "comment"))
        raw = header.cell(cells, "amount")
        if not activity:
            problems.append(f"kolumn {header.names['activity']}: verksamheten saknas")
        elif len(activity) > 40:
            problems.append(f"kolumn {header.names['activity']}: högst 40 tecken")
        line = FORECAST_LINES.get(line_text)
        if line is None:
            choices = "Intäkter, Personalkostnader, Övriga kostnader, Avskrivningar eller tomt"
            problems.append(f"kolumn {header.names['line']}: «{line_text[:30]}» är ingen rad ({choices})")
        if len(comment) > MAX_TEXT:
            problems.append(f"kolumn {header.names['comment']}: högst {MAX_TEXT} tecken")
        amount = None
        if raw is None or _text(raw) == "":
            problems.append(f"kolumn {header.names['amount']}: prognosen saknas")
        else:
            try:
                amount = _amount(raw)
            except NumberError as exc:
                problems.append(f"kolumn {header.names['amount']}: {_number_problem(raw, exc)}")
        earlier = seen.get((activity, line or ""))
        if not problems and earlier:
            problems.append(f"kolumn {header.names['activity']}: samma verksamhet och rad finns på rad {earlier}")
        if problems:
            errors.extend(f"Rad {number}, {p}." for p in problems)
            if len(errors) >= MAX_ERRORS:
                raise BudgetFileError([*errors, f"(Fler än {MAX_ERRORS} fel; rätta dessa först.)"])
            continue
        assert amount is not None and line is not None
        seen[(activity, line)] = number
        result.append(ForecastRow(number, activity, line, amount, comment))
    if errors:
        raise BudgetFileError(errors)
    return result
