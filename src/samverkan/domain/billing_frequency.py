"""Invoicing frequency per service or activity ("kvartals- eller tertialfakturering beroende på verksamhet").

A federation runs one invoice run per period, but not every line is billed every period: seed
002 bills some activities per quarter and others per tertial. A line's frequency F decides
which runs bill it and for which months:

* in arrears, a run for period P bills the F-periods that *end* within P, joined into one span
  (a run for March bills the quarterly lines for January–March; the run for April bills the
  tertial lines for January–April; runs for January and February bill neither);
* in advance, the F-periods that *start* within P.

Every month of the year lies in exactly one F-period and every F-period ends (and starts) in
exactly one month, so whatever the run cadence (months, quarters, tertials, the year), each
line is billed for every month exactly once: never twice, never missed. A frequency finer than
the run's period gives the whole run period, which is what runs did before frequencies existed.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from samverkan.domain.periods import Period, PeriodKind, Timing


class Frequency(StrEnum):
    MONTH = "M"
    QUARTER = "Q"
    TERTIAL = "T"
    HALF_YEAR = "H"
    YEAR = "Y"

    @property
    def months(self) -> int:
        return _MONTHS[self]

    def label_sv(self) -> str:
        return _LABELS[self]


_MONTHS = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.TERTIAL: 4,
    Frequency.HALF_YEAR: 6,
    Frequency.YEAR: 12,
}
_LABELS = {
    Frequency.MONTH: "månadsvis",
    Frequency.QUARTER: "kvartalsvis",
    Frequency.TERTIAL: "tertialvis",
    Frequency.HALF_YEAR: "halvårsvis",
    Frequency.YEAR: "årsvis",
}
_MONTH_NAMES = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


@dataclass(frozen=True)
class Span:
    """Whole months ``start``..``end`` (inclusive) of one year; quacks like a ``Period`` for gathering."""

    start: date
    end: date

    def months(self) -> Iterator[Period]:
        for month in range(self.start.month, self.end.month + 1):
            yield Period(self.start.year, PeriodKind.MONTH, month)

    def as_period(self) -> Period | None:
        """The invoicing period this span is, if it is one (a month, quarter, tertial or year)."""
        count = self.end.month - self.start.month + 1
        for kind in PeriodKind:
            if kind.months == count and (self.start.month - 1) % count == 0:
                return Period(self.start.year, kind, (self.start.month - 1) // count + 1)
        return None

    def label_sv(self) -> str:
        period = self.as_period()
        if period is not None:
            return period.label_sv()
        first, last = _MONTH_NAMES[self.start.month - 1], _MONTH_NAMES[self.end.month - 1]
        return f"{first}–{last} {self.start.year}"

    def __str__(self) -> str:
        period = self.as_period()
        return str(period) if period is not None else f"{self.start:%Y-%m}..{self.end:%Y-%m}"


def _block(month: int, months: int) -> tuple[int, int]:
    first = (month - 1) // months * months + 1
    return first, first + months - 1


def billing_span(period: Period, frequency: Frequency, timing: Timing = Timing.ARREARS) -> Span | None:
    """The months a run for ``period`` bills lines of ``frequency`` for; ``None`` if none (see module doc)."""
    size = frequency.months
    blocks: list[tuple[int, int]] = []
    for month in period.months():
        first, last = _block(month.index, size)
        if (timing is Timing.ARREARS and month.index == last) or (timing is Timing.ADVANCE and month.index == first):
            blocks.append((first, last))
    if not blocks:
        return None
    year = period.year
    last_month = blocks[-1][1]
    return Span(date(year, blocks[0][0], 1), date(year, last_month, calendar.monthrange(year, last_month)[1]))
