"""Meeting services: opening items, agenda order, the notice and who may do what."""

from __future__ import annotations

import itertools
from datetime import date, time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.core.models import AuditEvent
from samverkan.governance.models import AgendaItemKind, MeetingStatus, Minutes
from samverkan.governance.services import meetings as services
from samverkan.governance.tests.meetings_helpers import make_body, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(world):
    return make_body(world)


@pytest.fixture
def meeting(world, body):
    return services.meeting_create(
        acting_user=world.users["secretary"],
        body=body,
        date=date(2013, 10, 21),
        start_time=time(10),
        end_time=time(12),
        place="Lycksele rådrummet",
    )


def _order(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def test_new_meeting_gets_the_opening_items_and_is_audited(meeting):
    items = list(meeting.agenda_items.order_by("position"))
    assert [(i.position, i.kind) for i in items] == [
        (1, AgendaItemKind.ADJUSTERS),
        (2, AgendaItemKind.APPROVE_AGENDA),
        (3, AgendaItemKind.EXTRA_ITEMS),
    ]
    assert [i.title for i in items] == ["Val av justerare", "Godkännande av dagordningen", "Extra ärenden"]
    assert AuditEvent.objects.filter(object_type="governance.Meeting", action="create").count() == 1


@pytest.mark.parametrize("role", ["economist", "board", "agent", "member_contact", "orderer"])
def test_only_editors_plan_meetings(world, body, role):
    with pytest.raises(PermissionDenied):
        services.meeting_create(acting_user=world.users[role], body=body, date=date(2014, 2, 3))


def test_other_federation_is_refused(world, body):
    with pytest.raises(PermissionDenied):
        services.meeting_create(acting_user=world.outsider, body=body, date=date(2014, 2, 3))


def test_end_before_start_is_refused(world, body):
    with pytest.raises(ValidationError):
        services.meeting_create(
            acting_user=world.users["admin"], body=body, date=date(2014, 2, 3), start_time=time(12), end_time=time(10)
        )


def test_case_item_with_documents_and_proposal(world, meeting):
    case = make_case(world)
    docs = list(case.documents.all())
    item = services.agenda_item_add(
        acting_user=world.users["secretary"],
        meeting=meeting,
        case=case,
        proposal="Nämnden godkänner avtalet.",
        presenter="Marie Ahlqvist",
        documents=docs,
        dispatch_to="Lycksele kommun\nStorumans kommun",
    )
    assert item.position == 4 and item.title == case.title and not item.extra
    assert set(item.documents.all()) == set(docs)


def test_case_item_needs_a_case_and_its_own_documents(world, meeting):
    case = make_case(world)
    other = make_case(world, number="2013-17", sequence=17)
    with pytest.raises(ValidationError):
        services.agenda_item_add(acting_user=world.users["admin"], meeting=meeting, title="Utan ärende")
    with pytest.raises(ValidationError):
        services.agenda_item_add(
            acting_user=world.users["admin"], meeting=meeting, case=case, documents=list(other.documents.all())
        )


def test_a_case_of_another_federation_is_refused(world, meeting):
    foreign = make_case(world, federation=world.other_federation)
    with pytest.raises(ValidationError):
        services.agenda_item_add(acting_user=world.users["admin"], meeting=meeting, case=foreign)


def test_insert_at_position_and_reorder_and_delete(world, meeting):
    admin = world.users["admin"]
    services.agenda_item_add(acting_user=admin, meeting=meeting, kind=AgendaItemKind.INFORMATION, title="Info")
    services.agenda_item_add(
        acting_user=admin, meeting=meeting, kind=AgendaItemKind.INFORMATION, title="Först", position=1
    )
    assert _order(meeting)[0] == "Först"
    ids = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    services.agenda_reorder(acting_user=admin, meeting=meeting, order=list(reversed(ids)))
    assert _order(meeting)[0] == "Info"
    with pytest.raises(ValidationError):
        services.agenda_reorder(acting_user=admin, meeting=meeting, order=ids[:-1])
    with pytest.raises(ValidationError):
        services.agenda_reorder(acting_user=admin, meeting=meeting, order=[*ids[:-1], ids[0]])
    first = meeting.agenda_items.get(position=1)
    services.agenda_item_delete(acting_user=admin, item=first)
    assert list(meeting.agenda_items.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4]
    assert AuditEvent.objects.filter(action="reorder_agenda").count() == 1


_names = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, 5), st.sampled_from([-1, 1])), max_size=8))
def test_moves_keep_positions_one_to_n(world, moves):
    """Whatever the moves, the agenda stays 1…n with the same items."""
    body = make_body(world, federation=world.federation, name=f"Organ {next(_names)}")
    meeting = services.meeting_create(acting_user=world.users["admin"], body=body, date=date(2014, 3, 24))
    for n in range(3):
        services.agenda_item_add(
            acting_user=world.users["admin"], meeting=meeting, kind=AgendaItemKind.INFORMATION, title=f"P{n}"
        )
    before = set(meeting.agenda_items.values_list("pk", flat=True))
    for index, step in moves:
        items = list(meeting.agenda_items.order_by("position"))
        services.agenda_item_move(acting_user=world.users["admin"], item=items[index], step=step)
    positions = list(meeting.agenda_items.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 7))
    assert set(meeting.agenda_items.values_list("pk", flat=True)) == before


