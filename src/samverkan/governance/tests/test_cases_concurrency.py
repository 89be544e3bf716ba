"""Two secretaries registering cases at the same moment get distinct, gapless numbers.

Threads need committed data and their own connections (``transactional_db``); SQLite has no
row locks, so this runs on PostgreSQL only (``DATABASE_URL``, see bin/test-postgres). The
numbering itself is covered on both databases in test_cases_services."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from samverkan.governance.models import Case
from samverkan.governance.services.cases import case_open
from samverkan.testing import make_world

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level locking needs PostgreSQL (set DATABASE_URL)"
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_case_numbers_are_unique_and_gapless():
    world = make_world()
    users = [world.users["admin"], world.users["secretary"]] * 4
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(users))

    def register(user, i):
        try:
            barrier.wait()
            case_open(acting_user=user, federation=world.federation, title=f"Ärende {i}", opened=date(2025, 3, 1))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(u, i)) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    numbers = sorted(Case.objects.filter(federation=world.federation).values_list("number", flat=True))
    assert numbers == [f"2025-{n:02d}" for n in range(1, len(users) + 1)]
