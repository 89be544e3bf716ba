"""Seed 001 reproduced: LYST's minutes of October 2013 (§§ Lyst 50–58 with their Dnr, the
adjusters, the "sänds till" lists, others present at "51-52"), locked and printed as PDF."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from samverkan.governance.exporters.minutes_pdf import adjuster_name, minutes_context, minutes_pdf
from samverkan.governance.models import AttendanceKind
from samverkan.governance.services import minutes as services
from samverkan.governance.tests.test_minutes_services import add_case, approve_all, make_minutes

pytestmark = pytest.mark.django_db

SEED_001 = [  # (Dnr, title, sänds till)
    (None, "Dagens ärenden", []),
    ("2013-03", "Aktuell information", []),
    ("2013-16", "Resepolicy och riktlinjer", ["Lycksele kommun", "Storumans kommun"]),
    (
        "2013-12",
        "Samverkan om e-tjänster",
        ["Förvaltningar, Lycksele kommun", "Förvaltningar, Storumans kommun", "Åsele kommun"],
    ),
    (
        "2013-22",
        "Gemensam IT-organisation",
        ["IT-samordnare, Lycksele", "Verksamhetsutvecklare IT, Storuman", "Åsele kommun"],
    ),
    (
        "2013-23",
        "Minskad konsumentvägledning 2014",
        ["Konsumentvägledare, Storuman", "Kanslichef, Storuman", "Kommunchef, Lycksele"],
    ),
    ("2013-24", "Verksamhetsplan 2014", ["Verksamhetschef kundtjänst"]),
    ("2013-25", "Sammanträdesplan 2014", ["Lycksele kommun", "Storumans kommun", "Åsele kommun"]),
    (
        None,
        "Avtal för scanning-tjänster",
        ["Kommunstyrelsen, Storuman", "Enhetschef kundtjänst", "Ekonomichef, Lycksele"],
    ),
]
AGENDA_CHANGES = (
    "Föredragninglistan kompletteras med information Landslyst och ärende avtal för scanningtjänster. "
    "Ärende, meddelande utgår."
)
PRESENT = [
    ("Tomas Mörtsell", "C", AttendanceKind.MEMBER, ""),
    ("Lilly Bäcklund", "S", AttendanceKind.MEMBER, ""),
    ("Karin Malmfjord", "S", AttendanceKind.MEMBER, ""),
    ("Christer Rönnlund", "M", AttendanceKind.MEMBER, ""),
    ("Gunilla Johansson", "S", AttendanceKind.SERVING_SUBSTITUTE, ""),
    ("Marie Ahlqvist", "enhetschef kundtjänst", AttendanceKind.OTHER, ""),
    ("Erika Arklöf", "energi och klimat projektledare Storuman", AttendanceKind.OTHER, "51-52"),
    ("Pierre Sandström", "IT-samordnare Lycksele", AttendanceKind.OTHER, "53-54"),
    ("Marlene Holgersson", "verksamhetsutvecklare IT Storuman", AttendanceKind.OTHER, "53-54"),
]


@pytest.fixture
def lyst(world):
    sec = world.users["secretary"]
    sec.first_name, sec.last_name = "Marie", "Ahlqvist"
    sec.save()
    world.users["board"].first_name, world.users["board"].last_name = "Tomas", "Mörtsell"
    world.users["board"].save()
    minutes = make_minutes(world)
    adjuster = world.extra["board2"]
    adjuster.first_name, adjuster.last_name = "Lilly", "Bäcklund"
    adjuster.save()
    services.minutes_update(
        acting_user=sec,
        minutes=minutes,
        data={"agenda_changes": AGENDA_CHANGES},
    )
    for name, title, kind, span in PRESENT:
        services.attendance_add(acting_user=sec, minutes=minutes, name=name, title=title, kind=kind, paragraphs=span)
    for dnr, title, dispatch in SEED_001:
        case = add_case(world, dnr, title) if dnr else None
        services.paragraph_add(
            acting_user=sec,
            minutes=minutes,
            title=title,
            case=case,
            decision="Nämnden tar del av informationen.",
            dispatch_to="\n".join(dispatch),
        )
    return approve_all(world, minutes, posted_on=date(2013, 10, 30))


def test_the_minutes_hold_seed_001(lyst):
    context = minutes_context(lyst)
    labels = [(item["label"], item["p"].case.number if item["p"].case else None) for item in context["paragraphs"]]
    assert labels == [(f"Lyst {50 + i}", dnr) for i, (dnr, _t, _d) in enumerate(SEED_001)]
    assert context["paragraph_span"] == "50–58"
    assert [adjuster_name(a) for a in context["adjusters"]] == ["Lilly Bäcklund"]
    assert [a.paragraphs for a in context["others"]] == ["", "51-52", "53-54", "53-54"]
    html = render_to_string("governance/minutes_pdf.html", {**context, "adjuster_names": ["Lilly Bäcklund"]})
    for text in ("Plats och tid", "Lycksele rådrummet", "§ 51-52", "Justerare", "Sekreterare", "Ordförande",
                 "ANSLAG/BEVIS", "2013-10-30", "2013-11-20", "Kommunkansliet", "Lyst 58", "Dnr 2013-25",
                 "Beslutet sänds till", "Verksamhetsutvecklare IT, Storuman", "Marie Ahlqvist"):  # fmt: skip
        assert text in html, text


def test_the_pdf_has_a_first_page_and_one_page_per_paragraph(lyst):
    from weasyprint import HTML

    context = minutes_context(lyst)
    html = render_to_string("governance/minutes_pdf.html", {**context, "adjuster_names": ["Lilly Bäcklund"]})
    document = HTML(string=html).render()
    assert len(document.pages) >= 1 + len(SEED_001)
    assert minutes_pdf(lyst).startswith(b"%PDF")


def test_cli_minutes_pdf(lyst, tmp_path, world):
    out = tmp_path / "lyst.pdf"
    call_command("governance", "minutes-pdf", str(lyst.meeting_id), "-o", str(out), stdout=StringIO())
    assert out.read_bytes().startswith(b"%PDF")
