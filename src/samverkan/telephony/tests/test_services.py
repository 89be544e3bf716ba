import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.telephony import services
from samverkan.telephony.models import CallArchive, CallInterval, ImportBatch, Queue

from .conftest import LOG_2023, do_import, stored_calls


def test_import_creates_queues_and_calls(world):
    batch, created = do_import(world, LOG_2023)
    assert created
    assert (batch.records_read, batch.records_created, batch.lines) == (4, 4, 8)
    assert set(Queue.objects.filter(federation=world.federation).values_list("name", flat=True)) == {
        "vaxel-lyc",
        "vaxel-sto",
    }
    assert stored_calls()["a2"] == ("answered", 40, 100, "SIP/1")
    assert AuditEvent.objects.filter(action="import", object_type="telephony.ImportBatch").count() == 1


def test_reimport_changes_nothing(world):
    do_import(world, LOG_2023)
    before = (len(stored_calls()), ImportBatch.objects.count(), AuditEvent.objects.count())
    batch, created = do_import(world, LOG_2023, name="again.log")
    assert not created
    assert (len(stored_calls()), ImportBatch.objects.count(), AuditEvent.objects.count()) == before
    # a different file repeating known calls adds only the new one
    extra = LOG_2023 + "1688209200|a9|vaxel-lyc|NONE|ABANDON|1|1|12\n"
    batch, created = do_import(world, extra, name="more.log")
    assert created and batch.records_read == 5 and batch.records_created == 1


def test_malformed_line_aborts_everything(world):
    bad = LOG_2023 + "1688209200|a9|vaxel-new|NONE|ABANDON|1|1|soon\n"
    with pytest.raises(ValidationError, match="Rad 9"):
        do_import(world, bad)
    assert not CallArchive.objects.exists() and not CallInterval.objects.exists()
    assert not ImportBatch.objects.exists() and not Queue.objects.exists()


def test_skip_bad_lines_on_request(world):
    bad = LOG_2023.replace("1688202000|a2", "xx|a2")
    batch, _created = do_import(world, bad, skip_bad_lines=True)
    assert batch.skipped_lines == [{"line": 4, "reason": "tid (fält 1): är inte ett heltal: «xx»"}]
    # a2's CONNECT was skipped, so its COMPLETE has nothing to close: 3 calls remain
    assert batch.records_created == 3


def test_csv_import_and_bad_encoding(world):
    text = "callid,queue,entered,wait,outcome,talk\nk1,kt,2023-05-02T10:00:00,12,answered,100\n"
    batch, _ = do_import(world, text, name="calls.csv", file_format="csv")
    assert batch.records_created == 1
    with pytest.raises(ValidationError, match="UTF-8"):
        services.call_records_import(
            acting_user=system_actor(),
            federation=world.federation,
            file=io.BytesIO(b"callid,queue,entered,wait,outcome\n\xff,q,1,1,answered\n"),
            file_name="x.csv",
            file_format="csv",
        )
    with pytest.raises(ValidationError):
        do_import(world, text, file_format="xml")


def test_queue_update_is_validated_and_audited(world):
    queue = Queue.objects.create(federation=world.federation, name="q")
    services.queue_update(acting_user=world.users["admin"], queue=queue, data={"within_seconds": 30, "goal": "0.8"})
    queue.refresh_from_db()
    assert queue.within_seconds == 30 and str(queue.goal) == "0.8000"
    assert AuditEvent.objects.filter(object_type="telephony.Queue", action="update").exists()
    with pytest.raises(ValidationError):
        services.queue_update(acting_user=world.users["admin"], queue=queue, data={"goal": "1.5"})
    with pytest.raises(ValidationError):
        services.queue_update(acting_user=world.users["admin"], queue=queue, data={"member": world.foreign_member})
    with pytest.raises(ValidationError):
        services.queue_update(acting_user=world.users["admin"], queue=queue, data={"federation": None})


def test_changing_a_queues_limits_recounts_its_intervals(calls):
    """T and the short-abandon limit are applied at import; a change recounts every stored call."""
    from samverkan.telephony import selectors

    def lycksele(year):
        report = selectors.service_level_report(calls.users["admin"], per="queue", year=year)
        return next(r.stats for r in report.rows if r.label == "Växel Lycksele kommun")

    queue = Queue.objects.get(name="vaxel-lyc")
    assert (lycksele(2023).answered_within, lycksele(2022).answered_within) == (1, 1)  # T = 30 s
    services.queue_update(acting_user=calls.users["admin"], queue=queue, data={"within_seconds": 45})
    assert (lycksele(2023).answered_within, lycksele(2022).answered_within) == (2, 1)  # waits 10, 40 / 5, 50
    services.queue_update(acting_user=calls.users["admin"], queue=queue, data={"short_abandon_seconds": 60})
    assert lycksele(2023).short_abandoned == 1  # a3 gave up after 50 s
    assert lycksele(2023).offered == 3 and CallInterval.objects.filter(queue=queue).count() == 5
    # another federation's queue is untouched by the recount
    assert CallInterval.objects.filter(queue__name="vaxel-lud").count() == 1


