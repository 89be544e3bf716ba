from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain.business_hours import (
    STOCKHOLM,
    BusinessCalendar,
    merge_intervals,
    midsummer_eve,
    swedish_holidays,
)

CAL = BusinessCalendar()


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2023, 6, 23), "Midsommarafton"),
        (date(2023, 12, 24), "Julafton"),
        (date(2023, 12, 31), "Nyårsafton"),
        (date(2024, 6, 21), "Midsommarafton"),
        (date(2023, 1, 6), "Trettondedag jul"),
        (date(2023, 4, 7), "Långfredagen"),
        (date(2023, 5, 18), "Kristi himmelsfärdsdag"),
        (date(2023, 6, 6), "Nationaldagen"),
    ],
)
def test_swedish_holidays_include_de_facto_eves(day: date, name: str) -> None:
    assert swedish_holidays(day.year)[day] == name
    assert not CAL.is_working_day(day)


def test_midsummer_eve_is_friday_between_19_and_25_june() -> None:
    for year in range(2000, 2060):
        eve = midsummer_eve(year)
        assert eve.weekday() == 4 and 19 <= eve.day <= 25


def test_ordinary_days() -> None:
    assert CAL.is_working_day(date(2023, 6, 22))  # Thursday before midsummer
    assert not CAL.is_working_day(date(2023, 6, 17))  # Saturday
    assert CAL.minutes_per_day(date(2023, 3, 1)) == 510


def test_minutes_between_same_day_and_over_weekend() -> None:
    assert CAL.business_minutes_between(at(2023, 3, 1, 9), at(2023, 3, 1, 10)) == 60
    # Friday 16:00 → Monday 09:00: 30 min Friday + 60 min Monday
    assert CAL.business_minutes_between(at(2023, 3, 3, 16), at(2023, 3, 6, 9)) == 90
    # before opening and after closing count nothing
    assert CAL.business_minutes_between(at(2023, 3, 1, 5), at(2023, 3, 1, 8)) == 0
    assert CAL.business_minutes_between(at(2023, 3, 1, 10), at(2023, 3, 1, 9)) == 0


def test_midsummer_week() -> None:
    # Thursday 22 June 16:00 → Monday 26 June 08:30: 30 + 30 minutes, Friday is midsommarafton
    assert CAL.business_minutes_between(at(2023, 6, 22, 16), at(2023, 6, 26, 8, 30)) == 60
    assert CAL.add_business_minutes(at(2023, 6, 22, 16), 60) == at(2023, 6, 26, 8, 30)


def test_add_lands_on_closing_time_not_next_morning() -> None:
    assert CAL.add_business_minutes(at(2023, 3, 1, 16), 30) == at(2023, 3, 1, 16, 30)
    assert CAL.add_business_minutes(at(2023, 3, 1, 16), 31) == at(2023, 3, 2, 8, 1)
    # starting at night begins counting at opening
    assert CAL.add_business_minutes(at(2023, 3, 1, 22), 10) == at(2023, 3, 2, 8, 10)


def test_dst_change_is_measured_in_real_time() -> None:
    sunday_opening = BusinessCalendar(weekly={6: (time(0, 0), time(23, 59))}, public_holidays=False)
    # 26 March 2023: clocks jump 02:00 → 03:00, so 00:00–04:00 local is 3 real hours
    assert sunday_opening.business_minutes_between(at(2023, 3, 26, 0), at(2023, 3, 26, 4)) == 180


def test_pauses_are_excluded_and_overlaps_merged() -> None:
    pauses = [
        (at(2023, 3, 1, 9), at(2023, 3, 1, 10)),
        (at(2023, 3, 1, 9, 30), at(2023, 3, 1, 11)),
    ]
    assert CAL.business_minutes_between(at(2023, 3, 1, 8), at(2023, 3, 1, 12), pauses) == 120
    assert CAL.add_business_minutes(at(2023, 3, 1, 8), 90, pauses) == at(2023, 3, 1, 11, 30)


