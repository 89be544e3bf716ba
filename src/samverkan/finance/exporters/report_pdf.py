"""A ReportTable (or several) as an A4 PDF in Swedish, drawn by WeasyPrint from
`finance/report_pdf.html`, which uses the same table include as the pages."""

from __future__ import annotations

from django.template.loader import render_to_string

from samverkan.domain.report_table import ReportTable


def render(table: ReportTable | list[ReportTable] | tuple[ReportTable, ...]) -> bytes:
    from weasyprint import HTML  # heavy; loaded only when a PDF is asked for

    tables = [table] if isinstance(table, ReportTable) else list(table)
    html = render_to_string("finance/report_pdf.html", {"tables": tables, "title": tables[0].title if tables else ""})
    return bytes(HTML(string=html).write_pdf())
