"""The intervals file of `samverkan staffing plan`: CSV with columns start, calls and optional aht.

Read through :func:`.lines.text_lines` (byte-order mark, UTF-16, line ends, over-long and
non-UTF-8 lines, as every call-record reader); the delimiter is the header's (comma, semicolon
or tab); every number goes through the one number parser with the bounds of the Erlang
calculator (:mod:`samverkan.domain.erlang`: calls per interval, handle time), so "nan",
"1e999" or "−5" are refused with their line and column, never computed. At most
:data:`MAX_ROWS` intervals: the file is streamed and refused as soon as it has more.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from samverkan.domain import erlang
from samverkan.domain.numbers import NumberError, parse_decimal

from .lines import InputError, LineError, line_problem, text_lines

MAX_ROWS = 100_000  # almost three years of 15-minute intervals
MAX_CALLS, MAX_AHT = erlang.MAX_CALLS, erlang.MAX_HANDLE_SECONDS
MAX_START = 64  # characters of an interval's label
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class PlanIntervals:
    starts: list[str]
    calls: list[float]
    ahts: list[float]


def _number(value: object, column: str, *, minimum: int, maximum: int) -> float:
    try:
        number = parse_decimal(value, minimum=minimum, maximum=maximum)
    except NumberError as exc:
        raise ValueError(_("kolumn «%(column)s»: %(problem)s") % {"column": column, "problem": exc}) from None
    return float(number)


def read_plan(file: IO[bytes], *, aht: float | None) -> PlanIntervals:
    """The file's intervals; InputError (naming the line and column) for anything else."""
    lines = text_lines(file)
    numbered = ((n, line) for n, line in enumerate(lines, start=1))
    first = next(numbered, None)
    if first is None or not first[1].strip():
        raise InputError(_("filen är tom; första raden ska vara rubrikraden start,calls[,aht]"))
    if problem := line_problem(first[1]):
        raise LineError(1, problem)
    counts = [first[1].count(d) for d in DELIMITERS]
    delimiter = DELIMITERS[counts.index(max(counts))] if max(counts) else ","
    checked = (line if not (problem := line_problem(line)) else _raise(n, problem) for n, line in numbered)
    reader = csv.reader(itertools.chain([first[1]], checked), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
        if not {"start", "calls"} <= set(header):
            raise LineError(
                1,
                _("kolumnerna start och calls krävs (rubrikraden har: %(header)s)")
                % {"header": ", ".join(h[:40] for h in header[:12])},
            )
        has_aht = "aht" in header
        if not has_aht and aht is None:
            raise InputError(_("ange --aht eller en kolumn aht"))
        at = {name: header.index(name) for name in ("start", "calls", "aht") if name in header}
        starts: list[str] = []
        calls: list[float] = []
        ahts: list[float] = []
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            try:
                if len(row) != len(header):
                    raise ValueError(
                        _("raden har %(found)s fält, rubrikraden %(expected)s")
                        % {"found": len(row), "expected": len(header)}
                    )
                if len(starts) >= MAX_ROWS:
                    raise ValueError(_("högst %(limit)s intervall i en fil") % {"limit": MAX_ROWS})
                start = row[at["start"]].strip()
                if not start or len(start) > MAX_START:
                    raise ValueError(
                        _("kolumn «start»: 1–%(limit)s tecken (här %(length)s)")
                        % {"limit": MAX_START, "length": len(start)}
                    )
                row_calls = _number(row[at["calls"]], "calls", minimum=0, maximum=MAX_CALLS)
                given = row[at["aht"]].strip() if has_aht else ""
                row_aht = _number(given, "aht", minimum=1, maximum=MAX_AHT) if given else aht
                if row_aht is None:
                    raise ValueError(_("kolumn «aht»: saknas, och --aht är inte angiven"))
            except ValueError as exc:
                raise LineError(number, str(exc)) from None
            starts.append(start)
            calls.append(row_calls)
            ahts.append(row_aht)
    except csv.Error:
        raise LineError(
            reader.line_num, _("raden kan inte läsas som CSV (ett citattecken som inte avslutas?)")
        ) from None
    finally:
        lines.close()
    if not starts:
        raise InputError(_("filen innehåller inga intervall"))
    return PlanIntervals(starts, calls, ahts)


def _raise(number: int, problem: str) -> str:
    raise LineError(number, problem)
