"""The board's start page as an A4 PDF for a meeting's documents (same data and the same card
template as the page), tagged with its document language like the annual report."""

from __future__ import annotations

from django.template.loader import render_to_string

from samverkan.performance.exporters.accessible_pdf import write_pdf


def render(board, *, title: str) -> bytes:
    html = render_to_string("performance/board_pdf.html", {"board": board, "title": title, "pdf": True})
    return write_pdf(html)
