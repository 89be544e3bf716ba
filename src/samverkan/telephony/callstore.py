"""Where imported calls live: compressed Parquet archives and 15-minute counters.

Why not one database row per call: a year of a busy switchboard is millions of calls, and
PostgreSQL spends most of an import maintaining the indexes of such a table (10 million
queue_log lines: ~3.4 M rows, 60–120 s; benchmarks/telephony_queue_log.py). Every page,
report and forecast needs sums, never single calls, so the database holds

- one :class:`~samverkan.telephony.models.CallArchive` per import and queue: the calls it
  added, as one zstd-compressed Parquet file in a binary column (about 5 bytes per call;
  it is in every backup, and DuckDB reads it back when counters must be rebuilt or calls
  compared), and
- :class:`~samverkan.telephony.models.CallInterval` rows: counters per queue, import and
  15-minute interval, measured against the queue's threshold T and short-abandon limit
  (rebuilt from the archives when those change).

This module is the DuckDB side of that, and the only code that knows its staging tables:
model-free, so the data migration that converted old per-call rows uses it too. A
connection from :func:`connect` holds

- the calls of one file by queue name (:data:`CALLS_SCHEMA`), filled by a reader
  (:mod:`.importers.bulk` in SQL, or :func:`load_records`), and
- *keyed* calls: with their queue and import ids, in the archives' shape — the new calls of
  a file (:func:`keep_new`), stored archives (:func:`attach_archives`) or old rows
  (:func:`load_keyed`) — from which archives, interval and agent counters are made.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from samverkan.domain.service_level import CallRecord, Outcome, QueueStats

INTERVAL_SECONDS = 900
CALLS = "calls"  # the table a reader fills
_KEYED = "keyed"
# The calls of one file after pairing: ``pos`` is emission order (the first of a repeated
# (queue, callid) wins), ``entered`` epoch seconds of queue entry, ``talk`` NULL when unknown.
CALLS_SCHEMA = {
    "pos": "BIGINT",
    "queue": "VARCHAR",
    "callid": "VARCHAR",
    "entered": "BIGINT",
    "outcome": "VARCHAR",
    "wait": "BIGINT",
    "talk": "BIGINT",
    "agent": "VARCHAR",
}
ARCHIVE_COLUMNS = ("callid", "entered", "outcome", "wait", "talk", "agent")
_KEYED_SCHEMA = {"queue_id": "BIGINT", "batch_id": "BIGINT", **{c: CALLS_SCHEMA[c] for c in ARCHIVE_COLUMNS}}
CALENDAR_FIELDS = ("local_day", "local_year", "local_month", "local_weekday", "local_hour")
# QueueStats' counters as CallInterval stores them (abandoned = offered - answered)
COUNTERS = (
    "offered",
    "answered",
    "short_abandoned",
    "answered_within",
    "abandoned_within",
    "answered_wait_total",
    "talk_total",
    "talk_count",
    "longest_wait",
)
# Order of the values in each row :func:`interval_rows` returns (CallInterval's field names)
INTERVAL_FIELDS = ("queue_id", "batch_id", "start", *CALENDAR_FIELDS, *COUNTERS)


@contextmanager
def connect(
    *, memory_limit: str = "1GB", threads: int | None = None, preserve_order: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that spills to a private temp directory: memory stays bounded whatever the file size.

    ``preserve_order``: tables keep insertion order (file positions are row ids); pure
    aggregation runs faster without it.
    """
    spill = tempfile.mkdtemp(prefix="samverkan-duckdb-")
    con = duckdb.connect(
        config={"memory_limit": memory_limit, "preserve_insertion_order": preserve_order, "temp_directory": spill}
    )
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET TimeZone = 'Europe/Stockholm'")
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _scratch_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """The connection's spill directory (private, removed with it): where files on their way in or out go."""
    row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    return Path(str(row[0])) if row and row[0] else Path(tempfile.gettempdir())


@contextmanager
def _spooled(con: duckdb.DuckDBPyConnection, rows: Iterable[Iterable], schema: dict[str, str]) -> Iterator[str]:
    """SQL reading ``rows`` (None = NULL) back in ``schema``'s columns from a CSV file in the spill
    directory: memory does not grow with the number of rows."""
    path = _scratch_dir(con) / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in schema.items())
    quoted = str(path).replace("'", "''")
    yield f"read_csv('{quoted}', header=false, auto_detect=false, quote='\"', escape='\"', columns={{{columns}}})"
    path.unlink()


