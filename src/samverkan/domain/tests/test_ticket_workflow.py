from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.errors import DomainError
from samverkan.domain.ticket_workflow import (
    FINISHED,
    MOVES,
    OPEN,
    PAUSES,
    AssigneeRequired,
    Event,
    InvalidMove,
    NotAllowed,
    NotFinished,
    NotOpen,
    Party,
    Pause,
    Status,
    Step,
    TicketState,
    WorkflowError,
    moves,
    step,
)

DESK, REQUESTER = Party.DESK, Party.REQUESTER


def test_desk_moves_along_the_table_and_nowhere_else() -> None:
    new = TicketState(Status.NEW)
    assert step(new, Event.MOVE, DESK, to=Status.RESOLVED).after == Status.RESOLVED
    with pytest.raises(InvalidMove):
        step(TicketState(Status.RESOLVED), Event.MOVE, DESK, to=Status.IN_PROGRESS)
    with pytest.raises(InvalidMove):
        step(TicketState(Status.CLOSED), Event.MOVE, DESK, to=Status.NEW)
    with pytest.raises(AssigneeRequired):
        step(new, Event.MOVE, DESK, to=Status.ASSIGNED)
    assert step(replace(new, assigned=True), Event.MOVE, DESK, to=Status.ASSIGNED).after == Status.ASSIGNED


def test_moving_to_the_same_status_changes_nothing() -> None:
    same = step(TicketState(Status.CLOSED), Event.MOVE, DESK, to=Status.CLOSED)
    assert not same.moved and same.starts_pause is None and not same.marks_closed


def test_requesters_only_reply_and_reopen() -> None:
    waiting = TicketState(Status.WAITING_REQUESTER, assigned=True)
    for event in (Event.MOVE, Event.ASSIGN, Event.UNASSIGN, Event.MERGE):
        with pytest.raises(NotAllowed):
            step(waiting, event, REQUESTER, to=Status.RESOLVED)
    with pytest.raises(NotAllowed):
        step(waiting, Event.REPLY, DESK)
    assert step(waiting, Event.REPLY, REQUESTER).after == Status.IN_PROGRESS
    assert not step(TicketState(Status.WAITING_THIRD_PARTY), Event.REPLY, REQUESTER).moved
    assert moves(waiting, REQUESTER) == ()


def test_assignment_moves_only_between_new_and_assigned() -> None:
    assert step(TicketState(Status.NEW), Event.ASSIGN, DESK).after == Status.ASSIGNED
    assert not step(TicketState(Status.IN_PROGRESS), Event.ASSIGN, DESK).moved
    assert step(TicketState(Status.ASSIGNED, assigned=True), Event.UNASSIGN, DESK).after == Status.NEW
    assert not step(TicketState(Status.IN_PROGRESS, assigned=True), Event.UNASSIGN, DESK).moved


def test_reopen_goes_back_to_whoever_had_it() -> None:
    assert step(TicketState(Status.RESOLVED), Event.REOPEN, REQUESTER).after == Status.NEW
    reopened = step(TicketState(Status.CLOSED, assigned=True), Event.REOPEN, DESK)
    assert reopened.after == Status.IN_PROGRESS and reopened.reopens
    with pytest.raises(NotFinished):
        step(TicketState(Status.IN_PROGRESS), Event.REOPEN, REQUESTER)
    with pytest.raises(NotFinished):
        step(TicketState(Status.CLOSED, merged=True), Event.REOPEN, DESK)


def test_merge_closes_open_tickets_only() -> None:
    merged = step(TicketState(Status.WAITING_REQUESTER), Event.MERGE, DESK)
    assert merged.after == Status.CLOSED and merged.marks_closed and merged.starts_pause is None
    with pytest.raises(NotOpen):
        step(TicketState(Status.RESOLVED), Event.MERGE, DESK)


def test_entering_a_status_says_what_it_implies() -> None:
    resolved = step(TicketState(Status.IN_PROGRESS), Event.MOVE, DESK, to=Status.RESOLVED)
    assert resolved.marks_resolved and resolved.starts_pause == Pause.RESOLVED and not resolved.marks_closed
    waiting = step(TicketState(Status.NEW), Event.MOVE, DESK, to=Status.WAITING_REQUESTER)
    assert waiting.starts_pause == Pause.WAITING_REQUESTER and not waiting.marks_resolved