def test_archives_hold_every_call_compressed(world):
    """One archive per (import, queue) holding exactly the calls it added; intervals sum to them."""
    from django.db.models import Sum

    from samverkan.telephony import synthetic

    calls = synthetic.random_calls(seed=3, queues=["a", "b"], start_epoch=1672531200, count=5000)
    batch, _ = do_import(world, "".join(synthetic.queue_log_lines(calls)))
    archives = CallArchive.objects.filter(batch=batch)
    assert archives.count() == 2 and sum(a.calls for a in archives) == batch.records_created == 5000
    assert CallInterval.objects.aggregate(n=Sum("offered"))["n"] == 5000
    assert sum(len(a.data) for a in archives) < 5000 * 12  # ~5 bytes a call with zstd


# One agent for two queues: logged in 10:00–11:00 local (2023-07-03, a Monday) with a
# 15-minute pause, two calls answered with 300 + 600 s of talk; a second file repeats the
# session (a re-sent log) and must not double the agent's time.
SESSION = """\
1688371200|NONE|vaxel-lyc|SIP/7|ADDMEMBER|
1688371200|NONE|vaxel-sto|SIP/7|ADDMEMBER|
1688371300|s1|vaxel-lyc|SIP/7|CONNECT|20|x|1
1688371600|s1|vaxel-lyc|SIP/7|COMPLETEAGENT|20|300|1
1688372100|NONE|NONE|SIP/7|PAUSEALL|Lunch
1688373000|NONE|NONE|SIP/7|UNPAUSEALL|
1688373100|s2|vaxel-sto|SIP/7|CONNECT|5|x|1
1688373700|s2|vaxel-sto|SIP/7|COMPLETECALLER|5|600|1
1688374800|NONE|vaxel-lyc|SIP/7|REMOVEMEMBER|
1688374800|NONE|vaxel-sto|SIP/7|REMOVEMEMBER|
"""


@pytest.mark.parametrize("engine", ["reference", "bulk"])
def test_agent_time_and_occupancy(calls, engine):
    from samverkan.telephony import selectors
    from samverkan.telephony.models import AgentInterval

    do_import(calls, SESSION, "agents.log", engine=engine)
    rows = AgentInterval.objects.filter(agent="SIP/7")
    assert sum(r.available_seconds for r in rows) == 3600 - 900  # counted once for both queues
    assert sum(r.talk_seconds for r in rows) == 900
    assert {r.local_hour for r in rows} == {10}  # Swedish time
    do_import(calls, SESSION + "\n", "agents-again.log", engine=engine)  # the same session again
    assert sum(AgentInterval.objects.filter(agent="SIP/7").values_list("available_seconds", flat=True)) == 2700

    report = selectors.service_level_report(calls.users["admin"], per="hour", year=2023)
    ten = next(r for r in report.rows if r.key == "10")
    assert ten.stats.occupancy() == Decimal("0.3333")  # 900 s talk / 2 700 s available
    assert report.total.stats.occupancy() == Decimal("0.3333")
    # per queue there is no occupancy (the agent serves both); member contacts never see agents' time
    by_queue = selectors.service_level_report(calls.users["admin"], per="queue", year=2023)
    assert all(r.stats.occupancy() is None for r in by_queue.rows) and by_queue.total.stats.occupancy()
    contact = selectors.service_level_report(calls.users["member_contact"], per="hour", year=2023)
    assert all(r.stats.occupancy() is None for r in contact.rows)


def test_refused_imports_and_queue_changes_raise_permission_denied(world):
    """The capability is checked in the service: a role without it, or another federation, is refused."""
    from django.core.exceptions import PermissionDenied

    for user in (world.users["economist"], world.users["member_contact"], world.outsider):
        with pytest.raises(PermissionDenied):
            services.call_records_import(
                acting_user=user, federation=world.federation, file=io.BytesIO(LOG_2023.encode()), file_name="x"
            )
    queue = Queue.objects.create(federation=world.federation, name="q")
    for user in (world.users["agent"], world.outsider):
        with pytest.raises(PermissionDenied):
            services.queue_update(acting_user=user, queue=queue, data={"within_seconds": 30})
    assert not ImportBatch.objects.exists() and Queue.objects.get(pk=queue.pk).within_seconds == 20
