from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.periods import (
    Period,
    PeriodKind,
    ProrataRule,
    Timing,
    active_months,
    issue_date,
    months_in_span,
    one_off_cutoff,
    overlap,
    parse_period,
    period_containing,
    periods_in_year,
    prorata_factor,
)

Q1 = Period(2025, PeriodKind.QUARTER, 1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-T1", date(2025, 1, 1), date(2025, 4, 30)),
        ("2025-T3", date(2025, 9, 1), date(2025, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("202503", date(2025, 3, 1), date(2025, 3, 31)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_parse_gives_calendar_bounds(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2025-Q5", "2025-T4", "2025-13", "2025-00", "Q1", "2025-H1", "", "2025-Q0"])
def test_parse_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def test_str_round_trips_and_labels() -> None:
    assert [str(p) for p in periods_in_year(2025, PeriodKind.TERTIAL)] == [
        "2025-T1",
        "2025-T2",
        "2025-T3",
    ]
    assert str(Period(2025, PeriodKind.MONTH, 3)) == "2025-03"
    assert str(Period(2025, PeriodKind.YEAR)) == "2025"
    assert Q1.label_sv() == "kvartal 1 2025"
    assert Period(2025, PeriodKind.MONTH, 3).label_sv() == "mars 2025"
    assert parse_period("2025-T2").label_sv() == "tertial 2 2025"


def test_invalid_index_is_refused() -> None:
    with pytest.raises(ValueError):
        Period(2025, PeriodKind.QUARTER, 5)


def test_next_previous_cross_years() -> None:
    assert parse_period("2025-Q4").next() == parse_period("2026-Q1")
    assert parse_period("2026-T1").previous() == parse_period("2025-T3")
    assert parse_period("2025-01").previous() == parse_period("2024-12")


def test_timing_dates() -> None:
    assert issue_date(Q1, Timing.ARREARS) == date(2025, 4, 1)
    assert issue_date(Q1, Timing.ADVANCE) == date(2025, 1, 1)
    assert one_off_cutoff(Q1, Timing.ARREARS) == date(2025, 3, 31)
    assert one_off_cutoff(Q1, Timing.ADVANCE) == date(2024, 12, 31)


def test_full_quarter_of_monthly_price_is_three_months() -> None:
    assert prorata_factor(date(2024, 5, 1), None, Q1, 1) == 3
    assert prorata_factor(date(2024, 5, 1), None, Q1, 3) == 1
    assert prorata_factor(date(2024, 5, 1), None, Q1, 12) == Fraction(1, 4)


def test_part_month_by_days_uses_that_months_length() -> None:
    # 1–15 February 2025: 15 of 28 days
    assert active_months(date(2025, 1, 20), date(2025, 2, 15), Period(2025, PeriodKind.MONTH, 2)) == Fraction(15, 28)
    # Start 17 March: 15 of 31 days of March, nothing in Jan–Feb
    assert prorata_factor(date(2025, 3, 17), None, Q1, 1) == Fraction(15, 31)


def test_whole_months_rule_charges_any_started_month() -> None:
    assert prorata_factor(date(2025, 3, 31), None, Q1, 1, ProrataRule.WHOLE_MONTHS) == 1
    assert prorata_factor(date(2025, 1, 15), date(2025, 2, 1), Q1, 1, ProrataRule.WHOLE_MONTHS) == 2


def test_subscription_outside_period_is_zero_and_bad_range_fails() -> None:
    assert prorata_factor(date(2025, 4, 1), None, Q1, 1) == 0
    assert prorata_factor(date(2024, 1, 1), date(2024, 12, 31), Q1, 1) == 0
    assert overlap(date(2025, 4, 1), None, Q1) is None
    with pytest.raises(ValueError):
        overlap(date(2025, 2, 1), date(2025, 1, 1), Q1)
    with pytest.raises(ValueError):
        prorata_factor(date(2025, 1, 1), None, Q1, 2)


def test_contains_and_period_containing() -> None:
    assert period_containing(date(2025, 8, 31), PeriodKind.TERTIAL) == parse_period("2025-T2")
    assert period_containing(date(2025, 9, 1), PeriodKind.TERTIAL) == parse_period("2025-T3")
    assert Q1.contains(date(2025, 3, 31)) and not Q1.contains(date(2025, 4, 1))


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
kinds = st.sampled_from(list(PeriodKind))


@given(days, kinds)
def test_periods_tile_the_year(day: date, kind: PeriodKind) -> None:
    period = period_containing(day, kind)
    assert period.contains(day)
    assert period.next().start == period.end + timedelta(days=1)
    assert period.next().previous() == period
    assert parse_period(str(period)) == period
    assert (
        sum(p.days for p in periods_in_year(day.year, kind)) == (date(day.year, 12, 31) - date(day.year, 1, 1)).days + 1
    )


@given(
    days,
    st.integers(min_value=0, max_value=400),
    days,
    kinds,
    st.sampled_from(list(ProrataRule)),
)
def test_prorata_is_additive_over_sub_periods(
    start: date, length: int, day: date, kind: PeriodKind, rule: ProrataRule
) -> None:
    """Billing a year month by month gives exactly what billing it as quarters or at once gives."""
    end = start + timedelta(days=length)
    period = period_containing(day, kind)
    whole = active_months(start, end, period, rule)
    parts = sum((active_months(start, end, m, rule) for m in period.months()), Fraction(0))
    assert whole == parts
    assert 0 <= whole <= kind.months


@given(days, days)
def test_whole_months_never_less_than_days(start: date, day: date) -> None:
    period = period_containing(day, PeriodKind.QUARTER)
    by_days = active_months(start, None, period, ProrataRule.DAYS)
    by_months = active_months(start, None, period, ProrataRule.WHOLE_MONTHS)
    assert by_days <= by_months < by_days + 2


def test_months_in_span_counts_whole_months_equally() -> None:
    assert months_in_span(date(2025, 1, 1), date(2025, 12, 31)) == 12
    assert months_in_span(date(2025, 1, 1), date(2025, 3, 31)) == 3
    assert months_in_span(date(2025, 2, 15), date(2025, 3, 31)) == 1 + Fraction(14, 28)
    assert months_in_span(date(2024, 12, 1), date(2025, 1, 31)) == 2
    assert months_in_span(date(2025, 2, 1), date(2025, 1, 1)) == 0


@given(days, st.integers(min_value=0, max_value=800))
def test_months_in_span_matches_quarter_sums(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    quarters = {period_containing(start + timedelta(days=d), PeriodKind.QUARTER) for d in range(0, length + 1, 28)}
    quarters |= {period_containing(end, PeriodKind.QUARTER)}
    assert months_in_span(start, end) == sum((active_months(start, end, q) for q in quarters), Fraction(0))
