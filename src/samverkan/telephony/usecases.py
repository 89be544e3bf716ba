"""Telephony use cases reachable from more than one entry point (page, API, CLI).

Each is one function returning one frozen result; the entry points only parse their input
and render the result (``as_dict()`` or ``rows()`` is the JSON the API and the CLI print), so the figures
cannot drift apart between them. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from samverkan.domain.erlang import staff_interval, staff_interval_erlang_a, staff_intervals, traffic_intensity
from samverkan.domain.service_level import (
    DEFAULT_SHORT_ABANDON_SECONDS,
    GROUP_KEYS,
    Convention,
    QueueStats,
)
from samverkan.telephony import callstore
from samverkan.telephony.importers.calls import read_calls
from samverkan.telephony.importers.csv_records import CsvMapping
from samverkan.telephony.importers.lines import LineError


def _text(value: Decimal | None) -> str | None:
    """A figure in JSON: its Decimal string (null when there is no figure)."""
    return None if value is None else str(value)


# --- Erlang staffing of one interval: the calculator page, GET erlang/, `samverkan staffing erlang`


@dataclass(frozen=True)
class IntervalStaffing:
    model: str  # "erlang_c", or "erlang_a" when callers hang up after a patience
    traffic_erlangs: float
    agents: int
    agents_with_shrinkage: int
    service_level: float
    waiting_probability: float
    asa_seconds: float
    occupancy: float
    abandon_probability: float | None  # Erlang A only

    @property
    def model_name(self) -> str:
        return "Erlang A" if self.model == "erlang_a" else "Erlang C"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def staffing_for_interval(
    *,
    calls: float,
    interval_seconds: int,
    aht_seconds: float,
    target: float | Decimal,
    within_seconds: float,
    shrinkage: Decimal = Decimal(0),
    max_occupancy: float | Decimal = 1,
    patience_seconds: float | None = None,
) -> IntervalStaffing:
    """Agents needed in one interval: Erlang C, or Erlang A when a patience is given.

    Ratios are shares (0.8, not 80). Raises StaffingError (a DomainError) for input the model cannot staff.
    """
    common = {
        "calls": calls,
        "interval_seconds": interval_seconds,
        "aht_seconds": aht_seconds,
        "target": float(target),
        "within_seconds": within_seconds,
        "shrinkage": shrinkage,
        "max_occupancy": float(max_occupancy),
    }
    if patience_seconds:
        a = staff_interval_erlang_a(patience_seconds=patience_seconds, **common)
        return IntervalStaffing(
            model="erlang_a",
            traffic_erlangs=traffic_intensity(calls, interval_seconds, aht_seconds),
            agents=a.agents,
            agents_with_shrinkage=a.agents_with_shrinkage,
            service_level=a.result.service_level,
            waiting_probability=a.result.waiting_probability,
            asa_seconds=a.result.asa_seconds,
            occupancy=a.result.occupancy,
            abandon_probability=a.result.abandon_probability,
        )
    c = staff_interval(**common)
    return IntervalStaffing(
        model="erlang_c",
        traffic_erlangs=c.traffic_erlangs,
        agents=c.agents,
        agents_with_shrinkage=c.agents_with_shrinkage,
        service_level=c.service_level,
        waiting_probability=c.waiting_probability,
        asa_seconds=c.asa_seconds,
        occupancy=c.occupancy,
        abandon_probability=None,
    )


# --- Erlang C staffing of a series of intervals: `samverkan staffing plan FILE`, the day plan on the page


@dataclass(frozen=True)
class PlannedInterval:
    start: str
    calls: float
    agents: int
    agents_with_shrinkage: int
    service_level: float
    asa_seconds: float
    occupancy: float


@dataclass(frozen=True)
class StaffingPlan:
    intervals: tuple[PlannedInterval, ...]

    def rows(self) -> list[dict[str, Any]]:
        """One row per interval: the input's columns and the staffing (ratios to 6 places, ASA to 2)."""
        return [
            {
                "start": i.start,
                "calls": i.calls,
                "agents": i.agents,
                "agents_with_shrinkage": i.agents_with_shrinkage,
                "service_level": round(i.service_level, 6),
                "asa_seconds": round(i.asa_seconds, 2),
                "occupancy": round(i.occupancy, 6),
            }
            for i in self.intervals
        ]


def staffing_plan(
    starts: Sequence[str],
    calls: Sequence[float],
    aht_seconds: float | Sequence[float],
    *,
    interval_seconds: int,
    target: float | Decimal,
    within_seconds: float,
    shrinkage: Decimal = Decimal(0),
    max_occupancy: float | Decimal = 1,
) -> StaffingPlan:
    """Erlang C agents for every interval of a series (one handle time, or one per interval)."""
    staffed = staff_intervals(
        calls,
        aht_seconds,
        interval_seconds=interval_seconds,
        target=float(target),
        within_seconds=within_seconds,
        shrinkage=shrinkage,
        max_occupancy=float(max_occupancy),
    )
    return StaffingPlan(
        tuple(
            PlannedInterval(start, float(n), int(a), int(w), float(sl), float(asa), float(o))
            for start, n, a, w, sl, asa, o in zip(
                starts,
                calls,
                staffed.agents,
                staffed.agents_with_shrinkage,
                staffed.service_level,
                staffed.asa_seconds,
                staffed.occupancy,
                strict=True,
            )
        )
    )


# --- Service level straight from a file, no database: `samverkan telephony service-level FILE`


@dataclass(frozen=True)
class FileServiceLevel:
    convention: Convention
    within_seconds: int
    groups: tuple[tuple[str, QueueStats], ...]  # in group order
    skipped: tuple[LineError, ...]  # malformed lines skipped on request

    def rows(self) -> list[dict[str, Any]]:
        """One row per group, its figures under the keys (and in the form) the service-level API uses."""
        return [
            {
                "group": group,
                "offered": s.offered,
                "answered": s.answered,
                "abandoned": s.abandoned,
                "answered_within": s.answered_within,
                "service_level": _text(s.service_level(self.convention)),
                "asa_seconds": _text(s.asa_seconds()),
            }
            for group, s in self.groups
        ]


def service_level_from_file(
    path: Path,
    *,
    file_format: str,
    within_seconds: int,
    group_by: str = "all",
    convention: Convention = Convention.ABANDON_ADJUSTED,
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
    skip_bad_lines: bool = False,
    csv_mapping: CsvMapping | None = None,
    threads: int | None = None,
) -> FileServiceLevel:
    """Service-level counters per group of a queue_log or CSV file.

    The file is read as an import reads it (:func:`.importers.calls.read_calls`): the same
    files are refused (InputError, naming the line) and the same calls counted — a queue_log
    paired by DuckDB (:mod:`.importers.bulk`: seconds for millions of lines), anything else by
    the streaming readers; the first record of a (queue, callid) counts, in :mod:`.callstore`.
    """
    if group_by not in GROUP_KEYS:
        raise ValueError(f"unknown grouping {group_by!r}")
    if within_seconds < 0 or short_abandon_seconds < 0:
        raise ValueError("thresholds must not be negative")
    limits = {"group_by": group_by, "within_seconds": within_seconds, "short_abandon_seconds": short_abandon_seconds}
    with (
        Path(path).open("rb") as handle,
        read_calls(
            handle,
            file_format=file_format,
            path=path,
            csv_mapping=csv_mapping,
            skip_bad_lines=skip_bad_lines,
            threads=threads,
        ) as read,
    ):
        stats = callstore.stats_by_group(read.con, **limits)
    return FileServiceLevel(convention, within_seconds, tuple(stats.items()), tuple(read.skipped))
