"""HTML to an accessible PDF with WeasyPrint: tagged (a structure tree for screen readers) PDF/UA-1,
its document language taken from `<html lang>`. Every PDF of performance is written through here so
the annual report and the board's page cannot drift apart in these options."""

from __future__ import annotations

# PDF/UA-1 implies tagging; pdf_tags is set too so the structure tree is there even if a future
# WeasyPrint stops implying it. Both exist in the installed WeasyPrint (checked: 70.0).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy; loaded only when a PDF is asked for

    return bytes(HTML(string=html).write_pdf(**PDF_OPTIONS))
