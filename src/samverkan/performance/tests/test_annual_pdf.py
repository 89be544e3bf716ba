"""The annual report as a PDF: accessible HTML (language, title, headings in order, tables with
captions and header cells) and a tagged PDF/UA document. Neither pypdf nor pdfminer is installed
in the venv, so the text is compared on the HTML the PDF is drawn from, and the PDF itself is
checked for its structure tree, language and title."""

from __future__ import annotations

import itertools
import re
import zlib
from datetime import date

import pytest
from django.urls import reverse

from samverkan.finance.tests.test_statements_selectors import make_year
from samverkan.finance.tests.test_statements_usecases import (
    CLOSING_2022,
    OPENING_2022,
    OPENING_2023,
    VOUCHERS_2023,
)
from samverkan.governance.models import Body, BodyKind, Office, Seat
from samverkan.performance.exporters import annual_pdf
from samverkan.performance.selectors import annual as selectors
from samverkan.performance.services import annual as services

NBSP = "\u00a0"


@pytest.fixture
def document(world):
    economist = world.users["economist"]
    make_year(world.federation, economist, 2022, opening=OPENING_2022, closing=CLOSING_2022)
    make_year(world.federation, economist, 2023, opening=OPENING_2023, vouchers=VOUCHERS_2023)
    body = Body.objects.create(federation=world.federation, name="Direktionen", kind=BodyKind.BOARD)
    Seat.objects.create(body=body, person_name="Anna Ordförande", office=Office.CHAIR, start=date(2023, 1, 1))
    report = services.report_create(acting_user=economist, federation=world.federation, year=2023)
    section = report.sections.get(key="financial_analysis")
    services.section_update(
        acting_user=economist, section=section, text="Årets resultat blev ett överskott med {result}."
    )
    return selectors.assemble(economist, report)


def _pdf_streams(pdf: bytes) -> bytes:
    """The PDF with its Flate streams inflated, to look for structure entries."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_html_is_accessible_and_agrees_with_the_statements(document):
    html = annual_pdf.html(document)
    assert '<html lang="sv">' in html
    assert "<title>Årsredovisning 2023 – Testförbundet</title>" in html
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no skipped level
    assert html.count("<table") == html.count("<caption>") > 0
    assert '<th scope="col"' in html
    # the figure in the text and the income statement's "Årets resultat" are the same number
    assert f"överskott med 1{NBSP}376{NBSP}000{NBSP}kr" in html
    assert re.search(r"Årets resultat.*?1\s?376\s?000", html.replace(NBSP, " "), re.S)
    for heading in (
        "Inledning",
        "Organisation",
        "Måluppfyllelse",
        "Personalstatistik",
        "Balanskravsresultat",
        "Finansiella rapporter",
        "Noter",
        "Underskrifter",
    ):
        assert f">{heading}</h2>" in html, heading
    assert "Anna Ordförande" in html


def test_pdf_download_is_tagged_with_language_and_title(world, document):
    url = reverse("performance:annual_pdf", args=[document.report.pk])
    assert world.client("member_contact").get(url).status_code == 403  # not published
    response = world.client("board").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    body = _pdf_streams(pdf)
    assert b"/StructTreeRoot" in body and b"/MarkInfo" in body
    assert b"/Lang" in body
    assert b"pdfuaid" in body  # the PDF/UA identification in the XMP metadata
    assert annual_pdf.PDF_OPTIONS == {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
