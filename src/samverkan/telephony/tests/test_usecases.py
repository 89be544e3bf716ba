"""Use cases shared by page, API and CLI: one function, one result (no database)."""

import io
from decimal import Decimal

import pytest

from samverkan.domain.service_level import GROUP_KEYS, group_stats
from samverkan.telephony import synthetic
from samverkan.telephony.importers.lines import LineError
from samverkan.telephony.importers.queue_log import parse_queue_log
from samverkan.telephony.usecases import service_level_from_file, staffing_for_interval, staffing_plan

from .test_bulk_import import EDGES
from .test_importers import SAMPLE


def from_file(path, **kw):
    return service_level_from_file(path, file_format="queue_log", within_seconds=20, **kw)


def test_staffing_for_interval_erlang_c_and_a():
    common = {"calls": 100, "interval_seconds": 1800, "aht_seconds": 180, "target": 0.8, "within_seconds": 20}
    c = staffing_for_interval(**common, shrinkage=Decimal("0.3"))
    assert (c.model, c.model_name, c.agents, c.agents_with_shrinkage) == ("erlang_c", "Erlang C", 14, 20)
    assert c.as_dict()["traffic_erlangs"] == 10 and c.as_dict()["abandon_probability"] is None
    a = staffing_for_interval(**common, patience_seconds=120)
    assert (a.model_name, a.traffic_erlangs) == ("Erlang A", 10) and a.agents <= 14
    assert 0 < a.abandon_probability < 0.1 and set(a.as_dict()) == set(c.as_dict())
    with pytest.raises(ValueError):
        staffing_for_interval(**{**common, "target": 0})


def test_staffing_plan_is_the_single_interval_figure_per_interval():
    plan = staffing_plan(["08:00", "08:30"], [100, 0], 180, interval_seconds=1800, target=0.8, within_seconds=20)
    one = staffing_for_interval(calls=100, interval_seconds=1800, aht_seconds=180, target=0.8, within_seconds=20)
    assert [i.agents for i in plan.intervals] == [one.agents, 0]
    assert plan.rows()[0]["service_level"] == round(one.service_level, 6)


@pytest.fixture
def generated(tmp_path):
    calls = list(synthetic.random_calls(seed=5, queues=["vaxel", "it", "lyc"], start_epoch=1672531200, count=3000))
    path = tmp_path / "queue_log"
    path.write_text("".join(synthetic.queue_log_lines(calls)))
    return path, calls


@pytest.mark.parametrize("group", ["queue", "month", "hour", "weekday", "all"])
def test_file_service_level_by_duckdb_equals_reference(generated, group):
    path, calls = generated
    with path.open() as handle:
        ref = group_stats(parse_queue_log(handle), GROUP_KEYS[group], 20)
    fast = dict(from_file(path, group_by=group, threads=1).groups)
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


def test_file_service_level_names_bad_lines_via_reference(generated):
    path, _ = generated
    lines = path.read_text().splitlines(keepends=True)
    lines.insert(99, "1672531200|c|q|A|CONNECT|x|y|1\n")
    path.write_text("".join(lines))
    with pytest.raises(LineError) as info:
        from_file(path)
    assert info.value.line_number == 100
    result = from_file(path, skip_bad_lines=True)
    assert [e.line_number for e in result.skipped] == [100]
    assert dict(result.groups)["all"].offered == 3000
    with pytest.raises(ValueError):
        from_file(path, group_by="planet")


@pytest.mark.parametrize("text", [pytest.param(EDGES, id="edges"), pytest.param(SAMPLE, id="all-events")])
def test_file_service_level_counts_the_calls_an_import_stores(tmp_path, text):
    """Completions without a CONNECT, repeated CONNECTs, calls open at the end: paired as an import pairs them."""
    path = tmp_path / "queue_log"
    path.write_bytes(text.encode())
    first = {}  # an import keeps the first record of a (queue, callid)
    for record in parse_queue_log(io.StringIO(text)):
        first.setdefault((record.queue, record.callid), record)
    for group in ("queue", "hour"):
        ref = group_stats(first.values(), GROUP_KEYS[group], 20)
        assert dict(from_file(path, group_by=group).groups) == ref
        assert dict(from_file(path, group_by=group, skip_bad_lines=True).groups) == ref
