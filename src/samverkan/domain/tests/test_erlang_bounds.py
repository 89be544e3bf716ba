"""The work of Erlang A/C is bounded by the problem size: an answer or a StaffingError within about a second."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain import erlang as e


def test_erlang_a_with_many_agents_far_above_the_load_does_not_divide_by_zero():
    # B(n) underflows to 0.0 for n ≫ A: all-busy is below double precision, nobody waits
    r = e.erlang_a(
        calls=50_000, interval_seconds=1800, aht_seconds=180, patience_seconds=120, agents=10_001, within_seconds=20
    )
    assert r.waiting_probability == 0.0 and r.service_level == 1.0


@pytest.mark.parametrize(
    "kw",
    [
        {
            "calls": 1_000_000,
            "interval_seconds": 60,
            "aht_seconds": 36_000,
            "patience_seconds": 1,
            "within_seconds": 20,
        },
        {"calls": 1e8, "interval_seconds": 1800, "aht_seconds": 180, "patience_seconds": 120, "within_seconds": 20},
        {
            "calls": 1000,
            "interval_seconds": 1800,
            "aht_seconds": 180,
            "patience_seconds": 36_000,
            "within_seconds": 3600,
        },
        {"calls": 200, "interval_seconds": 60, "aht_seconds": 1, "patience_seconds": 36_000, "within_seconds": 3600},
    ],
)
def test_erlang_a_refuses_what_it_cannot_compute_in_a_second(kw):
    start = time.perf_counter()
    with pytest.raises(e.StaffingError, match="Erlang A kan inte beräknas inom en sekund"):
        e.staff_interval_erlang_a(target=0.8, **kw)
    assert time.perf_counter() - start < 2


def test_erlang_c_refuses_a_load_beyond_the_agent_limit_at_once():
    start = time.perf_counter()
    with pytest.raises(e.StaffingError, match="100 000 agenter"):
        e.staff_interval(calls=1e8, interval_seconds=1800, aht_seconds=180, target=0.8, within_seconds=20)
    with pytest.raises(e.StaffingError, match="100 000 agenter"):
        e.staff_intervals([1e8], 180, interval_seconds=1800, target=0.8, within_seconds=20)
    assert time.perf_counter() - start < 0.5


def test_a_plan_refuses_nan_and_infinite_handle_times():
    for aht in (float("nan"), float("inf")):
        with pytest.raises(e.StaffingError):
            e.staff_intervals([100], [aht], interval_seconds=1800, target=0.8, within_seconds=20)


@settings(max_examples=40, deadline=None)
@given(
    calls=st.floats(min_value=0, max_value=e.MAX_CALLS),
    aht=st.floats(min_value=1, max_value=e.MAX_HANDLE_SECONDS),
    interval=st.sampled_from([60, 900, 1800, 3600, 86_400]),
    target=st.floats(min_value=0.01, max_value=0.999),
    within=st.floats(min_value=0, max_value=e.MAX_WITHIN_SECONDS),
    patience=st.one_of(st.none(), st.floats(min_value=1, max_value=e.MAX_PATIENCE_SECONDS)),
)
def test_every_input_within_the_entry_points_bounds_answers_within_about_a_second(
    calls, aht, interval, target, within, patience
):
    kw = {"calls": calls, "interval_seconds": interval, "aht_seconds": aht, "target": target, "within_seconds": within}
    start = time.perf_counter()
    try:
        if patience is None:
            e.staff_interval(**kw)
        else:
            e.staff_interval_erlang_a(patience_seconds=patience, **kw)
    except e.StaffingError:
        pass
    assert time.perf_counter() - start < 3
