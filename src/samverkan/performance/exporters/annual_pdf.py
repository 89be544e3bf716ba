"""The annual report as an accessible PDF: WeasyPrint from `performance/annual_pdf.html`
(`<html lang="sv">`, a title, headings in order, tables with captions and header cells), written
as a tagged PDF/UA-1 document so screen readers get its structure and language."""

from __future__ import annotations

from django.template.loader import render_to_string

from samverkan.performance.exporters.accessible_pdf import PDF_OPTIONS, write_pdf

__all__ = ["PDF_OPTIONS", "html", "render"]


def html(document) -> str:
    return render_to_string("performance/annual_pdf.html", {"document": document})


def render(document) -> bytes:
    return write_pdf(html(document))
