"""Seed 001 as demo data: LYST's October 2013 minutes, §§ Lyst 50–58, built through the services."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from samverkan.governance import demo
from samverkan.governance.models import AdjusterRole, AttendanceKind, Body, MeetingStatus, NoticePosting
from samverkan.governance.services import minutes as minutes_services
from samverkan.members import demo as members_demo

DNR = {
    50: None,
    51: "2013-03",
    52: "2013-16",
    53: "2013-12",
    54: "2013-22",
    55: "2013-23",
    56: "2013-24",
    57: "2013-25",
    58: None,
}
DISPATCH = {
    50: [],
    51: [],
    52: ["Lycksele kommun", "Storumans kommun"],
    53: ["Förvaltningar, Lycksele kommun", "Förvaltningar, Storumans kommun", "Åsele kommun"],
    54: ["IT-samordnare, Lycksele", "Verksamhetsutvecklare IT, Storuman", "Åsele kommun"],
    55: ["Konsumentvägledare, Storuman", "Kanslichef, Storuman", "Kommunchef, Lycksele"],
    56: ["Verksamhetschef kundtjänst"],
    57: ["Lycksele kommun", "Storumans kommun", "Åsele kommun"],
    58: ["Kommunstyrelsen, Storuman", "Enhetschef kundtjänst", "Ekonomichef, Lycksele"],
}
PLAN_2014 = [date(2014, 2, 3), date(2014, 3, 24), date(2014, 5, 12), date(2014, 9, 15), date(2014, 11, 10)]


@pytest.fixture
def lyst(db):
    lystkom = members_demo.build_lystkom()
    body = demo.build_lyst(lystkom)
    assert body is not None
    return body


def _october(body: Body):
    return body.meetings.get(date__year=2013, date__month=10)


def test_meeting_place_time_and_attendance(lyst):
    meeting = _october(lyst)
    assert (meeting.place, meeting.start_time, meeting.end_time) == ("Lycksele rådrummet", time(10), time(12))
    assert lyst.paragraph_prefix == "Lyst"
    rows = {a.name: a for a in meeting.attendance.all()}
    members = {name for name, a in rows.items() if a.kind == AttendanceKind.MEMBER}
    assert members == {"Tomas Mörtsell", "Lilly Bäcklund", "Karin Malmfjord", "Christer Rönnlund", "Gunilla Johansson"}
    assert rows["Tomas Mörtsell"].seat.office == "chair"
    assert rows["Erika Arklöf"].paragraphs == "51-52"
    assert rows["Pierre Sandström"].paragraphs == rows["Marlene Holgersson"].paragraphs == "53-54"
    assert rows["Marie Ahlqvist"].kind == AttendanceKind.OTHER
    assert len(rows) == 14


def test_paragraphs_50_to_58_with_case_numbers_and_dispatch_lists(lyst):
    record = _october(lyst).minutes
    paragraphs = list(record.paragraphs.order_by("number"))
    assert [p.number for p in paragraphs] == list(range(50, 59))
    assert {p.number: (p.case.number if p.case else None) for p in paragraphs} == DNR
    assert {p.number: p.dispatch_to.splitlines() for p in paragraphs} == DISPATCH
    assert all(str(p) == f"Lyst {p.number}" for p in paragraphs)
    by_number = {p.number: p for p in paragraphs}
    assert by_number[52].title == "Resepolicy och riktlinjer"
    assert "130909 § 40" in by_number[52].text
    assert by_number[51].decision.startswith("Nämnden tar del av informationen")
    assert "90 procent av samtalen ska besvaras inom 20 sekunder" in by_number[51].text
    assert "10 procent" in by_number[55].decision
    assert "Landslyst" in record.agenda_changes and "meddelande utgår" in record.agenda_changes
    assert record.kept_at == "Kommunkansliet"
    assert record.secretary.username == "sekreterare" and record.secretary.get_full_name() == "Marie Ahlqvist"


def test_adjusted_by_chair_and_adjuster_locked_and_posted(lyst):
    meeting = _october(lyst)
    record = meeting.minutes
    adjusters = {(a.user.get_full_name(), a.role) for a in record.adjusters.all()}
    assert adjusters == {("Tomas Mörtsell", AdjusterRole.CHAIR), ("Lilly Bäcklund", AdjusterRole.ADJUSTER)}
    assert all(a.approved_at is not None for a in record.adjusters.all())
    assert record.locked_at is not None
    assert meeting.status == MeetingStatus.ADJUSTED
    posting = NoticePosting.objects.get(minutes=record)
    assert posting.posted_on.year == 2013 and posting.posted_on >= meeting.date
    assert posting.taken_down_on >= posting.posted_on + timedelta(weeks=3) - timedelta(days=1)
    assert posting.taken_down_on - posting.posted_on >= timedelta(days=21)
    assert posting.kept_at == "Kommunkansliet"
    with pytest.raises(ValidationError):
        minutes_services.paragraph_update(
            acting_user=record.secretary, paragraph=record.paragraphs.first(), data={"decision": "Ändrat"}
        )


def test_meeting_plan_2014(lyst):
    plan = list(lyst.meetings.filter(date__year=2014).order_by("date"))
    assert [m.date for m in plan] == PLAN_2014
    assert all(m.date.weekday() == 0 for m in plan)  # "Måndag …"
    assert plan[0].topics == "Verksamhetsberättelse 2013"
    assert plan[4].topics.splitlines() == [
        "Investeringsbudget 2015-2018",
        "Verksamhetsplan 2015",
        "Budget på programnivå 2015",
    ]


def test_case_register_continues_after_historic_numbers(lyst):
    from samverkan.core.actors import system_actor
    from samverkan.governance.services import cases

    case = cases.case_open(
        acting_user=system_actor(), federation=lyst.federation, title="Nytt ärende", opened=date(2013, 11, 5)
    )
    assert case.number == "2013-26"


def test_scanning_agreement_linked_to_lyst_58(lyst):
    paragraph = _october(lyst).minutes.paragraphs.get(number=58)
    effect = paragraph.effects.get()
    assert effect.target.valid_from == date(2014, 1, 1)
    assert effect.target.kind == "supplier"
