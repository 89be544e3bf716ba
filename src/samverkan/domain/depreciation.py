"""Straight-line depreciation (linjär avskrivning) to the öre.

Conventions (state them on every report that uses them):

* Depreciation runs month by month over ``years * 12`` months. By default the first month is
  the month the asset is taken into use (``first_month="start"``); ``"next"`` starts in the
  following month, as some municipalities prefer.
* A month's depreciation is booked on its last day: the book value on a date counts only the
  months whose last day has been reached.
* Rounding without drift: the *accumulated* depreciation after month k is the exact value
  ``(cost - residual) * k / months`` rounded half-up to the öre, and each month's amount is
  the difference of two such values. So every month is within one öre of the exact amount,
  the total is exactly ``cost - residual``, and a year whose end falls on an exact öre
  (2 300 000 kr over 5 years → 460 000 kr) shows exactly that.
* Yearly schedules are calendar years (the municipal financial year): the sum of that year's
  months, so a monthly and a yearly schedule of the same asset always agree.

The asset register uses the 3, 4, 5 and 6 year classes (seed 002); any positive whole number
of years is accepted.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple

from samverkan.domain.money import ORE

__all__ = [
    "DEPRECIATION_CLASSES",
    "DepreciationPeriod",
    "book_value",
    "book_values",
    "straight_line_schedule",
]

DEPRECIATION_CLASSES = (3, 4, 5, 6)
Frequency = Literal["monthly", "yearly"]
FirstMonth = Literal["start", "next"]


class DepreciationPeriod(NamedTuple):
    """One period: unpacks as ``(period_end, amount, book_value)``."""

    period_end: date
    amount: Decimal
    book_value: Decimal


def _validate(cost: Decimal, years: int, residual: Decimal) -> None:
    if isinstance(years, bool) or not isinstance(years, int) or years <= 0:
        raise ValueError(f"depreciation period must be a positive whole number of years, got {years!r}")
    for name, value in (("cost", cost), ("residual", residual)):
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"{name} must be a finite Decimal, got {value!r}")
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
        if value != value.quantize(ORE):
            raise ValueError(f"{name} {value} has fractions of an öre")
    if residual > cost:
        raise ValueError(f"residual value {residual} exceeds the cost {cost}")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_ends(start: date, months: int, first_month: FirstMonth) -> list[date]:
    if first_month not in ("start", "next"):
        raise ValueError(f"first_month must be 'start' or 'next', got {first_month!r}")
    index = start.year * 12 + start.month - 1 + (1 if first_month == "next" else 0)
    return [_month_end(i // 12, i % 12 + 1) for i in range(index, index + months)]


def _monthly(
    cost: Decimal, years: int, start: date, residual: Decimal, first_month: FirstMonth
) -> list[DepreciationPeriod]:
    _validate(cost, years, residual)
    months = years * 12
    depreciable = cost - residual
    ends = _month_ends(start, months, first_month)
    periods = []
    previous = Decimal("0.00")
    for k, end in enumerate(ends, start=1):
        # Exact rational then one rounding: Decimal division alone could round at 28 digits.
        accumulated = _exact_round(Fraction(depreciable) * k / months)
        periods.append(DepreciationPeriod(end, accumulated - previous, (cost - accumulated).quantize(ORE)))
        previous = accumulated
    return periods


def _exact_round(value: Fraction) -> Decimal:
    """Round a non-negative rational half-up to the öre, exactly."""
    ore, remainder = divmod(value.numerator * 100, value.denominator)
    if 2 * remainder >= value.denominator:
        ore += 1
    return (Decimal(ore) / 100).quantize(ORE)


def straight_line_schedule(
    cost: Decimal,
    years: int,
    start: date,
    residual: Decimal = Decimal(0),
    *,
    frequency: Frequency = "monthly",
    first_month: FirstMonth = "start",
) -> list[DepreciationPeriod]:
    """The schedule as (period_end, amount, book_value after the period); amounts sum to cost − residual."""
    monthly = _monthly(cost, years, start, residual, first_month)
    if frequency == "monthly":
        return monthly
    if frequency != "yearly":
        raise ValueError(f"frequency must be 'monthly' or 'yearly', got {frequency!r}")
    yearly: list[DepreciationPeriod] = []
    for period in monthly:
        year_end = date(period.period_end.year, 12, 31)
        if yearly and yearly[-1].period_end == year_end:
            last = yearly[-1]
            yearly[-1] = DepreciationPeriod(year_end, last.amount + period.amount, period.book_value)
        else:
            yearly.append(DepreciationPeriod(year_end, period.amount, period.book_value))
    return yearly


def book_values(
    cost: Decimal,
    years: int,
    start: date,
    dates: Sequence[date],
    residual: Decimal = Decimal(0),
    *,
    first_month: FirstMonth = "start",
) -> list[Decimal]:
    """Book value on each of ``dates`` from one schedule (a report asks for several dates of
    thousands of assets): cost before the first month end, residual after the last."""
    periods = _monthly(cost, years, start, residual, first_month)
    ends = [p.period_end for p in periods]
    return [periods[n - 1].book_value if n else cost.quantize(ORE) for n in (bisect_right(ends, on) for on in dates)]


def book_value(
    cost: Decimal,
    years: int,
    start: date,
    on: date,
    residual: Decimal = Decimal(0),
    *,
    first_month: FirstMonth = "start",
) -> Decimal:
    """Book value on ``on``: cost before the first month end, residual after the last."""
    return book_values(cost, years, start, [on], residual, first_month=first_month)[0]
