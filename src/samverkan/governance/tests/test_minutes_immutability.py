"""Adjusted minutes never change, whatever the door: the database refuses (migration 0002).

Run on both databases: ``bin/test-postgres src/samverkan/governance/tests/test_minutes_immutability.py``.
"""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction

from samverkan.governance.models import Adjuster, Attendance, AttendanceKind, Minutes, Paragraph
from samverkan.governance.services import minutes as services
from samverkan.governance.tests.test_minutes_services import approve_all, make_minutes
from samverkan.testing import make_world

pytestmark = pytest.mark.django_db


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def locked(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    paragraph = services.paragraph_add(acting_user=sec, minutes=minutes, title="Dagens ärenden", decision="Godkänd")
    services.attendance_add(acting_user=sec, minutes=minutes, name="Marie Ahlqvist", kind=AttendanceKind.OTHER)
    return approve_all(world, minutes), paragraph


M, P, A, J = (m._meta.db_table for m in (Minutes, Paragraph, Attendance, Adjuster))
CHANGES = {
    "minutes.save()": lambda m, p: (setattr(m, "chair_name", "x"), m.save()),
    "minutes.delete()": lambda m, p: Minutes.objects.filter(pk=m.pk).delete(),
    "Minutes queryset unlock": lambda m, p: Minutes.objects.filter(pk=m.pk).update(locked_at=None),
    "SQL UPDATE minutes": lambda m, p: _raw(f"UPDATE {M} SET agenda_changes = %s WHERE id = %s", ["x", m.pk]),  # noqa: S608
    "SQL DELETE minutes": lambda m, p: _raw(f"DELETE FROM {M} WHERE id = %s", [m.pk]),  # noqa: S608
    "paragraph.save()": lambda m, p: (setattr(p, "decision", "Avslag"), p.save()),
    "paragraph.delete()": lambda m, p: Paragraph.objects.filter(pk=p.pk).delete(),
    "Paragraph queryset renumber": lambda m, p: Paragraph.objects.filter(pk=p.pk).update(number=99),
    "SQL UPDATE paragraph": lambda m, p: _raw(f"UPDATE {P} SET text = %s WHERE id = %s", ["x", p.pk]),  # noqa: S608
    "SQL DELETE paragraph": lambda m, p: _raw(f"DELETE FROM {P} WHERE id = %s", [p.pk]),  # noqa: S608
    "ORM INSERT paragraph": lambda m, p: Paragraph.objects.create(
        minutes=m, body=p.body, year=p.year, number=99, title="Tillägg"
    ),
    "Attendance queryset update": lambda m, p: Attendance.objects.filter(meeting=m.meeting).update(paragraphs="50"),
    "Attendance queryset delete": lambda m, p: Attendance.objects.filter(meeting=m.meeting).delete(),
    "ORM INSERT attendance": lambda m, p: Attendance.objects.create(meeting=m.meeting, name="X", kind="other"),
    "SQL DELETE attendance": lambda m, p: _raw(f"DELETE FROM {A} WHERE meeting_id = %s", [m.meeting_id]),  # noqa: S608
    "Adjuster queryset unapprove": lambda m, p: Adjuster.objects.filter(minutes=m).update(approved_at=None),
    "SQL DELETE adjuster": lambda m, p: _raw(f"DELETE FROM {J} WHERE minutes_id = %s", [m.pk]),  # noqa: S608
    "ORM INSERT adjuster": lambda m, p: Adjuster.objects.create(minutes=m, user=m.secretary, role="adjuster"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_the_database_refuses_changing_adjusted_minutes(locked, change):
    minutes, paragraph = locked
    with pytest.raises(IntegrityError), transaction.atomic():
        change(minutes, paragraph)
    paragraph.refresh_from_db()
    assert paragraph.decision == "Godkänd" and paragraph.number == 50
    assert Attendance.objects.filter(meeting=minutes.meeting).count() == 1


def test_unadjusted_minutes_stay_free_to_change(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    paragraph = services.paragraph_add(acting_user=sec, minutes=minutes, title="Utkast")
    Paragraph.objects.filter(pk=paragraph.pk).update(text="ändrad")
    Minutes.objects.filter(pk=minutes.pk).update(agenda_changes="Ärende utgår.")
    Attendance.objects.create(meeting=minutes.meeting, name="X", kind="other")
    Attendance.objects.filter(meeting=minutes.meeting).delete()


def test_a_decision_link_and_the_meeting_status_may_change_after_adjustment(locked, world):
    _minutes, paragraph = locked
    services.decision_link_add(acting_user=world.users["admin"], paragraph=paragraph, target=world.member)
    assert paragraph.effects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_tables():
    world = make_world()
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    services.paragraph_add(acting_user=sec, minutes=minutes, title="x")
    approve_all(world, minutes)
    call_command("flush", interactive=False, verbosity=0)
    assert not Minutes.objects.exists() and not Paragraph.objects.exists()


# Concurrency: two secretaries closing paragraphs at once ---------------------------------------

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level locking needs PostgreSQL (set DATABASE_URL)"
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_paragraphs_get_consecutive_distinct_numbers():
    world = make_world()
    minutes = make_minutes(world)
    secretaries = [world.users["secretary"], world.users["admin"]]
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def close(user, n):
        try:
            barrier.wait()
            for i in range(5):
                services.paragraph_add(acting_user=user, minutes=minutes, title=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(secretaries[n % 2], n)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    numbers = sorted(Paragraph.objects.filter(minutes=minutes).values_list("number", flat=True))
    assert numbers == list(range(50, 70))
