"""Reads for telephony, always scoped to what the user may see.

Service-level figures are sums of the 15-minute counters stored at import (one GROUP BY
per period in the database), handed to the domain's ``QueueStats`` so that pages, API and
CLI print the same numbers by the same rules. Each call was counted against its own
queue's threshold T, so a report over several queues stays honest when their T differ.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import Max, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from samverkan.core.permissions import scope
from samverkan.domain.service_level import Convention, QueueStats
from samverkan.telephony import callstore
from samverkan.telephony.models import (
    AgentInterval,
    CallArchive,
    CallInterval,
    ConventionChoice,
    ImportBatch,
    OutcomeChoice,
    Queue,
)

GROUPINGS = ("queue", "member", "service", "year", "month", "day", "weekday", "hour")
WEEKDAYS = ("", _l("måndag"), _l("tisdag"), _l("onsdag"), _l("torsdag"), _l("fredag"), _l("lördag"), _l("söndag"))


def queues_for(user) -> QuerySet[Queue]:
    qs = Queue.objects.select_related("member", "service", "federation")
    return scope(user, qs, federation="federation", member="member", department=None)


def queue_get(user, pk: int) -> Queue:
    return get_object_or_404(queues_for(user), pk=pk)


def intervals_for(user) -> QuerySet[CallInterval]:
    return scope(
        user, CallInterval.objects.all(), federation="queue__federation", member="queue__member", department=None
    )


def batches_for(user) -> QuerySet[ImportBatch]:
    return scope(user, ImportBatch.objects.all(), federation="federation", member=None, department=None)


def agent_intervals_for(user) -> QuerySet[AgentInterval]:
    """Agents serve every member's queue: their time is federation-wide, not shown to member contacts."""
    return scope(user, AgentInterval.objects.all(), federation="federation", member=None, department=None)


def _occupancy(user, per: str, year: int | None) -> dict[object, tuple[int, int]]:
    """(available, talk while available) seconds per calendar group, over the user's federation."""
    column = CALENDAR_COLUMNS.get(per)
    rows = agent_intervals_for(user)  # only intervals with known available time are stored
    if year:
        rows = rows.filter(local_year=year)
    if not column:
        whole = rows.aggregate(a=Sum("available_seconds"), t=Sum("talk_seconds"))
        return {"all": (int(whole["a"] or 0), int(whole["t"] or 0))}
    totals = rows.order_by().values(column).annotate(a=Sum("available_seconds"), t=Sum("talk_seconds"))
    return {r[column]: (int(r["a"] or 0), int(r["t"] or 0)) for r in totals}


def batch_get(user, pk: int) -> ImportBatch:
    return get_object_or_404(batches_for(user), pk=pk)


CALLS_CSV_HEADER = (
    _l("Kö"),
    _l("Samtals-id"),
    _l("In i kön"),
    _l("Utfall"),
    _l("Väntetid (s)"),
    _l("Samtalstid (s)"),
    _l("Agent"),
)


def calls_csv(user, batch: ImportBatch) -> tuple[IO[bytes], str]:
    """Every call the import added (only queues the user may see) as an open CSV file and its file name.

    The file is anonymous on disk (removed when closed): a year of calls does not sit in memory.
    """
    names = dict(queues_for(user).filter(federation=batch.federation_id).values_list("id", "name"))
    archives = CallArchive.objects.filter(batch=batch, queue_id__in=names)
    scratch = tempfile.NamedTemporaryFile(prefix="samverkan-calls-", suffix=".csv")  # noqa: SIM115 - caller closes
    labels = {value: str(label) for value, label in OutcomeChoice.choices}
    callstore.write_calls_csv(archives, names, labels, [str(h) for h in CALLS_CSV_HEADER], Path(scratch.name))
    return scratch, f"samtal-{batch.imported_at:%Y%m%d}-{batch.pk}.csv"


def years_with_calls(user) -> list[int]:
    years = intervals_for(user).order_by().values_list("local_year", flat=True).distinct()
    return sorted({int(y) for y in years}, reverse=True)


@dataclass
class GroupRow:
    key: str
    label: str
    stats: QueueStats
    convention: Convention
    goal: Decimal | None
    within_seconds: int | None  # None when the group mixes queues with different T
    previous: QueueStats | None = None

    @property
    def service_level(self) -> Decimal | None:
        return self.stats.service_level(self.convention)

    @property
    def previous_service_level(self) -> Decimal | None:
        return self.previous.service_level(self.convention) if self.previous else None

    @property
    def meets_goal(self) -> bool | None:
        sl = self.service_level
        return None if sl is None or self.goal is None else sl >= self.goal

    @property
    def convention_label(self) -> str:
        return str(ConventionChoice(self.convention.value).label)


