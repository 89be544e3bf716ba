"""Minutes through the services: numbering, adjustment, locking, the notice and decision links."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent, User
from samverkan.core.roles import BOARD
from samverkan.governance.models import (
    AdjusterRole,
    AttendanceKind,
    Body,
    BodyKind,
    Case,
    Meeting,
    MeetingStatus,
    NoticePosting,
    Seat,
)
from samverkan.governance.selectors import minutes as selectors
from samverkan.governance.services import minutes as services
from samverkan.testing import PASSWORD

pytestmark = pytest.mark.django_db


def make_minutes(world, *, meeting_date=date(2013, 10, 28), start=50, kept_at="Kommunkansliet"):
    """LYST's October 2013 meeting: chair t-board, adjuster t-board2, numbering from `start`."""
    sec = world.users["secretary"]
    body = Body.objects.create(
        federation=world.federation,
        name="Samverkansnämnden LYST",
        kind=BodyKind.JOINT_COMMITTEE,
        paragraph_prefix="Lyst",
    )
    chair = world.users["board"]
    adjuster = world.extra.get("board2") or User.objects.create_user(
        username="t-board2", password=PASSWORD, federation=world.federation, roles=[BOARD]
    )
    world.extra["board2"] = adjuster
    Seat.objects.create(
        body=body, person_name="Tomas Mörtsell", party="C", user=chair, office="chair", start=date(2011, 1, 1)
    )
    Seat.objects.create(body=body, person_name="Lilly Bäcklund", party="S", user=adjuster, start=date(2011, 1, 1))
    meeting = Meeting.objects.create(
        body=body,
        date=meeting_date,
        start_time=time(10),
        end_time=time(12),
        place="Lycksele rådrummet",
        status=MeetingStatus.HELD,
    )
    services.paragraph_counter_set(acting_user=sec, body=body, year=meeting_date.year, next_number=start)
    minutes = services.minutes_create(
        acting_user=sec, meeting=meeting, secretary=sec, chair_name="Tomas Mörtsell", kept_at=kept_at
    )
    services.adjuster_add(acting_user=sec, minutes=minutes, user=chair, role=AdjusterRole.CHAIR)
    services.adjuster_add(acting_user=sec, minutes=minutes, user=adjuster, role=AdjusterRole.ADJUSTER)
    return minutes


def add_case(world, number="2013-16", title="Resepolicy och riktlinjer"):
    year, seq = number.split("-")
    return Case.objects.create(
        federation=world.federation,
        year=int(year),
        sequence=int(seq),
        number=number,
        title=title,
        opened=date(2013, 1, 1),
    )


def approve_all(world, minutes, **kwargs):
    services.minutes_approve(acting_user=world.users["board"], minutes=minutes, **kwargs)
    services.minutes_approve(acting_user=world.extra["board2"], minutes=minutes, **kwargs)
    minutes.refresh_from_db()
    return minutes


