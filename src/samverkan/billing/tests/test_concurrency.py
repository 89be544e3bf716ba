"""Concurrent runs and issues on a real server database: numbers stay unique and gapless.

Threads need committed data and their own connections, so this uses ``transactional_db``.
SQLite serialises writers on a file lock (no row locks), so the threaded part runs on
PostgreSQL (``DATABASE_URL``); the numbering logic itself is covered on both in test_services.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from samverkan.billing import services
from samverkan.billing.models import Invoice, InvoiceLine
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.testing import make_world

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level locking needs PostgreSQL (set DATABASE_URL)"
)


def _parallel(target, args_list):
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(args_list))

    def run(*args):
        try:
            barrier.wait()
            target(*args)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_unique_gapless_numbers():
    world = make_world()
    cat = make_catalogue(world.federation)
    runs = []
    for month in range(1, 7):
        for dept in (world.department, world.other_department):
            order = catalogue_services.order_create(
                acting_user=system_actor(), item=cat.siths, department=dept, quantity=Decimal(1)
            )
            catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=date(2025, month, 3))
        run = services.invoice_run_create(  # one invoice date: issued in any order, dates follow numbers
            acting_user=system_actor(),
            federation=world.federation,
            period=f"2025-{month:02d}",
            issue_date=date(2025, 7, 1),
        )
        runs.append(services.invoice_run_approve(acting_user=system_actor(), run=run))
    errors = _parallel(lambda r: services.invoice_run_issue(acting_user=system_actor(), run=r), [(r,) for r in runs])
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"F2025-{n:05d}" for n in range(1, 7)]


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_of_one_period_never_bill_a_line_twice():
    world = make_world()
    cat = make_catalogue(world.federation)
    for day in range(1, 21):
        order = catalogue_services.order_create(
            acting_user=system_actor(), item=cat.siths, department=world.department, quantity=Decimal(1)
        )
        catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=date(2025, 1, day))
    catalogue_services.subscription_create(
        acting_user=system_actor(), item=cat.mobile, department=world.department, start=date(2025, 1, 1)
    )
    errors = _parallel(
        lambda: services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1"),
        [()] * 4,
    )
    assert errors == []
    assert InvoiceLine.objects.filter(source_type="order").count() == 20
    assert InvoiceLine.objects.filter(source_type="subscription").count() == 1
    assert Invoice.objects.count() == 1
