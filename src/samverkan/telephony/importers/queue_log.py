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
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.domain.numbers import NumberError
from samverkan.domain.service_level import CallRecord, Outcome
from samverkan.telephony import validators

from .events import CALL_EVENTS, MAX_FIELDS, MEMBERSHIP_EVENTS, MIN_FIELDS, Kind
from .lines import LineError, ParseReport, line_problem

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Field names in messages: the name and the field's position on the line (1 = the time)
FIELD_NAMES = {
    1: gettext_lazy("tid"),
    2: gettext_lazy("samtals-id"),
    3: gettext_lazy("kö"),
    4: gettext_lazy("agent"),
    5: gettext_lazy("händelse"),
}
FIGURE_NAMES = {
    "hold time": gettext_lazy("kötid"),
    "talk time": gettext_lazy("samtalstid"),
    "wait": gettext_lazy("väntetid"),
}


def _field(position: int, name: object) -> str:
    return _("%(name)s (fält %(position)s)") % {"name": name, "position": position}


def _number(text: str, position: int, name: object, *, maximum: int) -> int:
    try:
        return validators.whole_number(text, maximum=maximum)
    except NumberError as exc:
        raise ValueError(f"{_field(position, name)}: {exc}") from None


def _text(value: str, position: int, limit: int) -> str:
    problem = validators.text_problem(value, limit=limit)
    if problem:
        raise ValueError(f"{_field(position, FIELD_NAMES[position])}: {problem}")
    return value


def _in_range(epoch: int) -> int:
    """The time of a line Samverkan uses (a call or membership event) must lie in the years it can show."""
    problem = validators.epoch_problem(epoch)
    if problem:
        raise ValueError(f"{_field(1, FIELD_NAMES[1])}: {problem}")
    return epoch


def _entered(epoch: int, wait: int) -> int:
    problem = validators.epoch_problem(epoch - wait)
    if problem:
        raise ValueError(_("tid minus väntetid (in i kön): %(problem)s") % {"problem": problem})
    return epoch - wait


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
        try:
            problem = line_problem(raw)
            if problem:
                raise ValueError(problem)
            if not line.strip():
                continue
            parts = line.split("|")
            if not MIN_FIELDS <= len(parts) <= MAX_FIELDS:
                raise ValueError(
                    _("raden har %(found)s fält; en queue_log-rad har %(min)s–%(max)s fält avgränsade med |")
                    % {"found": len(parts), "min": MIN_FIELDS, "max": MAX_FIELDS}
                )
            epoch = _number(parts[0], 1, FIELD_NAMES[1], maximum=10**validators.NUMBER_DIGITS - 1)
            callid, queue, agent, event = parts[1], parts[2], parts[3], parts[4]
            if not event:
                raise ValueError(_("%(field)s: saknas") % {"field": _field(5, FIELD_NAMES[5])})
            if event in MEMBERSHIP_EVENTS:
                _text(agent, 4, validators.AGENT_MAX)
                report.saw(_in_range(epoch))
                report.membership.append((epoch, queue, agent, event))
                continue
            rule = CALL_EVENTS.get(event)
            if rule is None:
                continue  # ENTERQUEUE, RINGNOANSWER, agent and queue events carry no outcome
            _in_range(epoch)
            _text(callid, 2, validators.CALLID_MAX)
            if queue == "NONE":
                raise ValueError(
                    _("%(field)s: en samtalshändelse måste ha en kö") % {"field": _field(3, FIELD_NAMES[3])}
                )
            _text(queue, 3, validators.QUEUE_NAME_MAX)
            if rule.kind is Kind.CONNECT:
                _text(agent, 4, validators.AGENT_MAX)
            data = parts[5:] + [""] * (MAX_FIELDS - len(parts))
            figures = {
                at: _number(data[at - 1], MIN_FIELDS + at, FIGURE_NAMES[what], maximum=validators.MAX_SECONDS)
                for at, what in rule.required()
            }
            report.saw(epoch)
            if rule.kind is Kind.CONNECT:
                wait = figures[rule.wait]
                connected[(callid, queue)] = (_entered(epoch, wait), wait, agent)
            elif rule.kind is Kind.UNANSWERED:
                wait = figures[rule.wait]
                entered = _entered(epoch, wait)
                report.records += 1
                yield CallRecord(callid, queue, entered_at(entered), rule.outcome, wait, None, "")
            else:
                talk = figures.get(rule.talk)
                if talk is None:  # a transfer: its calltime if it is a number, else the time since CONNECT
                    calltime = data[rule.talk - 1]
                    if calltime.isascii() and calltime.isdigit():
                        talk = _number(
                            calltime, MIN_FIELDS + rule.talk, FIGURE_NAMES["talk time"], maximum=validators.MAX_SECONDS
                        )
                start = connected.pop((callid, queue), None)
                if start is None:
                    continue  # connected in an earlier file: counted there
                if talk is None:
                    talk = max(0, epoch - start[0] - start[1])
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
