"""The report exporters every finance report uses: text (CLI), XLSX and PDF from a ReportTable."""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from openpyxl import load_workbook

from samverkan.domain.report_table import ReportRow, ReportTable, Unit
from samverkan.finance.exporters import report_pdf, report_text, report_xlsx

TABLE = ReportTable(
    title="Driftredovisning",
    columns=("Budget 2023", "Utfall 2023"),
    rows=(
        ReportRow("income", "Intäkter", (Decimal("34751400"), Decimal("36207499.50")), note="Not 1"),
        ReportRow("costs", "Kostnader", (Decimal("-33939000"), None)),
        ReportRow("total", "TOTALT", (Decimal("812400"), Decimal("1376000")), level=2),
    ),
    unit=Unit.THOUSANDS,
    notes=("Avvikelse = budget − utfall.",),
    warnings=("Balansräkningen balanserar inte.",),
    subtitle="Lystkom 2023",
)


def test_text_columns_are_aligned_in_the_print_unit():
    text = report_text.render(TABLE)
    lines = text.splitlines()
    assert lines[:3] == ["Driftredovisning", "Lystkom 2023", "(Belopp i tkr)"]
    header, income, costs = lines[3], lines[4], lines[5]
    assert header.endswith("Budget 2023  Utfall 2023")
    assert income.endswith("34 751       36 207") and "Not 1" in income  # 36 207,4995 → 36 207
    assert costs.rstrip().endswith("-33 939")
    assert len(header) == len(income)
    assert "Avvikelse = budget − utfall." in lines
    assert lines[-2:] == ["Varningar:", "- Balansräkningen balanserar inte."]


def test_text_in_millions_has_one_decimal_and_several_tables_follow_each_other():
    millions = ReportTable(
        title="T1", columns=("Utfall",), rows=(ReportRow("a", "A", (Decimal("20449999"),)),), unit=Unit.MILLIONS
    )
    text = report_text.render([millions, millions])
    assert text.count("20,4") == 2 and text.count("T1") == 2


def test_xlsx_numbers_bold_totals_title_and_unit():
    sheet = load_workbook(io.BytesIO(report_xlsx.render(TABLE))).active
    assert sheet.title == "Driftredovisning"
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A3"].value] == [
        "Driftredovisning",
        "Lystkom 2023",
        "Belopp i tkr",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert [cell.value for cell in rows["Intäkter"][1:4]] == ["Not 1", 34751, 36207]
    assert rows["Kostnader"][3].value is None
    assert rows["TOTALT"][2].font.bold and rows["TOTALT"][2].number_format == "# ##0"
    assert "Balansräkningen balanserar inte." in rows


def test_xlsx_one_sheet_per_table_with_distinct_names():
    book = load_workbook(io.BytesIO(report_xlsx.render([TABLE, TABLE])))
    assert book.sheetnames == ["Driftredovisning", "Driftredovisning 2"]


def test_the_table_include_draws_any_report_table():
    html = render_to_string("finance/_report_table.html", {"table": TABLE})
    assert "<caption>Driftredovisning – Lystkom 2023 (belopp i tkr)</caption>" in html
    assert '<th scope="col" class="num">Budget 2023</th>' in html
    assert '<td class="num">34\u00a0751</td>' in html
    assert '<td class="num"><strong>1\u00a0376</strong></td>' in html
    assert 'class="message warning">Balansräkningen balanserar inte.' in html
    assert "Avvikelse = budget − utfall." in html


def test_pdf_is_a_pdf():
    assert report_pdf.render(TABLE).startswith(b"%PDF")
