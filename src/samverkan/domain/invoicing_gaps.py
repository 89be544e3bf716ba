"""Which invoicing periods have ended without being invoiced, and which run made fewer invoices
than the one before it: the warnings an economist gets on the start page.

"Not invoiced" is asked per frequency in use (see billing_frequency): the last period of that
frequency that has ended before today must lie within what some issued run billed for that
frequency (``billing_span`` of the run's period and timing). A run in arrears for 2025-Q4 bills
the quarterly lines of October–December, so once it is issued 2025-Q4 is invoiced; if the last
run issued was 2025-Q3, the quarter is reported.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from samverkan.domain.billing_frequency import Frequency, Span, billing_span
from samverkan.domain.periods import Period, PeriodKind, Timing


def last_ended(frequency: Frequency, today: date) -> Span:
    """The last whole period of ``frequency`` that ended before ``today``."""
    size = frequency.months
    current_first = (today.month - 1) // size * size + 1
    year, end_month = (today.year, current_first - 1) if current_first > 1 else (today.year - 1, 12)
    start_month = end_month - size + 1
    return Span(date(year, start_month, 1), date(year, end_month, calendar.monthrange(year, end_month)[1]))


def not_invoiced(
    frequencies: Iterable[Frequency], issued: Iterable[tuple[Period, Timing]], today: date
) -> list[tuple[Frequency, Span]]:
    """Per frequency (shortest first), its last ended period when no issued run billed it."""
    runs = list(issued)
    gaps = []
    for frequency in sorted(set(frequencies), key=lambda f: f.months):
        due = last_ended(frequency, today)
        spans = (billing_span(period, frequency, timing) for period, timing in runs)
        if not any(span is not None and span.start <= due.start and due.end <= span.end for span in spans):
            gaps.append((frequency, due))
    return gaps


@dataclass(frozen=True)
class RunCount:
    """One invoice run as the comparison needs it: its period, timing and how many invoices it made."""

    key: int
    period: Period
    timing: Timing
    invoices: int


def count_drops(runs: Iterable[RunCount]) -> list[tuple[RunCount, RunCount]]:
    """(latest, previous) for each kind of run (period length and timing) whose latest run made
    fewer invoices than the run for the period before it (a later run for the same period wins)."""
    groups: dict[tuple[PeriodKind, Timing], list[RunCount]] = {}
    for run in runs:
        groups.setdefault((run.period.kind, run.timing), []).append(run)
    drops = []
    for group in groups.values():
        group.sort(key=lambda run: (run.period, run.key))
        latest = group[-1]
        earlier = [run for run in group if run.period < latest.period]
        if earlier and latest.invoices < earlier[-1].invoices:
            drops.append((latest, earlier[-1]))
    return sorted(drops, key=lambda pair: (pair[0].period.start, pair[0].key))
