from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.service_level import (
    GROUP_KEYS,
    CallRecord,
    Convention,
    Outcome,
    group_stats,
    summarize,
)

T0 = datetime(2023, 3, 1, 9, 0, tzinfo=UTC)


def rec(wait, outcome=Outcome.ANSWERED, talk=100, queue="vaxel", at=T0):
    return CallRecord("c", queue, at, outcome, wait, talk if outcome is Outcome.ANSWERED else None)


def sample():
    # answered: 10 (within 20), 20 (within, boundary), 25 (late); abandoned: 3 (short), 30 (late), 15 (within)
    return [
        rec(10),
        rec(20),
        rec(25),
        rec(3, Outcome.ABANDONED),
        rec(30, Outcome.ABANDONED),
        rec(15, Outcome.TIMEOUT),
    ]


def test_conventions_differ_as_documented():
    stats = summarize(sample(), within_seconds=20, short_abandon_seconds=5)
    assert (stats.offered, stats.answered, stats.abandoned, stats.short_abandoned) == (6, 3, 3, 1)
    assert stats.answered_within == 2  # wait <= T counts as within
    assert stats.service_level_fraction(Convention.ANSWERED) == Fraction(2, 3)
    assert stats.service_level_fraction(Convention.OFFERED) == Fraction(2, 6)
    assert stats.service_level_fraction(Convention.ABANDON_ADJUSTED) == Fraction(2, 5)
    assert stats.service_level_fraction(Convention.ASTERISK_SL2) == Fraction(2 + 2, 6)
    assert stats.service_level(Convention.ANSWERED) == Decimal("0.6667")
    assert stats.asa_seconds() == Decimal("18.33")
    assert stats.abandonment_rate() == Decimal("0.5000")
    assert stats.longest_wait == 30
    assert (stats.talk_total, stats.talk_count) == (300, 3)
    assert stats.outcomes == {"answered": 3, "abandoned": 2, "timeout": 1}


def test_empty_has_no_service_level():
    stats = summarize([], within_seconds=20)
    assert stats.service_level() is None and stats.asa_seconds() is None and stats.abandonment_rate() is None


def test_negative_inputs_refused():
    with pytest.raises(ValueError):
        summarize([rec(-1)], within_seconds=20)
    with pytest.raises(ValueError):
        summarize([], within_seconds=-1)


def test_grouping_by_hour_month_weekday():
    calls = [rec(5, at=T0), rec(50, at=T0 + timedelta(hours=1)), rec(5, at=T0 + timedelta(days=31))]
    by_hour = group_stats(calls, GROUP_KEYS["hour"], 20)
    assert list(by_hour) == ["09", "10"]
    assert by_hour["09"].answered == 2 and by_hour["10"].answered_within == 0
    by_month = group_stats(calls, GROUP_KEYS["month"], 20)
    assert list(by_month) == ["2023-03", "2023-04"]
    assert set(group_stats(calls, GROUP_KEYS["weekday"], 20)) == {"3", "6"}


waits = st.lists(
    st.tuples(st.integers(0, 300), st.sampled_from(list(Outcome)), st.sampled_from(["a", "b", "c"])), max_size=60
)


@given(waits)
def test_groups_add_up_to_the_whole(items):
    records = [rec(w, o, queue=q) for w, o, q in items]
    whole = summarize(records, 20)
    parts = list(group_stats(records, GROUP_KEYS["queue"], 20).values())
    for conv in Convention:  # as reports add queues up: each part's numerator and denominator summed
        num = sum(part.service_level_terms(conv)[0] for part in parts)
        den = sum(part.service_level_terms(conv)[1] for part in parts)
        assert (Fraction(num, den) if den else None) == whole.service_level_fraction(conv)
    assert sum(part.offered for part in parts) == whole.offered == len(records)
    assert max((part.longest_wait for part in parts), default=0) == whole.longest_wait
    sl = whole.service_level_fraction(Convention.ABANDON_ADJUSTED)
    assert sl is None or 0 <= sl <= 1
