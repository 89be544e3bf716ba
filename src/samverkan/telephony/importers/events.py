"""The Asterisk queue_log events Samverkan reads: the one table both readers are derived from.

A line is ``time|callid|queue|agent|event|data1|…|data7``. Which events make a call, where
their figures are and what they mean is said here once; the streaming reference reader
(:mod:`.queue_log`) and the set-based DuckDB reader (:mod:`.bulk`) are written from this
table, so the two cannot read the same line differently.

A call is decided at its outcome, not at ENTERQUEUE, because the outcome carries the wait:
a call whose ENTERQUEUE is in yesterday's rotated file is still counted, and the queue-entry
time is ``event time − wait``. A CONNECT opens an answered call; the next completion
(COMPLETE…, a transfer) of the same (callid, queue) closes it with its talk time; an
unanswered outcome is a call of its own. Every other event (ENTERQUEUE, RINGNOANSWER,
agent and queue events) carries no outcome; the membership events
(:data:`~samverkan.domain.agent_time.MEMBERSHIP_EVENTS`) carry the agents' available time.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from samverkan.domain.agent_time import MEMBERSHIP_EVENTS
from samverkan.domain.service_level import Outcome

__all__ = ["CALL_EVENTS", "MAX_FIELDS", "MEMBERSHIP_EVENTS", "MIN_FIELDS", "CallEvent", "Kind"]

# time, callid, queue, agent, event; then up to seven data fields
MIN_FIELDS, MAX_FIELDS = 5, 12


class Kind(enum.Enum):
    CONNECT = "C"  # an agent answered: opens the call
    COMPLETION = "F"  # the answered call ended: closes it with its talk time
    UNANSWERED = "U"  # the caller left the queue without an agent


@dataclass(frozen=True)
class CallEvent:
    """One call event; fields are data positions (1 = data1, the line's sixth field), 0 when absent."""

    name: str
    kind: Kind
    outcome: Outcome = Outcome.ANSWERED
    wait: int = 0  # the wait in queue, seconds
    hold: int = 0  # hold time: checked to be a number, not kept
    talk: int = 0  # the talk time, seconds
    talk_optional: bool = False  # a transfer may lack its calltime: talk is then the time since CONNECT

    def required(self) -> tuple[tuple[int, str], ...]:
        """(data position, what it holds) of the figures that must be whole numbers, in the order checked."""
        figures = ((self.hold, "hold time"), (0 if self.talk_optional else self.talk, "talk time"), (self.wait, "wait"))
        return tuple((position, what) for position, what in figures if position)


# In this order: the CONNECT, the completions, the unanswered outcomes (the DuckDB reader numbers them so)
CALL_EVENTS: dict[str, CallEvent] = {
    e.name: e
    for e in (
        CallEvent("CONNECT", Kind.CONNECT, wait=1),
        CallEvent("COMPLETEAGENT", Kind.COMPLETION, hold=1, talk=2),
        CallEvent("COMPLETECALLER", Kind.COMPLETION, hold=1, talk=2),
        CallEvent("TRANSFER", Kind.COMPLETION, talk=4, talk_optional=True),
        CallEvent("BLINDTRANSFER", Kind.COMPLETION, talk=4, talk_optional=True),
        CallEvent("ATTENDEDTRANSFER", Kind.COMPLETION, talk=4, talk_optional=True),
        CallEvent("ABANDON", Kind.UNANSWERED, Outcome.ABANDONED, wait=3),
        CallEvent("EXITWITHTIMEOUT", Kind.UNANSWERED, Outcome.TIMEOUT, wait=3),
        CallEvent("EXITEMPTY", Kind.UNANSWERED, Outcome.EXIT_EMPTY, wait=3),
        CallEvent("EXITWITHKEY", Kind.UNANSWERED, Outcome.EXIT_KEY, wait=4),
    )
}
