"""The notice board's three-week rule for adjusted minutes (kommunallagen, KL).

A member of the municipality may appeal a decision within three weeks from the day the notice
that the minutes have been adjusted was posted on the notice board (KL 13 kap. 5 §), and the
notice may not be taken down before that time has run out (KL 8 kap. 12 §).

What this module implements, precisely:

* The last day of the appeal period is the posting day plus 21 days (the same weekday three
  weeks later). When that day is a Saturday, a Sunday, a public holiday, midsommarafton,
  julafton or nyårsafton, the period runs to the next day that is none of these (lag
  (1930:173) om beräkning av lagstadgad tid).
* The earliest take-down date is that last day of the appeal period: the notice stays up
  through that whole day, so a take-down date is always at least posting + 21 days.
* A notice is *current* on the days from its posting day through its take-down day, both
  inclusive.
"""

from __future__ import annotations

from datetime import date, timedelta

from samverkan.domain.business_hours import swedish_holidays
from samverkan.domain.errors import DomainError

APPEAL_PERIOD = timedelta(weeks=3)


class NoticePeriodError(DomainError):
    """A take-down date before the appeal period has run out."""


def _closed(day: date) -> bool:
    return day.weekday() >= 5 or day in swedish_holidays(day.year)


def appeal_period_end(posted_on: date) -> date:
    """The last day an appeal can come in: posting + 3 weeks, moved past closed days."""
    day = posted_on + APPEAL_PERIOD
    while _closed(day):
        day += timedelta(days=1)
    return day


def earliest_take_down(posted_on: date) -> date:
    """The first date the notice may be taken down (at the end of that day)."""
    return appeal_period_end(posted_on)


def check_take_down(posted_on: date, taken_down_on: date) -> date:
    """Return `taken_down_on` if it keeps the notice up through the appeal period, else raise."""
    earliest = earliest_take_down(posted_on)
    if taken_down_on < earliest:
        raise NoticePeriodError(
            f"Anslaget får inte tas ned före {earliest.isoformat()}: överklagandetiden är tre veckor "
            f"från den dag anslaget sattes upp ({posted_on.isoformat()})."
        )
    return taken_down_on


def is_current(posted_on: date, taken_down_on: date, today: date) -> bool:
    """True while the notice is on the board (posting day through take-down day)."""
    return posted_on <= today <= taken_down_on
