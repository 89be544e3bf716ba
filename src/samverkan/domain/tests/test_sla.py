from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain.business_hours import STOCKHOLM, BusinessCalendar
from samverkan.domain.priority import Priority
from samverkan.domain.sla import (
    DEFAULT_POLICY,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    timer_state,
)

CAL = BusinessCalendar()


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=STOCKHOLM)


def test_running_timer_ok_warning_breached() -> None:
    start = at(2023, 3, 1, 9)
    ok = timer_state(calendar=CAL, started_at=start, target_minutes=60, now=at(2023, 3, 1, 9, 47))
    assert ok.status is SlaStatus.OK and ok.elapsed_minutes == 47 and ok.remaining_minutes == 13
    assert ok.due_at == at(2023, 3, 1, 10)
    warn = timer_state(calendar=CAL, started_at=start, target_minutes=60, now=at(2023, 3, 1, 9, 48))
    assert warn.status is SlaStatus.WARNING and warn.used_ratio == Decimal("0.800")
    edge = timer_state(calendar=CAL, started_at=start, target_minutes=60, now=at(2023, 3, 1, 10))
    assert edge.status is SlaStatus.WARNING
    late = timer_state(calendar=CAL, started_at=start, target_minutes=60, now=at(2023, 3, 1, 10, 1))
    assert late.status is SlaStatus.BREACHED and late.remaining_minutes == -1


def test_stopped_timer_met_or_breached() -> None:
    start = at(2023, 3, 3, 16)  # Friday
    met = timer_state(
        calendar=CAL,
        started_at=start,
        target_minutes=60,
        now=at(2023, 3, 10),
        stopped_at=at(2023, 3, 6, 8, 30),
    )
    assert met.status is SlaStatus.MET and not met.running and met.elapsed_minutes == 60
    late = timer_state(
        calendar=CAL,
        started_at=start,
        target_minutes=60,
        now=at(2023, 3, 10),
        stopped_at=at(2023, 3, 6, 8, 31),
    )
    assert late.status is SlaStatus.BREACHED


def test_open_pause_stops_clock_and_hides_due_time() -> None:
    start = at(2023, 3, 1, 9)
    state = timer_state(
        calendar=CAL,
        started_at=start,
        target_minutes=60,
        now=at(2023, 3, 2, 15),
        pauses=[(at(2023, 3, 1, 9, 30), None)],
    )
    assert state.paused and state.due_at is None
    assert state.elapsed_minutes == 30 and state.status is SlaStatus.OK
    resumed = timer_state(
        calendar=CAL,
        started_at=start,
        target_minutes=60,
        now=at(2023, 3, 2, 9),
        pauses=[(at(2023, 3, 1, 9, 30), at(2023, 3, 2, 8, 45))],
    )
    assert not resumed.paused and resumed.due_at == at(2023, 3, 2, 9, 15)
    assert resumed.elapsed_minutes == 45


def test_policy_and_targets_validate() -> None:
    assert DEFAULT_POLICY.target(1).response_minutes == 30
    assert DEFAULT_POLICY.target(Priority.PLANNING).resolution_minutes == 20 * 510
    with pytest.raises(ValueError):
        SlaTarget(response_minutes=0, resolution_minutes=10)
    with pytest.raises(ValueError, match="exceed"):
        SlaTarget(response_minutes=20, resolution_minutes=10)
    with pytest.raises(ValueError, match="lacks"):
        SlaPolicy(targets={Priority.CRITICAL: SlaTarget(1, 2)})
    with pytest.raises(ValueError, match="ratio"):
        SlaPolicy(targets=DEFAULT_POLICY.targets, warning_ratio=Decimal("1.2"))
    with pytest.raises(ValueError):
        timer_state(
            calendar=CAL,
            started_at=at(2023, 3, 1),
            target_minutes=0,
            now=at(2023, 3, 1),
        )


instants = st.datetimes(
    min_value=datetime(2022, 1, 1),
    max_value=datetime(2025, 12, 31),
    timezones=st.just(UTC),
)


@settings(max_examples=100, deadline=None)
@given(start=instants, target=st.integers(1, 3000), offset=st.integers(0, 30 * 24 * 60))
def test_breached_exactly_when_stopped_after_due(start: datetime, target: int, offset: int) -> None:
    stop = start + timedelta(minutes=offset)
    state = timer_state(calendar=CAL, started_at=start, target_minutes=target, now=stop, stopped_at=stop)
    assert state.due_at is not None
    assert (state.status is SlaStatus.BREACHED) == (stop > state.due_at)