def test_closed_days_and_overrides() -> None:
    cal = BusinessCalendar(
        closed_days=frozenset({date(2023, 3, 2)}),
        day_overrides={
            date(2023, 3, 3): (time(8, 0), time(12, 0)),
            date(2023, 6, 23): (time(9), time(10)),
        },
    )
    assert not cal.is_working_day(date(2023, 3, 2))
    assert cal.minutes_per_day(date(2023, 3, 3)) == 240
    assert cal.minutes_per_day(date(2023, 6, 23)) == 60  # an override opens a holiday


def test_error_paths() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.business_minutes_between(datetime(2023, 3, 1, 9), at(2023, 3, 1, 10))
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_minutes(at(2023, 3, 1, 9), -1)
    with pytest.raises(ValueError, match="ends before"):
        merge_intervals([(at(2023, 3, 1, 10), at(2023, 3, 1, 9))])
    with pytest.raises(ValueError, match="start before"):
        BusinessCalendar(weekly={0: (time(17), time(8))})
    with pytest.raises(ValueError, match="weekday"):
        BusinessCalendar(weekly={7: (time(8), time(9))})
    with pytest.raises(ValueError, match="at least one"):
        BusinessCalendar(weekly={})
    only_midsummer_eve_override = BusinessCalendar(
        weekly={4: (time(8), time(9))},
        closed_days=frozenset(date(2023, 1, 1) + timedelta(days=i) for i in range(2000)),
        day_overrides={date(2020, 1, 1): None},
    )
    with pytest.raises(ValueError, match="no working time"):
        only_midsummer_eve_override.add_business_minutes(at(2023, 1, 1), 10)


instants = st.datetimes(
    min_value=datetime(2022, 1, 1),
    max_value=datetime(2025, 12, 31),
    timezones=st.just(UTC),
)


@settings(max_examples=150, deadline=None)
@given(start=instants, minutes=st.integers(min_value=0, max_value=20 * 510))
def test_add_then_measure_round_trips(start: datetime, minutes: int) -> None:
    due = CAL.add_business_minutes(start, minutes)
    assert CAL.business_minutes_between(start, due) == minutes
    assert CAL.business_time_between(start, due) == timedelta(minutes=minutes)


@settings(max_examples=100, deadline=None)
@given(
    start=instants,
    minutes=st.integers(min_value=1, max_value=5 * 510),
    pause_at=st.integers(min_value=0, max_value=10 * 24 * 60),
    pause_len=st.integers(min_value=0, max_value=5 * 24 * 60),
)
def test_round_trip_with_pause(start: datetime, minutes: int, pause_at: int, pause_len: int) -> None:
    pause_start = start + timedelta(minutes=pause_at)
    pauses = [(pause_start, pause_start + timedelta(minutes=pause_len))]
    due = CAL.add_business_minutes(start, minutes, pauses)
    assert CAL.business_minutes_between(start, due, pauses) == minutes
    # a pause can only postpone the due time
    assert due >= CAL.add_business_minutes(start, minutes)


@settings(max_examples=100, deadline=None)
@given(start=instants, a=st.integers(0, 3000), b=st.integers(0, 3000))
def test_add_is_monotone_in_minutes(start: datetime, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert CAL.add_business_minutes(start, low) <= CAL.add_business_minutes(start, high)


@settings(max_examples=100, deadline=None)
@given(start=instants, d1=st.integers(0, 20000), d2=st.integers(0, 20000))
def test_between_is_monotone_and_additive(start: datetime, d1: int, d2: int) -> None:
    mid = start + timedelta(minutes=min(d1, d2))
    end = start + timedelta(minutes=max(d1, d2))
    whole = CAL.business_time_between(start, end)
    assert CAL.business_time_between(start, mid) <= whole
    assert CAL.business_time_between(start, mid) + CAL.business_time_between(mid, end) == whole
    assert whole <= end - start
