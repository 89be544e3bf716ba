"""The board's start page, its PDF and its API: cards for bound indicators with a sparkline,
the latest follow-up, upcoming meetings and adjusted minutes; who may read it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samverkan.finance.tests.test_followup_usecase import make_books
from samverkan.governance.models import Body, BodyKind, Meeting, Minutes, Seat, SeatKind
from samverkan.performance.models import (
    Direction,
    Goal,
    GoalArea,
    Indicator,
    IndicatorSource,
    ManualValue,
    SurveyArea,
    SurveyResult,
    Target,
)
from samverkan.testing import assert_roles

READERS = {"admin", "economist", "board", "secretary"}


@pytest.fixture
def board_world(world):
    fed = world.federation
    area = GoalArea.objects.create(federation=fed, name="Uppdrag")
    goal = Goal.objects.create(area=area, text="Nöjda kunder", first_year=2022, last_year=2024)
    survey = SurveyArea.objects.create(federation=fed, name="IT")
    for year, value in ((2021, "7.1"), (2022, "6.6"), (2023, "7.5")):
        SurveyResult.objects.create(area=survey, year=year, value=Decimal(value))
    nki = Indicator.objects.create(
        goal=goal, name="NKI IT", unit="NKI", source=IndicatorSource.NKI_SURVEY, parameters={"area": survey.pk}
    )
    Target.objects.create(indicator=nki, year=2023, direction=Direction.HIGHER_THAN_LAST_YEAR)
    manual = Indicator.objects.create(goal=goal, name="Handräknat", source=IndicatorSource.MANUAL)
    ManualValue.objects.create(
        indicator=manual, year=2023, value=Decimal(3), source="X", entered_by=world.users["economist"]
    )
    body = Body.objects.create(federation=fed, name="Direktionen", kind=BodyKind.JOINT_COMMITTEE)
    Seat.objects.create(
        body=body, person_name="Ledamot", user=world.users["board"], kind=SeatKind.MEMBER, start=date(2020, 1, 1)
    )
    Meeting.objects.create(body=body, date=date.today() + timedelta(days=10), place="Lycksele")
    held = Meeting.objects.create(body=body, date=date(2023, 12, 1))
    Minutes.objects.create(
        meeting=held, secretary=world.users["secretary"], chair_name="Ordf", locked_at=timezone.now()
    )
    make_books(world)
    return world


def test_page_shows_cards_followup_meetings_minutes(board_world):
    assert_roles(board_world, "get", "/mal/", READERS)
    page = board_world.client("board").get("/mal/").content.decode()
    assert "NKI IT" in page and "Handräknat" not in page  # bound indicators only
    assert "högre än föregående år" in page
    assert "målet nås" in page and "målet nås inte" not in page  # 7,5 > 6,6
    assert "7,5" in page and "6,6" in page  # current figure and the history table
    assert '<svg role="img"' in page and "<title" in page
    assert "Driftuppföljning" in page and "Kundtjänst" in page
    assert "Lycksele" in page  # the upcoming meeting
    assert "Senast justerade protokoll" in page and "justerat" in page
    secretary = board_world.client("secretary").get("/mal/").content.decode()
    assert "visas för styrelsen, ekonomer och administratörer" in secretary  # no finance reports


def test_other_federation_sees_none_of_it(board_world):
    page = board_world.client("outsider").get("/mal/").content.decode()
    assert "NKI IT" not in page and "Direktionen" not in page
    assert board_world.client("outsider").get("/mal/?forbund=testforbund").status_code == 404


def test_pdf(board_world):
    response = board_world.client("board").get("/mal/?format=pdf&ar=2023")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # tagged, with a document language, like the annual report (exporters/accessible_pdf.py)
    import io

    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(response.content))
    catalog = pdf.trailer["/Root"]
    assert catalog["/Lang"] == "sv" and "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Styrelsens uppföljning" in text and "NKI IT" in text


def test_api(board_world):
    assert_roles(board_world, "get", "/api/v1/performance/board/", READERS, api=True)
    data = board_world.api("economist").get("/api/v1/performance/board/?year=2023").json()
    card = data["cards"][0]
    assert card["name"] == "NKI IT" and Decimal(card["value"]) == Decimal("7.5")
    assert card["sparkline"].startswith("M")
    assert [p["year"] for p in card["history"]] == [2020, 2021, 2022, 2023]
    assert data["followup"]["year"] == 2023
    assert data["meetings"] and data["minutes"]
    assert board_world.api("economist").get("/api/v1/performance/board/?year=abc").status_code == 400
