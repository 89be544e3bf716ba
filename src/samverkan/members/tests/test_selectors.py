"""'Who takes part in X on date D' on the Lystkom demo federation (seed 000), and scoping."""

from datetime import date

import pytest

from samverkan.core.actors import system_actor
from samverkan.members import demo, selectors, services
from samverkan.members.models import FigureKind


@pytest.fixture
def lystkom(db):
    return demo.build_lystkom()


def codes(members):
    return sorted(m.kommunkod for m in members)


LYCKSELE, STORUMAN, VILHELMINA, ASELE, DOROTEA = "2481", "2421", "2462", "2463", "2425"


def test_members_on_sees_dorotea_only_from_2025(lystkom):
    assert codes(selectors.members_on(lystkom, date(2024, 12, 31))) == sorted([LYCKSELE, STORUMAN, VILHELMINA, ASELE])
    assert DOROTEA in codes(selectors.members_on(lystkom, date(2025, 1, 1)))
    assert codes(selectors.members_on(lystkom, date(2018, 12, 31))) == []


@pytest.mark.parametrize(
    ("service", "on", "expected"),
    [
        ("it-drift", date(2024, 12, 31), [LYCKSELE, STORUMAN]),
        ("it-drift", date(2025, 1, 1), [LYCKSELE, STORUMAN, ASELE]),
        ("kundtjanst", date(2024, 6, 1), [LYCKSELE, STORUMAN, VILHELMINA, ASELE]),
        ("kundtjanst", date(2025, 1, 1), [LYCKSELE, STORUMAN, VILHELMINA, ASELE, DOROTEA]),
        ("mobiltelefoni", date(2025, 6, 1), [LYCKSELE, STORUMAN, ASELE]),
        ("e-tjanstekort", date(2025, 6, 1), [LYCKSELE, STORUMAN, ASELE]),
    ],
)
def test_members_with_service(lystkom, service, on, expected):
    assert codes(selectors.members_with_service(lystkom.services.get(code=service), on)) == sorted(expected)


def test_members_with_service_needs_membership_and_handover_on_the_day(lystkom):
    storuman = lystkom.members.get(kommunkod=STORUMAN)
    it = lystkom.services.get(code="it-drift")
    services.member_leave(acting_user=system_actor(), member=storuman, end=date(2025, 6, 30))
    assert STORUMAN in codes(selectors.members_with_service(it, date(2025, 6, 30)))
    assert STORUMAN not in codes(selectors.members_with_service(it, date(2025, 7, 1)))
    assert STORUMAN not in codes(selectors.members_on(lystkom, date(2025, 7, 1)))


def test_figures_on_takes_latest_reference_date_on_or_before(lystkom):
    members = lystkom.members.all()
    lycksele = lystkom.members.get(kommunkod=LYCKSELE)
    assert selectors.figures_on(members, FigureKind.POPULATION, date(2023, 10, 31)) == {}
    nov23 = selectors.figures_on(members, FigureKind.POPULATION, date(2023, 11, 1))
    assert nov23[lycksele.pk] == 12015 and len(nov23) == 5
    assert selectors.figures_on(members, FigureKind.POPULATION, date(2025, 3, 1))[lycksele.pk] == 11980
    assert selectors.figures_on(members, FigureKind.USERS, date(2025, 3, 1)) == {}
    assert selectors.figures_on(members, FigureKind.POPULATION, date(2024, 10, 31))[lycksele.pk] == 12015


def test_scoping_of_members_and_departments(world):
    assert set(selectors.members_for(world.users["admin"])) == {world.member, world.other_member}
    assert set(selectors.members_for(world.users["member_contact"])) == {world.member}
    assert set(selectors.members_for(world.users["orderer"])) == {world.member}
    assert set(selectors.members_for(world.outsider)) == {world.foreign_member}
    assert set(selectors.departments_for(world.users["orderer"])) == {world.department}
    assert set(selectors.departments_for(world.users["member_contact"])) == {world.department, world.other_department}
    assert world.foreign_member not in selectors.members_for(world.users["board"])
    assert list(selectors.federations_for(world.users["agent"])) == [world.federation]
    assert list(selectors.services_for(world.outsider)) == []
    assert list(selectors.services_for(world.users["member_contact"])) == [world.service]
    assert list(selectors.services_for(world.users["orderer"])) == [world.service]
