"""Generic CSV of call records with a configurable column mapping.

Switchboard vendors export call lists in their own layout; rather than one parser per
vendor, the user maps our fields to their column headers (and their outcome words to ours).
Without a mapping the header decides: our field names (callid, queue, entered, wait, outcome,
talk), or the columns of the calls CSV Samverkan itself exports (`/telefoni/import/<id>/samtal.csv`:
Kö;Samtals-id;In i kön;Utfall;… with the outcome in words), so what Samverkan exports it reads
back. Without a delimiter the header decides too (comma, semicolon or tab).
Times may be ISO 8601 (naive times are taken as Swedish local time) or Unix epoch seconds;
every field has the limits of :mod:`..validators`.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.domain.numbers import NumberError
from samverkan.domain.service_level import CallRecord, Outcome
from samverkan.telephony import validators
from samverkan.telephony.models import OutcomeChoice
from samverkan.telephony.selectors import CALLS_CSV_HEADER

from .lines import LineError, ParseReport, line_problem
from .queue_log import STOCKHOLM

DEFAULT_OUTCOMES: dict[str, Outcome] = {
    "answered": Outcome.ANSWERED,
    "besvarat": Outcome.ANSWERED,
    "abandoned": Outcome.ABANDONED,
    "obesvarat": Outcome.ABANDONED,
    "timeout": Outcome.TIMEOUT,
    "exit_key": Outcome.EXIT_KEY,
    "exit_empty": Outcome.EXIT_EMPTY,
}
DELIMITERS = (",", ";", "\t")
# The columns of the calls CSV (selectors.CALLS_CSV_HEADER), in its order
EXPORT_FIELDS = ("queue", "callid", "entered", "outcome", "wait", "talk", "agent")


@dataclass(frozen=True)
class CsvMapping:
    """Which column holds which field; ``talk`` and ``agent`` may be absent (None).

    ``delimiter`` None: the header's most frequent of comma, semicolon and tab.
    """

    callid: str = "callid"
    queue: str = "queue"
    entered: str = "entered"
    wait: str = "wait"
    outcome: str = "outcome"
    talk: str | None = "talk"
    agent: str | None = None
    outcomes: dict[str, Outcome] = field(default_factory=lambda: dict(DEFAULT_OUTCOMES))
    delimiter: str | None = None

    def required(self) -> list[str]:
        return [self.callid, self.queue, self.entered, self.wait, self.outcome]


MAPPABLE = ("callid", "queue", "entered", "wait", "outcome", "talk", "agent")


def mapping_from_spec(spec: str, delimiter: str | None = None) -> CsvMapping | None:
    """``"callid=Samtal,queue=Kö,talk="`` → a mapping; ``talk=``/``agent=`` mean "no such column".

    An empty spec and no delimiter give None: the file's header decides (:func:`parse_csv_records`).
    """
    fields: dict[str, str | None] = {}
    for pair in filter(None, (p.strip() for p in spec.split(","))):
        name, _sep, column = (part.strip() for part in pair.partition("="))
        if name in ("talk", "agent") and not column:
            fields[name] = None
        elif name in MAPPABLE and column:
            fields[name] = column
        else:
            raise ValueError(
                _("okänd kolumnmappning «%(pair)s» (fälten är %(fields)s)")
                % {"pair": pair, "fields": ", ".join(MAPPABLE)}
            )
    if delimiter is not None and len(delimiter) != 1:
        raise ValueError(_("avgränsaren ska vara ett tecken"))
    if not fields and delimiter is None:
        return None
    return CsvMapping(**fields, delimiter=delimiter)  # type: ignore[arg-type]


@cache
def _export_layouts() -> tuple[CsvMapping, ...]:
    """The calls CSV Samverkan exports, in every language it speaks (its header and outcome words)."""
    layouts = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            header = [str(h) for h in CALLS_CSV_HEADER]
            outcomes = {str(label): Outcome(value) for value, label in OutcomeChoice.choices}
        layouts.append(CsvMapping(**dict(zip(EXPORT_FIELDS, header, strict=True)), outcomes=outcomes))
    return tuple(layouts)


def _layout(header: list[str], given: CsvMapping | None) -> CsvMapping:
    """The mapping the file is read with: the given columns, else the first known layout the header has.

    The outcome words of Samverkan's export are known in every layout; without given columns,
    talk and agent are read where the header has them.
    """
    exported = {word: outcome for layout in _export_layouts() for word, outcome in layout.outcomes.items()}
    base = given or CsvMapping()
    outcomes = {**exported, **base.outcomes}
    if any(getattr(base, name) != getattr(CsvMapping, name) for name in MAPPABLE):
        return replace(base, outcomes=outcomes)
    for layout in (replace(base, agent="agent"), *_export_layouts()):
        if set(layout.required()) <= set(header):
            optional = {
                name: getattr(layout, name) if getattr(layout, name) in header else None for name in ("talk", "agent")
            }
            return replace(layout, **optional, outcomes=outcomes)
    return base


def _delimiter(header_line: str) -> str:
    counts = [header_line.count(d) for d in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _column(name: str) -> str:
    return _("kolumn «%(name)s»") % {"name": name}


def _parse_time(value: str, column: str, tz: tzinfo) -> datetime:
    value = value.strip()
    if value.isascii() and value.isdigit():
        try:
            epoch = validators.whole_number(value, maximum=validators.MAX_EPOCH)
        except NumberError as exc:
            raise ValueError(f"{_column(column)}: {exc}") from None
        return datetime.fromtimestamp(epoch, UTC).astimezone(tz)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("%(column)s: inte en tid (ISO 8601 eller epoksekunder): «%(value)s»")
            % {"column": _column(column), "value": value[:40]}
        ) from None
    if not validators.MIN_YEAR <= parsed.year <= validators.MAX_YEAR:
        raise ValueError(
            f"{_column(column)}: "
            + (_("året måste vara %(first)s–%(last)s") % {"first": validators.MIN_YEAR, "last": validators.MAX_YEAR})
        )
    parsed = parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed.astimezone(tz)
    problem = validators.epoch_problem(int(parsed.timestamp()))
    if problem:
        raise ValueError(f"{_column(column)}: {problem}")
    return parsed


def _seconds(value: str, column: str) -> int:
    try:
        return validators.seconds(value)
    except NumberError as exc:
        raise ValueError(f"{_column(column)}: {exc}") from None


def _text(value: str, column: str, limit: int) -> str:
    problem = validators.text_problem(value, limit=limit)
    if problem:
        raise ValueError(f"{_column(column)}: {problem}")
    return value


def _csv_problem(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return _("ett fält är längre än %(limit)s tecken") % {"limit": csv.field_size_limit()}
    return _("raden kan inte läsas som CSV (ett citattecken som inte avslutas?)")


def _checked(lines: Iterable[str], problems: dict[int, str]) -> Iterator[str]:
    """The lines, with each unreadable line's problem noted under its number (the CSV reader counts lines too)."""
    for number, line in enumerate(lines, start=1):
        problem = line_problem(line)
        if problem:
            problems[number] = problem
        yield line


