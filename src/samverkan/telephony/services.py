"""Writes for telephony: queue settings and call-record imports.

Imports insert with "on conflict do nothing" on the natural key (queue, callid), inside one
transaction: a malformed line aborts the whole import with its line number (nothing is
written) unless the user asked to skip bad lines, and importing the same file again writes
nothing (the file's checksum is recorded; a different file repeating calls already stored
adds only the new ones).

Two engines, same stored rows (tests/test_bulk_import.py): queue_log files in all-or-nothing
mode go set-based — DuckDB pairs the events (importers/bulk.py), PostgreSQL takes the calls
by COPY into a temp table and one INSERT … SELECT, SQLite by executemany in 50 000-row
batches; CSV call records, skip-bad-lines mode and anything the bulk scan cannot vouch for
(a malformed line included: only the reference reader can name it) go through the streaming
reference reader, chunk by chunk.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.services import model_update
from samverkan.domain.service_level import CallRecord as CallData
from samverkan.members.models import Federation
from samverkan.telephony.importers.bulk import OUTPUT_COLUMNS as BULK_COLUMNS
from samverkan.telephony.importers.bulk import QueueLogScan, scan_queue_log
from samverkan.telephony.importers.csv_records import CsvMapping, parse_csv_records
from samverkan.telephony.importers.queue_log import LineError, ParseReport, parse_queue_log
from samverkan.telephony.models import LOCAL_FIELDS, CallRecord, ImportBatch, Queue, local_calendar

CHUNK = 5000
BULK_BATCH = 50_000  # rows per executemany on SQLite
ENGINES = ("auto", "bulk", "reference")


def _chunks(records: Iterable[CallData], size: int) -> Iterator[list[CallData]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class _FileFacts:
    """What one pass over the bytes tells: checksum, line count, and whether the bulk path may read it."""

    sha256: str
    lines: int
    plain: bool  # no byte-order mark, no lone CR: DuckDB and Python see the same lines
    path: str | None  # a file DuckDB can open (the original or a spooled copy)


def _real_path(file: IO[bytes]) -> str | None:
    """The file's path if ``file`` is an open file on disk (CLI) or a Django temporary upload."""
    temporary = getattr(file, "temporary_file_path", None)
    if callable(temporary):
        return str(temporary())
    name = getattr(file, "name", None)
    if not isinstance(name, str):
        return None
    try:
        opened, named = os.fstat(file.fileno()), os.stat(name)
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None
    return name if (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino) and file.tell() == 0 else None


@contextmanager
def _inspect(file: IO[bytes], *, spool: bool) -> Iterator[_FileFacts]:
    """Checksum and line count in one streaming pass; copies an in-memory upload to a temp file if asked."""
    path = _real_path(file) if spool else None
    copy = None
    if spool and path is None:
        copy = tempfile.NamedTemporaryFile(prefix="samverkan-import-", delete=False)  # noqa: SIM115 - removed below
        path = copy.name
    sha = hashlib.sha256()
    newlines = crs = crlfs = size = 0
    first, last = b"", b""
    try:
        for block in iter(lambda: file.read(1 << 20), b""):
            sha.update(block)
            if copy is not None:
                copy.write(block)
            if not first:
                first = block[:3]
            newlines += block.count(b"\n")
            crs += block.count(b"\r")
            crlfs += block.count(b"\r\n") + (last == b"\r" and block[:1] == b"\n")
            last = block[-1:]
            size += len(block)
        if copy is not None:
            copy.close()
        file.seek(0)
        lines = newlines + (size > 0 and last != b"\n")  # as Python's line iteration counts them
        plain = not first.startswith(b"\xef\xbb\xbf") and crs == crlfs
        yield _FileFacts(sha.hexdigest(), lines, plain, path)
    finally:
        if copy is not None:
            copy.close()
            os.unlink(copy.name)


