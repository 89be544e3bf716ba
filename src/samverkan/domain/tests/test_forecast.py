from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.forecast import accuracy, forecast, seasonal_profile

MONDAY = datetime(2023, 5, 15, 10, 0)


def weekly(values, at=MONDAY):
    """values[0] is one week before ``at``, values[1] two weeks before, ..."""
    return {at - timedelta(days=7 * (k + 1)): v for k, v in enumerate(values)}


def test_same_weekday_and_interval_weighted_by_recency():
    history = weekly([10, 20])
    history[MONDAY - timedelta(days=1)] = 999  # a Sunday: ignored
    history[MONDAY - timedelta(days=7, minutes=15)] = 999  # another interval: ignored
    got = forecast(history, [MONDAY], weeks=2, decay=0.5, profile=dict.fromkeys(range(1, 13), 1.0))
    assert got[MONDAY] == pytest.approx((10 + 0.5 * 20) / 1.5)


def test_missing_weeks_are_skipped_not_zero():
    history = weekly([10, None, 10])
    history = {k: v for k, v in history.items() if v is not None}
    assert forecast(history, [MONDAY], weeks=3, decay=1.0)[MONDAY] == pytest.approx(10)
    assert forecast({}, [MONDAY])[MONDAY] == 0.0


def test_seasonal_profile_scales_between_months():
    profile = dict.fromkeys(range(1, 13), 1.0) | {7: 0.5}
    august = datetime(2023, 8, 7, 10, 0)  # a Monday; one week back is July 31
    history = {august - timedelta(days=7): 50}
    assert forecast(history, [august], weeks=1, profile=profile)[august] == pytest.approx(100)


def test_profile_from_full_year():
    start = datetime(2022, 1, 3, 9)
    history = {start + timedelta(days=d): (50 if (start + timedelta(days=d)).month == 7 else 100) for d in range(365)}
    prof = seasonal_profile(history)
    assert prof[7] < 0.6 < 1.0 < prof[1]
    assert sum(prof.values()) == pytest.approx(12)
    assert seasonal_profile({start: 5}) == dict.fromkeys(range(1, 13), 1.0)


def test_invalid_parameters():
    with pytest.raises(ValueError):
        forecast({}, [MONDAY], weeks=0)
    with pytest.raises(ValueError):
        forecast({}, [MONDAY], decay=0)


def test_accuracy():
    t = [MONDAY + timedelta(minutes=15 * i) for i in range(3)]
    acc = accuracy(dict(zip(t, [10, 12, 8], strict=True)), dict(zip(t, [10, 10, 10], strict=True)))
    assert acc.wape == Decimal("0.1333") and acc.bias == Decimal("0.0000") and acc.intervals == 3
    assert accuracy({}, {}).wape is None


@given(st.lists(st.integers(0, 500), min_size=1, max_size=8))
def test_constant_history_forecasts_itself(values):
    c = values[0]
    history = weekly([c] * len(values))
    assert forecast(history, [MONDAY], weeks=len(values))[MONDAY] == pytest.approx(c)