def parse_csv_records(
    lines: Iterable[str],
    mapping: CsvMapping | None = None,
    *,
    tz: tzinfo = STOCKHOLM,
    skip_bad_lines: bool = False,
    report: ParseReport | None = None,
) -> Iterator[CallRecord]:
    """Yield call records; line numbers count the header as line 1."""
    report = report if report is not None else ParseReport()
    problems: dict[int, str] = {}
    source = _checked(lines, problems)
    first = next(source, "")
    if not first.strip():
        raise LineError(1, _("rubrikraden saknas; första raden ska namnge kolumnerna"))
    if 1 in problems:
        raise LineError(1, problems[1])
    delimiter = (mapping.delimiter if mapping else None) or _delimiter(first)
    reader = csv.reader(itertools.chain([first], source), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error:
        raise LineError(1, _("rubrikraden kan inte läsas som CSV")) from None
    report.lines = reader.line_num
    mapping = _layout(header, mapping)
    wanted = mapping.required() + [c for c in (mapping.talk, mapping.agent) if c]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise LineError(
            1,
            _("kolumner saknas: %(missing)s (rubrikraden har: %(header)s)")
            % {"missing": ", ".join(missing), "header": ", ".join(h[:40] for h in header[:12])},
        )
    index = {name: header.index(name) for name in wanted}
    outcomes = {k.casefold(): v for k, v in mapping.outcomes.items()}
    done = 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            row, unreadable = [], _csv_problem(exc)
        else:
            unreadable = None
        if row is None:
            break
        number = reader.line_num
        span = range(done + 1, number + 1)
        done = number
        report.lines = number
        try:
            problem = next((problems.pop(n) for n in span if n in problems), None)
            if problem or unreadable:
                raise ValueError(problem or unreadable)
            if not any(cell.strip() for cell in row):
                continue  # an empty line
            if len(row) != len(header):
                raise ValueError(
                    _("raden har %(found)s fält, rubrikraden %(expected)s")
                    % {"found": len(row), "expected": len(header)}
                )
            cell = {name: row[at] for name, at in index.items()}
            callid = _text(cell[mapping.callid].strip(), mapping.callid, validators.CALLID_MAX)
            queue = _text(cell[mapping.queue].strip(), mapping.queue, validators.QUEUE_NAME_MAX)
            word = cell[mapping.outcome].strip()
            outcome = outcomes.get(word.casefold())
            if outcome is None:
                raise ValueError(
                    _("%(column)s: okänt utfall «%(value)s» (kända: %(known)s)")
                    % {"column": _column(mapping.outcome), "value": word[:40], "known": ", ".join(sorted(outcomes))}
                )
            talk = None
            if mapping.talk and cell[mapping.talk].strip():
                talk = _seconds(cell[mapping.talk], mapping.talk)
            agent = ""
            if mapping.agent and cell[mapping.agent].strip():
                agent = _text(cell[mapping.agent].strip(), mapping.agent, validators.AGENT_MAX)
            record = CallRecord(
                callid=callid,
                queue=queue,
                entered=_parse_time(cell[mapping.entered], mapping.entered, tz),
                outcome=outcome,
                wait_seconds=_seconds(cell[mapping.wait], mapping.wait),
                talk_seconds=talk if outcome is Outcome.ANSWERED else None,
                agent=agent,
            )
            report.records += 1
            yield record
        except ValueError as exc:
            error = LineError(number, str(exc))
            if not skip_bad_lines:
                raise error from None
            report.errors.append(error)
