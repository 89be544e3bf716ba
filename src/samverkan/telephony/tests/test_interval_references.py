"""A counter row's queue and import must exist, checked once per statement on PostgreSQL (migration 0006).

The per-row deferred foreign keys of the 15-minute counters cost a 10 M-line import 3–4 s at
commit; in their place statement-level triggers refuse a row whose queue or import does not
exist, and deleting a queue or import that still has rows. On SQLite the foreign keys stay.
Deleting an import still removes its counters (the model's CASCADE); a queue with counters
still cannot be deleted (PROTECT), on both databases.

Run on both databases: ``bin/test-postgres src/samverkan/telephony/tests/test_interval_references.py``.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from samverkan.telephony.models import CallInterval, ImportBatch, Queue

from .conftest import LOG_2023, do_import

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="statement-level triggers: PostgreSQL")
INTERVAL = CallInterval._meta.db_table
MISSING = 10**9


@pytest.fixture
def imported(world):
    do_import(world, LOG_2023, engine="bulk")
    return world


def _copy_rows(queue_column: str, batch_column: str) -> None:
    columns = [f.column for f in CallInterval._meta.concrete_fields if not f.primary_key]
    values = [{"queue_id": queue_column, "batch_id": batch_column}.get(c, c) for c in columns]
    # a shifted start keeps the unique (queue, batch, start) out of the way
    values = ["start + interval '1 year'" if c == "start" else v for c, v in zip(columns, values, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {INTERVAL} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {INTERVAL} "  # noqa: S608
            f"WHERE queue_id = (SELECT MIN(queue_id) FROM {INTERVAL})"  # one queue's rows: no two share a start
        )


@postgres_only
def test_the_counters_have_no_per_row_foreign_keys_left():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
            "AND a.attnum = ANY (c.conkey) WHERE c.conrelid = %s::regclass AND c.contype = 'f' "
            "AND a.attname IN ('queue_id', 'batch_id')",
            [INTERVAL],
        )
        assert cursor.fetchone() == (0,)


@postgres_only
@pytest.mark.parametrize(("queue_column", "batch_column"), [(str(MISSING), "batch_id"), ("queue_id", str(MISSING))])
def test_counters_for_a_missing_queue_or_import_are_refused(imported, queue_column, batch_column):
    before = CallInterval.objects.count()
    with pytest.raises(IntegrityError, match="does not exist"), transaction.atomic():
        _copy_rows(queue_column, batch_column)
    assert CallInterval.objects.count() == before


@postgres_only
def test_counters_for_existing_rows_are_taken(imported):
    first = CallInterval.objects.order_by("queue_id").values("queue_id")[:1]
    before = CallInterval.objects.filter(queue_id__in=first).count()
    with transaction.atomic():
        _copy_rows("queue_id", "batch_id")
    assert CallInterval.objects.filter(queue_id__in=first).count() == 2 * before


@postgres_only
def test_deleting_a_queue_or_import_with_counters_in_sql_is_refused(imported):
    queue, batch = Queue.objects.filter(intervals__isnull=False).first(), ImportBatch.objects.get()
    for table, pk in ((Queue._meta.db_table, queue.pk), (ImportBatch._meta.db_table, batch.pk)):
        with (
            pytest.raises(IntegrityError, match="still has call intervals"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    assert Queue.objects.filter(pk=queue.pk).exists() and ImportBatch.objects.filter(pk=batch.pk).exists()


def test_an_import_is_deleted_with_its_counters_and_a_counted_queue_is_kept(imported):
    queue = Queue.objects.filter(intervals__isnull=False).first()
    with pytest.raises(ProtectedError):
        queue.delete()
    ImportBatch.objects.all().delete()
    assert not CallInterval.objects.exists()