def load_records(con: duckdb.DuckDBPyConnection, records: Iterable[CallRecord]) -> None:
    """Python records (the reference readers' output, in emission order) as the file's calls.

    A (queue, callid) emitted twice keeps its first record.
    """
    rows = (
        (pos, r.queue, r.callid, int(r.entered.timestamp()), r.outcome.value, r.wait_seconds, r.talk_seconds, r.agent)
        for pos, r in enumerate(records)
    )
    with _spooled(con, rows, CALLS_SCHEMA) as source:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {CALLS} AS SELECT * REPLACE (coalesce(agent, '') AS agent) "  # noqa: S608
            f"FROM {source} QUALIFY row_number() OVER (PARTITION BY queue, callid ORDER BY pos) = 1"
        )


def queues_in_order(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Queue names in order of their first call (the order in which unknown queues are created)."""
    return [r[0] for r in con.execute(f"SELECT queue FROM {CALLS} GROUP BY queue ORDER BY min(pos)").fetchall()]  # noqa: S608


def span(con: duckdb.DuckDBPyConnection) -> tuple[datetime, datetime] | None:
    """When the first and the last call of the file entered the queue; None without calls."""
    first, last = con.execute(f"SELECT min(entered), max(entered) FROM {CALLS}").fetchone() or (None, None)  # noqa: S608
    if first is None:
        return None
    return datetime.fromtimestamp(first, UTC), datetime.fromtimestamp(last, UTC)


def keep_new(
    con: duckdb.DuckDBPyConnection,
    *,
    batch_id: int,
    queue_ids: dict[str, int],
    earlier: Iterable[tuple[int, int, bytes]],
) -> tuple[int, int]:
    """The file's calls not in the ``earlier`` archives (same queue and callid) become the keyed calls of ``batch_id``.

    Returns (calls in the file, calls kept).
    """
    _attach(con, "earlier", earlier)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE queue_ids AS SELECT unnest(?::VARCHAR[]) AS name, unnest(?::BIGINT[]) AS id",
        [list(queue_ids), list(queue_ids.values())],
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_KEYED} AS
        SELECT q.id AS queue_id, {int(batch_id)} AS batch_id, c.callid, c.entered, c.outcome, c.wait, c.talk, c.agent
        FROM {CALLS} c JOIN queue_ids q ON q.name = c.queue
        WHERE NOT EXISTS (SELECT 1 FROM earlier s WHERE s.queue_id = q.id AND s.callid = c.callid)"""  # noqa: S608
    )
    con.execute("DROP TABLE earlier")
    (read,) = con.execute(f"SELECT count(*) FROM {CALLS}").fetchone()  # noqa: S608
    (kept,) = con.execute(f"SELECT count(*) FROM {_KEYED}").fetchone()  # noqa: S608
    return int(read), int(kept)


def load_keyed(con: duckdb.DuckDBPyConnection, rows: Iterable[tuple]) -> None:
    """Keyed calls from rows (queue id, batch id, callid, entered epoch, outcome, wait, talk or None, agent)."""
    with _spooled(con, rows, _KEYED_SCHEMA) as source:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {_KEYED} AS SELECT * REPLACE (coalesce(agent, '') AS agent) FROM {source}"  # noqa: S608
        )


def attach_archives(con: duckdb.DuckDBPyConnection, archives: Iterable[tuple[int, int, bytes]]) -> None:
    """Stored archives, given as (queue id, batch id, Parquet bytes), become the keyed calls."""
    _attach(con, _KEYED, archives)


def _attach(con: duckdb.DuckDBPyConnection, table: str, archives: Iterable[tuple[int, int, bytes]]) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in _KEYED_SCHEMA.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({columns})")
    path = _scratch_dir(con) / "archive.parquet"
    for queue_id, batch_id, data in archives:
        path.write_bytes(data)
        quoted = str(path).replace("'", "''")
        con.execute(
            f"INSERT INTO {table} SELECT {int(queue_id)}, {int(batch_id)}, {', '.join(ARCHIVE_COLUMNS)} "  # noqa: S608
            f"FROM read_parquet('{quoted}')"
        )
    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Archive:
    """One queue's keyed calls from one import, as a CallArchive holds them."""

    queue_id: int
    batch_id: int
    calls: int
    first_entered: datetime
    last_entered: datetime
    data: bytes  # zstd Parquet of ARCHIVE_COLUMNS, ordered by entry time


