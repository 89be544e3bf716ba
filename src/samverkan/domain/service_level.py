"""Service level, ASA, abandonment and longest wait on plain call records.

A report must say which convention it used, because the same calls give visibly
different figures (an Asterisk "SL" of 92 % can be an "offered" SL of 85 %):

- ``ABANDON_ADJUSTED`` (default): answered within T / (answered + unanswered calls that
  waited longer than the short-abandon threshold). Callers who hang up within a few
  seconds (wrong number, changed their mind) are not held against the centre.
- ``ANSWERED`` (Asterisk "SL"): answered within T / answered. What Lystkom's annual report
  quotes ("svar inom 30 sekunder" of the answered calls).
- ``OFFERED``: answered within T / all offered calls, the strictest.
- ``ASTERISK_SL2``: (answered within T + unanswered within T) / (answered + unanswered).

"Within" is ``wait <= T`` (as Asterisk counts). Unanswered means the caller left the queue
without an agent: ABANDON, EXITWITHTIMEOUT, EXITWITHKEY, EXITEMPTY.

Ratios are exact ``Fraction`` values turned into ``Decimal`` with ROUND_HALF_UP only at the
edge, so the same records always print the same figure.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DEFAULT_SHORT_ABANDON_SECONDS = 5


class Outcome(enum.StrEnum):
    ANSWERED = "answered"
    ABANDONED = "abandoned"  # caller hung up while queued
    TIMEOUT = "timeout"  # EXITWITHTIMEOUT: the queue gave up
    EXIT_KEY = "exit_key"  # EXITWITHKEY: caller pressed a key to leave
    EXIT_EMPTY = "exit_empty"  # EXITEMPTY: no agents logged in


class Convention(enum.StrEnum):
    ABANDON_ADJUSTED = "abandon_adjusted"
    ANSWERED = "answered"
    OFFERED = "offered"
    ASTERISK_SL2 = "asterisk_sl2"


CONVENTION_LABELS: dict[Convention, str] = {
    Convention.ABANDON_ADJUSTED: "answered within T / (answered + abandoned after the short-abandon threshold)",
    Convention.ANSWERED: "answered within T / answered",
    Convention.OFFERED: "answered within T / offered",
    Convention.ASTERISK_SL2: "(answered within T + abandoned within T) / (answered + abandoned)",
}


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call's visit to one queue. ``entered`` is when it joined the queue (aware datetime)."""

    callid: str
    queue: str
    entered: datetime
    outcome: Outcome
    wait_seconds: int
    talk_seconds: int | None = None
    agent: str = ""

    @property
    def answered(self) -> bool:
        return self.outcome is Outcome.ANSWERED


@dataclass(slots=True)
class QueueStats:
    """Counters that add up across groups (so a year is the sum of its months)."""

    within_seconds: int
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS
    offered: int = 0
    answered: int = 0
    abandoned: int = 0  # every unanswered outcome
    short_abandoned: int = 0  # unanswered with wait <= short-abandon threshold
    answered_within: int = 0
    abandoned_within: int = 0
    answered_wait_total: int = 0
    talk_total: int = 0
    talk_count: int = 0
    longest_wait: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    # agents' logged-in, unpaused seconds and the talk seconds within them (domain.agent_time)
    available_seconds: int = 0
    talk_while_available: int = 0

    def add(self, record: CallRecord) -> None:
        if record.wait_seconds < 0:
            raise ValueError(f"negative wait for call {record.callid}")
        self.offered += 1
        self.outcomes[record.outcome.value] = self.outcomes.get(record.outcome.value, 0) + 1
        self.longest_wait = max(self.longest_wait, record.wait_seconds)
        within = record.wait_seconds <= self.within_seconds
        if record.answered:
            self.answered += 1
            self.answered_within += within
            self.answered_wait_total += record.wait_seconds
            if record.talk_seconds is not None:
                self.talk_total += record.talk_seconds
                self.talk_count += 1
        else:
            self.abandoned += 1
            self.abandoned_within += within
            self.short_abandoned += record.wait_seconds <= self.short_abandon_seconds

    def service_level_fraction(self, convention: Convention = Convention.ABANDON_ADJUSTED) -> Fraction | None:
        """Exact ratio, or None when the denominator is empty (no calls: no service level)."""
        num, den = self.service_level_terms(convention)
        return Fraction(num, den) if den else None

    def service_level_terms(self, convention: Convention = Convention.ABANDON_ADJUSTED) -> tuple[int, int]:
        """(numerator, denominator) under a convention: queues judged by different rules add up
        term by term ("each queue by its own rule")."""
        if convention is Convention.ANSWERED:
            num, den = self.answered_within, self.answered
        elif convention is Convention.OFFERED:
            num, den = self.answered_within, self.offered
        elif convention is Convention.ASTERISK_SL2:
            num, den = self.answered_within + self.abandoned_within, self.answered + self.abandoned
        else:
            num, den = self.answered_within, self.answered + self.abandoned - self.short_abandoned
        return num, den

    def service_level(self, convention: Convention = Convention.ABANDON_ADJUSTED, places: int = 4) -> Decimal | None:
        return to_decimal(self.service_level_fraction(convention), places)

    def asa_seconds(self, places: int = 2) -> Decimal | None:
        """Average speed of answer over answered calls."""
        return to_decimal(Fraction(self.answered_wait_total, self.answered), places) if self.answered else None

    def abandonment_rate(self, places: int = 4) -> Decimal | None:
        return to_decimal(Fraction(self.abandoned, self.offered), places) if self.offered else None

    def occupancy(self, places: int = 4) -> Decimal | None:
        """Share of the agents' available time spent talking; None when the log had no membership events.

        Only talk in intervals with available time counts, so queues with static members (no
        events) do not inflate the figure when grouped with others.
        """
        if not self.available_seconds:
            return None
        return to_decimal(Fraction(self.talk_while_available, self.available_seconds), places)


def to_decimal(value: Fraction | None, places: int) -> Decimal | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def summarize(
    records: Iterable[CallRecord],
    within_seconds: int,
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
) -> QueueStats:
    if within_seconds < 0 or short_abandon_seconds < 0:
        raise ValueError("thresholds must not be negative")
    stats = QueueStats(within_seconds, short_abandon_seconds)
    for record in records:
        stats.add(record)
    return stats


def group_stats(
    records: Iterable[CallRecord],
    key: Callable[[CallRecord], str],
    within_seconds: int,
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
) -> dict[str, QueueStats]:
    """Statistics per group, in sorted group order (streams: one pass, constant memory per group)."""
    if within_seconds < 0 or short_abandon_seconds < 0:
        raise ValueError("thresholds must not be negative")
    groups: dict[str, QueueStats] = {}
    for record in records:
        name = key(record)
        stats = groups.get(name)
        if stats is None:
            stats = groups[name] = QueueStats(within_seconds, short_abandon_seconds)
        stats.add(record)
    return dict(sorted(groups.items()))


GROUP_KEYS: dict[str, Callable[[CallRecord], str]] = {
    "queue": lambda r: r.queue,
    "year": lambda r: f"{r.entered:%Y}",
    "month": lambda r: f"{r.entered:%Y-%m}",
    "day": lambda r: f"{r.entered:%Y-%m-%d}",
    "weekday": lambda r: str(r.entered.isoweekday()),
    "hour": lambda r: f"{r.entered:%H}",
    "all": lambda r: "all",
}
