"""Import + service level of a 10 000 000-line queue_log into PostgreSQL: samverkan vs a plain Python loop.

Both contenders do the whole job the issue names, each starting from empty tables: read the
queue_log, pair the events into one call record per call and queue, keep every call in the
database, then report service level per queue and month from the database.

- candidate: ``samverkan.telephony.services.call_records_import`` — DuckDB pairs the calls in
  SQL; the database gets one zstd Parquet archive per queue (every call, in a binary column)
  and counters per queue and 15 minutes (callstore.py says why) — then the report with the
  product's selector aggregates (``selectors.AGGREGATES``: one GROUP BY queue, month).
- baseline: the straightforward way: ``csv.reader`` over the file, calls paired in a dict, one
  row per call in a call table (the shape samverkan itself used before the archives: unique
  (queue, callid), indexes on (queue, entered) and (year, queue), foreign keys) written with
  the ORM's ``bulk_create`` in batches of 1000 (``ignore_conflicts``: idempotent like the
  product), service-level counters per queue and month kept in Python while reading.
- for scale, the same Python loop storing nothing (pairing and counters only) is timed too:
  no pure-Python import can be faster than that; and the floor of any import, one DuckDB pass
  over the file that only counts its lines, with (for the record) the SHA-256 pass over the
  bytes that the import no longer makes (it read the file twice until the scan computed the
  file's identity itself: importers/bulk.file_identity).

Goals (issue 17): the candidate under 5 s and 1 GiB peak RSS, at least 10× the baseline, the
same answer. The candidate's phases are printed with wall and CPU seconds (CPU of all the
process's threads: on a shared machine the wall time says more about the neighbours).

Each runs in its own subprocess, so the peak RSS printed is that process's own (DuckDB runs
in the candidate's process with ``memory_limit`` 800 MB, importers/bulk.MEMORY_LIMIT; the
PostgreSQL server's memory is not counted for either). The counts per queue and month
(offered, answered, abandoned, answered within T, short abandons) and the number of stored
calls must be identical.
``--baseline-lines N`` runs the baselines on the file's first N lines only and extrapolates
their time linearly to the full size; the output says so when it does.

Run (a dedicated database: the script migrates it and empties the telephony tables):
    runuser -u postgres -- createdb -O samverkan samverkan_bench_tel
    DATABASE_URL=postgres://samverkan:samverkan@127.0.0.1:5432/samverkan_bench_tel \\
        .venv/bin/python benchmarks/telephony_queue_log.py [LINES] [--baseline-lines N]
The file (seeded synthetic traffic, /tmp/samverkan_bench_queue_log_<LINES>) is generated
once and reused.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUEUES = ["lycksele", "storuman", "vilhelmina", "asele", "it-support"]
FEDERATION = "bench-telefoni"
WITHIN, SHORT = 20, 5  # the queues' defaults (T = 20 s, short abandons ≤ 5 s)
BATCH = 1000


def ensure_file(lines: int) -> Path:
    from samverkan.telephony import synthetic

    path = Path(tempfile.gettempdir()) / f"samverkan_bench_queue_log_{lines}"
    if path.exists():
        return path
    written = 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as out:
        calls = synthetic.random_calls(seed=10, queues=QUEUES, start_epoch=1672531200, count=lines)
        for line in synthetic.queue_log_lines(calls):
            out.write(line)
            written += 1
            if written >= lines:
                break
    tmp.rename(path)
    return path


def prefix_file(path: Path, lines: int) -> Path:
    target = Path(tempfile.gettempdir()) / f"{path.name}_first_{lines}"
    if not target.exists():
        with path.open("rb") as src, target.with_suffix(".tmp").open("wb") as out:
            for number, line in enumerate(src, start=1):
                out.write(line)
                if number >= lines:
                    break
        target.with_suffix(".tmp").rename(target)
    return target


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


@functools.cache
def baseline_model():
    """The per-call table of the straightforward design (created on first use, in the bench database only)."""
    from django.db import connection, models

    from samverkan.telephony.models import ImportBatch, Queue

    class BaselineCall(models.Model):
        queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="+")
        callid = models.CharField(max_length=64)
        entered = models.DateTimeField()
        outcome = models.CharField(max_length=12)
        wait_seconds = models.PositiveIntegerField()
        talk_seconds = models.PositiveIntegerField(null=True)
        agent = models.CharField(max_length=100, blank=True)
        batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")
        local_day = models.DateField()
        local_year = models.PositiveSmallIntegerField()
        local_month = models.PositiveIntegerField()
        local_weekday = models.PositiveSmallIntegerField()
        local_hour = models.PositiveSmallIntegerField()

        class Meta:
            app_label = "telephony"
            db_table = "bench_baseline_call"
            constraints = [models.UniqueConstraint(fields=["queue", "callid"], name="bench_call_once_per_queue")]
            indexes = [
                models.Index(fields=["queue", "entered"], name="bench_call_queue_time"),
                models.Index(fields=["local_year", "queue"], name="bench_call_year_queue"),
            ]

        def __str__(self) -> str:
            return self.callid

    if BaselineCall._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(BaselineCall)
    return BaselineCall


def fresh_tables():
    """Empty call tables and the bench federation (created if missing); refuses a non-bench database."""
    from django.db import connection

    from samverkan.members.models import Federation
    from samverkan.telephony.models import AgentInterval, CallArchive, CallInterval, ImportBatch, Queue

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        raise SystemExit(f"refusing: needs a dedicated PostgreSQL database with 'bench' in its name, got {name!r}")
    federation, _ = Federation.objects.get_or_create(
        slug=FEDERATION, defaults={"name": "Benchmark", "organisation_form": "kommunalforbund", "orgnr": "222000-0000"}
    )
    models = (baseline_model(), AgentInterval, CallInterval, CallArchive, ImportBatch)
    tables = ", ".join(m._meta.db_table for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")
    Queue.objects.filter(federation=federation).delete()
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return federation


def stored_counts(federation) -> dict[str, list[int]]:
    """Per "queue month": offered, answered, abandoned, answered within T, short abandons, from the DB."""
    from samverkan.telephony.models import CallInterval
    from samverkan.telephony.selectors import AGGREGATES

    rows = (
        CallInterval.objects.filter(queue__federation=federation)
        .order_by()
        .values("queue__name", "local_month")
        .annotate(**AGGREGATES)
    )
    return {
        f"{r['queue__name']} {r['local_month']}": [
            r["offered"],
            r["answered"],
            r["offered"] - r["answered"],
            r["answered_within"],
            r["short_abandoned"],
        ]
        for r in rows
    }


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


OVERLAPPED = "archives (Parquet, on a second thread during the COPY)"
PHASES = {
    "scan + identity + pairing": ("samverkan.telephony.importers.calls", "scan_queue_log"),
    "new-call filter": ("samverkan.telephony.callstore", "keep_new"),
    "15-minute counters (DuckDB's CSV)": ("samverkan.telephony.callstore", "interval_csv"),
    # these two overlap (callstore.archives_meanwhile): each one's CPU figure is the whole process's
    OVERLAPPED: ("samverkan.telephony.callstore", "keyed_archives"),
    "15-minute counters (PostgreSQL COPY)": ("samverkan.telephony.services", "_copy_csv"),
    # the commit: with the per-statement checks of telephony migration 0006 there is no per-row work left in it
    "commit": ("django.db.backends.base.base", "BaseDatabaseWrapper.commit"),
}


def _profiled(phases: dict[str, list[float]]) -> None:
    """Time the import's phases (wall and process CPU seconds) by wrapping the product's functions."""
    import contextlib
    import importlib

    def clock(name):
        """Start timing ``name``; the function returned stops it and adds to the phase's totals."""
        wall, cpu = time.perf_counter(), time.process_time()

        def stop():
            total = phases.setdefault(name, [0.0, 0.0])
            total[0] += time.perf_counter() - wall
            total[1] += time.process_time() - cpu

        return stop

    for name, (module_name, attribute) in PHASES.items():
        owner = importlib.import_module(module_name)
        *path, attribute = attribute.split(".")  # a method: patched on its class
        for part in path:
            owner = getattr(owner, part)
        real = getattr(owner, attribute)
        if attribute in ("scan_queue_log", "interval_csv"):  # a context manager: until it yields

            @contextlib.contextmanager
            def wrapped(*a, _real=real, _name=name, **k):
                stop = clock(_name)
                with _real(*a, **k) as scan:
                    stop()
                    yield scan

        elif attribute == "keyed_archives":  # a generator: the time spent producing its items

            def wrapped(*a, _real=real, _name=name, **k):
                items = iter(_real(*a, **k))
                while True:
                    stop = clock(_name)
                    item = next(items, None)
                    stop()
                    if item is None:
                        return
                    yield item

        else:

            def wrapped(*a, _real=real, _name=name, **k):
                stop = clock(_name)
                try:
                    return _real(*a, **k)
                finally:
                    stop()

        setattr(owner, attribute, wrapped)


