"""Reads for telephony, always scoped to what the user may see.

Service-level figures are sums of the 15-minute counters stored at import (one GROUP BY
per period in the database), handed to the domain's ``QueueStats`` so that pages, API and
CLI print the same numbers by the same rules. Each call was counted against its own
queue's threshold T, so a report over several queues stays honest when their T differ.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import IO

from django.db.models import Max, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from samverkan.core.permissions import scope
from samverkan.domain.service_level import Convention, QueueStats, to_decimal
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


OWN_RULE_LABEL = _l("Varje kös egen regel")


def _own_rule_level(parts: Sequence[tuple[QueueStats, Convention]]) -> Decimal | None:
    """Queues judged by different rules: each queue's numerator and denominator under its own
    rule, summed — so the figure of a set of queues is that of the queues one by one."""
    terms = [stats.service_level_terms(conv) for stats, conv in parts]
    num, den = sum(t[0] for t in terms), sum(t[1] for t in terms)
    return to_decimal(Fraction(num, den), 4) if den else None


@dataclass
class GroupRow:
    key: str
    label: str
    stats: QueueStats
    convention: Convention | None  # None: the group's queues have different rules, each counts by its own
    goal: Decimal | None
    within_seconds: int | None  # None when the group mixes queues with different T
    previous: QueueStats | None = None
    parts: list[tuple[QueueStats, Convention]] = field(default_factory=list)  # per queue, for convention None
    previous_parts: list[tuple[QueueStats, Convention]] = field(default_factory=list)

    @property
    def service_level(self) -> Decimal | None:
        if self.convention is None:
            return _own_rule_level(self.parts)
        return self.stats.service_level(self.convention)

    @property
    def previous_service_level(self) -> Decimal | None:
        if self.previous is None:
            return None
        if self.convention is None:
            return _own_rule_level(self.previous_parts)
        return self.previous.service_level(self.convention)

    @property
    def meets_goal(self) -> bool | None:
        sl = self.service_level
        return None if sl is None or self.goal is None else sl >= self.goal

    @property
    def convention_label(self) -> str:
        if self.convention is None:
            return str(OWN_RULE_LABEL)
        return str(ConventionChoice(self.convention.value).label)


@dataclass
class Report:
    per: str
    rows: list[GroupRow]
    total: GroupRow | None
    convention: Convention | None  # None: each queue by its own rule (stated per queue in ``rules``)
    year: int | None
    rules: list[Queue] = field(default_factory=list)  # the queues with calls, each stating its own rule

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


def _aggregate(
    calls: QuerySet[CallInterval], per: str, by_id: dict[int, Queue]
) -> dict[object, tuple[dict, dict[int, dict]]]:
    """One GROUP BY (queue, calendar column) query; rolled up to the grouping in Python.

    Counters add up exactly (each call was already compared with its own queue's T in SQL),
    so per-member, per-service and whole-report figures are sums of per-queue rows; each
    group keeps its queues' own counters too, for queues judged by their own rules.
    """
    column = CALENDAR_COLUMNS.get(per)
    fields = ["queue_id", column] if column else ["queue_id"]
    groups: dict[object, tuple[dict, dict[int, dict]]] = {}
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
            groups[g] = (dict.fromkeys(AGGREGATES, 0), {})
        total, queues = groups[g]
        for name in COUNTERS:
            total[name] += row[name] or 0
        total["longest_wait"] = max(total["longest_wait"], row["longest_wait"] or 0)
        queues[qid] = _summed([queues[qid], row]) if qid in queues else row
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
    chosen = convention or _common_convention(active or visible)

    def settings_for(group_queues: list[Queue]) -> tuple[Convention | None, Decimal | None, int | None, int]:
        conv = convention or _common_convention(group_queues)
        goals = {q.goal for q in group_queues}
        ts = {q.within_seconds for q in group_queues}
        shorts = {q.short_abandon_seconds for q in group_queues}
        return (
            conv,
            goals.pop() if len(goals) == 1 else None,
            ts.pop() if len(ts) == 1 else None,
            shorts.pop() if len(shorts) == 1 else 0,
        )

    def parts(per_queue: dict[int, dict]) -> list[tuple[QueueStats, Convention]]:
        return [
            (_stats(c, by_id[q].within_seconds, by_id[q].short_abandon_seconds), Convention(by_id[q].convention))
            for q, c in sorted(per_queue.items())
            if q in by_id
        ]

    rows: list[GroupRow] = []
    for g, (counters, qids) in data.items():
        key = _key(per, g)
        members = [by_id[q] for q in sorted(qids) if q in by_id]
        conv, goal, within, short = settings_for(members)
        match = prev_by_match.get(_match(per, key))
        prev = _stats(match[0], within or 0, short) if match else None
        row = GroupRow(
            key, _label(per, g, by_id, members), _stats(counters, within or 0, short), conv, goal, within, prev
        )
        if conv is None:
            row.parts, row.previous_parts = parts(qids), parts(match[1]) if match else []
        rows.append(row)

    # occupancy is the agents' (one team for all queues): for calendar groups and whole reports only
    whole = queue is None and queues is None
    occupancy = _occupancy(user, per, year) if whole and per in CALENDAR_COLUMNS else {}
    for row, g in zip(rows, data, strict=True):
        row.stats.available_seconds, row.stats.talk_while_available = occupancy.get(g, (0, 0))

    total = None
    if rows:
        all_queues = list({q.pk: q for q in active}.values())
        conv, goal, within, short = settings_for(all_queues)
        total_stats = _stats(_summed([c for c, _ in data.values()]), within or 0, short)
        prev_total = _stats(_summed([c for c, _ in previous.values()]), within or 0, short) if previous else None
        if whole:
            total_stats.available_seconds, total_stats.talk_while_available = _occupancy(user, "all", year).get(
                "all", (0, 0)
            )
        total = GroupRow("total", _("Totalt"), total_stats, conv, goal, within, prev_total)
        if conv is None:
            total.parts = parts(_per_queue(data))
            total.previous_parts = parts(_per_queue(previous))
    rules = sorted({q.pk: q for q in active}.values(), key=str)
    return Report(per, rows, total, None if per == "queue" and not convention else chosen, year, rules)


def _summed(values: list[dict]) -> dict:
    out = {name: sum(v[name] or 0 for v in values) for name in COUNTERS}
    out["longest_wait"] = max((v["longest_wait"] or 0 for v in values), default=0)
    return out


def _per_queue(data: dict[object, tuple[dict, dict[int, dict]]]) -> dict[int, dict]:
    """Each queue's counters over all groups of an aggregate."""
    out: dict[int, list[dict]] = {}
    for _counters, per_queue in data.values():
        for q, c in per_queue.items():
            out.setdefault(q, []).append(c)
    return {q: _summed(cs) for q, cs in out.items()}


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


@dataclass(frozen=True)
class TransferRow:
    label: str
    transferred: int
    answered: int

    @property
    def answer_rate(self) -> Decimal | None:
        return to_decimal(Fraction(self.answered, self.transferred), 4) if self.transferred else None


def unit_queues_for(user) -> QuerySet[Queue]:
    """A member's own units: queues of a member outside the federation's services (where the
    switchboard transfers callers to an office or an official)."""
    return queues_for(user).filter(member__isnull=False, service__isnull=True)


def transfers_answered(user, *, year: int) -> tuple[list[TransferRow], TransferRow | None]:
    """Per member: calls a service queue answered and transferred to the member's own units in
    ``year``, and how many of them a unit answered (seed 002: 50–70 %), plus the total."""
    units = {q.pk: q for q in unit_queues_for(user)}
    if not units:
        return [], None
    start = datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    window = {"first_entered__lt": end, "last_entered__gte": start - timedelta(days=1)}
    first = CallArchive.objects.filter(queue__in=queues_for(user).filter(service__isnull=False), **window)
    onward = CallArchive.objects.filter(queue_id__in=units, **window)
    counts: dict[int, list[int]] = {}
    for queue_id, entered, outcome in _transferred_legs(_archive_set(first), _archive_set(onward)):
        if timezone.localtime(datetime.fromtimestamp(entered, tz=timezone.get_current_timezone())).year != year:
            continue
        n = counts.setdefault(units[queue_id].member_id, [0, 0])
        n[0] += 1
        n[1] += outcome == OutcomeChoice.ANSWERED
    names = {q.member_id: q.member.name for q in units.values() if q.member}
    rows = [TransferRow(names[m], t, a) for m, (t, a) in sorted(counts.items(), key=lambda i: names[i[0]])]
    total = TransferRow(str(_("Totalt")), sum(r.transferred for r in rows), sum(r.answered for r in rows))
    return rows, total if rows else None


def _archive_set(archives) -> tuple[tuple[int, str, int], ...]:
    """What names a set of archives for ``_transferred_legs``: each one's id, its file's identity and its
    number of calls (the identity also tells two archives apart that reuse an id, as SQLite may after a
    rolled-back transaction)."""
    return tuple(archives.order_by("pk").values_list("pk", "batch__sha256", "calls"))


@lru_cache(maxsize=4)  # a report reads one year; a leg is ~120 bytes, a large year ~100 000 legs
def _transferred_legs(first: tuple, onward: tuple) -> tuple:
    """``callstore.transferred_legs`` of two sets of archives, kept per process: reading a year's
    archives takes seconds, and an archive never changes once stored (an import adds archives,
    deleting one removes it), so the same sets always give the same legs."""
    return tuple(
        callstore.transferred_legs(
            CallArchive.objects.filter(pk__in=[archive[0] for archive in first]),
            CallArchive.objects.filter(pk__in=[archive[0] for archive in onward]),
        )
    )


def three_years(
    user,
    *,
    year: int,
    queue: Queue | None = None,
    queues: Sequence[Queue] | None = None,
    convention: Convention | None = None,
) -> list[tuple[int, GroupRow | None]]:
    """The three years ending with ``year``, oldest first, each with its row of a per-year report
    by the same rules (None: no calls that year)."""
    report = service_level_report(
        user, per="year", queue=queue, queues=queues, convention=convention, compare_previous_year=False
    )
    by_year = {row.key: row for row in report.rows}
    return [(y, by_year.get(str(y))) for y in range(year - 2, year + 1)]
