"""The annual report as an accessible PDF: WeasyPrint from `performance/annual_pdf.html`
(`<html lang="sv">`, a title, headings in order, tables with captions and header cells), written
as a tagged PDF/UA-1 document so screen readers get its structure and language."""

from __future__ import annotations

from django.template.loader import render_to_string

# PDF/UA-1 implies tagging; pdf_tags is set too so the structure tree is there even if a future
# WeasyPrint stops implying it. Both exist in the installed WeasyPrint (checked: 70.0).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def html(document) -> str:
    return render_to_string("performance/annual_pdf.html", {"document": document})


def render(document) -> bytes:
    from weasyprint import HTML  # heavy; loaded only when a PDF is asked for

    return bytes(HTML(string=html(document)).write_pdf(**PDF_OPTIONS))
