"""Streaming reader for Asterisk ``queue_log`` files (pure Python reference implementation).

A call is turned into a record at its outcome event, not at ENTERQUEUE, because the
outcome carries the wait in seconds (CONNECT data1, ABANDON/EXIT… data3, EXITWITHKEY data4):
a call whose ENTERQUEUE is in yesterday's rotated file is still counted correctly, and the
queue-entry time is ``event time − wait``. Answered calls wait for their COMPLETE…/TRANSFER
line to learn the talk time (COMPLETE data2; TRANSFER calltime data4, else time since
CONNECT); calls still connected at the end of the input are emitted with
``talk_seconds=None``. Memory is bounded by the number of calls in progress.

Lines are validated as they stream: a malformed line raises :class:`LineError` with its
line number (all-or-nothing, the default), or is collected in the report and skipped when
the caller asked for ``skip_bad_lines``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from samverkan.domain.agent_time import MEMBERSHIP_EVENTS
from samverkan.domain.service_level import CallRecord, Outcome

STOCKHOLM = ZoneInfo("Europe/Stockholm")

UNANSWERED = {
    "ABANDON": (Outcome.ABANDONED, 3),
    "EXITWITHTIMEOUT": (Outcome.TIMEOUT, 3),
    "EXITEMPTY": (Outcome.EXIT_EMPTY, 3),
    "EXITWITHKEY": (Outcome.EXIT_KEY, 4),
}
COMPLETE = {"COMPLETEAGENT", "COMPLETECALLER"}
TRANSFERS = {"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"}
MAX_FIELDS = 12


class LineError(ValueError):
    def __init__(self, line_number: int, reason: str, line: str = "") -> None:
        super().__init__(f"line {line_number}: {reason}")
        self.line_number = line_number
        self.reason = reason
        self.line = line


@dataclass
class ParseReport:
    lines: int = 0
    records: int = 0
    errors: list[LineError] = field(default_factory=list)
    # (epoch, queue, agent, event) of the membership events, in file order (see domain.agent_time)
    membership: list[tuple[int, str, str, str]] = field(default_factory=list)
    # first and last time on a call or membership line: the span the file covers
    first_epoch: int | None = None
    last_epoch: int | None = None

    def saw(self, epoch: int) -> None:
        self.first_epoch = epoch if self.first_epoch is None else min(self.first_epoch, epoch)
        self.last_epoch = epoch if self.last_epoch is None else max(self.last_epoch, epoch)


def _int(value: str, what: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{what} is not a whole number of seconds: {value!r}")
    return int(value)


def parse_queue_log(
    lines: Iterable[str],
    *,
    tz: tzinfo = STOCKHOLM,
    skip_bad_lines: bool = False,
    report: ParseReport | None = None,
) -> Iterator[CallRecord]:
    """Yield one :class:`CallRecord` per call and queue as soon as its outcome is known."""
    report = report if report is not None else ParseReport()
    connected: dict[tuple[str, str], tuple[int, int, str]] = {}  # (callid, queue) -> (entered, wait, agent)

    def entered_at(epoch: int) -> datetime:
        return datetime.fromtimestamp(epoch, tz)

    number = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        try:
            parts = line.split("|")
            if len(parts) < 5:
                raise ValueError(f"expected at least 5 '|'-separated fields, found {len(parts)}")
            if len(parts) > MAX_FIELDS:
                raise ValueError(f"expected at most {MAX_FIELDS} fields, found {len(parts)}")
            epoch = _int(parts[0], "time")
            callid, queue, agent, event = parts[1], parts[2], parts[3], parts[4]
            if not event:
                raise ValueError("missing event name (field 5)")
            data = parts[5:] + [""] * (MAX_FIELDS - len(parts))
            if event in MEMBERSHIP_EVENTS:
                report.saw(epoch)
                report.membership.append((epoch, queue, agent, event))
                continue
            if event == "CONNECT":
                _need_call(callid, queue)
                wait = _int(data[0], "CONNECT wait (data1)")
                report.saw(epoch)
                connected[(callid, queue)] = (epoch - wait, wait, agent)
                continue
            if event in COMPLETE or event in TRANSFERS:
                _need_call(callid, queue)
                if event in COMPLETE:
                    _int(data[0], f"{event} hold time (data1)")
                    talk = _int(data[1], f"{event} talk time (data2)")
                report.saw(epoch)
                start = connected.pop((callid, queue), None)
                if start is None:
                    continue  # connected in an earlier file: counted there
                if event in TRANSFERS:  # calltime in data4, else time since CONNECT
                    calltime = data[3]
                    talk = (
                        int(calltime)
                        if calltime.isascii() and calltime.isdigit()
                        else max(0, epoch - start[0] - start[1])
                    )
                report.records += 1
                yield CallRecord(callid, queue, entered_at(start[0]), Outcome.ANSWERED, start[1], talk, start[2])
                continue
            unanswered = UNANSWERED.get(event)
            if unanswered is not None:
                _need_call(callid, queue)
                outcome, position = unanswered
                wait = _int(data[position - 1], f"{event} wait (data{position})")
                report.saw(epoch)
                report.records += 1
                yield CallRecord(callid, queue, entered_at(epoch - wait), outcome, wait, None, "")
            # ENTERQUEUE, RINGNOANSWER, agent and queue events carry no outcome
        except ValueError as exc:
            error = LineError(number, str(exc), line)
            if not skip_bad_lines:
                raise error from None
            report.errors.append(error)
    report.lines = number
    for (callid, queue), (entered, wait, agent) in connected.items():
        report.records += 1
        yield CallRecord(callid, queue, entered_at(entered), Outcome.ANSWERED, wait, None, agent)


def _need_call(callid: str, queue: str) -> None:
    if not callid or not queue or queue == "NONE":
        raise ValueError("call event without call id or queue")
