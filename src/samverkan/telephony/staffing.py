"""One day's staffing for a queue: forecast against actual calls, Erlang C agents, shift plan.

Fetch-then-calculate: the hourly history is read through the scoped selectors into plain
dicts, then the pure functions in ``samverkan.domain`` do the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from samverkan.domain.forecast import Accuracy, accuracy, forecast
from samverkan.domain.shifts import ShiftPlan, ShiftRule, plan_shifts
from samverkan.telephony import selectors, usecases
from samverkan.telephony.models import Queue

OPEN_HOUR, CLOSE_HOUR = 8, 17
# 4- or 8-hour shifts starting on the hour; the 8-hour shift has a one-hour lunch in hours 4–5
SHIFT_RULES = (
    ShiftRule(starts=range(0, 9), lengths=[4], name="4 h"),
    ShiftRule(starts=range(0, 9), lengths=[9], break_slots=1, break_window=(3, 5), name="8 h + lunch"),
)


@dataclass
class DayPlan:
    queue: Queue
    day: date
    hours: list[str]
    forecast: list[float]
    actual: list[float]
    agents: list[int]
    scheduled: list[int]
    plan: ShiftPlan | None
    accuracy: Accuracy
    aht_seconds: int


def day_plan(user, queue: Queue, day: date, *, target: Decimal, shrinkage: Decimal) -> DayPlan:
    """The forecast and staffing of one day; ``target`` and ``shrinkage`` are shares (0.9, 0.3)."""
    history = selectors.hourly_offered(user, queue, day - timedelta(days=371), day)
    actual_rows = selectors.hourly_offered(user, queue, day, day + timedelta(days=1))
    slots = [datetime(day.year, day.month, day.day, h) for h in range(OPEN_HOUR, CLOSE_HOUR)]
    predicted = forecast(history, slots, weeks=8)
    fc = [round(predicted[s], 1) for s in slots]
    actual = [actual_rows.get(s, 0.0) for s in slots]
    aht = selectors.average_handle_seconds(user, queue)
    hours = [f"{s:%H}" for s in slots]
    staffing = usecases.staffing_plan(
        hours,
        fc,
        aht,
        interval_seconds=3600,
        target=target,
        within_seconds=queue.within_seconds,
        shrinkage=shrinkage,
    ).intervals
    scheduled = [i.agents_with_shrinkage for i in staffing]
    plan = plan_shifts(scheduled, SHIFT_RULES) if any(scheduled) else None
    return DayPlan(
        queue=queue,
        day=day,
        hours=hours,
        forecast=fc,
        actual=actual,
        agents=[i.agents for i in staffing],
        scheduled=scheduled,
        plan=plan,
        accuracy=accuracy({s: predicted[s] for s in slots}, dict(zip(slots, actual, strict=True))),
        aht_seconds=aht,
    )
