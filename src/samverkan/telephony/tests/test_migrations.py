"""The move from one row per call to archives + intervals loses no call."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from samverkan.telephony import callstore

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = ("telephony", "0001_initial"), ("telephony", "0002_call_archives")


def test_call_rows_become_archives_and_intervals(world):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Queue, CallRecord, ImportBatch = (apps.get_model("telephony", m) for m in ("Queue", "CallRecord", "ImportBatch"))
    queue = Queue.objects.create(federation_id=world.federation.pk, name="vaxel", within_seconds=30)
    batch = ImportBatch.objects.create(federation_id=world.federation.pk, file_name="a.log", sha256="a" * 64)
    from datetime import UTC, date, datetime

    calendar = {"local_day": date(2023, 7, 1), "local_year": 2023, "local_month": 202307}
    calendar |= {"local_weekday": 6, "local_hour": 10}
    when = datetime(2023, 7, 1, 8, 1, 5, tzinfo=UTC)
    CallRecord.objects.create(
        queue=queue,
        batch=batch,
        callid="c1",
        entered=when,
        outcome="answered",
        wait_seconds=12,
        talk_seconds=90,
        agent="SIP/1",
        **calendar,
    )
    CallRecord.objects.create(
        queue=queue, batch=None, callid="c2", entered=when, outcome="abandoned", wait_seconds=40, **calendar
    )
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    apps = executor.loader.project_state([AFTER]).apps
    CallArchive, CallInterval = (apps.get_model("telephony", m) for m in ("CallArchive", "CallInterval"))
    calls = {c[2]: c[3:] for c in callstore.archived_calls(CallArchive.objects.all())}
    assert calls == {"c1": (when, "answered", 12, 90, "SIP/1"), "c2": (when, "abandoned", 40, None, "")}
    # one interval per import: c2 had no import and went to one made for it
    intervals = CallInterval.objects.order_by("batch_id")
    assert [(i.offered, i.answered, i.answered_within, i.talk_total) for i in intervals] == [
        (1, 1, 1, 90),
        (1, 0, 0, 0),
    ]
    assert {i.start for i in intervals} == {datetime(2023, 7, 1, 8, 0, tzinfo=UTC)}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