def keyed_archives(con: duckdb.DuckDBPyConnection) -> Iterator[Archive]:
    """The keyed calls as one archive per (queue, import), one in memory at a time."""
    groups = con.execute(
        f"SELECT queue_id, batch_id, count(*), min(entered), max(entered) FROM {_KEYED} "  # noqa: S608
        "GROUP BY queue_id, batch_id ORDER BY queue_id, batch_id"
    ).fetchall()
    path = _scratch_dir(con) / "out.parquet"
    quoted = str(path).replace("'", "''")
    for queue_id, batch_id, count, first, last in groups:
        con.execute(
            f"COPY (SELECT {', '.join(ARCHIVE_COLUMNS)} FROM {_KEYED} "  # noqa: S608
            f"WHERE queue_id = {int(queue_id)} AND batch_id = {int(batch_id)} "
            f"ORDER BY entered, callid) TO '{quoted}' (FORMAT parquet, COMPRESSION zstd)"
        )
        data = path.read_bytes()
        path.unlink()
        yield Archive(
            queue_id, batch_id, int(count), datetime.fromtimestamp(first, UTC), datetime.fromtimestamp(last, UTC), data
        )


@contextmanager
def archives_meanwhile(con: duckdb.DuckDBPyConnection) -> Iterator[Future[list[Archive]]]:
    """:func:`keyed_archives` made on a second thread while the caller writes to PostgreSQL.

    Sorting and compressing the archives is DuckDB's work (~2.8 s CPU at 10 M lines); COPYing
    the counters is mostly PostgreSQL's (index maintenance): on two cores they overlap. The
    caller must not use ``con`` inside the block (DuckDB connections are not for two threads
    at once; the counters' CSV is written before it). The PostgreSQL writes stay on the
    caller's thread, so they stay in its transaction; the archives are written afterwards in
    it too, and an error on either side leaves the block only after the thread has finished,
    with the transaction to roll back. The archives (~5 bytes a call) are held in memory.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="samverkan-archives") as pool:
        yield pool.submit(lambda: list(keyed_archives(con)))


def _quarter(column: str) -> str:
    """SQL: the epoch start of the 15-minute interval holding ``column`` (floor, also before 1970)."""
    return f"({column} - (({column} % {INTERVAL_SECONDS}) + {INTERVAL_SECONDS}) % {INTERVAL_SECONDS})"


# The Swedish calendar of ``lt`` (a local TIMESTAMP) in CALENDAR_FIELDS order, local_day … local_hour
_CALENDAR = "CAST(lt AS DATE), year(lt), year(lt) * 100 + month(lt), isodow(lt), hour(lt)"


def _counters(within: str, short: str) -> str:
    """SQL: the :data:`COUNTERS` of a group of calls, each call measured against ``within`` (T) and ``short``."""
    return f"""count(*),
               count(*) FILTER (outcome = 'answered'),
               count(*) FILTER (outcome <> 'answered' AND wait <= {short}),
               count(*) FILTER (outcome = 'answered' AND wait <= {within}),
               count(*) FILTER (outcome <> 'answered' AND wait <= {within}),
               coalesce(sum(wait) FILTER (outcome = 'answered'), 0),
               coalesce(sum(talk) FILTER (outcome = 'answered'), 0),
               count(talk) FILTER (outcome = 'answered'),
               max(wait)"""


def _intervals_sql(con: duckdb.DuckDBPyConnection, settings: dict[int, tuple[int, int]], start: str) -> str:
    """SQL: counters per (queue, batch, 15-minute interval) of the keyed calls, in :data:`INTERVAL_FIELDS` order,
    the interval's start epoch given to ``start`` (a format for the column ``start``)."""
    con.execute("CREATE OR REPLACE TEMP TABLE queue_limits (id BIGINT, within BIGINT, short BIGINT)")
    con.executemany("INSERT INTO queue_limits VALUES (?, ?, ?)", [(k, *v) for k, v in settings.items()])
    return f"""
        SELECT queue_id, batch_id, {start}, {_CALENDAR}, {_counters("q.within", "q.short")}
        FROM (SELECT *, CAST(to_timestamp(start) AS TIMESTAMP) AS lt
              FROM (SELECT *, {_quarter("entered")} AS start FROM {_KEYED})) c
        JOIN queue_limits q ON q.id = c.queue_id
        GROUP BY queue_id, batch_id, start, lt
        ORDER BY queue_id, batch_id, start
        """  # noqa: S608 - constant text


