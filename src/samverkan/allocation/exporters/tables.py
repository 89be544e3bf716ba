"""A run or a comparison as a table, written to CSV (for Swedish Excel) or XLSX.

CSV: UTF-8 with BOM, semicolon separated, decimal comma — what Excel with Swedish settings
opens correctly. XLSX: amounts as numbers with a thousands format, so they can be summed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from samverkan.allocation.models import AllocationRun
from samverkan.domain.money import format_number, to_decimal

if TYPE_CHECKING:  # the exporters sit below the use cases whose results they write
    from samverkan.allocation.usecases import Comparison
from samverkan.members.models import FigureKind

Cell = str | Decimal | int | None


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    total: list[Cell]


def basis_text(basis: dict) -> str:
    """A line's key basis for people: figure kinds by their Swedish label, numbers grouped."""
    parts = []
    for name, value in basis.items():
        label = FigureKind(name).label if name in FigureKind.values else name
        number = to_decimal(value)
        parts.append(f"{label}: {format_number(number, 0 if number == number.to_integral_value() else 2)}")
    return "; ".join(parts)


def run_table(run: AllocationRun) -> Table:
    lines = list(run.lines.select_related("member").order_by("position"))
    rows: list[list[Cell]] = [
        [line.member.name, basis_text(line.basis), line.share * 100, line.fraction, line.amount] for line in lines
    ]
    total = sum((line.amount for line in lines), Decimal(0))
    return Table(
        title=run.display_name,
        header=[_("Medlem"), _("Underlag"), _("Andel (%)"), _("Del av perioden"), _("Belopp (kr)")],
        rows=rows,
        total=[_("Summa"), "", Decimal(100), "", total],
    )


def comparison_table(comparison: Comparison) -> Table:
    rows: list[list[Cell]] = [[r.member, r.first, r.second, r.difference] for r in comparison.rows]
    return Table(
        title=_("%(second)s jämfört med %(first)s")
        % {"first": comparison.first.display_name, "second": comparison.second.display_name},
        header=[_("Medlem"), comparison.first.display_name, comparison.second.display_name, _("Skillnad (kr)")],
        rows=rows,
        total=[_("Summa"), comparison.first_total, comparison.second_total, comparison.difference_total],
    )


def _swedish(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral() else value, "f").replace(".", ",")
    return str(value)


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.header)
    for row in [*table.rows, table.total]:
        writer.writerow([_swedish(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31].replace("/", "-") or "Fördelning"
    sheet.append(table.header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in [*table.rows, table.total]:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "# ##0" if cell.value == cell.value.to_integral() else "# ##0.00########"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (28, 36, 14, 16, 16), strict=False):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
