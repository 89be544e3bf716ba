"""The ticket workflow as a pure state machine: which status may follow which, who may cause
the change, and what entering a status implies for the clocks and timestamps.

The desk moves a ticket by hand along ``MOVES``; everything else that changes a status is an
event with one fixed outcome (an assignment, the requester's reply, a reopening, a merge).
Services ask ``step()`` and apply the returned ``Step`` to the stored ticket; forms offer
``moves()``; the API goes through the services. Nothing else spells a transition, so the
page, the API, bulk actions and the mail import cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from samverkan.domain.errors import DomainError


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_REQUESTER = "waiting_requester"
    WAITING_THIRD_PARTY = "waiting_third_party"
    RESOLVED = "resolved"
    CLOSED = "closed"


# In this order in the open-queue index (migration 0003), so the tuple is kept, not a set.
OPEN: tuple[Status, ...] = (
    Status.NEW,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.WAITING_REQUESTER,
    Status.WAITING_THIRD_PARTY,
)
FINISHED: tuple[Status, ...] = (Status.RESOLVED, Status.CLOSED)


class Party(StrEnum):
    """Who acts: the desk (agents) or the people the ticket is for."""

    DESK = "desk"
    REQUESTER = "requester"


class Event(StrEnum):
    MOVE = "move"  # the desk picks the next status by hand
    ASSIGN = "assign"  # an agent is set
    UNASSIGN = "unassign"  # the agent is removed
    REPLY = "reply"  # the requester answers
    REOPEN = "reopen"  # a finished ticket is taken up again
    MERGE = "merge"  # the ticket is closed as a duplicate of another


WHO: Mapping[Event, frozenset[Party]] = {
    Event.MOVE: frozenset({Party.DESK}),
    Event.ASSIGN: frozenset({Party.DESK}),
    Event.UNASSIGN: frozenset({Party.DESK}),
    Event.MERGE: frozenset({Party.DESK}),
    Event.REPLY: frozenset({Party.REQUESTER}),
    Event.REOPEN: frozenset({Party.DESK, Party.REQUESTER}),
}

# The desk's hand moves. Reopening (finished → open) is its own event, never a move.
MOVES: Mapping[Status, frozenset[Status]] = {
    Status.NEW: frozenset(
        {
            Status.ASSIGNED,
            Status.IN_PROGRESS,
            Status.WAITING_REQUESTER,
            Status.WAITING_THIRD_PARTY,
            Status.RESOLVED,
            Status.CLOSED,
        }
    ),
    Status.ASSIGNED: frozenset(
        {Status.NEW, Status.IN_PROGRESS, Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY, Status.RESOLVED}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.ASSIGNED, Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY, Status.RESOLVED}
    ),
    Status.WAITING_REQUESTER: frozenset({Status.IN_PROGRESS, Status.WAITING_THIRD_PARTY, Status.RESOLVED}),
    Status.WAITING_THIRD_PARTY: frozenset({Status.IN_PROGRESS, Status.WAITING_REQUESTER, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class Pause(StrEnum):
    """Why the resolution clock stands still (the ticket's pause reasons)."""

    WAITING_REQUESTER = "waiting_requester"
    RESOLVED = "resolved"


PAUSES: Mapping[Status, Pause] = {
    Status.WAITING_REQUESTER: Pause.WAITING_REQUESTER,
    Status.RESOLVED: Pause.RESOLVED,
}


@dataclass(frozen=True)
class TicketState:
    """What the workflow needs to know about a ticket."""

    status: Status
    assigned: bool = False
    merged: bool = False  # closed as a duplicate: never reopened, never surveyed

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def finished(self) -> bool:
        """Resolved or closed on its own: it may be reopened and its survey answered."""
        return self.status in FINISHED and not self.merged


@dataclass(frozen=True)
class Step:
    """One event applied to a ticket: the status it ends in and what entering it implies.

    When the status does not change nothing else happens; when it does, any running pause
    ends and the new status's pause (if any) starts.
    """

    event: Event
    before: Status
    after: Status

    @property
    def moved(self) -> bool:
        return self.before != self.after

    @property
    def starts_pause(self) -> Pause | None:
        return PAUSES.get(self.after) if self.moved else None

    @property
    def marks_resolved(self) -> bool:
        """Set the resolved time (and the first response, if nobody answered before)."""
        return self.moved and self.after == Status.RESOLVED

    @property
    def marks_closed(self) -> bool:
        return self.moved and self.after == Status.CLOSED

    @property
    def reopens(self) -> bool:
        """Clear the resolved and closed times and count one more reopening."""
        return self.event is Event.REOPEN


class WorkflowError(DomainError):
    """A change the workflow refuses."""


class NotAllowed(WorkflowError):
    """This party may never cause this event (a permission refusal, not bad input)."""

    def __init__(self, event: Event, party: Party) -> None:
        super().__init__(f"{party} may not {event} a ticket")
        self.event, self.party = event, party


class InvalidMove(WorkflowError):
    def __init__(self, before: Status, after: Status) -> None:
        super().__init__(f"a ticket cannot move from {before} to {after}")
        self.before, self.after = before, after


class AssigneeRequired(WorkflowError):
    def __init__(self) -> None:
        super().__init__("assign an agent before the status assigned")


class NotFinished(WorkflowError):
    """Only a ticket resolved or closed on its own can be reopened."""

    def __init__(self, state: TicketState) -> None:
        super().__init__(f"a {state.status} ticket{' (merged)' if state.merged else ''} cannot be reopened")
        self.state = state


class NotOpen(WorkflowError):
    """Only an open ticket can be merged into another."""

    def __init__(self, status: Status) -> None:
        super().__init__(f"a {status} ticket cannot be merged")
        self.status = status


def step(state: TicketState, event: Event, party: Party, *, to: Status | None = None) -> Step:
    """The outcome of ``event`` caused by ``party``; ``to`` is the desk's choice for a MOVE.

    Raises NotAllowed when the party may not cause the event at all, another WorkflowError
    when the event is impossible in this state.
    """
    if party not in WHO[event]:
        raise NotAllowed(event, party)
    return Step(event, state.status, _outcome(state, event, to))


def _outcome(state: TicketState, event: Event, to: Status | None) -> Status:
    status = state.status
    if event is Event.MOVE:
        if to is None:
            raise TypeError("a move needs the status to move to")
        if to == status:
            return status
        if to not in MOVES[status]:
            raise InvalidMove(status, to)
        if to == Status.ASSIGNED and not state.assigned:
            raise AssigneeRequired()
        return to
    if event is Event.ASSIGN:
        return Status.ASSIGNED if status == Status.NEW else status
    if event is Event.UNASSIGN:
        return Status.NEW if status == Status.ASSIGNED else status
    if event is Event.REPLY:
        return Status.IN_PROGRESS if status == Status.WAITING_REQUESTER else status
    if event is Event.REOPEN:
        if not state.finished:
            raise NotFinished(state)
        return Status.IN_PROGRESS if state.assigned else Status.NEW
    if not state.is_open:  # Event.MERGE
        raise NotOpen(status)
    return Status.CLOSED


def moves(state: TicketState, party: Party) -> tuple[Status, ...]:
    """The statuses ``party`` may move the ticket to by hand now, in workflow order."""
    if party not in WHO[Event.MOVE]:
        return ()
    return tuple(
        target for target in Status if target in MOVES[state.status] and (target != Status.ASSIGNED or state.assigned)
    )
