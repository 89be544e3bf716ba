"""Queue_log and CSV readers (no database)."""

import io
from decimal import Decimal

import pytest

from samverkan.domain.service_level import Convention, Outcome, summarize
from samverkan.telephony import synthetic
from samverkan.telephony.importers.csv_records import CsvMapping, parse_csv_records
from samverkan.telephony.importers.lines import LineError, ParseReport
from samverkan.telephony.importers.queue_log import parse_queue_log

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
        ("garbage", "raden har 1 fält"),
        ("x|c|q|NONE|ENTERQUEUE", "tid (fält 1): är inte ett heltal"),
        ("1|c|q|A|CONNECT|soon|x|1", "väntetid (fält 6): är inte ett heltal"),
        ("1|c|q|NONE|ABANDON|1|1", "väntetid (fält 8)"),
        ("1||q|NONE|ABANDON|1|1|5", "samtals-id (fält 2): saknas"),
        ("1|c|q|A|COMPLETEAGENT|5|-3|1", "samtalstid (fält 7)"),
        ("1|c|q|A|X" + "|1" * 10, "raden har 15 fält"),
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
    assert info.value.line_number == 1 and "kolumner saknas" in str(info.value)
    bad = (
        "callid,queue,entered,wait,outcome,talk\na,q,2023-01-01T10:00,5,answered,3\nb,q,2023-01-01T10:00,5,exploded,\n"
    )
    with pytest.raises(LineError) as info:
        list(parse_csv_records(io.StringIO(bad)))
    assert info.value.line_number == 3 and "okänt utfall «exploded»" in str(info.value)
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
