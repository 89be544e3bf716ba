"""Generic CSV of call records with a configurable column mapping.

Switchboard vendors export call lists in their own layout; rather than one parser per
vendor, the user maps our fields to their column headers (and their outcome words to ours).
Times may be ISO 8601 (naive times are taken as Swedish local time) or Unix epoch seconds.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from samverkan.domain.service_level import CallRecord, Outcome

from .queue_log import STOCKHOLM, LineError, ParseReport

DEFAULT_OUTCOMES: dict[str, Outcome] = {
    "answered": Outcome.ANSWERED,
    "besvarat": Outcome.ANSWERED,
    "abandoned": Outcome.ABANDONED,
    "obesvarat": Outcome.ABANDONED,
    "timeout": Outcome.TIMEOUT,
    "exit_key": Outcome.EXIT_KEY,
    "exit_empty": Outcome.EXIT_EMPTY,
}


@dataclass(frozen=True)
class CsvMapping:
    """Which column holds which field; ``talk`` and ``agent`` may be absent (None)."""

    callid: str = "callid"
    queue: str = "queue"
    entered: str = "entered"
    wait: str = "wait"
    outcome: str = "outcome"
    talk: str | None = "talk"
    agent: str | None = None
    outcomes: dict[str, Outcome] = field(default_factory=lambda: dict(DEFAULT_OUTCOMES))
    delimiter: str = ","

    def required(self) -> list[str]:
        return [self.callid, self.queue, self.entered, self.wait, self.outcome]


MAPPABLE = ("callid", "queue", "entered", "wait", "outcome", "talk", "agent")


def mapping_from_spec(spec: str, delimiter: str = ",") -> CsvMapping:
    """``"callid=Samtal,queue=Kö,talk="`` → a mapping; ``talk=``/``agent=`` mean "no such column"."""
    fields: dict[str, str | None] = {}
    for pair in filter(None, (p.strip() for p in spec.split(","))):
        name, _sep, column = (part.strip() for part in pair.partition("="))
        if name in ("talk", "agent") and not column:
            fields[name] = None
        elif name in MAPPABLE and column:
            fields[name] = column
        else:
            raise ValueError(f"unknown column mapping {pair!r} (fields: {', '.join(MAPPABLE)})")
    if len(delimiter) != 1:
        raise ValueError("the delimiter must be one character")
    return CsvMapping(**fields, delimiter=delimiter)  # type: ignore[arg-type]


def _parse_time(value: str, tz: tzinfo) -> datetime:
    value = value.strip()
    if value.isascii() and value.isdigit():
        return datetime.fromtimestamp(int(value), UTC).astimezone(tz)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a time (ISO 8601 or epoch seconds): {value!r}") from None
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed.astimezone(tz)


def _seconds(value: str, what: str) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{what} is not a whole number of seconds: {value!r}")
    return int(value)


def parse_csv_records(
    lines: Iterable[str],
    mapping: CsvMapping | None = None,
    *,
    tz: tzinfo = STOCKHOLM,
    skip_bad_lines: bool = False,
    report: ParseReport | None = None,
) -> Iterator[CallRecord]:
    """Yield call records; line numbers count the header as line 1."""
    mapping = mapping or CsvMapping()
    report = report if report is not None else ParseReport()
    reader = csv.DictReader(lines, delimiter=mapping.delimiter)
    header = reader.fieldnames or []
    wanted = mapping.required() + [c for c in (mapping.talk, mapping.agent) if c]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise LineError(1, f"missing column(s): {', '.join(missing)}")
    outcomes = {k.casefold(): v for k, v in mapping.outcomes.items()}
    for row in reader:
        number = reader.line_num
        report.lines = number
        try:
            if None in row or any(row[c] is None for c in wanted):
                raise ValueError("wrong number of fields")
            callid, queue = row[mapping.callid].strip(), row[mapping.queue].strip()
            if not callid or not queue:
                raise ValueError("call id and queue must not be empty")
            outcome = outcomes.get(row[mapping.outcome].strip().casefold())
            if outcome is None:
                raise ValueError(f"unknown outcome {row[mapping.outcome]!r}")
            talk = None
            if mapping.talk and row[mapping.talk].strip():
                talk = _seconds(row[mapping.talk], "talk time")
            record = CallRecord(
                callid=callid,
                queue=queue,
                entered=_parse_time(row[mapping.entered], tz),
                outcome=outcome,
                wait_seconds=_seconds(row[mapping.wait], "wait"),
                talk_seconds=talk if outcome is Outcome.ANSWERED else None,
                agent=row[mapping.agent].strip() if mapping.agent else "",
            )
            report.records += 1
            yield record
        except ValueError as exc:
            error = LineError(number, str(exc))
            if not skip_bad_lines:
                raise error from None
            report.errors.append(error)
