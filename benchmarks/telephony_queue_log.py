"""Import + service level of a 10 000 000-line queue_log: DuckDB path vs pure Python.

Contenders: the DuckDB path (samverkan.telephony.importers.fast), a tight csv.reader loop doing
the same counting, and the reference reader that builds per-call records. The issue asks for
>= 10x over the csv loop; on this 2-core machine shared with other jobs DuckDB's parallel
scanner has little to work with, and the script prints the ratio it measures, met or not.

Run: .venv/bin/python benchmarks/telephony_queue_log.py [LINES]
The file (seeded synthetic traffic, /tmp/samverkan_bench_queue_log_<LINES>) is generated
once and reused. Both contenders produce service level per queue; the results are compared
so the speed-up is not bought with a different answer. Peak memory is the process's maximum
resident set size (DuckDB is capped at 1 GB).
"""

from __future__ import annotations

import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

from samverkan.domain.service_level import GROUP_KEYS, group_stats
from samverkan.telephony import synthetic
from samverkan.telephony.importers.fast import queue_log_stats
from samverkan.telephony.importers.queue_log import parse_queue_log

QUEUES = ["lycksele", "storuman", "vilhelmina", "asele", "it-support"]


def ensure_file(lines: int) -> Path:
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


def baseline(path: Path, within: int, short: int = 5) -> dict[str, tuple[int, int]]:
    """The straightforward way, same job: csv.reader over the lines, calls paired by (callid, queue),
    counters per queue (offered, answered, unanswered, short abandons, within T, wait total).
    Returns (answered, answered within T) per queue for the cross-check."""
    stats: dict[str, list[int]] = {}
    connected: dict[tuple[str, str], int] = {}
    finished = ("COMPLETEAGENT", "COMPLETECALLER", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER")
    unanswered = ("ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY")

    def answered_call(queue: str, wait: int) -> None:
        s = stats.setdefault(queue, [0, 0, 0, 0, 0, 0])
        s[0] += 1
        s[1] += 1
        s[4] += wait <= within
        s[5] += wait

    with path.open(newline="") as handle:
        for row in csv.reader(handle, delimiter="|"):
            event = row[4]
            if event == "CONNECT":
                connected[(row[1], row[2])] = int(row[5])
            elif event in finished:
                wait = connected.pop((row[1], row[2]), None)
                if wait is not None:
                    answered_call(row[2], wait)
            elif event in unanswered:
                wait = int(row[8] if event == "EXITWITHKEY" else row[7])
                s = stats.setdefault(row[2], [0, 0, 0, 0, 0, 0])
                s[0] += 1
                s[2] += 1
                s[3] += wait <= short
    for (_callid, queue), wait in connected.items():
        answered_call(queue, wait)
    return {q: (s[1], s[4]) for q, s in stats.items()}


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    start = time.perf_counter()
    path = ensure_file(lines)
    print(f"file: {path} ({path.stat().st_size / 1e6:.0f} MB, ready in {time.perf_counter() - start:.1f} s)")

    start = time.perf_counter()
    fast = queue_log_stats(path, within_seconds=20, group_by="queue")
    fast_s = time.perf_counter() - start

    start = time.perf_counter()
    slow = baseline(path, 20)
    slow_s = time.perf_counter() - start

    start = time.perf_counter()
    with path.open(newline="") as handle:
        reference = group_stats(parse_queue_log(handle), GROUP_KEYS["queue"], 20)
    reference_s = time.perf_counter() - start

    same = all(slow[q] == (fast[q].answered, fast[q].answered_within) for q in slow) and set(slow) == set(fast)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"lines: {lines}, calls: {sum(s.offered for s in fast.values())}")
    print(f"samverkan DuckDB path: {fast_s:.2f} s")
    print(f"pure-Python csv loop:  {slow_s:.2f} s")
    print(f"reference reader (per-call records, pure Python): {reference_s:.2f} s")
    same = same and all(reference[q].answered_within == fast[q].answered_within for q in fast)
    print(f"ratio vs csv loop: {slow_s / fast_s:.1f}x; vs reference reader: {reference_s / fast_s:.1f}x")
    print(f"same answered/within counts: {same}; peak RSS {peak_mib:.0f} MiB")
    if not same or fast_s >= 60 or slow_s / fast_s < 10 or peak_mib >= 2048:
        raise SystemExit("benchmark goal not met")


if __name__ == "__main__":
    main()
