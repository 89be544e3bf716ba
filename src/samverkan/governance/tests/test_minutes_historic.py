"""Minutes adjusted on paper long ago (the demo's 2013 meeting) recorded with their historic
time: only the system actor may name the adjuster and the time, the lock and the notice follow
that time, and the demo's 2013 minutes show 2013 rather than the day the demo was built."""

from __future__ import annotations

from datetime import date, datetime, time
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.governance.models import Minutes
from samverkan.governance.services import minutes as services
from samverkan.governance.tests.test_minutes_services import add_case, make_minutes

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(datetime(2013, 11, 4, 12, 0))


def _ready(world):
    minutes = make_minutes(world)
    services.paragraph_add(
        acting_user=world.users["secretary"], minutes=minutes, title="Resepolicy", case=add_case(world)
    )
    return minutes


def test_system_records_historic_approvals_and_lock(world):
    minutes = _ready(world)
    system = system_actor()
    for person in (world.users["board"], world.extra["board2"]):
        services.minutes_approve(acting_user=system, minutes=minutes, adjuster=person, at=AT)
    minutes.refresh_from_db()
    assert minutes.locked_at == AT
    assert {a.approved_at for a in minutes.adjusters.all()} == {AT}
    assert minutes.posting.posted_on == date(2013, 11, 4)
    audit = AuditEvent.objects.filter(action="approve").order_by("pk")
    assert audit.count() == 2 and {e.actor_id for e in audit} == {system.pk}


def test_a_person_cannot_backdate_their_approval(world):
    minutes = _ready(world)
    board = world.users["board"]
    with pytest.raises(PermissionDenied):
        services.minutes_approve(acting_user=board, minutes=minutes, at=AT)
    with pytest.raises(PermissionDenied):
        services.minutes_approve(acting_user=board, minutes=minutes, adjuster=board)
    assert not minutes.adjusters.filter(approved_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"at": AT}, "både justeraren och tidpunkten"),
        ({"at": timezone.make_aware(datetime(2099, 1, 1)), "adjuster": "board"}, "framtiden"),
        ({"at": timezone.make_aware(datetime.combine(date(2013, 10, 1), time(9))), "adjuster": "board"}, "före"),
    ],
)
def test_historic_approval_errors(world, kwargs, words):
    minutes = _ready(world)
    if "adjuster" in kwargs:
        kwargs["adjuster"] = world.users[kwargs["adjuster"]]
    with pytest.raises(ValidationError, match=words):
        services.minutes_approve(acting_user=system_actor(), minutes=minutes, **kwargs)


def test_demo_minutes_of_2013_are_adjusted_in_2013():
    from samverkan.governance import demo
    from samverkan.members import demo as members_demo

    members_demo.build(StringIO())
    demo.build(StringIO())
    minutes = Minutes.objects.get(meeting__date__year=2013)
    assert timezone.localdate(minutes.locked_at) == date(2013, 11, 4)
    assert all(timezone.localdate(a.approved_at) == date(2013, 11, 4) for a in minutes.adjusters.all())