@dataclass
class Report:
    per: str
    rows: list[GroupRow]
    total: GroupRow | None
    convention: Convention | None  # None: per queue, each its own
    year: int | None

    @property
    def has_occupancy(self) -> bool:
        """Whether any row has agents' time behind it (else the column only says "–")."""
        rows = [*self.rows, *([self.total] if self.total else [])]
        return any(row.stats.available_seconds for row in rows)


AGGREGATES = {
    "offered": Sum("offered"),
    "answered": Sum("answered"),
    "short_abandoned": Sum("short_abandoned"),
    "answered_within": Sum("answered_within"),
    "abandoned_within": Sum("abandoned_within"),
    "answered_wait_total": Sum("answered_wait_total"),
    "talk_total": Sum("talk_total"),
    "talk_count": Sum("talk_count"),
    "longest_wait": Max("longest_wait"),
}


CALENDAR_COLUMNS = {
    "year": "local_year",
    "month": "local_month",
    "day": "local_day",
    "weekday": "local_weekday",
    "hour": "local_hour",
}
COUNTERS = [name for name in AGGREGATES if name != "longest_wait"]


def _stats(row: dict, within: int, short: int) -> QueueStats:
    stats = QueueStats(within, short)
    for name in AGGREGATES:
        setattr(stats, name, int(row[name] or 0))
    stats.abandoned = stats.offered - stats.answered
    return stats


def _aggregate(calls: QuerySet[CallInterval], per: str, by_id: dict[int, Queue]) -> dict[object, tuple[dict, set[int]]]:
    """One GROUP BY (queue, calendar column) query; rolled up to the grouping in Python.

    Counters add up exactly (each call was already compared with its own queue's T in SQL),
    so per-member, per-service and whole-report figures are sums of per-queue rows.
    """
    column = CALENDAR_COLUMNS.get(per)
    fields = ["queue_id", column] if column else ["queue_id"]
    groups: dict[object, tuple[dict, set[int]]] = {}
    for row in calls.order_by().values(*fields).annotate(**AGGREGATES):
        qid = row["queue_id"]
        if column:
            g: object = row[column]
        elif per == "queue":
            g = qid
        elif per == "member":
            g = by_id[qid].member_id if qid in by_id else None
        else:
            g = by_id[qid].service_id if qid in by_id else None
        if g not in groups:
            groups[g] = (dict.fromkeys(AGGREGATES, 0), set())
        total, queues = groups[g]
        for name in COUNTERS:
            total[name] += row[name] or 0
        total["longest_wait"] = max(total["longest_wait"], row["longest_wait"] or 0)
        queues.add(qid)
    return dict(sorted(groups.items(), key=lambda item: (item[0] is None, str(item[0]).zfill(12))))


def _key(per: str, value: object) -> str:
    if value is None:
        return ""
    if per == "month":
        return f"{int(value) // 100:04d}-{int(value) % 100:02d}"  # type: ignore[call-overload]
    if per == "day" and isinstance(value, (date, datetime)):
        return f"{value:%Y-%m-%d}"
    if per == "hour":
        return f"{int(value):02d}"  # type: ignore[call-overload]
    return str(value)


def _match(per: str, key: str) -> str:
    """The key of the same group one year earlier (months and days compare like for like)."""
    if per in ("month", "day") and key:
        return key[5:]
    return key


