"""What every list page shares: sortable columns, a period filter and the XLSX export.

One rule in one place: a list declares its sortable columns once (query value → database
fields), and the page's header links, the ORDER BY and the export all read that declaration,
so a column cannot be sortable on the page but not in the file, or sorted by a field nobody
chose. Unknown sort values are ignored with a message, never passed to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

SORT_PARAM = "ordning"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own codes: the reader's locale shows them as "1 234,50" and "2025-03-31".
MONEY_FORMAT = "#,##0.00"
NUMBER_FORMAT = "#,##0.####"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# A file is read into memory before it is sent: more rows than this is refused, not truncated.
XLSX_MAX_ROWS = 20_000


@dataclass(frozen=True)
class SortColumn:
    """A sortable column: its query value (`?ordning=nummer`), header text and ascending fields."""

    key: str
    label: str
    fields: tuple[str, ...]


class Sorting:
    """The list's order from `?ordning=<key>` or `-<key>` (descending), limited to `columns`."""

    def __init__(
        self, request, columns: Sequence[SortColumn], default: str, *, tiebreak: str = "pk", fixed: bool = False
    ) -> None:
        """`fixed`: the list can only be read in its default order (headers are then plain text)."""
        self._request = request
        self.columns = {column.key: column for column in columns}
        self.fixed = fixed
        raw = "" if fixed else request.GET.get(SORT_PARAM, "").strip()
        key, descending = raw.removeprefix("-"), raw.startswith("-")
        if key not in self.columns:
            if raw:
                messages.warning(request, _("Okänd sortering; listan visas i standardordning."))
            key, descending = default.removeprefix("-"), default.startswith("-")
        self.key, self.descending = key, descending
        self._tiebreak = tiebreak

    def order_by(self) -> list[str]:
        """ORDER BY fields: the chosen column, then the tie-breaker in the same direction (stable pages)."""
        sign = "-" if self.descending else ""
        fields = [*self.columns[self.key].fields, self._tiebreak]
        return [f"{sign}{field}" for field in dict.fromkeys(fields)]

    def options(self) -> list[dict]:
        """Every order as a choice for the filter form (on a phone the headers are not shown)."""
        choices = []
        for key, column in self.columns.items():
            for descending in (False, True):
                choices.append(
                    {
                        "value": f"-{key}" if descending else key,
                        "label": _("%(column)s, fallande") % {"column": column.label}
                        if descending
                        else _("%(column)s, stigande") % {"column": column.label},
                        "selected": key == self.key and descending == self.descending,
                    }
                )
        return choices

    def header(self, key: str) -> dict:
        """Label, link, aria-sort and arrow of one column's header; the link keeps the other filters."""
        column = self.columns[key]
        if self.fixed:
            return {"label": column.label, "url": "", "aria_sort": "", "arrow": ""}
        query = self._request.GET.copy()
        for name in ("sida", "format"):
            query.pop(name, None)
        active = key == self.key
        query[SORT_PARAM] = f"-{key}" if active and not self.descending else key
        return {
            "label": column.label,
            "url": f"?{query.urlencode()}",
            "aria_sort": ("descending" if self.descending else "ascending") if active else "",
            "arrow": ("▼" if self.descending else "▲") if active else "↕",
        }


@dataclass(frozen=True)
class Period:
    """A from/to date filter (`?fran=` / `?till=`, both inclusive, either optional)."""

    start: date | None
    end: date | None

    def filter(self, queryset, field: str):
        """Rows whose date field lies in the period."""
        if self.start:
            queryset = queryset.filter(**{f"{field}__gte": self.start})
        if self.end:
            queryset = queryset.filter(**{f"{field}__lte": self.end})
        return queryset

    def filter_moments(self, queryset, field: str):
        """Rows whose datetime falls on a local day of the period, as a plain range on the column
        (an index on it still serves; `field__date` would compute a date per row)."""
        if self.start:
            queryset = queryset.filter(**{f"{field}__gte": _midnight(self.start)})
        if self.end:
            queryset = queryset.filter(**{f"{field}__lt": _midnight(self.end + timedelta(days=1))})
        return queryset


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day(text: str) -> date | None:
    try:
        return parse_date(text.strip()) if text else None
    except ValueError:  # "2025-02-30": well-formed, not a date
        return None


def period_from(request, *, warn: bool = True) -> Period:
    """The period asked for; a date that does not parse is left out (with a message if `warn`)."""
    start, end = _day(request.GET.get("fran", "")), _day(request.GET.get("till", ""))
    bad = (request.GET.get("fran") and start is None) or (request.GET.get("till") and end is None)
    if warn and bad:
        messages.warning(request, _("Datum skrivs ÅÅÅÅ-MM-DD; ett ogiltigt datum har inte använts."))
    return Period(start, end)


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def xlsx_query(request, fmt: str = "xlsx") -> str:
    """The page's own query for its "Hämta som Excel" link (or another `format`): same filters
    and order, no page number."""
    query = request.GET.copy()
    query.pop("sida", None)
    query["format"] = fmt
    return query.urlencode()


@dataclass(frozen=True)
class XlsxColumn:
    """A column of an export: header and kind (text, money, number, date or datetime)."""

    label: str
    kind: str = "text"
    width: int = 14


_FORMATS = {"money": MONEY_FORMAT, "number": NUMBER_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT}


def _cell_value(value, kind: str):
    """A value as Excel stores it: numbers as numbers, datetimes in local time without zone."""
    if value is None or value == "":
        return None
    if kind == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if kind in ("money", "number") and isinstance(value, Decimal):
        return value  # openpyxl writes a Decimal as a number cell
    return value if kind != "text" else str(value)


def export_rows(queryset) -> list:
    """The rows of an export, one more than the limit so that refuse_large_export can tell."""
    return list(queryset[: XLSX_MAX_ROWS + 1])


def xlsx_export(
    request,
    queryset,
    *,
    title: str,
    filename: str,
    columns: Sequence[XlsxColumn],
    rows: Callable[[list], Iterable[Sequence]],
) -> HttpResponse:
    """A list's whole selection as one sheet, or back to the list with a message when it holds
    more than the limit; ``rows`` turns the fetched objects into the sheet's rows."""
    found = export_rows(queryset)
    return refuse_large_export(request, found) or xlsx_response(
        title=title, filename=filename, columns=columns, rows=rows(found)
    )


def refuse_large_export(request, rows: list) -> HttpResponseRedirect | None:
    """Back to the list with a message when `rows` (from export_rows) holds more than the limit."""
    limit = XLSX_MAX_ROWS
    if len(rows) <= limit:
        return None
    messages.error(
        request,
        _("Urvalet har fler än %(limit)s rader och kan inte hämtas som Excel. Begränsa det med filtren.")
        % {"limit": f"{limit:,}".replace(",", "\u00a0")},
    )
    query = request.GET.copy()
    query.pop("format", None)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


def xlsx_response(
    *, title: str, filename: str, columns: Sequence[XlsxColumn], rows: Iterable[Sequence]
) -> HttpResponse:
    """One sheet: a bold, frozen header row and typed cells (Excel sorts and sums them)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit for a sheet name
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=_cell_value(value, column.kind))
            if column.kind in _FORMATS:
                cell.number_format = _FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