def test_paragraphs_number_from_the_start_and_run_across_meetings(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    first = services.paragraph_add(acting_user=sec, minutes=minutes, title="Dagens ärenden")
    second = services.paragraph_add(
        acting_user=sec, minutes=minutes, title="Aktuell information", case=add_case(world, "2013-03", "Information")
    )
    assert (first.number, second.number) == (50, 51)
    assert selectors.paragraph_label(second) == "Lyst 51"
    later = Meeting.objects.create(body=minutes.meeting.body, date=date(2013, 12, 9))
    later_minutes = services.minutes_create(acting_user=sec, meeting=later, secretary=sec, chair_name="T")
    assert services.paragraph_add(acting_user=sec, minutes=later_minutes, title="Nästa").number == 52
    next_year = Meeting.objects.create(body=minutes.meeting.body, date=date(2014, 2, 3))
    next_minutes = services.minutes_create(acting_user=sec, meeting=next_year, secretary=sec, chair_name="T")
    assert services.paragraph_add(acting_user=sec, minutes=next_minutes, title="Nytt år").number == 1


def test_starting_number_cannot_go_back(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    services.paragraph_add(acting_user=sec, minutes=minutes, title="Dagens ärenden")
    with pytest.raises(ValidationError):
        services.paragraph_counter_set(acting_user=sec, body=minutes.meeting.body, year=2013, next_number=40)
    services.paragraph_counter_set(acting_user=sec, body=minutes.meeting.body, year=2013, next_number=60)
    assert services.paragraph_add(acting_user=sec, minutes=minutes, title="x").number == 60


def test_editing_a_paragraph_keeps_its_number(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    p = services.paragraph_add(
        acting_user=sec, minutes=minutes, title="Resepolicy", dispatch_to=" Lycksele kommun \n\nStorumans kommun"
    )
    assert p.dispatch_to == "Lycksele kommun\nStorumans kommun"
    services.paragraph_update(acting_user=sec, paragraph=p, data={"decision": "Nämnden rekommenderar …"})
    p.refresh_from_db()
    assert p.number == 50 and p.decision.startswith("Nämnden")
    with pytest.raises(ValidationError):
        services.paragraph_update(acting_user=sec, paragraph=p, data={"number": 7})


def test_attendance_span_is_checked(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    row = services.attendance_add(
        acting_user=sec,
        minutes=minutes,
        name="Erika Arklöf",
        title="projektledare Storuman",
        kind=AttendanceKind.OTHER,
        paragraphs="51-52",
    )
    assert row.paragraphs == "51-52"
    with pytest.raises(ValidationError):
        services.attendance_add(
            acting_user=sec, minutes=minutes, name="X", kind=AttendanceKind.OTHER, paragraphs="alla"
        )


@pytest.mark.parametrize("role", ["economist", "board", "agent"])
def test_only_editors_write_minutes(world, role):
    minutes = make_minutes(world)
    with pytest.raises(PermissionDenied):
        services.paragraph_add(acting_user=world.users[role], minutes=minutes, title="x")
    with pytest.raises(PermissionDenied):
        services.paragraph_add(acting_user=world.outsider, minutes=minutes, title="x")


def test_adjustment_locks_posts_the_notice_and_audits_each_person(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    services.paragraph_add(acting_user=sec, minutes=minutes, title="Dagens ärenden")
    with pytest.raises(ValidationError):  # the secretary is not an adjuster, even with the capability
        services.minutes_approve(acting_user=sec, minutes=minutes)
    services.minutes_approve(acting_user=world.users["board"], minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.locked_at is None
    with pytest.raises(ValidationError):
        services.minutes_approve(acting_user=world.users["board"], minutes=minutes)
    approve_all_rest = services.minutes_approve(acting_user=world.extra["board2"], minutes=minutes)
    assert approve_all_rest.approved_at is not None
    minutes.refresh_from_db()
    assert minutes.locked_at is not None
    assert minutes.meeting.status == MeetingStatus.ADJUSTED
    posting = NoticePosting.objects.get(minutes=minutes)
    today = timezone.localdate()
    assert posting.posted_on == today
    assert posting.taken_down_on >= today + timedelta(weeks=3)
    assert posting.kept_at == "Kommunkansliet"
    approvals = AuditEvent.objects.filter(action="approve", object_type="governance.Adjuster")
    assert sorted(approvals.values_list("actor_repr", flat=True)) == ["t-board", "t-board2"]


def test_a_chosen_posting_date_and_the_three_week_rule(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    services.paragraph_add(acting_user=sec, minutes=minutes, title="Dagens ärenden")
    services.minutes_approve(acting_user=world.users["board"], minutes=minutes)
    with pytest.raises(ValidationError):  # twenty days is not three weeks
        services.minutes_approve(
            acting_user=world.extra["board2"],
            minutes=minutes,
            posted_on=date(2013, 10, 30),
            taken_down_on=date(2013, 11, 19),
        )
    minutes.refresh_from_db()
    assert minutes.locked_at is None  # the refusal rolled the approval back
    services.minutes_approve(acting_user=world.extra["board2"], minutes=minutes, posted_on=date(2013, 10, 30))
    posting = NoticePosting.objects.get(minutes=minutes)
    assert (posting.posted_on, posting.taken_down_on) == (date(2013, 10, 30), date(2013, 11, 20))
    with pytest.raises(ValidationError):
        services.notice_extend(acting_user=sec, posting=posting, taken_down_on=date(2013, 11, 19))
    services.notice_extend(acting_user=sec, posting=posting, taken_down_on=date(2013, 11, 22))


def test_minutes_without_a_keeping_place_are_not_locked(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world, kept_at="")
    services.paragraph_add(acting_user=sec, minutes=minutes, title="x")
    services.minutes_approve(acting_user=world.users["board"], minutes=minutes)
    with pytest.raises(ValidationError):
        services.minutes_approve(acting_user=world.extra["board2"], minutes=minutes)


def test_locked_minutes_refuse_every_service(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    paragraph = services.paragraph_add(acting_user=sec, minutes=minutes, title="Dagens ärenden")
    row = services.attendance_add(acting_user=sec, minutes=minutes, name="Marie Ahlqvist", kind=AttendanceKind.OTHER)
    minutes = approve_all(world, minutes)
    adjuster = minutes.adjusters.first()
    attempts = [
        lambda: services.paragraph_add(acting_user=sec, minutes=minutes, title="Rättelse"),
        lambda: services.paragraph_update(acting_user=sec, paragraph=paragraph, data={"text": "ändrad"}),
        lambda: services.attendance_add(acting_user=sec, minutes=minutes, name="X", kind=AttendanceKind.OTHER),
        lambda: services.attendance_update(acting_user=sec, attendance=row, data={"name": "Y"}),
        lambda: services.attendance_remove(acting_user=sec, attendance=row),
        lambda: services.minutes_update(acting_user=sec, minutes=minutes, data={"chair_name": "Annan"}),
        lambda: services.adjuster_add(acting_user=sec, minutes=minutes, user=world.users["admin"]),
        lambda: services.adjuster_remove(acting_user=sec, adjuster=adjuster),
        lambda: services.minutes_approve(acting_user=world.users["board"], minutes=minutes),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="justerat"):
            attempt()


def test_decision_links_and_decisions_for(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    paragraph = services.paragraph_add(acting_user=sec, minutes=minutes, title="Ny medlem")
    approve_all(world, minutes)  # a link records an effect; allowed after adjustment
    link = services.decision_link_add(
        acting_user=sec, paragraph=paragraph, target=world.other_member, description="Storuman antas som medlem"
    )
    assert link.target == world.other_member
    assert list(selectors.decisions_for(world.other_member)) == [paragraph]
    assert list(selectors.decisions_for(world.member)) == []
    with pytest.raises(ValidationError):
        services.decision_link_add(acting_user=sec, paragraph=paragraph, target=world.other_member)
    with pytest.raises(ValidationError):  # another federation's member
        services.decision_link_add(acting_user=system_actor(), paragraph=paragraph, target=world.foreign_member)
    with pytest.raises(ValidationError):  # not a kind of thing a decision is tied to
        services.decision_link_add(acting_user=sec, paragraph=paragraph, target=world.users["admin"])
    with pytest.raises(PermissionDenied):
        services.decision_link_add(acting_user=world.users["economist"], paragraph=paragraph, target=world.member)
