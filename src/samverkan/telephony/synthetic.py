"""Deterministic synthetic call traffic: demo data, benchmark files and test fixtures.

Arrivals follow a working-day profile (08–17 on weekdays, peaks mid-morning and after
lunch); which calls are answered within T is not left to chance but decided exactly, so
a generated year reproduces a published service level to the call (see
:func:`calls_for_target`). Pure Python, seeded ``random.Random``: the same arguments always
give the same calls, on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from samverkan.domain.service_level import Outcome

from .importers.queue_log import STOCKHOLM

# share of a day's calls per hour 08..16 (sums to 1)
HOUR_PROFILE = (0.10, 0.16, 0.15, 0.11, 0.09, 0.13, 0.12, 0.08, 0.06)
# seasonal weight per month (January busy, July quiet)
MONTH_PROFILE = (1.15, 1.05, 1.05, 1.0, 1.0, 0.95, 0.6, 0.9, 1.1, 1.1, 1.05, 0.95)


@dataclass(frozen=True, slots=True)
class SyntheticCall:
    callid: str
    queue: str
    entered: int  # epoch seconds
    outcome: Outcome
    wait: int
    talk: int
    agent: str


def working_days(year: int) -> list[date]:
    day, days = date(year, 1, 1), []
    while day.year == year:
        if day.isoweekday() <= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def arrivals(
    rng: random.Random, year: int, total: int, months: tuple[int, ...] | None = None
) -> list[tuple[int, int, int]]:
    """``total`` arrivals (epoch, month, hour index) over the year's (or the months') working hours."""
    days = [d for d in working_days(year) if months is None or d.month in months]
    weights = [MONTH_PROFILE[d.month - 1] for d in days]
    picks = rng.choices(range(len(days)), weights=weights, k=total)
    hours = rng.choices(range(len(HOUR_PROFILE)), weights=HOUR_PROFILE, k=total)
    # epoch of each working day's opening hours, computed once (DST handled by the zone)
    bases = [
        [int(datetime(d.year, d.month, d.day, 8 + h, tzinfo=STOCKHOLM).timestamp()) for h in range(len(HOUR_PROFILE))]
        for d in days
    ]
    times = [(bases[d][h] + rng.randrange(3600), days[d].month, h) for d, h in zip(picks, hours, strict=True)]
    times.sort()
    return times


def calls_for_target(
    *,
    seed: int,
    queue: str,
    year: int,
    answered: int,
    answered_within: int,
    within_seconds: int,
    abandoned: int = 0,
    aht_seconds: int = 150,
    agents: int = 8,
    agent_base: int = 100,
    months: tuple[int, ...] | None = None,
) -> list[SyntheticCall]:
    """A year of calls whose measured figures are exact by construction.

    Exactly ``answered_within`` of the ``answered`` calls wait ``<= within_seconds`` (skewed
    short) and the rest wait T+1 .. 4T. Which calls are slow is a seeded weighted sample
    without replacement (Efraimidis–Spirakis keys), heavier in busy months and peak hours, so
    the monthly and hourly figures vary the way a real switchboard's do while the year's
    total stays exact. Abandoned calls (all waiting longer than the short-abandon threshold)
    come on top; they do not change the "answered" service level that annual reports quote.
    """
    if not 0 <= answered_within <= answered:
        raise ValueError("answered_within must be between 0 and answered")
    rng = random.Random(seed)
    total = answered + abandoned
    times = arrivals(rng, year, total, months)
    kinds = [Outcome.ANSWERED] * answered + [Outcome.ABANDONED] * abandoned
    rng.shuffle(kinds)
    peak = max(HOUR_PROFILE)
    answered_at = [i for i, kind in enumerate(kinds) if kind is Outcome.ANSWERED]
    keyed = []
    for i in answered_at:
        _epoch, month, hour = times[i]
        weight = MONTH_PROFILE[month - 1] ** 4 * (HOUR_PROFILE[hour] / peak) ** 2
        keyed.append((rng.random() ** (1 / weight), i))
    keyed.sort(reverse=True)
    slow = {i for _key, i in keyed[: answered - answered_within]}
    calls = []
    for i, ((epoch, _month, _hour), kind) in enumerate(zip(times, kinds, strict=True)):
        if kind is Outcome.ANSWERED:
            quick = i not in slow
            wait = (
                int(within_seconds * rng.random() ** 2)
                if quick
                else rng.randint(within_seconds + 1, 4 * within_seconds)
            )
            talk = max(10, int(rng.expovariate(1 / aht_seconds)))
        else:
            wait, talk = rng.randint(10, 3 * within_seconds), 0
        calls.append(
            SyntheticCall(
                f"{queue}-{year}{_month_tag(months)}-{i:07d}",
                queue,
                epoch,
                kind,
                wait,
                talk,
                f"SIP/{agent_base + rng.randrange(agents)}",
            )
        )
    return calls


def _month_tag(months: tuple[int, ...] | None) -> str:
    return "" if months is None else "-" + "-".join(f"{m:02d}" for m in months)


def random_calls(
    *, seed: int, queues: Iterable[str], start_epoch: int, count: int, mean_gap: float = 20.0
) -> Iterator[SyntheticCall]:
    """Endless-looking random traffic for benchmarks: answered ~85 %, the rest split over exits."""
    rng = random.Random(seed)
    names = list(queues)
    epoch = float(start_epoch)
    others = (Outcome.ABANDONED, Outcome.ABANDONED, Outcome.TIMEOUT, Outcome.EXIT_KEY, Outcome.EXIT_EMPTY)
    for i in range(count):
        epoch += rng.expovariate(1 / mean_gap)
        outcome = Outcome.ANSWERED if rng.random() < 0.85 else rng.choice(others)
        yield SyntheticCall(
            f"{int(epoch)}.{i}",
            rng.choice(names),
            int(epoch),
            outcome,
            int(rng.expovariate(1 / 25)),
            int(rng.expovariate(1 / 160)) + 5,
            f"SIP/{100 + rng.randrange(20)}",
        )


def queue_log_lines(calls: Iterable[SyntheticCall], *, ring_every: int = 7) -> Iterator[str]:
    """Asterisk queue_log lines (with newline) for the calls, events in time order per call."""
    for n, c in enumerate(calls):
        q, cid = c.queue, c.callid
        yield f"{c.entered}|{cid}|{q}|NONE|ENTERQUEUE||0950{n % 100000:05d}|1\n"
        end = c.entered + c.wait
        if ring_every and n % ring_every == 0 and c.wait > 15:
            yield f"{c.entered + 15}|{cid}|{q}|{c.agent}|RINGNOANSWER|15000\n"
        if c.outcome is Outcome.ANSWERED:
            yield f"{end}|{cid}|{q}|{c.agent}|CONNECT|{c.wait}|{cid}.1|3\n"
            event = "COMPLETECALLER" if n % 2 else "COMPLETEAGENT"
            yield f"{end + c.talk}|{cid}|{q}|{c.agent}|{event}|{c.wait}|{c.talk}|1\n"
        elif c.outcome is Outcome.EXIT_KEY:
            yield f"{end}|{cid}|{q}|NONE|EXITWITHKEY|1|1|1|{c.wait}\n"
        else:
            yield f"{end}|{cid}|{q}|NONE|{_EXIT_EVENTS[c.outcome]}|1|1|{c.wait}\n"


def session_lines(
    calls: Iterable[SyntheticCall], *, open_at: tuple[int, int] = (8, 0), close_at: tuple[int, int] = (16, 30)
) -> Iterator[str]:
    """Membership lines for the agents of ``calls``: each logs in to its queue at opening on every
    day it took a call, pauses for lunch 12:00–12:30 and logs out at closing (with newline, in time order)."""
    days: dict[tuple[date, str, str], None] = {}
    for c in calls:
        if c.outcome is Outcome.ANSWERED:
            days[(datetime.fromtimestamp(c.entered, STOCKHOLM).date(), c.queue, c.agent)] = None
    events = []
    for day, queue, agent in days:
        for (hour, minute), event in (
            (open_at, "ADDMEMBER"),
            ((12, 0), "PAUSE"),
            ((12, 30), "UNPAUSE"),
            (close_at, "REMOVEMEMBER"),
        ):
            epoch = int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM).timestamp())
            events.append((epoch, f"{epoch}|NONE|{queue}|{agent}|{event}|{'Lunch' if event == 'PAUSE' else ''}\n"))
    for _, line in sorted(events):
        yield line


_EXIT_EVENTS = {Outcome.ABANDONED: "ABANDON", Outcome.TIMEOUT: "EXITWITHTIMEOUT", Outcome.EXIT_EMPTY: "EXITEMPTY"}


def csv_lines(calls: Iterable[SyntheticCall]) -> Iterator[str]:
    """The same calls as a generic call-record CSV (default :class:`CsvMapping` columns)."""
    yield "callid,queue,entered,wait,outcome,talk\n"
    for c in calls:
        talk = str(c.talk) if c.outcome is Outcome.ANSWERED else ""
        yield f"{c.callid},{c.queue},{c.entered},{c.wait},{c.outcome.value},{talk}\n"
