"""The set-based import stores exactly what the reference reader stores, on SQLite and PostgreSQL."""

import contextlib
import io

import pytest
from django.core.exceptions import ValidationError

from samverkan.core.actors import system_actor
from samverkan.telephony import callstore, services, synthetic
from samverkan.telephony.importers import calls as reading
from samverkan.telephony.models import AgentInterval, CallArchive, CallInterval, ImportBatch, Queue

from .conftest import LOG_2022, LOG_2023
from .test_importers import SAMPLE

# The reference reader's corner cases: a CONNECT replaced by a second CONNECT, a completion
# without an open CONNECT (ignored), a completion after an unanswered outcome of the same
# call (the first record wins), a call still connected at the end, a transfer without
# calltime (talk = time since CONNECT), a callid repeated in another queue, CRLF line ends,
# blank lines and non-call events.
EDGES = (
    "1700000000|QUEUESTART|NONE|NONE|QUEUESTART\r\n"
    "1700000000|e1|q1|SIP/1|CONNECT|5|x|1\r\n"
    "1700000010|e1|q1|SIP/2|CONNECT|15|x|1\r\n"
    "1700000100|e1|q1|SIP/2|COMPLETEAGENT|15|90|1\r\n"
    "1700000200|e1|q1|SIP/2|COMPLETEAGENT|15|80|1\r\n"
    "\r\n"
    "1700000300|e2|q1|SIP/3|COMPLETECALLER|3|70|1\r\n"
    "1700000400|e3|q1|NONE|ABANDON|1|1|30\r\n"
    "1700000410|e3|q1|SIP/4|CONNECT|40|x|1\r\n"
    "1700000500|e3|q1|SIP/4|COMPLETECALLER|40|90|1\r\n"
    "1700000600|e4|q2|SIP/5|CONNECT|7|x|1\r\n"
    "1700000700|e4|q2|SIP/5|TRANSFER|100|ctx|7|\r\n"
    "1700000800|e4|q3|SIP/6|CONNECT|9|x|1\r\n"
    "1700000900|e5|q2|NONE|EXITWITHKEY|1|1|1|25\r\n"
    "1700000950|e6|q2|NONE|RINGNOANSWER|1000\r\n"
    "1700001000|e6|q2|NONE|EXITEMPTY|1|1|0\r\n"
    "1700001100|e7|q2|SIP/7|CONNECT|0|x|1\r\n"
    "1700001200|e7|q2|SIP/7|CONNECT|12|x|1\r\n"
    "1700001300|e8|q3|NONE|EXITWITHTIMEOUT|1|1|300\r\n"
    "1700001400|e8|q3|SIP/8|ATTENDEDTRANSFER|x|y|z|44\r\n"
)


# Membership corner cases: PAUSEALL with queue NONE, a REMOVEMEMBER first (logged in before the
# file), a pause while not logged in, a session open at the end, an agent in two queues
SESSION_EDGES = (
    "1700000000|NONE|q1|SIP/1|REMOVEMEMBER|\n"
    "1700000000|NONE|q1|SIP/2|ADDMEMBER|\n"
    "1700000050|NONE|q2|SIP/2|ADDMEMBER|\n"
    "1700000100|x1|q1|SIP/2|CONNECT|4|x|1\n"
    "1700000200|NONE|NONE|SIP/2|PAUSEALL|Lunch\n"
    "1700000300|x1|q1|SIP/2|COMPLETEAGENT|4|200|1\n"
    "1700000400|NONE|q2|SIP/3|PAUSE|Möte\n"
    "1700001000|NONE|NONE|SIP/2|UNPAUSEALL|\n"
    "1700002000|x2|q2|NONE|ABANDON|1|1|30\n"
)


def _synthetic(count=2500, seed=7, sessions=False):
    calls = list(synthetic.random_calls(seed=seed, queues=["vaxel", "it", "lyc"], start_epoch=1672531200, count=count))
    return "".join((*synthetic.queue_log_lines(calls), *(synthetic.session_lines(calls) if sessions else ())))


