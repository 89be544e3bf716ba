"""Bridge from the database to the pure SLA core: calendars, policies and timer states.

Loads what a calculation needs into plain values (team hours, closed days, targets,
pauses) and calls ``samverkan.domain.sla``; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone

from samverkan.domain.business_hours import BusinessCalendar
from samverkan.domain.sla import DEFAULT_POLICY, DEFAULT_WARNING_RATIO, SlaStatus, SlaTarget, TimerState, timer_state
from samverkan.portal.models import ClosedDay, SlaTargetSetting, Ticket

STATUS_BADGE = {SlaStatus.OK: "ok", SlaStatus.MET: "ok", SlaStatus.WARNING: "warn", SlaStatus.BREACHED: "bad"}


def closed_days(federation_id: int) -> frozenset[date]:
    return frozenset(ClosedDay.objects.filter(federation_id=federation_id).values_list("day", flat=True))


@lru_cache(maxsize=256)
def _calendar(opens: time, closes: time, closed: frozenset[date]) -> BusinessCalendar:
    """A team's calendar: a pure function of its hours and its federation's closed days."""
    return BusinessCalendar(weekly=dict.fromkeys(range(5), (opens, closes)), closed_days=closed)


CalendarKey = tuple[time, time, frozenset[date]]


@lru_cache(maxsize=20_000)
def _warning_at(
    key: CalendarKey, started_at: datetime, minutes: int, pauses: tuple[tuple[datetime, datetime], ...]
) -> datetime:
    """When a timer reaches its warning share: a calendar walk of a few days per ticket, the
    larger part of a list page's SLA badges. Remembered per process: the result depends on
    nothing but the arguments, and a queue shows the same tickets page view after page view."""
    return _calendar(*key).add_business_minutes(started_at, minutes, pauses)


def target_settings(federation_id: int) -> dict[tuple[int | None, int], SlaTarget]:
    """Every configured target of a federation by (team id or None, priority): one small query."""
    return {
        (row.team_id, row.priority): SlaTarget(
            response_minutes=row.response_minutes, resolution_minutes=row.resolution_minutes
        )
        for row in SlaTargetSetting.objects.filter(federation_id=federation_id)
    }


def _pick_target(settings: dict[tuple[int | None, int], SlaTarget], team_id: int, priority: int) -> SlaTarget:
    """Team-specific target first, then the federation's, then the built-in default."""
    return settings.get((team_id, priority)) or settings.get((None, priority)) or DEFAULT_POLICY.target(priority)


def _pauses(ticket: Ticket) -> list[tuple[datetime, datetime | None]]:
    if ticket.pk is None:
        return []
    return [(p.started_at, p.ended_at) for p in ticket.pauses.all()]


@dataclass(frozen=True)
class TicketSla:
    response: TimerState
    resolution: TimerState

    @property
    def worst(self) -> TimerState:
        order = [SlaStatus.BREACHED, SlaStatus.WARNING, SlaStatus.OK, SlaStatus.MET]
        running = [self.resolution, self.response] if self.response.running else [self.resolution]
        return min(running, key=lambda s: order.index(s.status))

    @property
    def badge(self) -> str:
        return STATUS_BADGE[self.worst.status]

    @property
    def paused(self) -> bool:
        return self.resolution.paused

    @property
    def running(self) -> bool:
        return self.resolution.running

    @property
    def due_at(self) -> datetime | None:
        return self.resolution.due_at


@dataclass(frozen=True)
class ListSla:
    """What a list row shows, computed from the stored due times and breach flags.

    The full timer (elapsed business minutes up to now) walks every day since the ticket
    was created; for a queue of old tickets that is too slow per page. Here the only
    calendar work is the warning instant, which lies within the target span.
    """

    badge: str
    paused: bool
    running: bool
    due_at: datetime | None


