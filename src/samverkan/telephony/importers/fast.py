"""DuckDB path for large queue_log files: service-level counters straight from the file.

The reference reader (:mod:`.queue_log`) walks the file line by line in Python; this path
lets DuckDB's parallel CSV scanner do the same in SQL, which is what makes 10 million lines
a matter of seconds. Both produce identical :class:`QueueStats` (tested on the same files).

One scan: every line is classified and validated in the same pass (too few or too many
fields, a non-numeric time or wait). DuckDB cannot say on which line a cast failed, so when
anything is wrong the file is handed to the reference reader, which reports the line
numbers (and, in skip-bad-lines mode, counts the good lines). A clean file is read once.

No join: every figure is on one line. A CONNECT is an answered visit with its wait (data1,
entry time = time − wait); ABANDON/EXITWITHTIMEOUT/EXITEMPTY (data3) and EXITWITHKEY (data4)
are unanswered visits; talk time is on COMPLETE… (data2, hold in data1) and on the TRANSFER
events (calltime data4, hold data3), entry time = time − talk − hold. So memory does not
grow with the number of calls. Group keys use Europe/Stockholm local time of queue entry.
The reference reader pairs CONNECT with its completion instead; the two agree on every
consistent file (tested), and differ only where a completion has no CONNECT in the same
file (the reference ignores its talk time, this path counts it).
"""

from __future__ import annotations

from pathlib import Path

from samverkan.domain.service_level import DEFAULT_SHORT_ABANDON_SECONDS, GROUP_KEYS, QueueStats, group_stats
from samverkan.telephony import callstore

from .bulk import lines_reader, rejected
from .queue_log import MAX_FIELDS, ParseReport, parse_queue_log

GROUP_SQL = {
    "queue": "queue",
    "year": "strftime(local_entered, '%Y')",
    "month": "strftime(local_entered, '%Y-%m')",
    "day": "strftime(local_entered, '%Y-%m-%d')",
    "weekday": "CAST(isodow(local_entered) AS VARCHAR)",
    "hour": "strftime(local_entered, '%H')",
    "all": "'all'",
}


def _source(path: str) -> str:
    """Each line as one string (:func:`.bulk.lines_reader`), split in SQL."""
    fields = ", ".join(f"s[{i + 1}] AS c{i}" for i in range(MAX_FIELDS))
    return f"(SELECT {fields}, len(s) AS nfields FROM (SELECT string_split(rtrim(line, chr(13)), '|') AS s FROM {lines_reader(path)} WHERE trim(line) <> ''))"  # noqa: S608, E501


def queue_log_stats(
    path: str | Path,
    *,
    within_seconds: int,
    group_by: str = "all",
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
    skip_bad_lines: bool = False,
    report: ParseReport | None = None,
    threads: int | None = None,
    memory_limit: str = "1GB",
) -> dict[str, QueueStats]:
    """Service-level counters per group for a queue_log file."""
    if group_by not in GROUP_SQL:
        raise ValueError(f"unknown grouping {group_by!r}")
    if within_seconds < 0 or short_abandon_seconds < 0:
        raise ValueError("thresholds must not be negative")
    path = str(path)
    with callstore.connect(memory_limit=memory_limit, threads=threads, preserve_order=False) as con:
        rows = con.execute(
            _STATS_SQL.format(source=_source(path), group=GROUP_SQL[group_by]),  # group from a fixed table
            [within_seconds, short_abandon_seconds],
        ).fetchall()
        malformed = sum(int(row[-1]) for row in rows) + rejected(con)
    if malformed:
        # slow path on purpose: only the reference reader can name the lines
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            records = parse_queue_log(handle, skip_bad_lines=skip_bad_lines, report=report)
            return group_stats(records, GROUP_KEYS[group_by], within_seconds, short_abandon_seconds)
    result: dict[str, QueueStats] = {}
    for row in sorted(rows, key=lambda r: str(r[0])):
        if not row[1]:
            continue  # only talk lines fell in this group
        stats = QueueStats(within_seconds, short_abandon_seconds)
        (
            _,
            stats.offered,
            stats.answered,
            stats.abandoned,
            stats.short_abandoned,
            stats.answered_within,
            stats.abandoned_within,
            stats.answered_wait_total,
            stats.talk_total,
            stats.talk_count,
            stats.longest_wait,
        ) = (row[0], *(int(v or 0) for v in row[1:11]))
        stats.outcomes = {k: int(v) for k, v in zip(_OUTCOMES, row[11:16], strict=True) if v}
        result[str(row[0])] = stats
    if report is not None:
        report.records = sum(s.offered for s in result.values())
    return result


