"""Streaming reader for Asterisk ``queue_log`` files (pure Python reference implementation).

The events and their figures are those of :mod:`.events`. A call becomes a record at its
outcome; answered calls wait for their completion line to learn the talk time, and calls
still connected at the end of the input are emitted with ``talk_seconds=None``. Memory is
bounded by the number of calls in progress.

Lines are validated as they stream: a malformed line raises :class:`LineError` with its
line number (all-or-nothing, the default), or is collected in the report and skipped when
the caller asked for ``skip_bad_lines``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from samverkan.domain.service_level import CallRecord, Outcome

from .events import CALL_EVENTS, MAX_FIELDS, MEMBERSHIP_EVENTS, MIN_FIELDS, Kind

STOCKHOLM = ZoneInfo("Europe/Stockholm")


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
            if len(parts) < MIN_FIELDS:
                raise ValueError(f"expected at least {MIN_FIELDS} '|'-separated fields, found {len(parts)}")
            if len(parts) > MAX_FIELDS:
                raise ValueError(f"expected at most {MAX_FIELDS} fields, found {len(parts)}")
            epoch = _int(parts[0], "time")
            callid, queue, agent, event = parts[1], parts[2], parts[3], parts[4]
            if not event:
                raise ValueError("missing event name (field 5)")
            if event in MEMBERSHIP_EVENTS:
                report.saw(epoch)
                report.membership.append((epoch, queue, agent, event))
                continue
            rule = CALL_EVENTS.get(event)
            if rule is None:
                continue  # ENTERQUEUE, RINGNOANSWER, agent and queue events carry no outcome
            if not callid or not queue or queue == "NONE":
                raise ValueError("call event without call id or queue")
            data = parts[5:] + [""] * (MAX_FIELDS - len(parts))
            figures = {at: _int(data[at - 1], f"{event} {what} (data{at})") for at, what in rule.required()}
            report.saw(epoch)
            if rule.kind is Kind.CONNECT:
                wait = figures[rule.wait]
                connected[(callid, queue)] = (epoch - wait, wait, agent)
            elif rule.kind is Kind.UNANSWERED:
                wait = figures[rule.wait]
                report.records += 1
                yield CallRecord(callid, queue, entered_at(epoch - wait), rule.outcome, wait, None, "")
            else:
                start = connected.pop((callid, queue), None)
                if start is None:
                    continue  # connected in an earlier file: counted there
                talk = figures.get(rule.talk)
                if talk is None:  # a transfer: its calltime if given, else the time since CONNECT
                    calltime = data[rule.talk - 1]
                    digits = calltime.isascii() and calltime.isdigit()
                    talk = int(calltime) if digits else max(0, epoch - start[0] - start[1])
                report.records += 1
                yield CallRecord(callid, queue, entered_at(start[0]), Outcome.ANSWERED, start[1], talk, start[2])
        except ValueError as exc:
            error = LineError(number, str(exc), line)
            if not skip_bad_lines:
                raise error from None
            report.errors.append(error)
    report.lines = number
    for (callid, queue), (entered, wait, agent) in connected.items():
        report.records += 1
        yield CallRecord(callid, queue, entered_at(entered), Outcome.ANSWERED, wait, None, agent)
