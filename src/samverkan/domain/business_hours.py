"""Business-hours calendar: the clock SLA targets are measured on.

A service desk promises "answer within 4 hours" in *working* hours: nights, weekends,
Swedish public holidays and the de facto holidays every Swedish workplace closes on
(midsommarafton, julafton, nyårsafton) do not count, and neither do intervals the
ticket is paused (waiting for the requester). All arithmetic is done in UTC on aware
datetimes because Python subtracts two datetimes that share a ``tzinfo`` as wall-clock
times, which is wrong across a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MINUTE = timedelta(minutes=1)
# A calendar with working days but whose next working day is further away than this is
# misconfigured (e.g. every day closed); we stop instead of looping for ever.
MAX_SCAN_DAYS = 3 * 366

Interval = tuple[datetime, datetime]


def midsummer_eve(year: int) -> date:
    """Midsommarafton: the Friday between 19 and 25 June."""
    day = date(year, 6, 19)
    return day + timedelta(days=(4 - day.weekday()) % 7)


@lru_cache(maxsize=64)
def swedish_holidays(year: int) -> Mapping[date, str]:
    """Public holidays plus de facto non-working eves, with Swedish names.

    The ``holidays`` package keeps midsommarafton, julafton and nyårsafton in its
    ``de_facto`` category; we add them explicitly as well so a change in the package's
    categories cannot silently make them working days.
    """
    found: dict[date, str] = dict(
        holidays.country_holidays("SE", years=year, categories=("public", "de_facto"), language="sv")
    )
    found.setdefault(midsummer_eve(year), "Midsommarafton")
    found.setdefault(date(year, 12, 24), "Julafton")
    found.setdefault(date(year, 12, 31), "Nyårsafton")
    return found


def _require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping UTC intervals; empty or inverted intervals are refused."""
    cleaned: list[Interval] = []
    for start, end in intervals:
        start_utc, end_utc = (
            _require_aware(start, "pause start"),
            _require_aware(end, "pause end"),
        )
        if end_utc < start_utc:
            raise ValueError(f"pause ends before it starts: {start} > {end}")
        if end_utc > start_utc:
            cleaned.append((start_utc, end_utc))
    cleaned.sort()
    merged: list[Interval] = []
    for start, end in cleaned:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(interval: Interval, pauses: list[Interval]) -> Iterator[Interval]:
    """Parts of ``interval`` not covered by the (merged, sorted) pauses."""
    cursor, end = interval
    for pause_start, pause_end in pauses:
        if pause_end <= cursor:
            continue
        if pause_start >= end:
            break
        if pause_start > cursor:
            yield cursor, pause_start
        cursor = max(cursor, pause_end)
        if cursor >= end:
            return
    if cursor < end:
        yield cursor, end


WEEKDAYS_0800_1630: Mapping[int, tuple[time, time]] = {day: (time(8, 0), time(16, 30)) for day in range(5)}


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours per weekday (0 = Monday) in a time zone, minus holidays and closed days.

    ``day_overrides`` changes the hours of single dates (``None`` closes the day), e.g. a
    shortened day before a holiday; it wins over the holiday list, so it can also open a
    holiday. ``closed_days`` are extra closures (a staff conference).
    """

    weekly: Mapping[int, tuple[time, time]] = field(default_factory=lambda: dict(WEEKDAYS_0800_1630))
    tz: ZoneInfo = STOCKHOLM
    public_holidays: bool = True
    closed_days: frozenset[date] = frozenset()
    day_overrides: Mapping[date, tuple[time, time] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for weekday, (start, end) in self.weekly.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0–6, got {weekday}")
            if not start < end:
                raise ValueError(f"opening hours for weekday {weekday} must start before they end")
        for day, hours in self.day_overrides.items():
            if hours is not None and not hours[0] < hours[1]:
                raise ValueError(f"opening hours for {day} must start before they end")
        if not self.weekly and not any(self.day_overrides.values()):
            raise ValueError("a business calendar needs at least one working day")

    def hours_on(self, day: date) -> tuple[time, time] | None:
        if day in self.day_overrides:
            return self.day_overrides[day]
        if day in self.closed_days:
            return None
        if self.public_holidays and day in swedish_holidays(day.year):
            return None
        return self.weekly.get(day.weekday())

    def is_working_day(self, day: date) -> bool:
        return self.hours_on(day) is not None

    def working_interval(self, day: date) -> Interval | None:
        """The day's opening hours as a UTC interval (local wall-clock times converted)."""
        hours = self.hours_on(day)
        if hours is None:
            return None
        start = datetime.combine(day, hours[0], tzinfo=self.tz).astimezone(UTC)
        end = datetime.combine(day, hours[1], tzinfo=self.tz).astimezone(UTC)
        return start, end

    def _open_intervals(self, start: datetime, pauses: list[Interval]) -> Iterator[Interval]:
        """Working, unpaused intervals from ``start`` on, in order, for ever."""
        day = start.astimezone(self.tz).date()
        idle_days = 0
        while True:
            interval = self.working_interval(day)
            day += timedelta(days=1)
            if interval is None or interval[1] <= start:
                idle_days += 1
                if idle_days > MAX_SCAN_DAYS:
                    raise ValueError("no working time within three years; check the calendar")
                continue
            idle_days = 0
            yield from _subtract((max(interval[0], start), interval[1]), pauses)

    def business_time_between(self, start: datetime, end: datetime, pauses: Iterable[Interval] = ()) -> timedelta:
        """Working time in [start, end) outside pauses; zero when end is not after start."""
        start_utc, end_utc = _require_aware(start, "start"), _require_aware(end, "end")
        if end_utc <= start_utc:
            return timedelta(0)
        merged = merge_intervals(pauses)
        total = timedelta(0)
        day = start_utc.astimezone(self.tz).date()
        last = end_utc.astimezone(self.tz).date()
        while day <= last:
            interval = self.working_interval(day)
            day += timedelta(days=1)
            if interval is None:
                continue
            clipped = (max(interval[0], start_utc), min(interval[1], end_utc))
            if clipped[0] >= clipped[1]:
                continue
            for part_start, part_end in _subtract(clipped, merged):
                total += part_end - part_start
        return total

    def business_minutes_between(self, start: datetime, end: datetime, pauses: Iterable[Interval] = ()) -> int:
        """Whole business minutes (rounded down) — what an SLA report shows."""
        return self.business_time_between(start, end, pauses) // MINUTE

    def add_business_time(self, start: datetime, amount: timedelta, pauses: Iterable[Interval] = ()) -> datetime:
        """Earliest instant by which ``amount`` of working, unpaused time has passed.

        The result is in the calendar's time zone. A target that is used up exactly at
        closing time falls due at closing time, not at the next morning's opening.
        """
        start_utc = _require_aware(start, "start")
        if amount < timedelta(0):
            raise ValueError("cannot add negative business time")
        if amount == timedelta(0):
            return start_utc.astimezone(self.tz)
        remaining = amount
        for part_start, part_end in self._open_intervals(start_utc, merge_intervals(pauses)):
            length = part_end - part_start
            if remaining <= length:
                return (part_start + remaining).astimezone(self.tz)
            remaining -= length
        raise AssertionError("unreachable: _open_intervals never ends")  # pragma: no cover

    def add_business_minutes(self, start: datetime, minutes: int, pauses: Iterable[Interval] = ()) -> datetime:
        return self.add_business_time(start, minutes * MINUTE, pauses)

    def minutes_per_day(self, day: date) -> int:
        interval = self.working_interval(day)
        return 0 if interval is None else (interval[1] - interval[0]) // MINUTE
