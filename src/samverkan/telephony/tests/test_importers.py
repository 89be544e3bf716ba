"""Queue_log and CSV readers, and the DuckDB path against the reference reader (no database)."""

import io
from decimal import Decimal

import pytest

from samverkan.domain.service_level import GROUP_KEYS, Convention, Outcome, group_stats, summarize
from samverkan.telephony import synthetic
from samverkan.telephony.importers.csv_records import CsvMapping, parse_csv_records
from samverkan.telephony.importers.fast import queue_log_stats
from samverkan.telephony.importers.queue_log import LineError, ParseReport, parse_queue_log

SAMPLE = """\
1688198400|QUEUESTART|NONE|NONE|QUEUESTART
1688198400|1688198400.1|vaxel|NONE|ENTERQUEUE||0950123|1
1688198415|1688198400.1|vaxel|SIP/101|RINGNOANSWER|15000
1688198418|1688198400.1|vaxel|SIP/102|CONNECT|18|1688198418.2|3
1688198500|1688198400.1|vaxel|SIP/102|COMPLETECALLER|18|82|1
1688198410|1688198410.3|vaxel|NONE|ENTERQUEUE||0950124|2
1688198450|1688198410.3|vaxel|NONE|ABANDON|1|2|40
1688198420|1688198420.4|it|NONE|ENTERQUEUE||0950125|1
1688198422|1688198420.4|it|NONE|ABANDON|1|1|2
1688198430|1688198430.5|it|NONE|EXITWITHKEY|1|1|1|70
1688198440|1688198440.6|it|SIP/201|CONNECT|50|x|2
1688198540|1688198440.6|it|SIP/201|BLINDTRANSFER|200|ctx|50|95
1688198600|1688198600.7|it|SIP/201|CONNECT|0|x|2
1688198700|1688198700.8|vaxel|NONE|EXITWITHTIMEOUT|1|1|300
1688198800|1688198800.9|vaxel|NONE|EXITEMPTY|1|1|0
"""


def records(text=SAMPLE, **kw):
    return list(parse_queue_log(io.StringIO(text), **kw))


def test_queue_log_events_become_calls():
    calls = {(r.callid, r.queue): r for r in records()}
    assert len(calls) == 8
    first = calls[("1688198400.1", "vaxel")]
    assert (first.outcome, first.wait_seconds, first.talk_seconds, first.agent) == (Outcome.ANSWERED, 18, 82, "SIP/102")
    assert first.entered.isoformat() == "2023-07-01T10:00:00+02:00"  # Swedish summer time
    assert calls[("1688198410.3", "vaxel")].wait_seconds == 40
    assert calls[("1688198430.5", "it")].outcome is Outcome.EXIT_KEY
    assert calls[("1688198430.5", "it")].wait_seconds == 70
    assert calls[("1688198440.6", "it")].talk_seconds == 95  # transfer: calltime (data4)
    assert calls[("1688198600.7", "it")].talk_seconds is None  # still talking at end of file
    assert calls[("1688198700.8", "vaxel")].outcome is Outcome.TIMEOUT


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("garbage", "at least 5"),
        ("x|c|q|NONE|ENTERQUEUE", "time"),
        ("1|c|q|A|CONNECT|soon|x|1", "CONNECT wait"),
        ("1|c|q|NONE|ABANDON|1|1", "ABANDON wait"),
        ("1||q|NONE|ABANDON|1|1|5", "without call id"),
        ("1|c|q|A|COMPLETEAGENT|5|-3|1", "talk"),
        ("1|c|q|A|X" + "|1" * 10, "at most"),
    ],
)
def test_malformed_line_reports_line_number(line, reason):
    text = SAMPLE + line + "\n"
    with pytest.raises(LineError) as info:
        records(text)
    assert info.value.line_number == SAMPLE.count("\n") + 1
    assert reason in str(info.value)


def test_skip_bad_lines_keeps_the_good_ones():
    lines = SAMPLE.splitlines(keepends=True)
    lines.insert(3, "broken\n")
    report = ParseReport()
    good = list(parse_queue_log(io.StringIO("".join(lines)), skip_bad_lines=True, report=report))
    assert len(good) == 8
    assert [e.line_number for e in report.errors] == [4]
    assert report.lines == len(lines)


@pytest.fixture
def generated(tmp_path):
    calls = list(synthetic.random_calls(seed=5, queues=["vaxel", "it", "lyc"], start_epoch=1672531200, count=3000))
    path = tmp_path / "queue_log"
    path.write_text("".join(synthetic.queue_log_lines(calls)))
    return path, calls


