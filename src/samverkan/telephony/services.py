"""Writes for telephony: queue settings and call-record imports.

An import runs in one transaction: a malformed line aborts it with its line number (nothing
is written) unless the user asked to skip bad lines, and importing the same file again
writes nothing (the file's identity is recorded: :func:`.importers.bulk.file_identity` from the
set-based scan, which reads the file once, or SHA-256 of the bytes after a streaming reader; a
different file repeating calls already stored adds only the new ones: a call is its (queue, callid)).

The calls of a file are paired into a DuckDB table ``calls`` by importers/calls.py, the
reading `telephony service-level` shares (so both accept and refuse the same files), with one
of two engines with the same result (tests/test_bulk_import.py): queue_log files in
all-or-nothing mode go set-based (importers/bulk.py: DuckDB scans and pairs in SQL); CSV call
records, skip-bad-lines mode and anything the bulk scan cannot vouch for (a malformed line
included: only the reference reader can name it) go through the streaming reference
reader. Then :func:`_store` keeps what is new as one Parquet archive per queue and the
15-minute counters every report reads (why: :mod:`samverkan.telephony.callstore`).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Protocol

import duckdb
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.core.services import model_update
from samverkan.domain.agent_time import available_seconds
from samverkan.members.models import Federation
from samverkan.telephony import callstore
from samverkan.telephony.importers.calls import read_calls
from samverkan.telephony.importers.csv_records import CsvMapping
from samverkan.telephony.importers.lines import InputError
from samverkan.telephony.models import AgentInterval, CallArchive, CallInterval, ImportBatch, Queue
from samverkan.telephony.policies import EDIT_QUEUE, IMPORT_CALLS

ENGINES = ("auto", "bulk", "reference")
# Calls of a new file are compared with archives whose calls are this close in time: an
# Asterisk callid is unique per system and the same call re-sent is re-sent with its times
DUPLICATE_WINDOW = timedelta(days=1)


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
def _on_disk(file: IO[bytes]) -> Iterator[str]:
    """A path DuckDB can open: the file's own, or a temp copy of an in-memory upload (removed afterwards)."""
    path = _real_path(file)
    if path is not None:
        yield path
        return
    copy = tempfile.NamedTemporaryFile(prefix="samverkan-import-", delete=False)  # noqa: SIM115 - removed below
    try:
        with copy:
            shutil.copyfileobj(file, copy, 1 << 20)
        file.seek(0)
        yield copy.name
    finally:
        os.unlink(copy.name)


def _sha256(file: IO[bytes]) -> str:
    """The identity of a file a streaming reader read: SHA-256 of its bytes (that path is not the fast one)."""
    file.seek(0)
    sha = hashlib.sha256()
    for block in iter(lambda: file.read(1 << 20), b""):
        sha.update(block)
    file.seek(0)
    return sha.hexdigest()


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
    progress=None,
) -> tuple[ImportBatch, bool]:
    """Import a queue_log or call-record CSV; returns (batch, created). Unknown queues are created.
    ``progress(done, total, message)`` (core.jobs) hears of the two phases: reading, storing.

    The file is read by :func:`.importers.calls.read_calls`, as `telephony service-level` reads
    it: ``engine`` "auto" lets it take the set-based path for a queue_log in all-or-nothing
    mode; "reference" forces the streaming reader; "bulk" is "auto" that refuses a
    non-queue_log format. A refused file raises ValidationError naming the line; nothing is written.
    """
    require(acting_user, IMPORT_CALLS, federation=federation)
    if file_format not in ImportBatch.Format.values:
        raise ValidationError(_("Okänt filformat: %(format)s") % {"format": file_format})
    if engine not in ENGINES:
        raise ValueError(f"unknown import engine {engine!r}")
    bulk = engine != "reference" and file_format == ImportBatch.Format.QUEUE_LOG and not skip_bad_lines
    if engine == "bulk" and not bulk:
        raise ValueError("the bulk engine imports queue_log files in all-or-nothing mode only")
    if progress is not None:
        progress(0, 2, _("Läser filen"))
    with _on_disk(file) if bulk else nullcontext(None) as path:
        try:
            with read_calls(
                file,
                file_format=file_format,
                path=path,
                csv_mapping=csv_mapping,
                skip_bad_lines=skip_bad_lines,
            ) as read:
                identity = read.identity or _sha256(file)
                existing = ImportBatch.objects.filter(federation=federation, sha256=identity).first()
                if existing is not None:
                    return existing, False
                batch = ImportBatch(
                    federation=federation,
                    file_name=file_name[:255],
                    file_format=file_format,
                    sha256=identity,
                    imported_by=acting_user,
                    lines=read.lines,
                    skipped_lines=[{"line": e.line_number, "reason": e.reason} for e in read.skipped[:1000]],
                )
                if progress is not None:
                    progress(1, 2, _("Sparar nya samtal och räknar intervall"))
                return _store(read.con, acting_user=acting_user, federation=federation, batch=batch, agents=read)
        except InputError as exc:
            raise ValidationError(_("%(error)s. Inget importerades.") % {"error": capfirst(str(exc))}) from None


