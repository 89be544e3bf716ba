"""The three-week rule (domain/notice_period.py): KL 13 kap. 5 §, lag (1930:173)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.notice_period import (
    NoticePeriodError,
    appeal_period_end,
    check_take_down,
    earliest_take_down,
    is_current,
)


def test_three_weeks_to_the_day():
    assert appeal_period_end(date(2013, 10, 30)) == date(2013, 11, 20)  # a Wednesday stays a Wednesday


def test_a_period_ending_on_a_holiday_runs_to_the_next_weekday():
    # Posted Friday 2013-12-06: three weeks later is 2013-12-27 (a Friday, a weekday) — but
    # posted 2013-12-03 ends on 2013-12-24 (julafton), then 25–26 are holidays: Friday 27th.
    assert appeal_period_end(date(2013, 12, 3)) == date(2013, 12, 27)
    # Posted on a Saturday: ends on a Saturday, runs to Monday.
    assert appeal_period_end(date(2024, 5, 4)) == date(2024, 5, 27)


def test_check_take_down():
    assert check_take_down(date(2013, 10, 30), date(2013, 11, 20)) == date(2013, 11, 20)
    with pytest.raises(NoticePeriodError, match="2013-11-20"):
        check_take_down(date(2013, 10, 30), date(2013, 11, 19))


def test_current_includes_both_ends():
    posted, down = date(2013, 10, 30), date(2013, 11, 20)
    assert is_current(posted, down, posted) and is_current(posted, down, down)
    assert not is_current(posted, down, down + timedelta(days=1))
    assert not is_current(posted, down, posted - timedelta(days=1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_never_less_than_three_weeks_and_never_on_a_closed_day(posted):
    end = earliest_take_down(posted)
    assert end >= posted + timedelta(weeks=3)
    assert end - (posted + timedelta(weeks=3)) < timedelta(days=6)
    assert end.weekday() < 5
