"""Dates of an agreement: when the current term ends, the last day to give notice, when to remind.

Swedish agreements state these in prose, e.g. the GSN cooperation agreement (seed 003, § 4):
"Avtalet förlängs därefter årligen med ett år i taget såvida avtalet inte uppsagts skriftligen
senast den 30 december året innan avtalstidens utgång." :func:`parse_renewal` reads such a
sentence into :class:`Renewal`; the rest is plain date arithmetic.

Rules (documented because a missed deadline binds the federation for another term):

- A term ends on its last day (``valid_to``); a renewal adds ``Renewal.years`` whole years.
  An open-ended agreement ("tillsvidare") with a yearly renewal runs per calendar year: its
  first term ends on 31 December of the year it starts.
- The notice deadline of a term is the last day notice may be given. With a fixed day in the
  text ("senast den 30 december") it is that day in the year the term ends, or in the year
  before when the text says "året innan"; "före den 30 december" means the day before. Without
  a fixed day it is the term end moved back by the notice period in months, counted from the
  day after the end (end 31 December, 3 months: notice by 30 September).
- Month arithmetic clamps to the month's last day (31 May minus 3 months is 28/29 February).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from samverkan.domain.errors import DomainError

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_NUMBER_WORDS = {"ett": 1, "en": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5}
_YEARS = re.compile(r"(?:förläng\w*|\bmed)\D{0,40}?\b(\d+|ett|en|två|tre|fyra|fem)\s+år", re.IGNORECASE)
_DAY = re.compile(
    r"\b(senast|före)\s+(?:den\s+)?(\d{1,2})\s+(" + "|".join(MONTHS) + r")\b(.{0,40})", re.IGNORECASE | re.DOTALL
)
DEFAULT_REMINDER_DAYS: tuple[int, ...] = (90, 30)


@dataclass(frozen=True)
class Renewal:
    """How an agreement renews: by `years` at a time, notice by a fixed day (month, day) or none."""

    years: int
    month: int | None = None
    day: int | None = None
    inclusive: bool = True  # "senast den 30 december" (True) or "före den 30 december" (False)
    year_before: bool = False  # "… året innan avtalstidens utgång"


@dataclass(frozen=True)
class NoticeDates:
    term_end: date
    deadline: date


def parse_renewal(text: str) -> Renewal | None:
    """The renewal a Swedish sentence describes, or None when it names no renewal period."""
    found = _YEARS.search(text)
    if found is None:
        return None
    word = found.group(1).lower()
    years = int(word) if word.isdigit() else _NUMBER_WORDS[word]
    if years < 1:
        raise DomainError("Förlängningen måste vara minst ett år.")
    day = _DAY.search(text)
    if day is None:
        return Renewal(years=years)
    month = MONTHS[day.group(3).lower()]
    number = int(day.group(2))
    if number > calendar.monthrange(2001, month)[1]:
        raise DomainError(f"Ogiltigt datum i förlängningstexten: {number} {day.group(3)}.")
    return Renewal(
        years=years,
        month=month,
        day=number,
        inclusive=day.group(1).lower() == "senast",
        year_before="året innan" in day.group(4).lower() or "året före" in day.group(4).lower(),
    )


def add_months(value: date, months: int) -> date:
    """`value` moved by whole months (negative: back), clamped to the month's last day."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(value.day, calendar.monthrange(year, month + 1)[1]))


def add_years(value: date, years: int) -> date:
    return add_months(value, 12 * years)


def first_term_end(valid_from: date, valid_to: date | None, renewal: Renewal | None) -> date | None:
    """The end of the first term: `valid_to`, or for an open-ended renewing agreement the last
    day of its start year. None: open-ended without renewal (no term to end)."""
    if valid_to is not None:
        return valid_to
    if renewal is None:
        return None
    return date(valid_from.year, 12, 31)


def term_deadline(term_end: date, *, notice_months: int | None, renewal: Renewal | None) -> date | None:
    """The last day to give notice so that the term ending `term_end` is the last one."""
    if renewal is not None and renewal.month is not None and renewal.day is not None:
        year = term_end.year - 1 if renewal.year_before else term_end.year
        fixed = date(year, renewal.month, min(renewal.day, calendar.monthrange(year, renewal.month)[1]))
        return fixed if renewal.inclusive else fixed - timedelta(days=1)
    if notice_months:
        return add_months(term_end + timedelta(days=1), -notice_months) - timedelta(days=1)
    return None


def next_notice(
    *,
    valid_from: date,
    valid_to: date | None,
    notice_months: int | None,
    renewal: Renewal | None,
    today: date,
) -> NoticeDates | None:
    """The first term end whose notice deadline is today or later, with that deadline.

    Without renewal only the first term counts (its deadline may have passed: then None).
    """
    end = first_term_end(valid_from, valid_to, renewal)
    if end is None:
        return None
    for _ in range(200):  # a term of at least one year: 200 terms is far beyond any agreement
        deadline = term_deadline(end, notice_months=notice_months, renewal=renewal)
        if deadline is None:
            return None
        if deadline >= today:
            return NoticeDates(term_end=end, deadline=deadline)
        if renewal is None:
            return None
        end = add_years(end + timedelta(days=1), renewal.years) - timedelta(days=1)
    return None


def reminder_dates(deadline: date, days: Iterable[int] = DEFAULT_REMINDER_DAYS) -> list[date]:
    """The days a reminder about `deadline` is due, earliest first."""
    return sorted({deadline - timedelta(days=d) for d in days if d >= 0})


def reminder_window_start(deadline: date, today: date, days: Iterable[int] = DEFAULT_REMINDER_DAYS) -> date | None:
    """The latest reminder day on or before `today` for a deadline not yet passed; None when no
    reminder is due yet or the deadline has passed. A reminder sent on or after this day covers
    it, so each reminder day gives one e-mail however often the task runs."""
    if today > deadline:
        return None
    started = [d for d in reminder_dates(deadline, days) if d <= today]
    return started[-1] if started else None


def retention_cutoff(today: date, keep_years: int) -> date:
    """Records dated before this day have been kept `keep_years` full years."""
    if keep_years < 0:
        raise DomainError("Bevarandetiden kan inte vara negativ.")
    return add_years(today, -keep_years)