def candidate(path: Path) -> dict:
    """The product: import (bulk path) + service level per queue and month from the database."""
    from samverkan.core.actors import system_actor
    from samverkan.domain.service_level import Convention, QueueStats
    from samverkan.telephony.services import call_records_import

    phases: dict[str, list[float]] = {}
    _profiled(phases)
    federation, system = fresh_tables(), system_actor()
    cpu = time.process_time()
    start = time.perf_counter()
    with path.open("rb") as handle:
        batch, _created = call_records_import(
            acting_user=system, federation=federation, file=handle, file_name=path.name
        )
    imported = time.perf_counter() - start
    counts = stored_counts(federation)
    levels = {}
    for key, (offered, answered, _abandoned, within, short) in counts.items():
        stats = QueueStats(WITHIN, SHORT)
        stats.offered, stats.answered, stats.answered_within, stats.short_abandoned = offered, answered, within, short
        stats.abandoned = offered - answered
        levels[key] = str(stats.service_level(Convention.ABANDON_ADJUSTED))
    total = time.perf_counter() - start
    return {
        "seconds": total,
        "cpu_seconds": time.process_time() - cpu,
        "phases": phases,
        "import_seconds": imported,
        "report_seconds": total - imported,
        "records": batch.records_created,
        "lines": batch.lines,
        "counts": counts,
        "levels": levels,
        "peak_rss_mib": peak_rss_mib(),
    }