def interval_rows(con: duckdb.DuckDBPyConnection, settings: dict[int, tuple[int, int]]) -> list[tuple]:
    """Counters per (queue, batch, 15-minute interval) of the keyed calls, in :data:`INTERVAL_FIELDS` order.

    ``settings`` maps queue id → (T, short-abandon seconds); each call is compared with its
    own queue's limits, so sums over queues with different T stay honest. Intervals start
    on the quarter hour in UTC, which is also the quarter hour in Swedish time (whole-hour
    offsets), and carry the Swedish calendar of their start for grouping.
    """
    rows = con.execute(_intervals_sql(con, settings, "start")).fetchall()
    return [(r[0], r[1], datetime.fromtimestamp(r[2], UTC), *r[3:]) for r in rows]


@contextmanager
def interval_csv(con: duckdb.DuckDBPyConnection, settings: dict[int, tuple[int, int]]) -> Iterator[Path]:
    """:func:`interval_rows` as a CSV file (no header; times in UTC, ISO dates) for PostgreSQL's ``COPY … (FORMAT
    csv)``: a year of calls is ~200 000 rows, and turning each into Python objects costs more than the rest of
    the counting (benchmarks/telephony_queue_log.py)."""
    path = _scratch_dir(con) / "intervals.csv"
    quoted = str(path).replace("'", "''")
    start = "strftime(make_timestamp(CAST(start AS BIGINT) * 1000000), '%Y-%m-%d %H:%M:%S+00')"
    con.execute(f"COPY ({_intervals_sql(con, settings, start)}) TO '{quoted}' (FORMAT csv, HEADER false)")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


# The groupings of a report straight from a file (domain.service_level.GROUP_KEYS), on local entry time ``lt``
_GROUPS = {
    "queue": "queue",
    "year": "strftime(lt, '%Y')",
    "month": "strftime(lt, '%Y-%m')",
    "day": "strftime(lt, '%Y-%m-%d')",
    "weekday": "CAST(isodow(lt) AS VARCHAR)",
    "hour": "strftime(lt, '%H')",
    "all": "'all'",
}


def stats_by_group(
    con: duckdb.DuckDBPyConnection, *, group_by: str, within_seconds: int, short_abandon_seconds: int
) -> dict[str, QueueStats]:
    """The file's calls counted per group (Swedish local time of queue entry), in sorted group order."""
    outcomes = ", ".join(f"count(*) FILTER (outcome = '{o.value}')" for o in Outcome)
    rows = con.execute(
        f"""SELECT {_GROUPS[group_by]} AS grp, {_counters(str(int(within_seconds)), str(int(short_abandon_seconds)))},
                   {outcomes}
            FROM (SELECT *, CAST(to_timestamp(entered) AS TIMESTAMP) AS lt FROM {CALLS})
            GROUP BY grp ORDER BY grp"""  # noqa: S608 - constant text and whole numbers
    ).fetchall()
    result = {}
    for group, *values in rows:
        stats = QueueStats(within_seconds, short_abandon_seconds)
        for name, value in zip(COUNTERS, values[: len(COUNTERS)], strict=True):
            setattr(stats, name, int(value))
        stats.abandoned = stats.offered - stats.answered
        stats.outcomes = {o.value: int(n) for o, n in zip(Outcome, values[len(COUNTERS) :], strict=True) if n}
        result[str(group)] = stats
    return result


def contents(archives) -> Iterator[tuple[int, int, bytes]]:
    """(queue id, batch id, Parquet bytes) of a CallArchive queryset, a few archives in memory at a time."""
    for queue_id, batch_id, data in archives.values_list("queue_id", "batch_id", "data").iterator(chunk_size=20):
        yield queue_id, batch_id, bytes(data)


