"""Set-based queue_log import: DuckDB pairs the events into call records, the database takes them in bulk.

The reference reader (:mod:`.queue_log`) builds one Python object per call and costs about
20 µs per line once the ORM-free insert is added; at 10 million lines that is minutes. Here
DuckDB scans the file (parallel CSV reader, ``memory_limit``, spilling to a private temp
directory: memory stays bounded whatever the file size), and the pairing is done in SQL
with window functions over file order, reproducing the reference reader's rules exactly:

- a COMPLETE…/TRANSFER closes the call iff the previous CONNECT-or-completion line of the
  same (callid, queue) is a CONNECT (a second CONNECT replaces the first, a completion
  without an open CONNECT is ignored); talk = COMPLETE data2, TRANSFER data4, else time
  since CONNECT;
- a CONNECT still open at the end of the file becomes an answered call without talk time;
- ABANDON/EXITWITHTIMEOUT/EXITEMPTY (data3) and EXITWITHKEY (data4) are unanswered calls;
- the reference emits calls in that order and the database keeps the first of each
  (queue, callid), so here the first by emission position wins.

File order comes from ``row_number() OVER ()`` over the scan, which DuckDB evaluates as an
order-preserving streaming window. Anything this path cannot vouch for — a malformed line
(only the reference reader can name it), a line DuckDB rejects (e.g. invalid UTF-8), a
byte-order mark, a lone CR, field values too long for the columns or numbers out of range —
makes :func:`scan_queue_log` report ``clean = False``; the caller then hands the file to the
reference reader, which raises with the line number or imports it the slow, exact way.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .queue_log import MAX_FIELDS

COMPLETE = ("COMPLETEAGENT", "COMPLETECALLER")
TRANSFERS = ("TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER")
UNANSWERED = {
    "ABANDON": "abandoned",
    "EXITWITHTIMEOUT": "timeout",
    "EXITEMPTY": "exit_empty",
    "EXITWITHKEY": "exit_key",
}
# Column widths of telephony.CallRecord / Queue; longer values go to the reference path (it truncates)
MAX_CALLID, MAX_QUEUE, MAX_AGENT = 64, 100, 100
MAX_EPOCH = 32_503_680_000  # year 3000: beyond that the reference path decides (it raises)
# Calls still connected at the end of the file are emitted after every line
END = 1 << 60

OUTPUT_COLUMNS = (
    "queue",
    "callid",
    "entered",
    "outcome",
    "wait_seconds",
    "talk_seconds",
    "agent",
    "local_day",
    "local_year",
    "local_month",
    "local_weekday",
    "local_hour",
    "batch",
)


def _quote_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _digits(column: str) -> str:
    # at most 15 digits: fits BIGINT, and Python's int() agrees
    return f"coalesce(regexp_full_match({column}, '[0-9]{{1,15}}'), false)"


def _lines(path: str) -> str:
    quoted = path.replace("'", "''")
    # one VARCHAR per line, split in SQL: keeps DuckDB's parallel scanner (see fast.py)
    return (
        f"read_csv('{quoted}', delim='\x01', header=false, quote='', escape='', auto_detect=false, "
        "columns={'line': 'VARCHAR'}, store_rejects=true)"
    )


def _events_sql(path: str) -> str:
    """Every call event with its file position, and every line checked as the reference reader checks it.

    CASE evaluates a branch only for the rows that reach it, so most lines pay for one
    or two regular expressions. CRLF line ends arrive without the CR (DuckDB's reader);
    empty lines arrive as NULL; a whitespace-only line is flagged (the caller then lets the
    reference reader decide, which skips it).
    """
    fields = ", ".join(f"s[{i + 1}] AS c{i}" for i in range(MAX_FIELDS))
    complete, transfers = _quote_list(COMPLETE), _quote_list(TRANSFERS)
    kind = (
        f"CASE WHEN c4 = 'CONNECT' THEN 'C' WHEN c4 IN ({complete}, {transfers}) THEN 'F' "
        f"WHEN c4 IN ({_quote_list(UNANSWERED)}) THEN 'U' END"
    )
    return f"""
CREATE TEMP TABLE ev AS
WITH split AS (
    SELECT pos, {fields}, len(s) AS nfields
    FROM (SELECT pos, string_split(line, '|') AS s
          FROM (SELECT row_number() OVER () AS pos, line FROM {_lines(path)})
          WHERE line IS NOT NULL)
),
classified AS (SELECT *, {kind} AS kind FROM split),
checked AS (
    SELECT pos, c1 AS callid, c2 AS queue, c3 AS agent, c4 AS event, kind,
        CASE WHEN nfields < 5 OR nfields > {MAX_FIELDS} OR NOT {_digits("c0")} THEN true
             WHEN kind IS NULL THEN c4 = ''
             WHEN c1 = '' OR c2 = '' OR c2 = 'NONE' OR strlen(c1) > {MAX_CALLID} OR strlen(c2) > {MAX_QUEUE}
                  OR strlen(c3) > {MAX_AGENT} THEN true
             WHEN c4 = 'CONNECT' THEN NOT {_digits("c5")}
             WHEN c4 IN ({complete}) THEN NOT ({_digits("c5")} AND {_digits("c6")})
             WHEN c4 IN ({transfers}) THEN coalesce(regexp_full_match(c8, '[0-9]{{16,}}'), false)
             WHEN c4 = 'EXITWITHKEY' THEN NOT {_digits("c8")}
             ELSE NOT {_digits("c7")} END AS bad,
        c0, c5, c6, c7, c8
    FROM classified
    WHERE kind IS NOT NULL OR nfields < 5 OR c4 = '' OR NOT {_digits("c0")} OR nfields > {MAX_FIELDS}
)
SELECT pos, callid, queue, coalesce(agent, '') AS agent, event, kind,
       CASE WHEN NOT bad THEN CAST(c0 AS BIGINT) END AS ts,
       CASE WHEN bad OR kind = 'F' THEN NULL
            WHEN event = 'CONNECT' THEN CAST(c5 AS BIGINT)
            WHEN event = 'EXITWITHKEY' THEN CAST(c8 AS BIGINT)
            ELSE CAST(c7 AS BIGINT) END AS wait,
       CASE WHEN bad THEN NULL
            WHEN event IN ({complete}) THEN CAST(c6 AS BIGINT)
            WHEN event IN ({transfers}) AND {_digits("c8")} THEN CAST(c8 AS BIGINT) END AS talk,
       bad
FROM checked
"""  # noqa: S608 - the path is quoted, everything else is constant


_CALLS_SQL = f"""
CREATE TEMP TABLE emitted AS
WITH cf AS (
    SELECT *, lag(kind) OVER w AS prev_kind, lag(ts) OVER w AS prev_ts, lag(wait) OVER w AS prev_wait,
           lag(agent) OVER w AS prev_agent, lead(kind) OVER w AS next_kind
    FROM ev WHERE kind IN ('C', 'F')
    WINDOW w AS (PARTITION BY callid, queue ORDER BY pos)
)
SELECT pos, queue, callid, prev_ts - prev_wait AS entered, 'answered' AS outcome, prev_wait AS wait,
       CASE WHEN event IN ({_quote_list(COMPLETE)}) OR talk IS NOT NULL THEN talk
            ELSE greatest(0, ts - prev_ts) END AS talk,
       prev_agent AS agent
FROM cf WHERE kind = 'F' AND prev_kind = 'C'
UNION ALL
SELECT {END} + pos, queue, callid, ts - wait, 'answered', wait, NULL, agent
FROM cf WHERE kind = 'C' AND next_kind IS NULL
UNION ALL
SELECT pos, queue, callid, ts - wait,
       CASE event {" ".join(f"WHEN '{k}' THEN '{v}'" for k, v in UNANSWERED.items())} END, wait, NULL, ''
FROM ev WHERE kind = 'U'
"""  # noqa: S608 - constant text

_STORED_SQL = """
CREATE TEMP TABLE calls AS
SELECT * FROM emitted
QUALIFY row_number() OVER (PARTITION BY queue, callid ORDER BY pos) = 1
"""


@dataclass
class QueueLogScan:
    """The file's calls, paired and deduplicated, held in a DuckDB connection until closed."""

    con: duckdb.DuckDBPyConnection
    clean: bool = True
    records_read: int = 0
    queues: list[str] = field(default_factory=list)  # in order of first call, as the reference creates them

    def _select(self, queue_ids: dict[str, int], batch_id: int, datetimes_as: str) -> str:
        self.con.execute("CREATE OR REPLACE TEMP TABLE queue_ids (name VARCHAR, id BIGINT)")
        self.con.executemany("INSERT INTO queue_ids VALUES (?, ?)", list(queue_ids.items()))
        if datetimes_as == "sqlite":
            entered = "strftime(timezone('UTC', to_timestamp(c.entered)), '%Y-%m-%d %H:%M:%S')"
            day = "strftime(lt, '%Y-%m-%d')"
        else:
            entered, day = "c.entered", "CAST(lt AS DATE)"
        return f"""
            SELECT q.id, c.callid, {entered}, c.outcome, c.wait, c.talk, c.agent,
                   {day}, year(lt), year(lt) * 100 + month(lt), isodow(lt), hour(lt), {int(batch_id)}
            FROM (SELECT *, CAST(to_timestamp(entered) AS TIMESTAMP) AS lt FROM calls) c
            JOIN queue_ids q ON q.name = c.queue
            ORDER BY q.id, c.callid
            """  # noqa: S608 - constant text and an int

    def rows(self, queue_ids: dict[str, int], batch_id: int) -> duckdb.DuckDBPyConnection:
        """The calls in emission order as :data:`OUTPUT_COLUMNS`, with the local (Swedish) calendar.

        ``entered`` and ``local_day`` are the text Django stores on SQLite (UTC
        ``YYYY-MM-DD HH:MM:SS``, ``YYYY-MM-DD``); fetch in batches from the returned cursor.
        """
        return self.con.execute(self._select(queue_ids, batch_id, "sqlite"))

    def to_csv(self, queue_ids: dict[str, int], batch_id: int, target: Path) -> None:
        """The same rows as CSV for PostgreSQL's COPY (``entered`` in epoch seconds; NULL empty, '' quoted)."""
        quoted = str(target).replace("'", "''")
        self.con.execute(f"COPY ({self._select(queue_ids, batch_id, 'epoch')}) TO '{quoted}' (HEADER false)")


@contextmanager
def scan_queue_log(
    path: str | Path, *, memory_limit: str = "1GB", threads: int | None = None
) -> Iterator[QueueLogScan]:
    """Scan, validate and pair a queue_log file; yields a :class:`QueueLogScan`."""
    spill = tempfile.mkdtemp(prefix="samverkan-duckdb-")
    con = duckdb.connect(
        config={"memory_limit": memory_limit, "preserve_insertion_order": True, "temp_directory": spill}
    )
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET TimeZone = 'Europe/Stockholm'")
        scan = QueueLogScan(con)
        con.execute(_events_sql(str(path)))
        bad = con.execute(
            f"SELECT count(*) FROM ev WHERE bad OR ts > {MAX_EPOCH} OR ts - coalesce(wait, 0) < 0"  # noqa: S608
        ).fetchone()
        if (bad and bad[0]) or _rejected(con):
            scan.clean = False
            yield scan
            return
        con.execute("DROP TABLE IF EXISTS reject_errors")
        con.execute(_CALLS_SQL)
        con.execute("DROP TABLE ev")
        con.execute(_STORED_SQL)
        read = con.execute("SELECT count(*) FROM emitted").fetchone()
        scan.records_read = int(read[0]) if read else 0
        scan.queues = [
            r[0] for r in con.execute("SELECT queue FROM emitted GROUP BY queue ORDER BY min(pos)").fetchall()
        ]
        con.execute("DROP TABLE emitted")
        yield scan
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _rejected(con: duckdb.DuckDBPyConnection) -> int:
    try:
        row = con.execute("SELECT count(*) FROM reject_errors").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0