def baseline(path: Path, *, store: bool = True) -> dict:
    """The straightforward way: csv.reader, a dict of open calls, ORM bulk_create per 1000, counters in Python.

    ``store=False`` times the loop alone (nothing written): the floor for any pure-Python import.
    """
    import csv
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import transaction

    from samverkan.domain.service_level import Convention, QueueStats
    from samverkan.telephony.models import ImportBatch, Queue

    CallRecord = baseline_model()

    federation = fresh_tables()
    tz = ZoneInfo("Europe/Stockholm")
    unanswered = {"ABANDON": ("abandoned", 7), "EXITWITHTIMEOUT": ("timeout", 7), "EXITEMPTY": ("exit_empty", 7)}
    unanswered["EXITWITHKEY"] = ("exit_key", 8)
    finished = {"COMPLETEAGENT", "COMPLETECALLER", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"}
    start = time.perf_counter()
    queues: dict[str, Queue] = {}
    counters: dict[str, list[int]] = {}
    pending: list = []
    connected: dict[tuple[str, str], tuple[int, int, str]] = {}
    lines = 0

    def record(callid, queue_name, entered, outcome, wait, talk, agent):
        queue = queues.get(queue_name)
        if queue is None:
            queue = queues[queue_name] = Queue.objects.get_or_create(federation=federation, name=queue_name)[0]
        local = datetime.fromtimestamp(entered, tz)
        month = local.year * 100 + local.month
        if store:
            pending.append(
                CallRecord(
                    queue=queue,
                    callid=callid,
                    entered=local,
                    outcome=outcome,
                    wait_seconds=wait,
                    talk_seconds=talk,
                    agent=agent,
                    batch=batch,
                    local_day=local.date(),
                    local_year=local.year,
                    local_month=month,
                    local_weekday=local.isoweekday(),
                    local_hour=local.hour,
                )
            )
        c = counters.setdefault(f"{queue_name} {month}", [0, 0, 0, 0, 0])
        c[0] += 1
        if outcome == "answered":
            c[1] += 1
            c[3] += wait <= WITHIN
        else:
            c[2] += 1
            c[4] += wait <= SHORT
        if store and len(pending) >= BATCH:
            CallRecord.objects.bulk_create(pending, batch_size=BATCH, ignore_conflicts=True)
            pending.clear()

    with transaction.atomic():
        batch = ImportBatch.objects.create(federation=federation, file_name=path.name, file_format="queue_log")
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="|"):
                lines += 1
                event = row[4]
                if event == "CONNECT":
                    wait = int(row[5])
                    connected[(row[1], row[2])] = (int(row[0]) - wait, wait, row[3])
                elif event in finished:
                    start_call = connected.pop((row[1], row[2]), None)
                    if start_call is not None:
                        entered, wait, agent = start_call
                        if event.startswith("COMPLETE"):
                            talk = int(row[6])
                        else:  # transfer: calltime (data4) if given, else time since CONNECT
                            calltime = row[8] if len(row) > 8 else ""
                            talk = int(calltime) if calltime.isdigit() else max(0, int(row[0]) - entered - wait)
                        record(row[1], row[2], entered, "answered", wait, talk, agent)
                elif event in unanswered:
                    outcome, index = unanswered[event]
                    wait = int(row[index])
                    record(row[1], row[2], int(row[0]) - wait, outcome, wait, None, "")
        for (callid, queue_name), (entered, wait, agent) in connected.items():
            record(callid, queue_name, entered, "answered", wait, None, agent)
        if store:
            CallRecord.objects.bulk_create(pending, batch_size=BATCH, ignore_conflicts=True)
        batch.lines = lines
        batch.save()
    levels = {}
    for key, (offered, answered, abandoned, within, short) in counters.items():
        stats = QueueStats(WITHIN, SHORT)
        stats.offered, stats.answered, stats.abandoned = offered, answered, abandoned
        stats.answered_within, stats.short_abandoned = within, short
        levels[key] = str(stats.service_level(Convention.ABANDON_ADJUSTED))
    seconds = time.perf_counter() - start
    stored = CallRecord.objects.filter(queue__federation=federation).count() if store else None
    return {
        "seconds": seconds,
        "records": stored,
        "lines": lines,
        "counts": counters,
        "levels": levels,
        "peak_rss_mib": peak_rss_mib(),
    }