class SlaContext:
    """Caches closed days and targets per federation and calendars per team, so a list page
    costs at most two queries for its SLA badges whatever teams and priorities its rows have
    (none when the list page passes them in, read by selectors.list_page)."""

    def __init__(
        self,
        closed: dict[int, frozenset[date]] | None = None,
        settings: dict[int, dict[tuple[int | None, int], SlaTarget]] | None = None,
    ) -> None:
        self._closed: dict[int, frozenset[date]] = dict(closed or {})
        self._settings: dict[int, dict[tuple[int | None, int], SlaTarget]] = dict(settings or {})
        self._calendars: dict[int, CalendarKey] = {}

    def _calendar_key(self, ticket) -> CalendarKey:
        if ticket.team_id not in self._calendars:
            team = ticket.team
            if team.federation_id not in self._closed:
                self._closed[team.federation_id] = closed_days(team.federation_id)
            self._calendars[ticket.team_id] = (team.opens, team.closes, self._closed[team.federation_id])
        return self._calendars[ticket.team_id]

    def calendar(self, ticket: Ticket) -> BusinessCalendar:
        return _calendar(*self._calendar_key(ticket))

    def target(self, ticket: Ticket) -> SlaTarget:
        if ticket.federation_id not in self._settings:
            self._settings[ticket.federation_id] = target_settings(ticket.federation_id)
        return _pick_target(self._settings[ticket.federation_id], ticket.team_id, ticket.priority)

    def state(self, ticket: Ticket, now: datetime | None = None) -> TicketSla:
        now = now or timezone.now()
        calendar = self.calendar(ticket)
        target = self.target(ticket)
        # The response clock is never paused: answering a requester does not wait for them.
        response = timer_state(
            calendar=calendar,
            started_at=ticket.created_at,
            target_minutes=target.response_minutes,
            now=now,
            stopped_at=ticket.first_response_at or ticket.closed_at,
        )
        resolution = timer_state(
            calendar=calendar,
            started_at=ticket.created_at,
            target_minutes=target.resolution_minutes,
            now=now,
            pauses=_pauses(ticket),
            stopped_at=ticket.resolved_at or ticket.closed_at,
        )
        return TicketSla(response=response, resolution=resolution)

    def _light_timer(self, ticket, key, target_minutes, due_at, stopped, breached_flag, pauses, now) -> str:
        if stopped:
            return "bad" if breached_flag else "ok"
        if due_at is None:  # paused: the clock stands still
            return "paused"
        if now > due_at:
            return "bad"
        warning_minutes = int(target_minutes * DEFAULT_WARNING_RATIO)
        # Business time never runs faster than the clock: before this no calendar can warn.
        if now < ticket.created_at + timedelta(minutes=warning_minutes):
            return "ok"
        warning_at = _warning_at(key, ticket.created_at, warning_minutes, tuple(pauses))
        return "warn" if now >= warning_at else "ok"

    def list_state(
        self, ticket: Ticket, now: datetime | None = None, ended_pauses: list[tuple[datetime, datetime]] | None = None
    ) -> ListSla:
        """``ended_pauses``: the ticket's finished pauses when the caller fetched them for a whole
        list (selectors.list_page); otherwise they are read from the ticket."""
        now = now or timezone.now()
        key, target = self._calendar_key(ticket), self.target(ticket)
        stopped = ticket.resolved_at is not None or ticket.closed_at is not None
        if ended_pauses is None:
            ended_pauses = [(start, end) for start, end in _pauses(ticket) if end is not None]
        pauses = ended_pauses
        resolution = self._light_timer(
            ticket,
            key,
            target.resolution_minutes,
            ticket.resolution_due_at,
            stopped,
            ticket.resolution_breached,
            pauses,
            now,
        )
        response = "ok"
        if ticket.first_response_at is None and not stopped:
            response = self._light_timer(
                ticket, key, target.response_minutes, ticket.response_due_at, False, None, [], now
            )
        elif ticket.first_response_at is not None and ticket.response_breached:
            response = "bad"
        order = ["bad", "warn", "paused", "ok"]
        badge = min((resolution, response), key=order.index)
        return ListSla(
            badge="ok" if badge == "paused" else badge,
            paused=resolution == "paused" and badge == "paused",
            running=not stopped,
            due_at=ticket.resolution_due_at,
        )
