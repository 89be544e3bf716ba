"""The budget template (XLSX): empty, with the federation's activities and accounts, or an
existing budget written back out so it can be edited and imported again (a round trip).

Sheets: «Budget» (Verksamhet, Konto, Benämning, Helår, Jan … Dec), «Prognos» (Verksamhet,
Benämning, Rad, Prognos helår, Kommentar) and «Anvisning» (how to fill them in). Amounts are
kronor with the report's sign (income positive, costs negative), as
`importers.budget_xlsx` reads them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

# The template's format, read back by importers.budget_xlsx.
BUDGET_SHEET = "Budget"
FORECAST_SHEET = "Prognos"
YEAR_COLUMN = "Helår"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec")
AMOUNT_FORMAT = "#,##0.00;-#,##0.00"
BOLD = Font(bold=True)


@dataclass(frozen=True)
class TemplateRow:
    activity: str
    account: str
    name: str
    months: Sequence[Decimal] | None  # kronor, report sign; None = an empty row to fill in


@dataclass(frozen=True)
class ForecastTemplateRow:
    activity: str
    name: str
    line: str  # the Swedish name of the line, "" = net result
    amount: Decimal | None
    comment: str


def _instructions() -> list[str]:
    return [
        _("Så fyller du i budgetmallen"),
        "",
        _("Bladet Budget: en rad per verksamhet och konto (eller kontogrupp, t.ex. 50)."),
        _("Belopp i kronor som i en rapport: intäkter positiva, kostnader negativa."),
        _("Skriv antingen Helår (fördelas jämnt på årets tolv månader) eller beloppen per månad."),
        _("Står båda måste månaderna summera till Helår."),
        _("En rad utan belopp blir ingen budget; ta bort rader som inte behövs."),
        _("Kolumnen Benämning läses inte in."),
        "",
        _("Bladet Prognos: prognos för helåret per verksamhet vid en uppföljning (T1, T2, helår)."),
        _("Rad: tom (verksamhetens resultat) eller Intäkter, Personalkostnader, Övriga kostnader, Avskrivningar."),
    ]


def render(
    *,
    rows: Iterable[TemplateRow],
    forecasts: Iterable[ForecastTemplateRow] = (),
    title: str = "",
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = BUDGET_SHEET
    sheet.append(["Verksamhet", "Konto", "Benämning", YEAR_COLUMN, *MONTHS])
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        if row.months is None:
            sheet.append([row.activity, row.account, row.name])
            continue
        months = [Decimal(m) for m in row.months]
        sheet.append([row.activity, row.account, row.name, sum(months, Decimal(0)), *months])
        for cell in sheet[sheet.max_row][3:]:
            cell.number_format = AMOUNT_FORMAT
    _widths(sheet, [12, 10, 32] + [14] * 13)
    sheet.freeze_panes = "D2"

    prognos = workbook.create_sheet(FORECAST_SHEET)
    prognos.append(["Verksamhet", "Benämning", "Rad", "Prognos helår", "Kommentar"])
    for cell in prognos[1]:
        cell.font = BOLD
    for forecast in forecasts:
        prognos.append([forecast.activity, forecast.name, forecast.line, forecast.amount, forecast.comment])
        prognos.cell(row=prognos.max_row, column=4).number_format = AMOUNT_FORMAT
    _widths(prognos, [12, 32, 20, 16, 60])

    help_sheet = workbook.create_sheet(_("Anvisning"))
    if title:
        help_sheet.append([title])
    for line in _instructions():
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def empty_rows(activities: Mapping[str, str], accounts: Iterable[tuple[str, str]]) -> list[TemplateRow]:
    """One row per activity and account (accounts alone when no activity is known)."""
    accounts = list(accounts)
    codes = list(activities) or [""]
    return [TemplateRow(code, number, name, None) for code in codes for number, name in accounts]