@transaction.atomic
def call_records_import(
    *,
    acting_user,
    federation: Federation,
    file: IO[bytes],
    file_name: str,
    file_format: str = ImportBatch.Format.QUEUE_LOG,
    skip_bad_lines: bool = False,
    csv_mapping: CsvMapping | None = None,
    engine: str = "auto",
) -> tuple[ImportBatch, bool]:
    """Import a queue_log or call-record CSV; returns (batch, created). Unknown queues are created.

    ``engine``: "auto" takes the set-based path (:mod:`.importers.bulk`) for queue_log files in
    all-or-nothing mode and the streaming reference reader otherwise or whenever the bulk
    scan finds something it cannot vouch for (a malformed line: the reference names it);
    "reference" forces the reader; "bulk" is "auto" that refuses a non-queue_log format.
    """
    if file_format not in ImportBatch.Format.values:
        raise ValidationError(_("Okänt filformat: %(format)s") % {"format": file_format})
    if engine not in ENGINES:
        raise ValueError(f"unknown import engine {engine!r}")
    bulk = engine != "reference" and file_format == ImportBatch.Format.QUEUE_LOG and not skip_bad_lines
    if engine == "bulk" and not bulk:
        raise ValueError("the bulk engine imports queue_log files in all-or-nothing mode only")
    bulk = bulk and connection.vendor in ("postgresql", "sqlite")
    with _inspect(file, spool=bulk) as facts:
        existing = ImportBatch.objects.filter(federation=federation, sha256=facts.sha256).first()
        if existing is not None:
            return existing, False
        batch = ImportBatch(
            federation=federation,
            file_name=file_name[:255],
            file_format=file_format,
            sha256=facts.sha256,
            imported_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        if bulk and facts.plain and facts.path:
            with scan_queue_log(facts.path) as scan:
                if scan.clean:
                    return _import_bulk(scan, acting_user=acting_user, federation=federation, batch=batch, facts=facts)
        return _import_reference(
            file,
            acting_user=acting_user,
            federation=federation,
            batch=batch,
            skip_bad_lines=skip_bad_lines,
            csv_mapping=csv_mapping,
        )


def _finish(batch: ImportBatch, acting_user, federation: Federation) -> tuple[ImportBatch, bool]:
    batch.save()
    audit_record(actor=acting_user, action="import", instance=batch, after=snapshot(batch), federation=federation)
    return batch, True


def _import_bulk(
    scan: QueueLogScan, *, acting_user, federation: Federation, batch: ImportBatch, facts: _FileFacts
) -> tuple[ImportBatch, bool]:
    """Queues by name (unknown ones created, in order of first call, as the reference does), then one bulk insert."""
    batch.save()
    queues = {q.name: q for q in Queue.objects.filter(federation=federation, name__in=scan.queues)}
    for name in scan.queues:
        if name not in queues:
            queues[name] = _queue_create(acting_user, federation, name)
    ids = {name: queues[name].pk for name in scan.queues}
    if connection.vendor == "postgresql" and _has_copy():
        created = _copy_calls(scan, ids, batch.pk)
    else:
        created = _executemany_calls(scan, ids, batch.pk)
    batch.lines = facts.lines
    batch.records_read = scan.records_read
    batch.records_created = created
    return _finish(batch, acting_user, federation)


def _has_copy() -> bool:
    """psycopg 3's ``cursor.copy()`` (psycopg2 has none; executemany then serves PostgreSQL too)."""
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def _call_columns() -> str:
    meta = CallRecord._meta
    return ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in BULK_COLUMNS)


def _copy_calls(scan: QueueLogScan, ids: dict[str, int], batch_id: int) -> int:
    """PostgreSQL: DuckDB writes CSV, COPY streams it into a temp table, one INSERT … SELECT … ON CONFLICT DO NOTHING.

    COPY cannot skip conflicts, hence the staging table; the conflict target is the
    (queue, callid) unique constraint, so calls already stored (an earlier, overlapping
    file) stay as they are. The CSV goes to a private temp directory and is streamed in
    1 MiB blocks: memory does not grow with the file.
    """
    table = connection.ops.quote_name(CallRecord._meta.db_table)
    staging = "samverkan_call_staging"
    with tempfile.TemporaryDirectory(prefix="samverkan-copy-") as tmp, connection.cursor() as cursor:
        target = Path(tmp) / "calls.csv"
        scan.to_csv(ids, batch_id, target)
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(
            f"CREATE TEMP TABLE {staging} (queue_id bigint, callid text, entered bigint, outcome text, "
            "wait integer, talk integer, agent text, local_day date, local_year integer, local_month integer, "
            "local_weekday integer, local_hour integer, batch_id bigint)"
        )
        with cursor.cursor.copy(f"COPY {staging} FROM STDIN (FORMAT csv)") as copy, target.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                copy.write(block)
        cursor.execute(
            f"INSERT INTO {table} ({_call_columns()}) "  # noqa: S608 - names from _meta, constant staging
            "SELECT queue_id, callid, to_timestamp(entered), outcome, wait, talk, agent, local_day, local_year, "
            f"local_month, local_weekday, local_hour, batch_id FROM {staging} "
            "ON CONFLICT (queue_id, callid) DO NOTHING"
        )
        created = cursor.rowcount
        cursor.execute(f"DROP TABLE {staging}")
    return int(created)


