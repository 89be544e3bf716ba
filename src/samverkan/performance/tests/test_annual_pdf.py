"""The annual report as a PDF: accessible HTML (language, title, headings in order, tables with
captions and header cells) and a tagged PDF/UA document, its catalog read with pypdf (structure
tree, language, PDF/UA identification). The text of the demo's PDF is compared with seed 002 in
test_annual_pdf_seed_002.py."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

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
    intro = report.sections.get(key="introduction")
    services.section_update(acting_user=economist, section=intro, text="Förbundet bildades 2019.")
    return selectors.assemble(economist, report)


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
    # a section without text is left out of the PDF rather than printed as a bare heading
    assert ">Händelser av väsentlig betydelse</h2>" not in html


def test_pdf_download_is_tagged_with_language_and_title(world, document):
    url = reverse("performance:annual_pdf", args=[document.report.pk])
    assert world.client("member_contact").get(url).status_code == 403  # not published
    response = world.client("board").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pdf = PdfReader(io.BytesIO(response.content))
    catalog = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "sv"
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # PDF/UA identification (XMP)
    assert pdf.metadata.title == "Årsredovisning 2023 – Testförbundet"
    assert annual_pdf.PDF_OPTIONS == {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
