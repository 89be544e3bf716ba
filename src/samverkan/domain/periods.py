"""Invoicing periods and pro-rata factors for recurring charges.

A federation invoices per month, quarter (``2025-Q1``), tertial (``2025-T1`` = January–April,
the four-month period Swedish municipalities also use for budget follow-up) or year. The
text forms are the ones economists write in spreadsheets, so ``parse_period`` accepts them
and ``str(period)`` gives them back.

Pro-rata rule (documented because an invoice must be reproducible by hand):

``ProrataRule.DAYS`` (the default)
    Work month by month. A month counts as ``active days / days in that month``; the
    months of the service period are summed, then divided by the months per price unit
    (1 for a monthly price, 3 quarterly, 12 yearly). A full month is therefore exactly one
    month whatever its length, a full quarter exactly one quarterly price, and
    1–15 February (15 of 28 days) is 15/28 of a monthly price.

``ProrataRule.WHOLE_MONTHS``
    "Påbörjad månad debiteras": every month with at least one active day counts as a
    whole month; months without an active day count zero.

Timing: a run for period P covers recurring charges for P in both timings. In arrears
(``i efterskott``) it is issued the day after P ends and one-off charges delivered up to
the end of P are billed with it; in advance (``i förskott``) it is issued on P's first day
and one-off charges delivered before P starts are billed with it (they are always billed
after delivery). Fractions are exact (``fractions.Fraction``) so rounding happens once,
at the end, to the öre.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction


class PeriodKind(StrEnum):
    MONTH = "M"
    QUARTER = "Q"
    TERTIAL = "T"
    YEAR = "Y"

    @property
    def months(self) -> int:
        return _MONTHS_PER_KIND[self]

    @property
    def per_year(self) -> int:
        return 12 // self.months


_MONTHS_PER_KIND = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.TERTIAL: 4,
    PeriodKind.YEAR: 12,
}


class Timing(StrEnum):
    ARREARS = "arrears"
    ADVANCE = "advance"


class ProrataRule(StrEnum):
    DAYS = "days"
    WHOLE_MONTHS = "whole_months"


_PATTERNS: list[tuple[re.Pattern[str], PeriodKind]] = [
    (re.compile(r"^(\d{4})-?Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-?T([1-3])$"), PeriodKind.TERTIAL),
    (re.compile(r"^(\d{4})-(\d{2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})(\d{2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
]


@dataclass(frozen=True, order=True)
class Period:
    """One invoicing period; ``index`` is 1-based within the year (month 1–12, Q1–Q4, T1–T3)."""

    year: int
    kind: PeriodKind
    index: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if not 1 <= self.index <= self.kind.per_year:
            raise ValueError(f"{self.kind.name.lower()} index must be 1–{self.kind.per_year}, got {self.index}")

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.kind.months + 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """Last day, inclusive (what an invoice prints as "period 2025-01-01–2025-03-31")."""
        last_month = self.first_month + self.kind.months - 1
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> Iterator[Period]:
        for month in range(self.first_month, self.first_month + self.kind.months):
            yield Period(self.year, PeriodKind.MONTH, month)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        if self.index < self.kind.per_year:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, self.kind.per_year)

    def __str__(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return f"{self.year:04d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        return f"{self.year:04d}-{self.kind.value}{self.index}"

    def label_sv(self) -> str:
        """Swedish label for invoices and pages ("kvartal 1 2025", "tertial 2 2025", "mars 2025")."""
        if self.kind is PeriodKind.YEAR:
            return f"år {self.year}"
        if self.kind is PeriodKind.MONTH:
            return f"{_MONTH_NAMES_SV[self.index - 1]} {self.year}"
        word = "kvartal" if self.kind is PeriodKind.QUARTER else "tertial"
        return f"{word} {self.index} {self.year}"


_MONTH_NAMES_SV = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


def parse_period(text: str) -> Period:
    """``2025-Q1``, ``2025Q1``, ``2025-T2``, ``2025-03``, ``202503`` or ``2025``; case-insensitive."""
    cleaned = text.strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(cleaned)
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if kind is not PeriodKind.YEAR else 1
            if kind is PeriodKind.MONTH and not 1 <= index <= 12:
                raise ValueError(f"not a month: {text!r}")
            return Period(year, kind, index)
    raise ValueError(f"not a period (expected e.g. 2025-Q1, 2025-T1, 2025-03 or 2025): {text!r}")


def period_containing(day: date, kind: PeriodKind) -> Period:
    return Period(day.year, kind, (day.month - 1) // kind.months + 1)


def periods_in_year(year: int, kind: PeriodKind) -> list[Period]:
    return [Period(year, kind, i) for i in range(1, kind.per_year + 1)]


def issue_date(period: Period, timing: Timing) -> date:
    """Default invoice date of a run: the day after the period (arrears) or its first day (advance)."""
    return period.end + timedelta(days=1) if timing is Timing.ARREARS else period.start


def one_off_cutoff(period: Period, timing: Timing) -> date:
    """Last delivery date whose one-off charges belong to a run for ``period`` (inclusive)."""
    return period.end if timing is Timing.ARREARS else period.start - timedelta(days=1)


def overlap(start: date, end: date | None, period: Period) -> tuple[date, date] | None:
    """Active days of a [start, end] subscription (end inclusive, ``None`` = open) within ``period``."""
    if end is not None and end < start:
        raise ValueError(f"end {end} before start {start}")
    first = max(start, period.start)
    last = period.end if end is None else min(end, period.end)
    return (first, last) if first <= last else None


def active_months(start: date, end: date | None, period: Period, rule: ProrataRule = ProrataRule.DAYS) -> Fraction:
    """Months of ``period`` a subscription is billed for, under ``rule`` (see module docstring)."""
    total = Fraction(0)
    for month in period.months():
        span = overlap(start, end, month)
        if span is None:
            continue
        if rule is ProrataRule.WHOLE_MONTHS:
            total += 1
        else:
            total += Fraction((span[1] - span[0]).days + 1, month.days)
    return total


def prorata_factor(
    start: date,
    end: date | None,
    period: Period,
    price_months: int,
    rule: ProrataRule = ProrataRule.DAYS,
) -> Fraction:
    """How many price units (a monthly price: ``price_months=1``, quarterly 3, yearly 12) to bill.

    A whole quarter of a yearly price gives exactly 1/4; a whole year of a monthly price 12.
    """
    if price_months not in (1, 3, 4, 12):
        raise ValueError(f"price unit must cover 1, 3, 4 or 12 months, got {price_months}")
    return active_months(start, end, period, rule) / price_months


def months_in_span(start: date, end: date) -> Fraction:
    """Length of ``[start, end]`` in months under the DAYS rule (a whole month is 1 whatever its days).

    Used to spread an annual amount over quarters as equal thirds of months, not by day count.
    """
    if end < start:
        return Fraction(0)
    total = Fraction(0)
    month = period_containing(start, PeriodKind.MONTH)
    while month.start <= end:
        span = overlap(start, end, month)
        if span is not None:
            total += Fraction((span[1] - span[0]).days + 1, month.days)
        month = month.next()
    return total
