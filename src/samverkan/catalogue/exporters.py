"""The price list as PDF (WeasyPrint, from a template) and XLSX (openpyxl)."""

from __future__ import annotations

import io
from datetime import date

from django.template.loader import render_to_string

from samverkan.catalogue.selectors import price_list
from samverkan.members.models import Federation


def price_list_pdf(federation: Federation, on: date) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "catalogue/price_list_pdf.html", {"federation": federation, "on": on, "groups": price_list(federation, on)}
    )
    return bytes(HTML(string=html).write_pdf())


def price_list_xlsx(federation: Federation, on: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Prislista"
    sheet.append([f"{federation.name} – prislista", f"gäller {on:%Y-%m-%d}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            "Kategori",
            "Artikelkod",
            "Tjänst",
            "Prisenhet",
            "Pris exkl. moms",
            "Moms",
            "Gäller från",
            "Ansvarigt team",
            "Beskrivning",
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for category, entries in price_list(federation, on):
        for item, price in entries:
            sheet.append(
                [
                    category.name,
                    item.code,
                    item.name,
                    item.get_price_unit_display(),
                    price.unit_price if price else None,
                    price.get_vat_code_display() if price else "",
                    price.valid_from if price else None,
                    item.owner_team,
                    item.description,
                ]
            )
    for cell in sheet["E"][2:]:
        cell.number_format = "#,##0.00"
    for cell in sheet["G"][2:]:
        cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHI", (22, 16, 42, 20, 16, 22, 12, 16, 60), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