def test_notice_mails_members_and_substitutes_on_commit(world, meeting, django_capture_on_commit_callbacks):
    case = make_case(world)
    services.agenda_item_add(
        acting_user=world.users["admin"], meeting=meeting, case=case, documents=list(case.documents.all())
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.notice_send(acting_user=world.users["secretary"], meeting=meeting, base_url="https://x.se/")
    assert result.members == ["Tomas Mörtsell <board@test.se>"]
    assert result.for_information == ["Peter Lindström <ersattare@test.se>"]
    assert result.without_email == ["Lilly Bäcklund"]
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["board@test.se"].subject.startswith("Kallelse till Samverkansnämnden LYST 2013-10-21")
    assert by_to["ersattare@test.se"].subject.startswith("För kännedom")
    body_text = by_to["board@test.se"].body
    assert "Tjänsteskrivelse scanning: https://x.se/styrning/sammantraden/" in body_text
    assert "Anbud med affärshemligheter" not in body_text  # secrecy: named as such, never linked
    assert "omfattas av sekretess (OSL 31 kap. 16 §)" in body_text
    assert by_to["board@test.se"].attachments[0][2] == "application/pdf"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTICE_SENT and meeting.notice_sent_at
    assert AuditEvent.objects.filter(action="notice_send").count() == 1


def test_no_mail_when_the_transaction_rolls_back(world, meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notice_send(acting_user=world.users["secretary"], meeting=meeting)
    assert len(callbacks) == 1 and mail.outbox == []


def test_resending_needs_a_note_and_is_audited(world, meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(acting_user=world.users["admin"], meeting=meeting)
    with pytest.raises(ValidationError):
        services.notice_send(acting_user=world.users["admin"], meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.notice_send(acting_user=world.users["admin"], meeting=meeting, note="Ny handling i ärende 4")
    assert result.resent
    assert "Ny handling i ärende 4" in mail.outbox[-1].body
    event = AuditEvent.objects.get(action="notice_resend")
    assert event.after["note"] == "Ny handling i ärende 4"


def test_item_added_after_the_notice_is_an_extra_item(world, meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(acting_user=world.users["admin"], meeting=meeting)
    item = services.agenda_item_add(
        acting_user=world.users["admin"], meeting=meeting, kind=AgendaItemKind.INFORMATION, title="Landslyst"
    )
    assert item.extra


def test_notice_refused_for_readers_and_cancelled_meetings(world, meeting):
    for role in ("board", "economist"):
        with pytest.raises(PermissionDenied):
            services.notice_send(acting_user=world.users[role], meeting=meeting)
    services.meeting_update(acting_user=world.users["admin"], meeting=meeting, data={"status": MeetingStatus.CANCELLED})
    with pytest.raises(ValidationError):
        services.notice_send(acting_user=world.users["admin"], meeting=meeting)


def test_adjusted_minutes_freeze_the_agenda(world, meeting):
    from django.utils import timezone

    Minutes.objects.create(
        meeting=meeting, secretary=world.users["secretary"], chair_name="X", locked_at=timezone.now()
    )
    admin = world.users["admin"]
    item = meeting.agenda_items.first()
    for call in (
        lambda: services.agenda_item_add(acting_user=admin, meeting=meeting, kind="information", title="Sen"),
        lambda: services.agenda_item_update(acting_user=admin, item=item, data={"title": "Ny"}),
        lambda: services.agenda_item_delete(acting_user=admin, item=item),
        lambda: services.meeting_update(acting_user=admin, meeting=meeting, data={"place": "Annan"}),
        lambda: services.meeting_delete(acting_user=admin, meeting=meeting),
    ):
        with pytest.raises(ValidationError):
            call()


def test_status_set_by_hand_is_limited(world, meeting):
    with pytest.raises(ValidationError):
        services.meeting_update(acting_user=world.users["admin"], meeting=meeting, data={"status": "adjusted"})


def test_one_person_with_two_seats_gets_one_notice(world, body, meeting):
    from samverkan.governance.models import Seat, SeatKind
    from samverkan.governance.selectors.meetings import notice_recipients

    Seat.objects.create(
        body=body,
        person_name="Tomas Mörtsell",
        user=world.users["board"],
        kind=SeatKind.SUBSTITUTE,
        start=date(2011, 1, 1),
    )
    names = [(r.name, r.for_information) for r in notice_recipients(meeting) if r.email]
    assert names == [("Tomas Mörtsell", False), ("Peter Lindström", True)]