def _executemany_calls(scan: QueueLogScan, ids: dict[str, int], batch_id: int) -> int:
    """SQLite: rows straight from DuckDB in large batches, one executemany each, inside the import's transaction."""
    table = connection.ops.quote_name(CallRecord._meta.db_table)
    marks = ", ".join(["%s"] * len(BULK_COLUMNS))
    sql = f"INSERT INTO {table} ({_call_columns()}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608
    rows = scan.rows(ids, batch_id)
    created = 0
    with connection.cursor() as cursor:
        while batch := rows.fetchmany(BULK_BATCH):
            cursor.executemany(sql, batch)
            created += max(cursor.rowcount, 0)
    return created


def _import_reference(
    file: IO[bytes],
    *,
    acting_user,
    federation: Federation,
    batch: ImportBatch,
    skip_bad_lines: bool,
    csv_mapping: CsvMapping | None,
) -> tuple[ImportBatch, bool]:
    """The streaming reader: one Python record per call, inserted in chunks (also names bad lines)."""
    text = io.TextIOWrapper(file, encoding="utf-8", errors="strict", newline="")
    report = ParseReport()
    if batch.file_format == ImportBatch.Format.QUEUE_LOG:
        records = parse_queue_log(text, skip_bad_lines=skip_bad_lines, report=report)
    else:
        records = parse_csv_records(text, csv_mapping, skip_bad_lines=skip_bad_lines, report=report)
    batch.save()
    queues = {q.name: q for q in Queue.objects.filter(federation=federation)}
    adapt = connection.ops.adapt_datetimefield_value
    adapt_date = connection.ops.adapt_datefield_value
    before = CallRecord.objects.filter(queue__federation=federation).count()
    read = 0
    try:
        for chunk in _chunks(records, CHUNK):
            read += len(chunk)
            rows = []
            for call in chunk:
                queue = queues.get(call.queue)
                if queue is None:
                    queue = queues[call.queue] = _queue_create(acting_user, federation, call.queue)
                cal = local_calendar(call.entered)
                rows.append(
                    (
                        adapt_date(cal["local_day"]),
                        cal["local_year"],
                        cal["local_month"],
                        cal["local_weekday"],
                        cal["local_hour"],
                        queue.pk,
                        call.callid[:64],
                        adapt(call.entered),
                        call.outcome.value,
                        call.wait_seconds,
                        call.talk_seconds,
                        call.agent[:100],
                        batch.pk,
                    )
                )
            _insert_calls(rows)
    except LineError as exc:
        raise ValidationError(
            _("Rad %(line)s: %(reason)s. Inget importerades.")
            % {
                "line": exc.line_number,
                "reason": exc.reason,
            }
        ) from None
    except UnicodeDecodeError:
        raise ValidationError(_("Filen är inte UTF-8-kodad. Inget importerades.")) from None
    batch.lines = report.lines
    batch.records_read = read
    batch.records_created = CallRecord.objects.filter(queue__federation=federation).count() - before
    batch.skipped_lines = [{"line": e.line_number, "reason": e.reason} for e in report.errors[:1000]]
    return _finish(batch, acting_user, federation)


def _insert_calls(rows: list[tuple]) -> None:
    """INSERT … ON CONFLICT DO NOTHING with executemany (SQLite ≥ 3.24 and PostgreSQL).

    The ORM's bulk_create spends ~10× longer building model instances and per-field SQL
    than the database spends inserting; at 10 M calls a year that is the difference between
    minutes and hours. The conflict target is the (queue, callid) unique constraint.
    """
    meta = CallRecord._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in _CALL_FIELDS)
    marks = ", ".join(["%s"] * len(_CALL_FIELDS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


_CALL_FIELDS = (
    *LOCAL_FIELDS,
    "queue",
    "callid",
    "entered",
    "outcome",
    "wait_seconds",
    "talk_seconds",
    "agent",
    "batch",
)


def _queue_create(acting_user, federation: Federation, name: str) -> Queue:
    queue = Queue(federation=federation, name=name[:100])
    queue.full_clean()
    queue.save()
    audit_record(actor=acting_user, action="create", instance=queue, after=snapshot(queue), federation=federation)
    return queue


def queue_update(*, acting_user, queue: Queue, data: dict) -> Queue:
    """Change a queue's member, service, threshold, goal or convention (audited)."""
    allowed = {"label", "member", "service", "within_seconds", "goal", "convention", "short_abandon_seconds"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("Okända fält: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "goal" in data and not (Decimal(0) < Decimal(data["goal"]) <= 1):
        raise ValidationError(_("Målet anges som andel mellan 0 och 1."))
    for key in ("member", "service"):
        value = data.get(key)
        if value is not None and value.federation_id != queue.federation_id:
            raise ValidationError(_("Medlem och verksamhet måste höra till köns förbund."))
    updated, _changed = model_update(instance=queue, acting_user=acting_user, data=data)
    return updated
