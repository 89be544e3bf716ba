"""Agents' available time per interval, from Asterisk queue_log membership events.

Occupancy is the share of agents' available time spent talking. The call events say
nothing about the available time; the membership events do:

- ``ADDMEMBER`` / ``REMOVEMEMBER`` (queue, agent): the agent logs in to / out of a queue;
- ``PAUSE`` / ``UNPAUSE`` (queue, agent): paused in that queue; with queue ``NONE``, and
  ``PAUSEALL`` / ``UNPAUSEALL``, in every queue the agent is logged in to.

An agent is *available* while logged in to at least one queue without being paused there.
It is counted per agent, not per queue: in a federation one team answers every member's
switchboard, so an agent logged in to five queues has one hour per hour, not five.

Files are cut at rotation: an agent whose first event in the file is not ``ADDMEMBER`` was
logged in to that queue (and not paused) when the file began, and sessions still open at
the last line end there. Static members (configured in queues.conf, never added) produce
no events and no available time: occupancy is then unknown rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

MEMBERSHIP_EVENTS = ("ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL")
INTERVAL_SECONDS = 900


@dataclass
class _Agent:
    since: int  # last change of availability
    queues: set[str] = field(default_factory=set)  # logged in to
    paused: set[str] = field(default_factory=set)  # of those, paused in

    @property
    def available(self) -> bool:
        return bool(self.queues - self.paused)


def available_seconds(
    events: Iterable[tuple[int, str, str, str]],
    *,
    file_start: int,
    file_end: int,
    interval: int = INTERVAL_SECONDS,
) -> dict[tuple[str, int], int]:
    """{(agent, interval start epoch): seconds available} from (epoch, queue, agent, event) in file order.

    Interval starts are multiples of ``interval`` seconds since the epoch (quarter hours in
    UTC are quarter hours in Swedish time). Events outside :data:`MEMBERSHIP_EVENTS` and
    events without an agent are ignored; so are repeats (ADDMEMBER for a queue already
    joined, PAUSE while paused).
    """
    if file_end < file_start:
        raise ValueError("the file ends before it starts")
    out: dict[tuple[str, int], int] = {}
    agents: dict[str, _Agent] = {}

    def credit(name: str, start: int, end: int) -> None:
        while start < end:
            bucket = start - start % interval
            stop = min(end, bucket + interval)
            out[(name, bucket)] = out.get((name, bucket), 0) + stop - start
            start = stop

    for epoch, queue, name, event in events:
        if event not in MEMBERSHIP_EVENTS or name in ("", "NONE"):
            continue
        every = event.endswith("ALL") or queue in ("", "NONE")
        agent = agents.get(name)
        if agent is None:
            agent = agents[name] = _Agent(since=file_start)
            if event != "ADDMEMBER" and not every:
                agent.queues.add(queue)  # logged in before the file began
        at = min(max(epoch, file_start), file_end)
        if agent.available:
            credit(name, agent.since, at)
        agent.since = at
        targets = set(agent.queues) if every else {queue}
        if event == "ADDMEMBER" and not every:
            agent.queues.add(queue)
        elif event == "REMOVEMEMBER" and not every:
            agent.queues.discard(queue)
            agent.paused.discard(queue)
        elif event in ("PAUSE", "PAUSEALL"):
            agent.paused |= targets & agent.queues
        elif event in ("UNPAUSE", "UNPAUSEALL"):
            agent.paused -= targets
    for name, agent in agents.items():
        if agent.available:
            credit(name, agent.since, file_end)
    return out
