"""Set-based queue_log reader: DuckDB pairs the events into calls (callstore's table :data:`..callstore.CALLS`),
for an import and for service level straight from a file.

The reference reader (:mod:`.queue_log`) builds one Python object per call; at 10 million
lines that is minutes. Here
DuckDB scans the file (parallel CSV reader, ``memory_limit``, spilling to a private temp
directory: memory stays bounded whatever the file size), and the pairing is done in SQL
over file order. Events, figures and checks are generated from :mod:`.events`, the table the
reference reader is written from; the pairing reproduces the reference reader's rules:

- a completion closes the call iff the previous CONNECT-or-completion line of the same
  (callid, queue) is a CONNECT (a second CONNECT replaces the first, a completion without
  an open CONNECT is ignored); talk = the completion's talk figure, else time since CONNECT;
- a CONNECT still open at the end of the file becomes an answered call without talk time;
- every unanswered outcome is a call;
- the reference emits calls in that order and the database keeps the first of each
  (queue, callid), so here the first by emission position wins.

File order: the scan goes, one row per line, into a temp table with ``preserve_insertion_order``,
so a line's ``rowid`` + 1 is its position (``row_number() OVER ()`` would give the same number
but runs the whole scan and check on one thread). The pairing is one hash aggregate per
(queue, callid): a call with at most one CONNECT, one completion and one unanswered outcome —
nearly every call — is decided by the positions of those lines alone; any other (queue,
callid) is paired by window functions over its lines in file order, which follow the rules
above line by line. The checks are those of :mod:`..validators` (field lengths, control
characters, figures and times in range; names once per distinct value), erring on the side of
doubt: anything this path cannot vouch for — a line the reference refuses (only it can name
it), a line DuckDB rejects (e.g. invalid UTF-8, over-long) or cannot split as Python does (a CR inside it), line ends
DuckDB cannot follow — makes :func:`scan_queue_log` report ``clean = False``; the caller
then hands the file to the reference reader, which refuses it with the line number or reads
it the slow, exact way. So a file is accepted by both paths or by neither, with the same calls.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from samverkan.telephony import callstore
from samverkan.telephony.callstore import CALLS
from samverkan.telephony.validators import (
    AGENT_MAX,
    CALLID_MAX,
    MAX_EPOCH,
    MAX_LINE_CHARS,
    MAX_SECONDS,
    NUMBER_DIGITS,
    QUEUE_NAME_MAX,
)

from .events import CALL_EVENTS, MAX_FIELDS, MEMBERSHIP_EVENTS, MIN_FIELDS, CallEvent, Kind

# Calls still connected at the end of the file are emitted after every line
END = 1 << 60
# Event codes (``e``): the position in CALL_EVENTS, 1-based: the CONNECT (C), the completions up to
# LAST_F, then the unanswered outcomes up to LAST_CALL (their index among them packed in two bits)
CODES = {e.name: code for code, e in enumerate(CALL_EVENTS.values(), start=1)}
_KINDS = [e.kind for e in CALL_EVENTS.values()]
C, LAST_F, LAST_CALL = 1, 1 + _KINDS.count(Kind.COMPLETION), len(_KINDS)
assert _KINDS == [Kind.CONNECT] * C + [Kind.COMPLETION] * (LAST_F - C) + [Kind.UNANSWERED] * (LAST_CALL - LAST_F)
assert LAST_CALL - LAST_F <= 4
# Membership events (domain.agent_time) get codes from M: kept with time, queue and agent only
M = 100
# A call event's numbers packed in one HUGEINT ``v`` (a clean file has ts <= MAX_EPOCH < 2**35 and
# 0 <= wait <= ts; talk <= MAX_SECONDS < 2**50): CONNECT ts << 35 | wait; completion talk * 2 + 1,
# or ts * 2 for a transfer without calltime; unanswered ts << 37 | wait << 2 | outcome; a membership
# event its time. The pairing puts
# the file position above them (pos << 72 < 2**127 for fewer than MAX_LINES lines): one min() per kind.
TS_SHIFT, POS_SHIFT = 35, 72
TS_MASK, POS_MASK = (1 << TS_SHIFT) - 1, (1 << POS_SHIFT) - 1
MAX_LINES = 1 << 55
assert (
    MAX_EPOCH < 1 << TS_SHIFT
    and MAX_SECONDS < 1 << 50
    and 2 * TS_SHIFT + 2 <= POS_SHIFT
    and MAX_LINES << POS_SHIFT <= 1 << 127
)
# DuckDB's share of an import's memory: the lines of a 10 M-line file are ~0.8 GB in it, so with the
# process's own ~0.15 GB this keeps an import under 1 GiB peak (it spills the rest to its temp directory)
MEMORY_LIMIT = "800MB"
# The hash aggregate runs in parts (by callid) of about this many events: each part's table then
# fits in memory next to the lines (one pass at 1 GB would spill, and take longer than four)
EVENTS_PER_PART = 2_000_000


def _digits(column: str) -> str:
    # at most NUMBER_DIGITS digits: fits BIGINT, and Python's int() agrees
    return f"coalesce(regexp_full_match({column}, '[0-9]{{1,{NUMBER_DIGITS}}}'), false)"


def _seconds_bad(column: str) -> str:
    """SQL: not a figure the reference reader accepts (digits, at most MAX_SECONDS)."""
    return f"(NOT {_digits(column)} OR TRY_CAST({column} AS BIGINT) > {MAX_SECONDS})"


def _text_bad(column: str, limit: int) -> str:
    """SQL: text the reference reader refuses (empty, longer than ``limit`` bytes, control characters).

    Bytes, not characters: a longer value in characters is longer in bytes, so everything the
    reference refuses is flagged (a few it accepts go to it as well).
    """
    return f"({column} = '' OR strlen({column}) > {limit} OR regexp_matches({column}, '[\\x00-\\x1f\\x7f-\\x9f]'))"


def _data(position: int) -> str:
    """The split column holding data field ``position`` (data1 is the line's sixth field, ``c5``)."""
    return f"c{MIN_FIELDS - 1 + position}"


def _bad(event: CallEvent) -> str:
    """SQL: the event's figures are not what the reference reader accepts (or not what a BIGINT holds)."""
    checks = [_seconds_bad(_data(at)) for at, _what in event.required()]
    if event.talk_optional:  # no calltime (or not a number) is fine; a number must be a figure
        talk = _data(event.talk)
        checks.append(f"(coalesce(regexp_full_match({talk}, '[0-9]+'), false) AND {_seconds_bad(talk)})")
    return " OR ".join(checks) or "false"


def _wait(event: CallEvent) -> str | None:
    return f"CAST({_data(event.wait)} AS BIGINT)" if event.wait else None


def _talk(event: CallEvent) -> str | None:
    if not event.talk:
        return None
    talk = f"CAST({_data(event.talk)} AS BIGINT)"
    return f"CASE WHEN {_digits(_data(event.talk))} THEN {talk} END" if event.talk_optional else talk


def _per_code(column: str, sql) -> str:
    """``WHEN column = code THEN sql(event)`` for every call event that ``sql`` gives an expression for."""
    return " ".join(
        f"WHEN {column} = {CODES[e.name]} THEN {x}" for e in CALL_EVENTS.values() if (x := sql(e)) is not None
    )


def _lines_reader(path: str) -> str:
    """SQL reading the file as one VARCHAR per line, to be split in SQL.

    A delimiter that never occurs keeps DuckDB's parallel CSV scanner (the ragged-row
    ``null_padding`` mode reads on one thread only); ``string_split`` costs less than the
    parallelism gains. Lines DuckDB cannot read land in ``reject_errors`` (:func:`_rejected`).
    """
    quoted = path.replace("'", "''")
    return (
        f"read_csv('{quoted}', delim='\x01', header=false, quote='', escape='', auto_detect=false, "
        "columns={'line': 'VARCHAR'}, store_rejects=true)"
    )


def _events_sql(path: str) -> str:
    """Every line of the file as one row of ``lines`` (``rowid`` + 1 = file position), checked as the reference does.

    ``e`` is the event's code (:data:`CODES`) for a call event, NULL for a line
    without an outcome (or an empty line), and 0 for a line this path cannot vouch for; the
    other columns are set for call and membership events only (``agent`` for CONNECT and membership,
    the numbers packed in ``v``, ``t`` the time). CASE evaluates a branch only for the rows that
    reach it, so most lines pay for one or two regular expressions (the figures'); call ids, queue
    names and agents are checked once per distinct value afterwards (:func:`_texts_bad`). CRLF
    line ends arrive without the CR (DuckDB's reader); empty lines arrive as NULL; a
    whitespace-only line is flagged (the caller then lets the reference reader decide, which
    skips it). ``h`` is the line's hash, for :func:`file_identity`;
    ``h`` and ``t`` are dropped once counted.
    """
    used = max(max(e.wait, e.hold, e.talk) for e in CALL_EVENTS.values())
    fields = ", ".join(f"s[{i + 1}] AS c{i}" for i in range(MIN_FIELDS + used))
    names = [*((code, name) for name, code in CODES.items()), *enumerate(MEMBERSHIP_EVENTS, start=M)]
    code = "CASE c4 " + " ".join(f"WHEN '{name}' THEN {i}" for i, name in names) + " END"
    return f"""
CREATE TEMP TABLE lines AS
WITH split AS (
    SELECT {fields}, len(s) AS nfields, unreadable, h
    FROM (SELECT string_split(line, '|') AS s, hash(line) AS h,
                 strlen(line) > {MAX_LINE_CHARS} OR contains(line, chr(13)) OR contains(line, chr(10)) AS unreadable
          FROM {_lines_reader(path)})
),
coded AS (SELECT *, {code} AS code FROM split),
checked AS (
    SELECT *,
        CASE WHEN nfields IS NULL THEN false
             WHEN unreadable OR nfields < {MIN_FIELDS} OR nfields > {MAX_FIELDS} OR NOT {_digits("c0")} THEN true
             WHEN code IS NULL THEN c4 = ''
             WHEN code >= {M} THEN false
             WHEN c2 = 'NONE' THEN true
             {_per_code("code", _bad)} ELSE true END AS bad
    FROM coded
),
valued AS (
    SELECT code, bad, c1, c2, c3, h,
           CASE WHEN NOT bad AND code IS NOT NULL THEN CAST(c0 AS BIGINT) END AS ts,
           CASE WHEN bad THEN NULL {_per_code("code", _wait)} END AS wait,
           CASE WHEN bad THEN NULL {_per_code("code", _talk)} END AS talk
    FROM checked
)
SELECT CAST(CASE WHEN bad OR ts > {MAX_EPOCH} OR ts - coalesce(wait, 0) < 0 THEN 0 ELSE code END AS UTINYINT) AS e,
       CASE WHEN code <= {LAST_CALL} THEN c1 END AS callid,
       CASE WHEN code IS NOT NULL THEN c2 END AS queue,
       CASE WHEN code = {C} OR code >= {M} THEN c3 END AS agent,
       ts AS t,
       CASE WHEN code >= {M} THEN CAST(ts AS HUGEINT)
            WHEN code = {C} THEN (CAST(ts AS HUGEINT) << {TS_SHIFT}) | wait
            WHEN code <= {LAST_F} THEN coalesce(CAST(talk AS HUGEINT) * 2 + 1, CAST(ts AS HUGEINT) * 2)
            WHEN code <= {LAST_CALL} THEN (CAST(ts AS HUGEINT) << {TS_SHIFT + 2}) | (CAST(wait AS HUGEINT) << 2)
                                   | (code - {LAST_F + 1}) END AS v,
       h
FROM valued
"""  # noqa: S608 - the path is quoted, everything else is constant


def _outcome(code: str) -> str:
    """SQL: the outcome of the unanswered event whose code is in column ``code``."""
    when = _per_code(code, lambda e: f"'{e.outcome.value}'" if e.kind is Kind.UNANSWERED else None)
    return f"CASE {when} END"


# One hash aggregate per (queue, callid), for the callids of one part. A key with at most one
# CONNECT, one completion and one unanswered outcome ("simple": count = number of kinds) has its
# records decided by the file positions alone: the completion closes the CONNECT iff it comes
# after it, else the CONNECT is still open at the end (emitted at END + pos), the unanswered
# outcome is emitted at its line; the record stored is the first emitted. A completion alone
# emits nothing. Any other key gets pos NULL here and is paired by the
# window functions of _CALLS_SQL.
_FAST_SQL = f"""
WITH k AS (
    SELECT queue, callid, count(*) AS n,
           bit_or(CASE WHEN e = {C} THEN 1 WHEN e <= {LAST_F} THEN 2 ELSE 4 END) AS kinds,
           min(pv) FILTER (e = {C}) AS cp, min(pv) FILTER (e BETWEEN {C + 1} AND {LAST_F}) AS fp,
           min(pv) FILTER (e > {LAST_F}) AS up, min(agent) AS c_agent
    FROM (SELECT (CAST(rowid + 1 AS HUGEINT) << {POS_SHIFT}) | v AS pv, e, queue, callid, agent FROM lines
          WHERE e BETWEEN 1 AND {LAST_CALL} AND hash(callid) % {{parts}} = {{part}})
    GROUP BY queue, callid
),
d AS (
    SELECT queue, callid, n = bit_count(kinds) AS simple, kinds, c_agent,
           CAST(cp >> {POS_SHIFT} AS BIGINT) AS c_pos, CAST((cp >> {TS_SHIFT}) & {TS_MASK} AS BIGINT) AS c_ts,
           CAST(cp & {TS_MASK} AS BIGINT) AS c_wait,
           CAST(fp >> {POS_SHIFT} AS BIGINT) AS f_pos, CAST(fp & {POS_MASK} AS BIGINT) AS f_v,
           CAST(up >> {POS_SHIFT} AS BIGINT) AS u_pos, CAST((up >> {TS_SHIFT + 2}) & {TS_MASK} AS BIGINT) AS u_ts,
           CAST((up >> 2) & {TS_MASK} AS BIGINT) AS u_wait, CAST(up & 3 AS UTINYINT) + {LAST_F + 1} AS u_e, bad
    FROM (SELECT *, {_text_bad("callid", CALLID_MAX)} AS bad FROM k) WHERE n > 1 OR kinds <> 2 OR bad
),
s AS (SELECT *, kinds & 3 = 3 AND c_pos < f_pos AS ans FROM d),
w AS (SELECT *, kinds & 4 = 4 AND (NOT ans OR u_pos < f_pos) AS uw FROM s)
SELECT CASE WHEN NOT simple THEN NULL WHEN uw THEN u_pos WHEN ans THEN f_pos ELSE {END} + c_pos END AS pos,
       queue, callid,
       CASE WHEN NOT simple THEN NULL WHEN uw THEN u_ts - u_wait ELSE c_ts - c_wait END AS entered,
       CASE WHEN NOT simple THEN NULL WHEN uw THEN {_outcome("u_e")} ELSE 'answered' END AS outcome,
       CASE WHEN NOT simple THEN NULL WHEN uw THEN u_wait ELSE c_wait END AS wait,
       CASE WHEN simple AND NOT uw AND ans
            THEN CASE WHEN f_v & 1 = 1 THEN f_v >> 1 ELSE greatest(0, (f_v >> 1) - c_ts) END END AS talk,
       CASE WHEN NOT simple THEN NULL WHEN uw THEN '' ELSE c_agent END AS agent, bad
FROM w
"""  # noqa: S608 - constant text

# Too many lines to pack the position: every key to the window pairing
_ALL_OTHERS_SQL = f"""
CREATE TEMP TABLE {CALLS} AS
SELECT NULL::BIGINT AS pos, queue, callid, NULL::BIGINT AS entered, NULL::VARCHAR AS outcome, NULL::BIGINT AS wait,
       NULL::BIGINT AS talk, NULL::VARCHAR AS agent, {_text_bad("callid", CALLID_MAX)} AS bad
FROM lines WHERE e BETWEEN 1 AND {LAST_CALL} GROUP BY queue, callid
"""  # noqa: S608 - constant text

# The events of the other keys, in the shape the window pairing reads
_EV_SQL = f"""
CREATE TEMP TABLE ev AS
SELECT pos, callid, queue, coalesce(agent, '') AS agent, e,
       CASE WHEN e = {C} THEN 'C' WHEN e <= {LAST_F} THEN 'F' ELSE 'U' END AS kind,
       CAST(CASE WHEN e = {C} THEN v >> {TS_SHIFT} WHEN e <= {LAST_F} THEN
                 CASE WHEN v & 1 = 0 THEN v >> 1 END ELSE v >> {TS_SHIFT + 2} END AS BIGINT) AS ts,
       CAST(CASE WHEN e = {C} THEN v & {TS_MASK} WHEN e > {LAST_F} THEN (v >> 2) & {TS_MASK} END AS BIGINT) AS wait,
       CAST(CASE WHEN e BETWEEN {C + 1} AND {LAST_F} AND v & 1 = 1 THEN v >> 1 END AS BIGINT) AS talk
FROM (SELECT rowid + 1 AS pos, * FROM lines WHERE e BETWEEN 1 AND {LAST_CALL})
SEMI JOIN (SELECT queue, callid FROM {CALLS} WHERE pos IS NULL) USING (queue, callid)
"""  # noqa: S608 - constant text

_CALLS_SQL = f"""
CREATE TEMP TABLE emitted AS
WITH cf AS (
    SELECT *, lag(kind) OVER w AS prev_kind, lag(ts) OVER w AS prev_ts, lag(wait) OVER w AS prev_wait,
           lag(agent) OVER w AS prev_agent, lead(kind) OVER w AS next_kind
    FROM ev WHERE kind IN ('C', 'F')
    WINDOW w AS (PARTITION BY callid, queue ORDER BY pos)
)
SELECT pos, queue, callid, prev_ts - prev_wait AS entered, 'answered' AS outcome, prev_wait AS wait,
       coalesce(talk, greatest(0, ts - prev_ts)) AS talk, prev_agent AS agent
FROM cf WHERE kind = 'F' AND prev_kind = 'C'
UNION ALL
SELECT {END} + pos, queue, callid, ts - wait, 'answered', wait, NULL, agent
FROM cf WHERE kind = 'C' AND next_kind IS NULL
UNION ALL
SELECT pos, queue, callid, ts - wait, {_outcome("e")}, wait, NULL, ''
FROM ev WHERE kind = 'U'
"""  # noqa: S608 - constant text

_STORED_SQL = f"""
INSERT INTO {CALLS} BY NAME
SELECT * FROM emitted
QUALIFY row_number() OVER (PARTITION BY queue, callid ORDER BY pos) = 1
"""  # noqa: S608 - constant text


def file_identity(size: int, lines: int, digest: int) -> str:
    """What tells one file from another, from the scan that reads it (no second pass for a checksum).

    64 hex digits: the size in bytes, the number of lines, and the sum (mod 2**128) over the
    lines of DuckDB's 64-bit ``hash(hash(line), position)``. The same bytes give the same
    identity, so a file sent again is recognised. A changed file gets another one: a changed,
    added or removed line changes its term of the sum (and, unless the size stays the same,
    the size); a line moved changes the positions. Two different files share an identity only
    by a 64-bit hash collision (about 2**-64 for files that are not built for it; a user who
    built one only keeps their own new file out), or when they differ in line ends alone
    (CRLF and LF: the same lines) with the same size. Not a cryptographic checksum and not
    stable across DuckDB versions: a file imported again after an upgrade that changed
    ``hash`` becomes a new import that adds no calls (the duplicate rule drops them).
    """
    return f"{size:016x}{lines:016x}{digest % (1 << 128):032x}"


@dataclass
class QueueLogScan:
    """The file's calls, paired and deduplicated (table ``calls`` in :data:`..callstore.CALLS_SCHEMA`'s shape),
    held in a DuckDB connection until closed."""

    con: duckdb.DuckDBPyConnection
    clean: bool = True
    lines: int = 0  # as Python counts them (blank lines included)
    identity: str = ""  # file_identity() of a clean file
    # (epoch, queue, agent, event) of the membership events in file order, and the span of the file's
    # call and membership lines (domain.agent_time), as the reference reader's ParseReport has them
    membership: list[tuple[int, str, str, str]] = field(default_factory=list)
    first_epoch: int | None = None
    last_epoch: int | None = None


@contextmanager
def scan_queue_log(
    path: str | Path, *, memory_limit: str = MEMORY_LIMIT, threads: int | None = None
) -> Iterator[QueueLogScan]:
    """Scan, validate and pair a queue_log file; yields a :class:`QueueLogScan`."""
    with callstore.connect(memory_limit=memory_limit, threads=threads) as con:
        scan = QueueLogScan(con)
        try:
            con.execute(_events_sql(str(path)))
        except duckdb.InvalidInputException:  # e.g. line ends DuckDB cannot follow: the reference reads them
            scan.clean = False
            yield scan
            return
        bad, events, lines, digest, first, last = con.execute(
            f"SELECT count(*) FILTER (e = 0), count(*) FILTER (e BETWEEN 1 AND {LAST_CALL}), count(*), "  # noqa: S608
            "coalesce(sum(hash(h, rowid)), 0), min(t) FILTER (e > 0), max(t) FILTER (e > 0) FROM lines"
        ).fetchone()
        if bad or _rejected(con):
            scan.clean = False
            yield scan
            return
        scan.lines = int(lines)
        scan.identity = file_identity(os.path.getsize(path), scan.lines, int(digest))
        for column in ("h", "t"):  # a tenth of the table's memory, needed by the pairing: membership times are in v
            con.execute(f"ALTER TABLE lines DROP COLUMN {column}")
        con.execute("DROP TABLE IF EXISTS reject_errors")
        if lines < MAX_LINES:
            # in parts by callid, so that each part's hash table fits in memory next to the lines
            parts = 1 + events // EVENTS_PER_PART
            for part in range(parts):
                into = f"INSERT INTO {CALLS} " if part else f"CREATE TEMP TABLE {CALLS} AS "
                con.execute(into + _FAST_SQL.replace("{parts}", str(parts)).replace("{part}", str(part)))
        else:
            con.execute(_ALL_OTHERS_SQL)
        if _texts_bad(con):
            scan.clean = False
            yield scan
            return
        con.execute(f"ALTER TABLE {CALLS} DROP COLUMN bad")
        (others,) = con.execute(f"SELECT count(*) FILTER (pos IS NULL) FROM {CALLS}").fetchone()  # noqa: S608
        if others:
            con.execute(_EV_SQL)
            con.execute(_CALLS_SQL)
            con.execute("DROP TABLE ev")
            con.execute(f"DELETE FROM {CALLS} WHERE pos IS NULL")  # noqa: S608
            con.execute(_STORED_SQL)
            con.execute("DROP TABLE emitted")
        scan.membership = [
            (int(t), q, a, MEMBERSHIP_EVENTS[e - M])
            for t, q, a, e in con.execute(
                f"SELECT CAST(v AS BIGINT), queue, agent, e FROM lines WHERE e >= {M} ORDER BY rowid"  # noqa: S608
            ).fetchall()
        ]
        if scan.membership:
            scan.first_epoch, scan.last_epoch = int(first), int(last)
        con.execute("DROP TABLE lines")
        yield scan


def _texts_bad(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a call id, queue name or agent is one the reference reader refuses (empty, too long,
    control characters).

    Checked once per distinct value after the scan, not per field and line: three regular
    expressions per call line cost the scan 1.3 of its ~10 CPU seconds at 10 M lines; this
    costs a few tenths. Call ids: the pairing's keys (every call line is in one); queues of
    call lines; agents of CONNECT and membership lines (``lines.agent`` holds only those).
    """
    (bad,) = con.execute(
        f"""SELECT (SELECT count(*) FILTER (bad) FROM {CALLS})
                 + (SELECT count(*) FILTER ((is_call AND {_text_bad("queue", QUEUE_NAME_MAX)})
                                            OR (agent IS NOT NULL AND {_text_bad("agent", AGENT_MAX)}))
                    FROM (SELECT DISTINCT e <= {LAST_CALL} AS is_call, queue, agent FROM lines WHERE e > 0))"""  # noqa: S608
    ).fetchone()
    return bool(bad)


def _rejected(con: duckdb.DuckDBPyConnection) -> int:
    """Lines DuckDB's reader rejected (e.g. invalid UTF-8); the table exists only when there were some."""
    try:
        row = con.execute("SELECT count(*) FROM reject_errors").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0