def _import(world, text, engine, name="queue_log", encode="utf-8", **kw):
    return services.call_records_import(
        acting_user=world.users["admin"],
        federation=world.federation,
        file=io.BytesIO(text.encode(encode)),
        file_name=name,
        engine=engine,
        **kw,
    )


def _stored():
    """Every stored call (queue name, callid, entered, outcome, wait, talk, agent) and every interval counter."""
    names = dict(Queue.objects.values_list("id", "name"))
    calls = [(names[q], *rest) for q, _batch, *rest in callstore.archived_calls(CallArchive.objects.all())]
    fields = [f for f in callstore.INTERVAL_FIELDS if f not in ("queue_id", "batch_id")]
    intervals = CallInterval.objects.values_list("queue__name", "batch__file_name", *fields)
    agents = AgentInterval.objects.values_list("batch__file_name", *callstore.AGENT_FIELDS)
    return sorted(calls, key=repr), sorted(intervals, key=repr), sorted(agents, key=repr)


def _batches():
    return list(ImportBatch.objects.order_by("id").values_list("lines", "records_read", "records_created"))


def _queues():
    return list(Queue.objects.order_by("id").values_list("name", flat=True))


def _reset():
    ImportBatch.objects.all().delete()
    Queue.objects.all().delete()


@pytest.fixture
def no_reference(monkeypatch):
    """Fail if an import falls back to the reference reader."""

    def refuse(*args, **kwargs):
        raise AssertionError("fell back to the reference reader")

    monkeypatch.setattr(reading, "parse_queue_log", refuse)


@pytest.mark.parametrize(
    "files",
    [
        pytest.param([LOG_2023, LOG_2022], id="demo-style"),
        pytest.param([SAMPLE], id="all-events"),
        pytest.param([EDGES], id="edges"),
        pytest.param([_synthetic(), _synthetic(800, seed=8)], id="synthetic"),
        # the second file repeats part of the first: only new calls are added
        pytest.param([_synthetic(1500), _synthetic(2500)], id="overlapping"),
        # agents' sessions (membership events), also re-sent in an overlapping file
        pytest.param([_synthetic(3000, sessions=True), _synthetic(4000, sessions=True)], id="agent-sessions"),
        pytest.param([SESSION_EDGES], id="session-edges"),
        # read by DuckDB as Python reads them
        pytest.param(["\ufeff" + LOG_2023], id="byte-order mark"),
        pytest.param([LOG_2023.replace("\n", "\r")], id="CR line ends"),
    ],
)
def test_bulk_stores_exactly_what_the_reference_stores(world, monkeypatch, files):
    for i, text in enumerate(files):
        _import(world, text, "reference", name=f"{i}.log")
    expected = (_stored(), _batches(), _queues())
    calls, _intervals, agents = expected[0]
    assert calls, "the reference stored nothing: a test that cannot fail"
    assert any(row[-2] for row in agents) == any("MEMBER|" in text for text in files)  # available time
    _reset()
    monkeypatch.setattr(reading, "parse_queue_log", lambda *a, **k: pytest.fail("fell back to the reference"))
    for i, text in enumerate(files):
        _import(world, text, "bulk", name=f"{i}.log")
    assert (_stored(), _batches(), _queues()) == expected


def test_bulk_reimport_changes_nothing(world, no_reference):
    text = _synthetic(1200)
    batch, created = _import(world, text, "bulk")
    assert created and batch.records_created == batch.records_read > 1000
    before = (_stored(), _batches(), _queues())
    again, created = _import(world, text, "bulk", name="again.log")
    assert not created and again.pk == batch.pk
    # the same calls in a different file (one more blank line): read again, none created
    third, created = _import(world, text + "\n", "bulk", name="third.log")
    assert created and third.records_created == 0 and third.records_read == batch.records_read
    assert _stored() == before[0] and _queues() == before[2]


def test_bulk_keeps_existing_queue_settings(world, no_reference):
    queue = Queue.objects.create(federation=world.federation, name="vaxel-lyc", within_seconds=30, member=world.member)
    _import(world, LOG_2023, "bulk")
    queue.refresh_from_db()
    assert (queue.within_seconds, queue.member) == (30, world.member)
    assert _calls(queue) == 3
    assert _calls(Queue.objects.get(name="vaxel-sto")) == 1