@pytest.mark.parametrize("group", ["queue", "month", "hour", "weekday", "all"])
def test_duckdb_path_equals_reference(generated, group):
    path, calls = generated
    with path.open() as handle:
        ref = group_stats(parse_queue_log(handle), GROUP_KEYS[group], 20)
    fast = queue_log_stats(path, within_seconds=20, group_by=group, threads=1)
    assert list(fast) == list(ref)
    for key in ref:
        a, b = ref[key], fast[key]
        assert (a.offered, a.answered, a.abandoned, a.short_abandoned, a.answered_within, a.abandoned_within) == (
            b.offered,
            b.answered,
            b.abandoned,
            b.short_abandoned,
            b.answered_within,
            b.abandoned_within,
        )
        assert (a.answered_wait_total, a.talk_total, a.talk_count, a.longest_wait) == (
            b.answered_wait_total,
            b.talk_total,
            b.talk_count,
            b.longest_wait,
        )
        assert a.outcomes == b.outcomes
    assert sum(s.offered for s in fast.values()) == len(calls)


def test_duckdb_path_reports_line_numbers_via_reference(generated):
    path, _ = generated
    lines = path.read_text().splitlines(keepends=True)
    lines.insert(99, "1672531200|c|q|A|CONNECT|x|y|1\n")
    path.write_text("".join(lines))
    with pytest.raises(LineError) as info:
        queue_log_stats(path, within_seconds=20)
    assert info.value.line_number == 100
    report = ParseReport()
    stats = queue_log_stats(path, within_seconds=20, skip_bad_lines=True, report=report)
    assert [e.line_number for e in report.errors] == [100]
    assert stats["all"].offered == 3000
    with pytest.raises(ValueError):
        queue_log_stats(path, within_seconds=20, group_by="planet")


def test_csv_records_with_mapping():
    text = (
        "Samtal;Kö;Start;Väntetid;Utfall;Samtalstid\n"
        "a1;vaxel;2023-01-02 09:00:00;12;Besvarat;100\n"
        "a2;vaxel;1672650000;40;Obesvarat;\n"
    )
    mapping = CsvMapping(
        callid="Samtal",
        queue="Kö",
        entered="Start",
        wait="Väntetid",
        outcome="Utfall",
        talk="Samtalstid",
        delimiter=";",
    )
    got = list(parse_csv_records(io.StringIO(text), mapping))
    assert [r.outcome for r in got] == [Outcome.ANSWERED, Outcome.ABANDONED]
    assert got[0].entered.utcoffset().total_seconds() == 3600  # naive = Swedish time (CET)
    assert got[0].talk_seconds == 100 and got[1].talk_seconds is None


def test_csv_errors_and_round_trip(tmp_path):
    with pytest.raises(LineError) as info:
        list(parse_csv_records(io.StringIO("callid,queue\n1,2\n")))
    assert info.value.line_number == 1 and "missing column" in str(info.value)
    bad = (
        "callid,queue,entered,wait,outcome,talk\na,q,2023-01-01T10:00,5,answered,3\nb,q,2023-01-01T10:00,5,exploded,\n"
    )
    with pytest.raises(LineError) as info:
        list(parse_csv_records(io.StringIO(bad)))
    assert info.value.line_number == 3 and "unknown outcome" in str(info.value)
    report = ParseReport()
    assert len(list(parse_csv_records(io.StringIO(bad), skip_bad_lines=True, report=report))) == 1
    assert report.errors[0].line_number == 3
    calls = list(synthetic.random_calls(seed=2, queues=["q"], start_epoch=1672531200, count=200))
    from_csv = summarize(parse_csv_records(io.StringIO("".join(synthetic.csv_lines(calls)))), 20)
    from_log = summarize(parse_queue_log(io.StringIO("".join(synthetic.queue_log_lines(calls)))), 20)
    for conv in Convention:
        assert from_csv.service_level_fraction(conv) == from_log.service_level_fraction(conv)


def test_calls_for_target_hits_published_figure():
    calls = synthetic.calls_for_target(
        seed=1, queue="it", year=2023, answered=1000, answered_within=680, within_seconds=60, abandoned=50
    )
    stats = summarize(parse_queue_log(io.StringIO("".join(synthetic.queue_log_lines(calls)))), 60)
    assert stats.service_level(Convention.ANSWERED) == Decimal("0.6800")
    assert stats.answered == 1000 and stats.abandoned == 50
    parsed = parse_queue_log(io.StringIO("".join(synthetic.queue_log_lines(calls))))
    assert {r.entered.year for r in parsed} == {2023}


def test_mapping_from_spec():
    from samverkan.telephony.importers.csv_records import mapping_from_spec

    m = mapping_from_spec("callid=Samtal, queue=Kö ,talk=", ";")
    assert (m.callid, m.queue, m.talk, m.delimiter, m.wait) == ("Samtal", "Kö", None, ";", "wait")
    for bad in ("colour=red", "queue=", "callid"):
        with pytest.raises(ValueError):
            mapping_from_spec(bad)
    with pytest.raises(ValueError):
        mapping_from_spec("", ";;")