class _AgentEvents(Protocol):
    """Membership events of the file (domain.agent_time) and the span it covers: both readers have them."""

    membership: list[tuple[int, str, str, str]]
    first_epoch: int | None
    last_epoch: int | None


def _store(
    con: duckdb.DuckDBPyConnection, *, acting_user, federation: Federation, batch: ImportBatch, agents: _AgentEvents
):
    """Keep the file's new calls: queues by name (unknown ones created in order of first call),
    calls already stored dropped, one archive per queue, interval counters; then the batch."""
    Federation.objects.select_for_update().filter(pk=federation.pk).first()  # one import per federation at a time
    batch.save()
    names = callstore.queues_in_order(con)
    queues = {q.name: q for q in Queue.objects.filter(federation=federation, name__in=names)}
    for name in names:
        if name not in queues:
            queues[name] = _queue_create(acting_user, federation, name)
    span = callstore.span(con)
    earlier = CallArchive.objects.none()
    if span is not None:
        earlier = CallArchive.objects.filter(
            queue__in=queues.values(),
            first_entered__lte=span[1] + DUPLICATE_WINDOW,
            last_entered__gte=span[0] - DUPLICATE_WINDOW,
        )
    batch.records_read, batch.records_created = callstore.keep_new(
        con,
        batch_id=batch.pk,
        queue_ids={name: queue.pk for name, queue in queues.items()},
        earlier=callstore.contents(earlier),
    )
    limits = {q.pk: (q.within_seconds, q.short_abandon_seconds) for q in queues.values()}
    if _copy_available():  # the archives are made while PostgreSQL takes the counters
        with callstore.interval_csv(con, limits) as counters, callstore.archives_meanwhile(con) as made:
            _copy_csv(CallInterval, callstore.INTERVAL_FIELDS, counters)
        archives = made.result()
    else:
        archives = list(callstore.keyed_archives(con))
        _insert_intervals(con, limits)
    _insert(
        CallArchive,
        ("batch_id", "queue_id", "calls", "first_entered", "last_entered", "data"),
        [(batch.pk, a.queue_id, a.calls, a.first_entered, a.last_entered, a.data) for a in archives],
        binary=("int8", "int8", "int4", "timestamptz", "timestamptz", "bytea"),
    )
    rows = callstore.agent_rows(con, _available(agents, federation))
    _insert(
        AgentInterval,
        ("federation_id", "batch_id", *callstore.AGENT_FIELDS),
        [(federation.pk, batch.pk, *r) for r in rows],
    )
    batch.save()
    audit_record(actor=acting_user, action="import", instance=batch, after=snapshot(batch), federation=federation)
    return batch, True


