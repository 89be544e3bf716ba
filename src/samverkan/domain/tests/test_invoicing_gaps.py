from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.billing_frequency import Frequency, Span
from samverkan.domain.invoicing_gaps import RunCount, count_drops, last_ended, not_invoiced
from samverkan.domain.periods import Period, PeriodKind, Timing, parse_period

ARREARS, ADVANCE = Timing.ARREARS, Timing.ADVANCE


def test_last_ended_period_of_each_frequency():
    today = date(2026, 1, 15)
    assert last_ended(Frequency.MONTH, today) == Span(date(2025, 12, 1), date(2025, 12, 31))
    assert last_ended(Frequency.QUARTER, today) == Span(date(2025, 10, 1), date(2025, 12, 31))
    assert last_ended(Frequency.TERTIAL, date(2026, 5, 1)) == Span(date(2026, 1, 1), date(2026, 4, 30))
    assert last_ended(Frequency.HALF_YEAR, date(2026, 6, 30)) == Span(date(2025, 7, 1), date(2025, 12, 31))
    assert last_ended(Frequency.YEAR, date(2026, 12, 31)) == Span(date(2025, 1, 1), date(2025, 12, 31))


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(9998, 12, 31)), st.sampled_from(list(Frequency)))
def test_last_ended_is_whole_and_just_before_today(today, frequency):
    span = last_ended(frequency, today)
    assert span.end < today
    months = (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1
    assert months == frequency.months
    assert (span.start.month - 1) % frequency.months == 0
    # The next period of that frequency has not ended yet.
    assert span.end + timedelta(days=1) + timedelta(days=31 * frequency.months) > today


def test_quarter_not_invoiced_until_an_issued_run_bills_it():
    today = date(2026, 2, 10)
    assert not_invoiced([Frequency.QUARTER], [(parse_period("2025-Q3"), ARREARS)], today) == [
        (Frequency.QUARTER, Span(date(2025, 10, 1), date(2025, 12, 31)))
    ]
    assert not_invoiced([Frequency.QUARTER], [(parse_period("2025-Q4"), ARREARS)], today) == []
    # In advance the run for Q4 bills it before it starts; a run for December in arrears too.
    assert not_invoiced([Frequency.QUARTER], [(parse_period("2025-Q4"), ADVANCE)], today) == []
    assert not_invoiced([Frequency.QUARTER], [(parse_period("2025-12"), ARREARS)], today) == []


def test_each_frequency_in_use_is_asked_shortest_first():
    gaps = not_invoiced([Frequency.TERTIAL, Frequency.MONTH], [(parse_period("2025-Q4"), ARREARS)], date(2026, 1, 20))
    # December is billed by the quarter's run; the last tertial (Sep–Dec) ends in December too.
    assert gaps == []
    gaps = not_invoiced([Frequency.TERTIAL, Frequency.MONTH, Frequency.MONTH], [], date(2026, 2, 1))
    assert [f for f, _span in gaps] == [Frequency.MONTH, Frequency.TERTIAL]


def _run(key, period, invoices, timing=ARREARS):
    return RunCount(key, parse_period(period), timing, invoices)


def test_count_drop_against_the_previous_run_of_the_same_kind():
    runs = [_run(1, "2025-Q3", 13), _run(2, "2025-Q4", 13), _run(3, "2026-Q1", 8), _run(4, "2026-01", 2)]
    drops = count_drops(runs)
    assert [(latest.key, previous.key) for latest, previous in drops] == [(3, 2)]


def test_a_later_run_for_the_same_period_counts_and_kinds_are_apart():
    runs = [_run(1, "2025-Q4", 13), _run(2, "2026-Q1", 8), _run(3, "2026-Q1", 13), _run(4, "2026-Q1", 1, ADVANCE)]
    assert count_drops(runs) == []
    assert count_drops([_run(1, "2026-Q1", 8)]) == []


@given(st.lists(st.tuples(st.integers(2020, 2030), st.integers(1, 4), st.integers(0, 20)), max_size=12))
def test_drops_are_only_real_drops(rows):
    runs = [RunCount(i, Period(y, PeriodKind.QUARTER, q), ARREARS, n) for i, (y, q, n) in enumerate(rows)]
    for latest, previous in count_drops(runs):
        assert previous.period < latest.period
        assert latest.invoices < previous.invoices
        assert latest.period == max(run.period for run in runs)
