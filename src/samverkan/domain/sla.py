"""SLA timers on a business-hours calendar: due times, elapsed time, status, attainment.

A ticket has two timers: *response* (until the first public reply or assignment) and
*resolution* (until resolved). Both run only in business hours and stop while the ticket
is paused (waiting for the requester). A timer is

* ``ok`` while less than ``warning_ratio`` (default 80 %) of its target is used,
* ``warning`` from there up to and including the target,
* ``breached`` once the due time has passed (whether still running or stopped); with the
  clock paused, once more than the target has elapsed,
* ``met`` when it was stopped within the target.

Attainment = met / (met + breached); timers still running within target are left out
because their outcome is not yet known. It is reported as a ratio with three decimals
(91,6 %), rounded half up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from samverkan.domain.business_hours import MINUTE, BusinessCalendar, Interval
from samverkan.domain.priority import Priority

DEFAULT_WARNING_RATIO = Decimal("0.8")
RATIO_QUANTUM = Decimal("0.001")


class SlaStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"
    MET = "met"


SLA_STATUS_LABELS: Mapping[SlaStatus, str] = {
    SlaStatus.OK: "Inom tid",
    SlaStatus.WARNING: "Varning",
    SlaStatus.BREACHED: "Överskriden",
    SlaStatus.MET: "Uppfylld",
}


@dataclass(frozen=True)
class SlaTarget:
    """Targets in business minutes for one priority."""

    response_minutes: int
    resolution_minutes: int

    def __post_init__(self) -> None:
        if self.response_minutes <= 0 or self.resolution_minutes <= 0:
            raise ValueError("SLA targets must be positive")
        if self.response_minutes > self.resolution_minutes:
            raise ValueError("response target cannot exceed resolution target")


# A working day of 08:00–16:30 is 510 business minutes.
DEFAULT_TARGETS: Mapping[Priority, SlaTarget] = {
    Priority.CRITICAL: SlaTarget(response_minutes=30, resolution_minutes=4 * 60),
    Priority.HIGH: SlaTarget(response_minutes=60, resolution_minutes=510),
    Priority.MEDIUM: SlaTarget(response_minutes=4 * 60, resolution_minutes=3 * 510),
    Priority.LOW: SlaTarget(response_minutes=510, resolution_minutes=5 * 510),
    Priority.PLANNING: SlaTarget(response_minutes=2 * 510, resolution_minutes=20 * 510),
}


@dataclass(frozen=True)
class SlaPolicy:
    targets: Mapping[Priority, SlaTarget]
    warning_ratio: Decimal = DEFAULT_WARNING_RATIO

    def __post_init__(self) -> None:
        if not Decimal(0) < self.warning_ratio < Decimal(1):
            raise ValueError("warning ratio must be between 0 and 1")
        missing = [p for p in Priority if p not in self.targets]
        if missing:
            raise ValueError(f"SLA policy lacks targets for priorities {missing}")

    def target(self, priority: int) -> SlaTarget:
        return self.targets[Priority(priority)]


DEFAULT_POLICY = SlaPolicy(targets=DEFAULT_TARGETS)


@dataclass(frozen=True)
class TimerState:
    target_minutes: int
    elapsed: timedelta
    status: SlaStatus
    paused: bool
    running: bool
    due_at: datetime | None  # None while paused: the clock is stopped, so no due time exists

    @property
    def elapsed_minutes(self) -> int:
        return self.elapsed // MINUTE

    @property
    def remaining_minutes(self) -> int:
        """Negative once breached: how far over the target the timer is."""
        return self.target_minutes - self.elapsed_minutes

    @property
    def used_ratio(self) -> Decimal:
        used = Decimal(self.elapsed.total_seconds()) / Decimal(self.target_minutes * 60)
        return used.quantize(RATIO_QUANTUM, rounding=ROUND_HALF_UP)


def _status(
    elapsed: timedelta,
    target: timedelta,
    warning_ratio: Decimal,
    running: bool,
    late: bool,
) -> SlaStatus:
    if late or elapsed > target:
        return SlaStatus.BREACHED
    if not running:
        return SlaStatus.MET
    # Compare in microseconds so the threshold is exact, not float-rounded.
    threshold = Decimal(target // timedelta(microseconds=1)) * warning_ratio
    if Decimal(elapsed // timedelta(microseconds=1)) >= threshold:
        return SlaStatus.WARNING
    return SlaStatus.OK


def timer_state(
    *,
    calendar: BusinessCalendar,
    started_at: datetime,
    target_minutes: int,
    now: datetime,
    pauses: Sequence[tuple[datetime, datetime | None]] = (),
    stopped_at: datetime | None = None,
    warning_ratio: Decimal = DEFAULT_WARNING_RATIO,
) -> TimerState:
    """Where one timer stands at ``now`` (or at ``stopped_at`` when it has been stopped).

    A pause without an end is still going on: it is treated as ending at the measuring
    instant, and the timer reports ``paused`` with no due time.
    """
    if target_minutes <= 0:
        raise ValueError("target must be positive")
    measured_at = stopped_at if stopped_at is not None else now
    open_pause = stopped_at is None and any(end is None for _, end in pauses)
    closed: list[Interval] = [(start, end if end is not None else max(measured_at, start)) for start, end in pauses]
    elapsed = calendar.business_time_between(started_at, measured_at, closed)
    target = target_minutes * MINUTE
    running = stopped_at is None
    due_at = None if open_pause else calendar.add_business_time(started_at, target, closed)
    # Work finished at 16:31 on a target due at closing time 16:30 is late even though no
    # business time passed in between: a due time on the ticket must mean what it says.
    late = due_at is not None and measured_at > due_at
    return TimerState(
        target_minutes=target_minutes,
        elapsed=elapsed,
        status=_status(elapsed, target, warning_ratio, running, late),
        paused=open_pause,
        running=running,
        due_at=due_at,
    )


@dataclass(frozen=True)
class Attainment:
    met: int
    breached: int

    @property
    def measured(self) -> int:
        return self.met + self.breached

    @property
    def ratio(self) -> Decimal | None:
        """Share met, three decimals half up; ``None`` when nothing has been measured."""
        if self.measured == 0:
            return None
        return (Decimal(self.met) / Decimal(self.measured)).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_UP)