def _available(agents: _AgentEvents, federation: Federation) -> dict[tuple[str, int], int]:
    """Agents' available seconds per (agent, interval start epoch) in this file.

    An interval an earlier import already covered for that agent gets 0 here (that import
    keeps the figure: a file sent twice, or overlapping the last one, must not double anyone's
    time), but stays, so that talk of new calls in it still counts.
    """
    if not agents.membership or agents.first_epoch is None or agents.last_epoch is None:
        return {}
    seconds = available_seconds(agents.membership, file_start=agents.first_epoch, file_end=agents.last_epoch)
    if not seconds:
        return {}
    starts = [start for _, start in seconds]
    taken = AgentInterval.objects.filter(
        federation=federation,
        agent__in={agent for agent, _ in seconds},
        start__gte=datetime.fromtimestamp(min(starts), UTC),
        start__lte=datetime.fromtimestamp(max(starts), UTC),
        available_seconds__gt=0,
    ).values_list("agent", "start")
    covered = {(agent, int(start.timestamp())) for agent, start in taken}
    return {key: 0 if key in covered else value for key, value in seconds.items()}


def _copy_available() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return connection.vendor == "postgresql" and is_psycopg3


def _copy_sql(model, fields: tuple[str, ...], options: str = "") -> str:
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    return f"COPY {table} ({columns}) FROM STDIN{options}"


def _insert(model, fields: tuple[str, ...], rows: list[tuple], *, binary: tuple[str, ...] = ()) -> None:
    """COPY on PostgreSQL (psycopg 3), bulk_create elsewhere: a year of one queue is ~10 000 rows.

    ``binary``: the columns' PostgreSQL types, for COPY's binary form — the archives' Parquet
    bytes (~17 MB at 10 M lines) then go as they are; as query parameters (five INSERTs took
    ~1.1 s at 10 M lines) or in text COPY they travel hex-escaped, at twice their size.
    """
    if _copy_available():
        options = " (FORMAT binary)" if binary else ""
        with connection.cursor() as cursor, cursor.cursor.copy(_copy_sql(model, fields, options)) as copy:
            if binary:
                copy.set_types(list(binary))
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create((model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=2000)


def _insert_intervals(con: duckdb.DuckDBPyConnection, limits: dict[int, tuple[int, int]]) -> None:
    """The keyed calls' 15-minute counters into CallInterval; on PostgreSQL as DuckDB's CSV straight into COPY."""
    if not _copy_available():
        _insert(CallInterval, callstore.INTERVAL_FIELDS, callstore.interval_rows(con, limits))
        return
    with callstore.interval_csv(con, limits) as path:
        _copy_csv(CallInterval, callstore.INTERVAL_FIELDS, path)


def _copy_csv(model, fields: tuple[str, ...], path: Path) -> None:
    """A CSV file (no header) into ``model``'s table with PostgreSQL's COPY, in blocks of 1 MiB.

    Text CSV is the cheapest form here: DuckDB writes it, PostgreSQL parses it, Python only
    passes blocks on (COPY BINARY would need Python to encode every value).
    """
    sql = _copy_sql(model, fields, " (FORMAT csv)")
    with path.open("rb") as rows, connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for block in iter(lambda: rows.read(1 << 20), b""):
            copy.write(block)


def _rebuild_intervals(queue: Queue) -> None:
    """Recount a queue's intervals from its archives (after its T or short-abandon limit changed)."""
    with callstore.connect() as con:
        callstore.attach_archives(con, callstore.contents(CallArchive.objects.filter(queue=queue)))
        CallInterval.objects.filter(queue=queue).delete()
        _insert_intervals(con, {queue.pk: (queue.within_seconds, queue.short_abandon_seconds)})


def _queue_create(acting_user, federation: Federation, name: str) -> Queue:
    queue = Queue(federation=federation, name=name)
    queue.full_clean()
    queue.save()
    audit_record(actor=acting_user, action="create", instance=queue, after=snapshot(queue), federation=federation)
    return queue


@transaction.atomic
def queue_update(*, acting_user, queue: Queue, data: dict) -> Queue:
    """Change a queue's member, service, threshold, goal or convention (audited)."""
    require(acting_user, EDIT_QUEUE, obj=queue)
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
    limits = (queue.within_seconds, queue.short_abandon_seconds)
    updated, _changed = model_update(instance=queue, acting_user=acting_user, data=data)
    if (updated.within_seconds, updated.short_abandon_seconds) != limits:
        _rebuild_intervals(updated)
    return updated