def _calls(queue):
    return sum(queue.archives.values_list("calls", flat=True))


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("1688209200|a9|vaxel-new|NONE|ABANDON|1|1|soon", "väntetid \\(fält 8\\)"),
        ("1688209200|a9|vaxel-new|SIP/1|CONNECT", "väntetid \\(fält 6\\)"),
        ("1688209200|a9", "raden har 2 fält"),
        ("1688209200||vaxel-new|NONE|ABANDON|1|1|3", "samtals-id \\(fält 2\\): saknas"),
    ],
)
def test_bulk_bad_line_names_it_and_writes_nothing(world, bad_line, reason):
    lines = _synthetic(600).splitlines(keepends=True)
    lines.insert(1233, bad_line + "\n")
    with pytest.raises(ValidationError, match=f"Rad 1234: .*{reason}"):
        _import(world, "".join(lines), "bulk")
    assert not CallArchive.objects.exists() and not CallInterval.objects.exists()
    assert not ImportBatch.objects.exists() and not Queue.objects.exists()


def test_bulk_bad_encoding_writes_nothing(world):
    data = (LOG_2023 + "1688209200|a9|v\xe4xel|NONE|ABANDON|1|1|3\n").encode("latin-1")
    with pytest.raises(ValidationError, match="UTF-8"):
        services.call_records_import(
            acting_user=system_actor(), federation=world.federation, file=io.BytesIO(data), file_name="x"
        )
    assert not CallArchive.objects.exists() and not CallInterval.objects.exists() and not Queue.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(LOG_2023.replace("\n", "\r", 1), id="a lone CR among LFs"),
        pytest.param(LOG_2023.replace("|a1|", "|" + "a" * 70 + "|"), id="long callid"),
        # names are checked once per distinct value after the scan (bulk._texts_bad), not per line
        pytest.param(LOG_2023.replace("|a2|", "|a\x012|"), id="control character in a callid"),
        pytest.param(LOG_2023.replace("|a3|", "|a\x853|"), id="C1 control character in an unanswered call's callid"),
        pytest.param(
            LOG_2023.replace("|b1|vaxel-sto|SIP/2|CONNECT", "|b1|vaxel\tsto|SIP/2|CONNECT"), id="tab in a queue"
        ),
        pytest.param(LOG_2023.replace("|vaxel-sto|", "|" + "q" * 101 + "|"), id="long queue name"),
        pytest.param(LOG_2023.replace("|SIP/2|CONNECT", "|SIP/\x7f2|CONNECT"), id="control character in an agent"),
        pytest.param(SESSION_EDGES.replace("SIP/3|PAUSE", "SIP/\x1b3|PAUSE"), id="control character in a member"),
    ],
)
def test_what_bulk_cannot_vouch_for_goes_to_the_reference(world, monkeypatch, text):
    seen = []
    reference = reading.parse_queue_log
    monkeypatch.setattr(reading, "parse_queue_log", lambda *a, **k: seen.append(1) or reference(*a, **k))
    with contextlib.suppress(ValidationError):  # the reference's verdict
        _import(world, text, "bulk")
    assert seen == [1]


def test_engine_choice_is_checked(world):
    with pytest.raises(ValueError, match="engine"):
        _import(world, LOG_2023, "turbo")
    with pytest.raises(ValueError, match="queue_log"):
        _import(world, LOG_2023, "bulk", skip_bad_lines=True)


def test_bulk_reads_a_file_on_disk_in_place(world, tmp_path, no_reference, monkeypatch):
    path = tmp_path / "queue_log"
    path.write_text(_synthetic(300))
    spooled = []
    real = services.tempfile.NamedTemporaryFile
    monkeypatch.setattr(services.tempfile, "NamedTemporaryFile", lambda *a, **k: spooled.append(1) or real(*a, **k))
    with path.open("rb") as handle:
        batch, created = services.call_records_import(
            acting_user=system_actor(), federation=world.federation, file=handle, file_name="queue_log"
        )
    assert created and batch.records_created == 300 and spooled == []
