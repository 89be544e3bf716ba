"""Call-volume forecast per interval from history.

The method planners trust because they can check it by hand: the forecast for Tuesday
10:15 is the (recency-weighted) mean of the past weeks' Tuesdays at 10:15, each week's
observation scaled by the seasonal index of the target month over that of the week it came
from, so that the first weeks of August are not forecast from July's holiday lull.

The seasonal index of a month is its mean calls per interval-with-data over the mean of
all months (1.0 = an ordinary month); it is computed from the history itself when the
history covers all twelve months, otherwise it can be given or is flat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from samverkan.domain.errors import DomainError

WEEK = timedelta(days=7)


def seasonal_profile(history: Mapping[datetime, float]) -> dict[int, float]:
    """Seasonal index per month 1..12; flat (all 1.0) unless every month has data."""
    sums: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for when, calls in history.items():
        sums[when.month] += calls
        counts[when.month] += 1
    if len(counts) < 12:
        return dict.fromkeys(range(1, 13), 1.0)
    means = {m: sums[m] / counts[m] for m in range(1, 13)}
    overall = sum(means.values()) / 12
    if overall == 0:
        return dict.fromkeys(range(1, 13), 1.0)
    return {m: means[m] / overall for m in range(1, 13)}


def forecast(
    history: Mapping[datetime, float],
    targets: Iterable[datetime],
    *,
    weeks: int = 8,
    decay: float = 0.8,
    profile: Mapping[int, float] | None = None,
) -> dict[datetime, float]:
    """Forecast calls for each target interval start.

    ``history`` maps interval start → calls; a missing key means "no data" (the week is
    skipped, not counted as zero), so holidays can simply be left out. Week k back gets
    weight ``decay**(k-1)``. A target with no usable week gets 0.0.
    """
    if weeks < 1:
        raise DomainError("use at least one past week")
    if not 0 < decay <= 1:
        raise DomainError("decay must be in (0, 1]")
    season = dict(profile) if profile is not None else seasonal_profile(history)
    result: dict[datetime, float] = {}
    for target in targets:
        num = den = 0.0
        weight = 1.0
        for k in range(1, weeks + 1):
            source = target - k * WEEK
            calls = history.get(source)
            if calls is not None:
                scale = (
                    season.get(target.month, 1.0) / season.get(source.month, 1.0) if season.get(source.month) else 1.0
                )
                num += weight * calls * scale
                den += weight
            weight *= decay
        result[target] = num / den if den else 0.0
    return result


@dataclass(frozen=True)
class Accuracy:
    wape: Decimal | None  # sum |F − A| / sum A: the share of volume mis-forecast
    bias: Decimal | None  # (sum F − sum A) / sum A: positive = over-forecast
    intervals: int


def accuracy(forecasts: Mapping[datetime, float], actuals: Mapping[datetime, float]) -> Accuracy:
    """Weighted absolute percentage error over intervals present in both (robust to zero-call intervals)."""
    common: Sequence[datetime] = sorted(set(forecasts) & set(actuals))
    total = sum(actuals[t] for t in common)
    if not common or total == 0:
        return Accuracy(None, None, len(common))
    abs_err = sum(abs(forecasts[t] - actuals[t]) for t in common)
    bias = sum(forecasts[t] - actuals[t] for t in common)
    q = Decimal("0.0001")
    return Accuracy(
        Decimal(repr(abs_err / total)).quantize(q, rounding=ROUND_HALF_UP),
        Decimal(repr(bias / total)).quantize(q, rounding=ROUND_HALF_UP),
        len(common),
    )