def test_the_forms_offer_exactly_the_moves_that_succeed() -> None:
    for status in Status:
        for assigned in (False, True):
            state = TicketState(status, assigned=assigned)
            offered = moves(state, DESK)
            for target in Status:
                try:
                    ok = step(state, Event.MOVE, DESK, to=target).moved
                except WorkflowError:
                    ok = False
                assert ok == (target in offered), (state, target)


def test_refusals_are_domain_errors() -> None:
    assert issubclass(WorkflowError, DomainError)


# ---- properties over every sequence of events ----------------------------------------------


@dataclass(frozen=True)
class Record:
    """A pure stand-in for the stored ticket: what the services write when applying a step."""

    state: TicketState
    resolved: bool = False
    closed: bool = False
    running_pause: Pause | None = None
    reopenings: int = 0

    def apply(self, done: Step, *, assigned: bool, merged: bool) -> Record:
        record = self
        if done.reopens:
            record = replace(record, resolved=False, closed=False, reopenings=record.reopenings + 1)
        if done.moved:
            record = replace(record, running_pause=done.starts_pause)
        if done.marks_resolved:
            record = replace(record, resolved=True)
        if done.marks_closed:
            record = replace(record, closed=True)
        return replace(record, state=TicketState(done.after, assigned=assigned, merged=merged))


actions = st.lists(st.tuples(st.sampled_from(Event), st.sampled_from(Party), st.sampled_from(Status)), max_size=40)

# Every status change an event other than MOVE can make.
IMPLIED = {
    (Event.ASSIGN, Status.NEW, Status.ASSIGNED),
    (Event.UNASSIGN, Status.ASSIGNED, Status.NEW),
    (Event.REPLY, Status.WAITING_REQUESTER, Status.IN_PROGRESS),
    *((Event.REOPEN, finished, to) for finished in FINISHED for to in (Status.NEW, Status.IN_PROGRESS)),
    *((Event.MERGE, status, Status.CLOSED) for status in OPEN),
}


def run(sequence: list[tuple[Event, Party, Status]]) -> list[tuple[Record, Step]]:
    record, history = Record(TicketState(Status.NEW)), []
    for event, party, target in sequence:
        state = record.state
        try:
            done = step(state, event, party, to=target)
        except WorkflowError:
            continue
        assigned = {Event.ASSIGN: True, Event.UNASSIGN: False}.get(event, state.assigned)
        merged = state.merged or event is Event.MERGE
        record = record.apply(done, assigned=assigned, merged=merged)
        history.append((record, done))
    return history


@given(actions)
def test_every_change_is_an_allowed_transition(sequence: list[tuple[Event, Party, Status]]) -> None:
    for _record, done in run(sequence):
        if not done.moved:
            continue
        if done.event is Event.MOVE:
            assert done.after in MOVES[done.before]
        else:
            assert (done.event, done.before, done.after) in IMPLIED


@given(actions)
def test_invariants_hold_in_every_reachable_state(sequence: list[tuple[Event, Party, Status]]) -> None:
    for record, _done in run(sequence):
        state = record.state
        assert state.status != Status.ASSIGNED or state.assigned
        assert record.running_pause == PAUSES.get(state.status)
        if state.is_open:
            assert not record.resolved and not record.closed
        assert (state.status == Status.CLOSED) == record.closed
        if state.status == Status.RESOLVED:
            assert record.resolved
        if state.merged:
            assert state.status == Status.CLOSED


@given(actions)
def test_requesters_cause_only_replies_and_reopenings(sequence: list[tuple[Event, Party, Status]]) -> None:
    requester_only = [(e, p, s) for e, p, s in sequence if p is REQUESTER]
    for _record, done in run(requester_only):
        assert done.event in (Event.REPLY, Event.REOPEN)


def test_every_status_is_reachable_and_every_open_one_can_finish() -> None:
    reachable, frontier = {Status.NEW}, [Status.NEW]
    while frontier:
        for target in MOVES[frontier.pop()] - reachable:
            reachable.add(target)
            frontier.append(target)
    assert reachable == set(Status)
    for status in OPEN:
        assert Status.RESOLVED in MOVES[status]
