"""Bodies and seats: services (validation, audit, federation checks) and the board-member
selector rule (a board member sees only the bodies they currently sit in)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.core.models import AuditEvent
from samverkan.governance.models import BodyKind, Office, SeatKind
from samverkan.governance.selectors.bodies import bodies_for, body_seats, seats_for
from samverkan.governance.services.bodies import body_create, body_update, seat_add, seat_end, seat_update


@pytest.fixture
def bodies(world):
    admin = world.users["admin"]
    board = body_create(
        acting_user=admin, federation=world.federation, name="Direktionen", kind=BodyKind.BOARD, paragraph_prefix="Lyst"
    )
    presidium = body_create(acting_user=admin, federation=world.federation, name="Presidiet", kind=BodyKind.PRESIDIUM)
    return board, presidium


def test_body_create_update_is_audited(world, bodies):
    board, _presidium = bodies
    assert board.paragraph_prefix == "Lyst"
    body_update(acting_user=world.users["secretary"], body=board, data={"name": "Direktionen LYST"})
    board.refresh_from_db()
    assert board.name == "Direktionen LYST"
    assert AuditEvent.objects.filter(object_type="governance.Body", object_id=str(board.pk)).count() == 2


def test_duplicate_body_name_refused(world, bodies):
    with pytest.raises(ValidationError) as exc:
        body_create(acting_user=world.users["admin"], federation=world.federation, name="direktionen", kind="board")
    assert "name" in exc.value.message_dict


@pytest.mark.parametrize("role", ["economist", "board", "agent", "member_contact", "orderer"])
def test_only_admin_and_secretary_edit_bodies(world, role):
    with pytest.raises(PermissionDenied):
        body_create(acting_user=world.users[role], federation=world.federation, name="X", kind="board")


def test_outsider_cannot_edit_another_federations_body(world, bodies):
    with pytest.raises(PermissionDenied):
        body_update(acting_user=world.outsider, body=bodies[0], data={"name": "Y"})


def test_seats_offices_and_terms(world, bodies):
    board, _ = bodies
    admin = world.users["admin"]
    start = date(2023, 1, 1)
    chair = seat_add(
        acting_user=admin,
        body=board,
        person_name="Anna Chair",
        party="S",
        appointed_by=world.member,
        office=Office.CHAIR,
        start=start,
    )
    with pytest.raises(ValidationError) as exc:  # one chair at a time
        seat_add(acting_user=admin, body=board, person_name="B", office=Office.CHAIR, start=date(2024, 1, 1))
    assert "office" in exc.value.message_dict
    with pytest.raises(ValidationError):  # a substitute holds no office
        seat_add(
            acting_user=admin,
            body=board,
            person_name="C",
            kind=SeatKind.SUBSTITUTE,
            office=Office.FIRST_VICE_CHAIR,
            start=start,
        )
    with pytest.raises(ValidationError):
        seat_add(acting_user=admin, body=board, person_name="D", start=start, end=date(2022, 1, 1))
    seat_end(acting_user=admin, seat=chair, end=date(2023, 12, 31))
    # after the term, the office is free again
    new_chair = seat_add(acting_user=admin, body=board, person_name="E", office=Office.CHAIR, start=date(2024, 1, 1))
    seat_update(acting_user=admin, seat=new_chair, data={"party": "C"})
    new_chair.refresh_from_db()
    assert new_chair.party == "C"
    current = list(body_seats(board, current_on=date(2024, 6, 1)))
    assert [s.person_name for s in current] == ["E"]
    with pytest.raises(ValidationError):
        seat_end(acting_user=admin, seat=new_chair, end=date(2023, 1, 1))


def test_seat_refuses_other_federations_member_and_user(world, bodies):
    board, _ = bodies
    with pytest.raises(ValidationError) as exc:
        seat_add(
            acting_user=world.users["admin"],
            body=board,
            person_name="X",
            start=date(2024, 1, 1),
            appointed_by=world.foreign_member,
            user=world.outsider,
        )
    assert set(exc.value.message_dict) == {"appointed_by", "user"}


def test_board_member_sees_only_bodies_they_sit_in(world, bodies):
    board, presidium = bodies
    member_user = world.users["board"]
    assert list(bodies_for(member_user)) == []
    seat = seat_add(
        acting_user=world.users["admin"],
        body=board,
        person_name="Bo Board",
        user=member_user,
        start=date(2020, 1, 1),
    )
    assert list(bodies_for(member_user)) == [board]
    assert set(seats_for(member_user)) == {seat}
    # a person may sit in several bodies
    seat_add(
        acting_user=world.users["admin"],
        body=presidium,
        person_name="Bo Board",
        user=member_user,
        start=date(2020, 1, 1),
    )
    assert set(bodies_for(member_user)) == {board, presidium}
    # an ended term no longer gives access
    seat_end(acting_user=world.users["admin"], seat=seat, end=timezone.localdate() - timedelta(days=1))
    assert list(bodies_for(member_user)) == [presidium]
    # admins, secretaries and economists see every body; other roles and federations none
    for role in ("admin", "secretary", "economist"):
        assert set(bodies_for(world.users[role])) == {board, presidium}
    for role in ("agent", "member_contact", "orderer"):
        assert list(bodies_for(world.users[role])) == []
    assert list(bodies_for(world.outsider)) == []