def write_calls_csv(
    archives, queue_names: dict[int, str], outcome_labels: dict[str, str], header: list[str], target: Path
) -> None:
    """The archives' calls as a semicolon CSV (UTF-8 with BOM, for Excel) in Swedish local time, streamed by DuckDB."""
    with connect() as con:
        attach_archives(con, contents(archives))
        con.execute("CREATE TEMP TABLE names (id BIGINT, name VARCHAR)")
        con.executemany("INSERT INTO names VALUES (?, ?)", list(queue_names.items()))
        con.execute("CREATE TEMP TABLE labels (outcome VARCHAR, label VARCHAR)")
        con.executemany("INSERT INTO labels VALUES (?, ?)", list(outcome_labels.items()))
        body = _scratch_dir(con) / "calls.csv"
        quoted = str(body).replace("'", "''")
        con.execute(
            "COPY (SELECT n.name, s.callid, "  # noqa: S608 - the path is quoted, the rest constant
            "strftime(CAST(to_timestamp(s.entered) AS TIMESTAMP), '%Y-%m-%d %H:%M:%S'), "
            "coalesce(l.label, s.outcome), s.wait, s.talk, nullif(s.agent, '') "
            f"FROM {_KEYED} s JOIN names n ON n.id = s.queue_id LEFT JOIN labels l ON l.outcome = s.outcome "
            f"ORDER BY s.entered, n.name, s.callid) TO '{quoted}' (HEADER false, DELIMITER ';')"
        )
        with target.open("wb") as out, body.open("rb") as calls:
            out.write(("\ufeff" + ";".join(header) + "\n").encode())
            shutil.copyfileobj(calls, out)


AGENT_FIELDS = ("agent", "start", *CALENDAR_FIELDS, "available_seconds", "talk_seconds")


def agent_rows(con: duckdb.DuckDBPyConnection, available: dict[tuple[str, int], int]) -> list[tuple]:
    """Per (agent, interval) with known available time, in :data:`AGENT_FIELDS` order.

    ``available``: (agent, interval start epoch) → seconds (0 where an earlier import already
    gave that interval's time); talk comes from the answered keyed calls in the interval
    they were answered (entry + wait). Talk outside known available time is no occupancy and
    is not kept: a log without membership events gives no rows at all.
    """
    if not available:
        return []
    keys = list(available)
    con.execute(  # lists as parameters: DuckDB's executemany costs a round trip per row
        "CREATE OR REPLACE TEMP TABLE avail AS "
        "SELECT unnest(?::VARCHAR[]) AS agent, unnest(?::BIGINT[]) AS start, unnest(?::BIGINT[]) AS seconds",
        [[a for a, _ in keys], [s for _, s in keys], [available[k] for k in keys]],
    )
    rows = con.execute(
        f"""SELECT a.agent, a.start, {_CALENDAR}, a.seconds, coalesce(t.talk, 0)
            FROM (SELECT *, CAST(to_timestamp(start) AS TIMESTAMP) AS lt FROM avail) a LEFT JOIN (
                SELECT agent, {_quarter("answered")} AS start, sum(talk) AS talk
                FROM (SELECT agent, talk, entered + wait AS answered FROM {_KEYED}
                      WHERE outcome = 'answered' AND talk IS NOT NULL AND agent <> '')
                GROUP BY ALL) t USING (agent, start)
            ORDER BY a.agent, a.start"""  # noqa: S608 - constant text
    ).fetchall()
    return [(r[0], datetime.fromtimestamp(r[1], UTC), *r[2:]) for r in rows]


def archived_calls(archives) -> list[tuple]:
    """Every call of a CallArchive queryset as (queue_id, batch_id, callid, entered (aware UTC), outcome, wait,
    talk, agent), ordered by queue and entry time."""
    with connect() as con:
        attach_archives(con, contents(archives))
        rows = con.execute(f"SELECT * FROM {_KEYED} ORDER BY queue_id, entered, callid").fetchall()  # noqa: S608
    return [(*r[:3], datetime.fromtimestamp(r[3], UTC), *r[4:]) for r in rows]


def transferred_legs(first_archives, onward_archives) -> list[tuple[int, int, str]]:
    """(onward queue id, entered epoch, outcome) of every call in the onward archives whose call id
    was answered earlier in one of the first archives — in queue_log, a call the switchboard
    transferred to another queue enters that queue with the same call id after its CONNECT."""
    with connect(memory_limit="400MB") as con:
        _attach(con, "first_leg", contents(first_archives))
        _attach(con, "onward_leg", contents(onward_archives))
        rows = con.execute(
            "SELECT o.queue_id, o.entered, o.outcome FROM onward_leg o WHERE EXISTS (SELECT 1 FROM first_leg f "
            "WHERE f.callid = o.callid AND f.outcome = 'answered' AND f.entered <= o.entered) "
            "ORDER BY o.queue_id, o.entered"
        ).fetchall()
    return [(int(q), int(e), str(o)) for q, e, o in rows]
