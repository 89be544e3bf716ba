"""Seed 003 as demo data: GSN's agenda of 26 October 2020 and the cooperation agreement's
revision table, built through the services."""

from datetime import date, time

import pytest

from samverkan.governance import demo
from samverkan.governance.models import AgendaItemKind, Agreement, Body, CaseLink, MeetingStatus
from samverkan.members import demo as members_demo


@pytest.fixture
def gsn(db):
    federation = members_demo.build_gsn()
    body = demo.build_gsn(federation)
    assert body is not None
    return body


def test_body_and_meeting(gsn):
    assert gsn.name == "Gemensamma servicenämnden" and gsn.kind == "joint_committee"
    chair = gsn.seats.get(office="chair")
    assert chair.person_name == "Leif Pettersson" and chair.appointed_by.name == "Ludvika kommun"
    meeting = gsn.meetings.get()
    assert (meeting.date, meeting.start_time, meeting.place) == (date(2020, 10, 26), time(9), "Netpublicator")
    assert meeting.status == MeetingStatus.HELD


def test_agenda_opening_items_items_and_documents(gsn):
    items = list(gsn.meetings.get().agenda_items.order_by("position"))
    assert [(i.position, i.title) for i in items] == [
        (1, "Val av justerande"),
        (2, "Anmälan av extra ärenden"),
        (3, "Samarbetsavtal för den gemensamma servicenämnden"),
        (4, "Beslut om höjt medlemsbidrag och ökade budgetmedel för införande av gemensam identitetslösning"),
        (5, "Information från verksamheten 2020"),
    ]
    assert [i.kind for i in items[:2]] == [AgendaItemKind.ADJUSTERS, AgendaItemKind.EXTRA_ITEMS]
    assert not any(i.extra for i in items)
    agreement_item, identity, information = items[2:]
    assert agreement_item.case.number == "GSN 2020/33"
    assert identity.case.number == "GSN 2020/34" and information.case.number == "GSN 2020/35"  # next in the register
    assert [d.title for d in agreement_item.documents.order_by("sequence")] == [
        "Tjänsteskrivelse: Antagande av uppdaterat samarbetsavtal för den gemensamma servicenämnden",
        "Bilaga 1: Samarbetsavtal daterat 22 september 2020",
    ]
    assert identity.documents.count() == information.documents.count() == 1
    assert "1 360 tkr" in identity.proposal and "120 kr/per användare" in identity.proposal
    assert (
        agreement_item.dispatch_to == "Samverkande kommuner för beslut i respektive fullmäktige innan årsskiftet 20/21."
    )
    assert identity.dispatch_to.splitlines() == [
        "Samverkande kommuner för beslut",
        "Administration och service för samordning av utskick",
        "Akten",
    ]
    assert information.dispatch_to.splitlines() == ["Samverkande kommuner för kännedom", "Akten"]
    assert information.proposal == "Den gemensamma servicenämnden noterar informationen."


def test_cooperation_agreement_and_revision_table(gsn):
    agreement = Agreement.objects.get(federation=gsn.federation, kind="cooperation")
    assert agreement.title == "Samarbetsavtal för den gemensamma servicenämnden"
    assert agreement.parties.splitlines() == ["Ludvika kommun", "Smedjebackens kommun"]
    assert agreement.host_member.name == "Ludvika kommun"
    assert agreement.valid_from == date(2020, 1, 1)
    assert "30 december" in agreement.renewal
    assert agreement.review_by is None  # "Bör revideras senast" is empty in the seed
    rows = [
        (r.decided_on, r.decided_by, r.paragraph_ref, r.case_ref, r.review_by)
        for r in agreement.revisions.order_by("decided_on")
    ]
    assert rows == [
        (date(2019, 12, 2), "Fullmäktige", "§ 165", "KS 2019/492", None),
        (date(2020, 6, 17), "GSN", "§ 19", "GSN 2020/30", None),
        (date(2020, 10, 1), "GSN", "§ xx", "GSN 2020/33", None),
    ]
    assert all("Fördelningsnyckeln" in r.change for r in agreement.revisions.exclude(decided_by="Fullmäktige"))
    assert agreement.case.links.get().target == agreement
    assert {link.case.number for link in CaseLink.objects.filter(object_id=agreement.pk)} == {
        "GSN 2020/30",
        "GSN 2020/33",
    }


def test_rebuild_is_a_no_op(gsn):
    assert demo.build_gsn(gsn.federation) is None
    assert Body.objects.filter(federation=gsn.federation).count() == 1
