"""A ReportTable (or several, one sheet each) as XLSX: figures as numbers in the print unit,
so Excel can sum them, totals bold, title and unit above."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from samverkan.domain.report_table import ReportTable, Unit, printed
from samverkan.finance.exporters.report_text import unit_text

_BAD_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def _sheet_name(title: str, used: set[str]) -> str:
    base = (title.translate(_BAD_SHEET_CHARS) or "Rapport")[:28]
    name, n = base, 2
    while name in used:
        name, n = f"{base} {n}", n + 1
    used.add(name)
    return name


def _fill(sheet, table: ReportTable) -> None:
    number_format = "# ##0.0" if table.unit is Unit.MILLIONS else "# ##0"
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    if table.subtitle:
        sheet.append([table.subtitle])
    sheet.append([unit_text(table.unit)])
    sheet.append([])
    sheet.append(["", "", *table.columns])
    for header in sheet[sheet.max_row]:
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="right")
    for row in table.rows:
        values: list[Decimal | str | None] = [printed(v, table.unit) if v is not None else None for v in row.values]
        sheet.append([row.label, row.note, *values])
        for cell in sheet[sheet.max_row]:
            if row.level:
                cell.font = Font(bold=True)
            if isinstance(cell.value, Decimal):
                cell.number_format = number_format
    if table.notes or table.warnings:
        sheet.append([])
    for note in table.notes:
        sheet.append([note])
    for warning in table.warnings:
        sheet.append([warning])
        sheet[f"A{sheet.max_row}"].font = Font(bold=True, color="9C0006")
    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["B"].width = 8
    for letter in "CDEFGH"[: len(table.columns)]:
        sheet.column_dimensions[letter].width = 14


def render(table: ReportTable | list[ReportTable] | tuple[ReportTable, ...]) -> bytes:
    tables = [table] if isinstance(table, ReportTable) else list(table)
    book = Workbook()
    used: set[str] = set()
    for index, item in enumerate(tables):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = _sheet_name(item.title, used)
        _fill(sheet, item)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