_OUTCOMES = ("answered", "abandoned", "timeout", "exit_key", "exit_empty")


def _num(column: str) -> str:
    return f"coalesce(regexp_full_match({column}, '[0-9]+'), false)"


# One scan of the file: every line is classified (A answered, U unanswered, F finished talk)
# and checked; malformed lines are counted in the same pass so a clean file is read once.
_STATS_SQL = f"""
WITH ev AS (
    SELECT c2 AS queue,
        CASE WHEN c4 = 'CONNECT' THEN 'A'
             WHEN c4 IN ('ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY', 'EXITWITHKEY') THEN 'U'
             WHEN c4 IN ('COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER')
             THEN 'F' END AS kind,
        CASE c4 WHEN 'ABANDON' THEN 'abandoned' WHEN 'EXITWITHTIMEOUT' THEN 'timeout'
                WHEN 'EXITWITHKEY' THEN 'exit_key' WHEN 'EXITEMPTY' THEN 'exit_empty' END AS unanswered,
        TRY_CAST(c0 AS BIGINT) AS ts,
        TRY_CAST(CASE WHEN c4 = 'EXITWITHKEY' THEN c8
                      WHEN c4 IN ('CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER') THEN c5
                      ELSE c7 END AS BIGINT) AS wait,
        CASE WHEN c4 IN ('COMPLETEAGENT', 'COMPLETECALLER') THEN TRY_CAST(c6 AS BIGINT)
             WHEN c4 IN ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER') THEN TRY_CAST(c8 AS BIGINT) END AS talk,
        NOT {_num("c0")} OR nfields < 5 OR nfields > {MAX_FIELDS} OR c4 = ''
           OR (c4 IN ('CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER',
                      'ATTENDEDTRANSFER', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY', 'EXITWITHKEY')
               AND (coalesce(c1, '') = '' OR coalesce(c2, '') IN ('', 'NONE')))
           OR (c4 = 'CONNECT' AND NOT {_num("c5")})
           OR (c4 IN ('COMPLETEAGENT', 'COMPLETECALLER') AND NOT ({_num("c5")} AND {_num("c6")}))
           OR (c4 IN ('ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY') AND NOT {_num("c7")})
           OR (c4 = 'EXITWITHKEY' AND NOT {_num("c8")}) AS bad
    FROM {{source}}
),
keyed AS (
    SELECT *, CAST(to_timestamp(ts - coalesce(wait, 0) - coalesce(talk, 0)) AS TIMESTAMP) AS local_entered
    FROM ev WHERE kind IS NOT NULL OR bad
)
SELECT {{group}} AS grp,
       count(*) FILTER (kind IN ('A', 'U')),
       count(*) FILTER (kind = 'A'),
       count(*) FILTER (kind = 'U'),
       count(*) FILTER (kind = 'U' AND wait <= $2),
       count(*) FILTER (kind = 'A' AND wait <= $1),
       count(*) FILTER (kind = 'U' AND wait <= $1),
       sum(wait) FILTER (kind = 'A'),
       sum(talk) FILTER (kind = 'F' AND talk IS NOT NULL),
       count(talk) FILTER (kind = 'F'),
       max(wait) FILTER (kind IN ('A', 'U')),
       count(*) FILTER (kind = 'A'),
       count(*) FILTER (unanswered = 'abandoned'),
       count(*) FILTER (unanswered = 'timeout'),
       count(*) FILTER (unanswered = 'exit_key'),
       count(*) FILTER (unanswered = 'exit_empty'),
       count(*) FILTER (bad)
FROM keyed
GROUP BY grp
"""  # noqa: S608 - constant text, filled from fixed tables
