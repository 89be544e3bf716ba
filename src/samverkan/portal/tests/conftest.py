from datetime import datetime

import pytest

from samverkan.domain.business_hours import STOCKHOLM
from samverkan.portal.models import Category, Team


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=STOCKHOLM)


@pytest.fixture
def team(world):
    team = Team.objects.create(federation=world.federation, code="it", name="IT-support", email="it@test.se")
    Category.objects.create(team=team, name="Skrivare")
    return team


@pytest.fixture
def other_team(world):
    return Team.objects.create(federation=world.other_federation, code="it", name="IT annat")


@pytest.fixture
def make_ticket(world, team):
    from samverkan.portal.services.tickets import ticket_create

    def make(**kwargs):
        data = {
            "acting_user": world.users["orderer"],
            "member": world.member,
            "department": world.department,
            "team": team,
            "title": "Skrivaren fungerar inte",
            "description": "Den blinkar rött.",
        }
        data.update(kwargs)
        return ticket_create(**data)

    return make


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