def service_level_report(
    user,
    *,
    per: str = "queue",
    year: int | None = None,
    queue: Queue | None = None,
    queues: Sequence[Queue] | None = None,
    convention: Convention | None = None,
    compare_previous_year: bool = True,
) -> Report:
    """Service level per group for the user's visible calls, optionally one year, one queue or a set.

    Group settings (T, goal, convention) are those of the queues with calls in the group;
    when they differ the row says so (T and goal empty, the chosen convention stated).
    """
    if per not in GROUPINGS:
        raise ValueError(f"unknown grouping {per!r}")
    calls = intervals_for(user)
    visible = list(queues_for(user))
    if queue is not None:
        calls = calls.filter(queue=queue)
        visible = [q for q in visible if q.pk == queue.pk]
    elif queues is not None:
        ids = {q.pk for q in queues}
        calls = calls.filter(queue_id__in=ids)
        visible = [q for q in visible if q.pk in ids]
    by_id = {q.pk: q for q in visible}
    current = calls.filter(local_year=year) if year else calls
    data = _aggregate(current, per, by_id)
    previous = _aggregate(calls.filter(local_year=year - 1), per, by_id) if year and compare_previous_year else {}
    prev_by_match = {_match(per, _key(per, g)): value for g, value in previous.items()}

    active = [by_id[qid] for _, qids in data.values() for qid in qids if qid in by_id]
    chosen = convention or _common_convention(active or visible) or Convention.ABANDON_ADJUSTED

    def settings_for(group_queues: list[Queue]) -> tuple[Convention, Decimal | None, int | None, int]:
        conv = convention or _common_convention(group_queues) or chosen
        goals = {q.goal for q in group_queues}
        ts = {q.within_seconds for q in group_queues}
        shorts = {q.short_abandon_seconds for q in group_queues}
        return (
            conv,
            goals.pop() if len(goals) == 1 else None,
            ts.pop() if len(ts) == 1 else None,
            shorts.pop() if len(shorts) == 1 else 0,
        )

    def summed(values: list[dict]) -> dict:
        out = {name: sum(v[name] for v in values) for name in COUNTERS}
        out["longest_wait"] = max((v["longest_wait"] for v in values), default=0)
        return out

    rows: list[GroupRow] = []
    for g, (counters, qids) in data.items():
        key = _key(per, g)
        members = [by_id[q] for q in sorted(qids) if q in by_id]
        conv, goal, within, short = settings_for(members)
        match = prev_by_match.get(_match(per, key))
        prev = _stats(match[0], within or 0, short) if match else None
        rows.append(
            GroupRow(
                key, _label(per, g, by_id, members), _stats(counters, within or 0, short), conv, goal, within, prev
            )
        )

    # occupancy is the agents' (one team for all queues): for calendar groups and whole reports only
    whole = queue is None and queues is None
    occupancy = _occupancy(user, per, year) if whole and per in CALENDAR_COLUMNS else {}
    for row, g in zip(rows, data, strict=True):
        row.stats.available_seconds, row.stats.talk_while_available = occupancy.get(g, (0, 0))

    total = None
    if rows:
        all_queues = list({q.pk: q for q in active}.values())
        conv, goal, within, short = settings_for(all_queues)
        total_stats = _stats(summed([c for c, _ in data.values()]), within or 0, short)
        prev_total = _stats(summed([c for c, _ in previous.values()]), within or 0, short) if previous else None
        if whole:
            total_stats.available_seconds, total_stats.talk_while_available = _occupancy(user, "all", year).get(
                "all", (0, 0)
            )
        total = GroupRow("total", _("Totalt"), total_stats, convention or chosen, goal, within, prev_total)
    return Report(per, rows, total, None if per == "queue" and not convention else chosen, year)


def _common_convention(queues: Sequence[Queue]) -> Convention | None:
    conventions = {q.convention for q in queues}
    return Convention(conventions.pop()) if len(conventions) == 1 else None


def _label(per: str, g: object, by_id: dict[int, Queue], members: list[Queue]) -> str:
    if per == "queue":
        return str(by_id[g]) if g in by_id else str(g)  # type: ignore[index]
    if per == "member":
        return members[0].member.name if members and members[0].member else _("Hela förbundet")
    if per == "service":
        return members[0].service.name if members and members[0].service else _("Ingen verksamhet")
    if per == "weekday":
        return str(WEEKDAYS[int(g)])  # type: ignore[call-overload]
    if per == "hour":
        return f"{int(g):02d}–{int(g) + 1:02d}"  # type: ignore[call-overload]
    return _key(per, g)


def hourly_offered(user, queue: Queue, start: date, end: date) -> dict[datetime, float]:
    """Offered calls per local clock hour in [start, end) — input for the forecast."""
    rows = (
        intervals_for(user)
        .filter(queue=queue, local_day__gte=start, local_day__lt=end)
        .values("local_day", "local_hour")
        .annotate(n=Sum("offered"))
        .order_by("local_day", "local_hour")
    )
    return {
        datetime(r["local_day"].year, r["local_day"].month, r["local_day"].day, r["local_hour"]): float(r["n"])
        for r in rows
    }


def busiest_recent_day(user, queue: Queue) -> date | None:
    last = intervals_for(user).filter(queue=queue).aggregate(m=Max("start"))["m"]
    if last is None:
        return None
    day = timezone.localtime(last).date()
    while day.isoweekday() > 5:
        day -= timedelta(days=1)
    return day


def average_handle_seconds(user, queue: Queue) -> int:
    row = intervals_for(user).filter(queue=queue).aggregate(t=Sum("talk_total"), n=Sum("talk_count"))
    return round(row["t"] / row["n"]) if row["n"] else 180
