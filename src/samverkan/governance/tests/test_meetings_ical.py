"""The iCalendar writer: RFC 5545 line ends, folding, escaping, one VEVENT per meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.governance.exporters.ical import escape_text, fold, meeting_plan_ics
from samverkan.governance.models import Body, Meeting, MeetingStatus


def _plan_2014() -> list[Meeting]:
    """Seed 001 § 57: LYST's meeting plan for 2014 (unsaved rows are enough for the writer)."""
    body = Body(pk=1, name="Samverkansnämnden LYST")
    topics = [
        (date(2014, 2, 3), "Verksamhetsberättelse 2013"),
        (date(2014, 3, 24), "Investeringsbudget 2011-2014 + 2015-2018\nVerksamhetsförändringar"),
        (date(2014, 5, 12), "Ekonomiprognos per 30 april"),
        (date(2014, 9, 15), "Verksamhetsberättelse per 30 augusti\nDelårsrapport per 30 augusti med prognos 2014"),
        (date(2014, 11, 10), "Investeringsbudget 2015-2018\nVerksamhetsplan 2015\nBudget på programnivå 2015"),
    ]
    return [
        Meeting(pk=n, body=body, date=day, topics=text, start_time=time(10) if n == 1 else None, end_time=None)
        for n, (day, text) in enumerate(topics, start=1)
    ]


def test_seed_001_plan_as_calendar():
    data = meeting_plan_ics(
        _plan_2014(), name="Sammanträdesplan 2014", host="x.se", now=datetime(2013, 10, 21, tzinfo=UTC)
    )
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    assert text.count("BEGIN:VEVENT") == 5
    assert "DTSTART;TZID=Europe/Stockholm:20140203T100000" in text
    assert "DTSTART;VALUE=DATE:20140324\r\nDTEND;VALUE=DATE:20140325" in text
    assert "UID:governance-meeting-2@x.se" in text and "DTSTAMP:20131021T000000Z" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm" in text
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:Investeringsbudget 2015-2018\\nVerksamhetsplan 2015\\nBudget på programnivå 2015" in unfolded
    for line in data.split(b"\r\n"):
        assert len(line) <= 75


def test_cancelled_meeting():
    meeting = _plan_2014()[0]
    meeting.status = MeetingStatus.CANCELLED
    text = meeting_plan_ics([meeting], name="x").decode()
    assert "STATUS:CANCELLED" in text and "(inställt)" in text


@pytest.mark.parametrize(
    ("raw", "escaped"), [("a,b;c", "a\\,b\\;c"), ("x\\y", "x\\\\y"), ("rad 1\r\nrad 2\nrad 3", "rad 1\\nrad 2\\nrad 3")]
)
def test_escape(raw, escaped):
    assert escape_text(raw) == escaped


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=400))
def test_fold_is_reversible_and_short(value):
    line = "DESCRIPTION:" + value
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    for piece in folded.split("\r\n"):
        assert len(piece.encode("utf-8")) <= 75