def floor(path: Path) -> dict:
    """One DuckDB pass over the file that only counts its lines; and the SHA-256 pass the import no longer makes."""
    import hashlib

    from samverkan.telephony import callstore

    start = time.perf_counter()
    with callstore.connect() as con:
        quoted = str(path).replace("'", "''")
        (lines,) = con.execute(
            f"SELECT count(*) FROM read_csv('{quoted}', delim='\x01', header=false, quote='', escape='', "  # noqa: S608
            "auto_detect=false, columns={'line': 'VARCHAR'})"
        ).fetchone()
    scan = time.perf_counter() - start
    start = time.perf_counter()
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return {"seconds": scan, "lines": lines, "sha256_seconds": time.perf_counter() - start}


def run_child(role: str, path: Path) -> dict:
    """Run one contender in a fresh interpreter (its own peak RSS), return its JSON result."""
    out = subprocess.run(
        [sys.executable, __file__, f"--{role}", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lines", nargs="?", type=int, default=10_000_000)
    parser.add_argument("--baseline-lines", type=int, default=None, help="run the baseline on a prefix, extrapolate")
    parser.add_argument("--candidate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--loop", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.candidate or args.baseline or args.loop or args.floor:
        if args.candidate:
            result = candidate(args.candidate)
        elif args.floor:
            result = floor(args.floor)
        else:
            result = baseline(args.baseline) if args.baseline else baseline(args.loop, store=False)
        print(json.dumps(result))
        return

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    path = ensure_file(args.lines)
    print(f"file: {path} ({path.stat().st_size / 1e6:.0f} MB, ready in {time.perf_counter() - start:.1f} s)")
    print(f"load: {os.getloadavg()[0]:.1f} (1-min average, {os.cpu_count()} cores)")

    cand = run_child("candidate", path)
    print(
        f"candidate (samverkan import + service level per queue and month from the DB): {cand['seconds']:.1f} s "
        f"(import {cand['import_seconds']:.1f} s, report {cand['report_seconds']:.1f} s; "
        f"CPU {cand['cpu_seconds']:.1f} s), "
        f"{cand['records']} call records, peak RSS {cand['peak_rss_mib']:.0f} MiB; load now {os.getloadavg()[0]:.1f}"
    )
    for name, (wall, cpu) in cand["phases"].items():
        print(f"  {name}: {wall:.1f} s (CPU {cpu:.1f} s)")
    accounted = sum(wall for name, (wall, _cpu) in cand["phases"].items() if name != OVERLAPPED)
    print(f"  the rest (queues, batch, archives' COPY, audit): {cand['import_seconds'] - accounted:.1f} s")
    low = run_child("floor", path)
    print(
        f"floor: one DuckDB pass counting the {low['lines']} lines {low['seconds']:.1f} s (candidate "
        f"{cand['seconds'] / low['seconds']:.1f}× that); the SHA-256 pass the import no longer makes: "
        f"{low['sha256_seconds']:.1f} s"
    )
    base_lines = args.baseline_lines or args.lines
    base_path = path if base_lines >= args.lines else prefix_file(path, base_lines)
    if base_path != path:
        prefix_cand = run_child("candidate", base_path)
    base = run_child("baseline", base_path)
    print(
        f"baseline (csv.reader + dict pairing + ORM bulk_create per {BATCH} + counters in Python) on {base_lines} "
        f"lines: {base['seconds']:.1f} s, {base['records']} call records, peak RSS {base['peak_rss_mib']:.0f} MiB"
    )
    loop = run_child("loop", base_path)
    loop_full = loop["seconds"] * args.lines / base_lines
    print(
        f"for scale, the same Python loop storing nothing on {base_lines} lines: {loop['seconds']:.1f} s "
        f"(≈ {loop_full:.0f} s for {args.lines}); the candidate, which also stores every call, takes "
        f"{cand['seconds'] / loop_full:.2f}× that; same counts: {loop['counts'] == base['counts']}"
    )
    reference = prefix_cand if base_path != path else cand
    same = (
        base["counts"] == reference["counts"]
        and base["levels"] == reference["levels"]
        and base["records"] == reference["records"]
    )
    print(f"same counts per queue and month ({len(base['counts'])} groups) and same stored records: {same}")
    base_full = base["seconds"] * args.lines / base_lines
    if base_path != path:
        print(
            f"baseline EXTRAPOLATED linearly from {base_lines} to {args.lines} lines: {base_full:.0f} s "
            f"(candidate on the same {base_lines}-line prefix: {prefix_cand['seconds']:.1f} s, "
            f"ratio {base['seconds'] / prefix_cand['seconds']:.1f}x)"
        )
    ratio = base_full / cand["seconds"]
    print(f"ratio: {ratio:.1f}x{' (baseline extrapolated)' if base_path != path else ''}")
    checks = {
        "< 5 s": cand["seconds"] < 5,
        "< 1 GiB": cand["peak_rss_mib"] < 1024,
        ">= 10x": ratio >= 10,
        "same answer": same and cand["lines"] == low["lines"],
    }
    print("goals: " + ", ".join(f"{goal} {'met' if ok else 'NOT met'}" for goal, ok in checks.items()))
    print(f"load at the end: {os.getloadavg()[0]:.1f} (1-min average, {os.cpu_count()} cores)")
    if not all(checks.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
