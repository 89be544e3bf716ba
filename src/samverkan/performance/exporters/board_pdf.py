"""The board's start page as an A4 PDF for a meeting's documents (WeasyPrint, same data and the
same card template as the page)."""

from __future__ import annotations

from django.template.loader import render_to_string


def render(board, *, title: str) -> bytes:
    from weasyprint import HTML  # heavy; loaded only when a PDF is asked for

    html = render_to_string("performance/board_pdf.html", {"board": board, "title": title, "pdf": True})
    return bytes(HTML(string=html).write_pdf())
