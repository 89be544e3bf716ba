"""Import + service level of a 10 000 000-line queue_log: DuckDB path vs a plain csv loop.

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

from samverkan.telephony import synthetic
from samverkan.telephony.importers.fast import queue_log_stats

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


def baseline(path: Path, within: int) -> dict[str, tuple[int, int]]:
    """The straightforward way: csv.reader, a dict of counters per queue (answered SL)."""
    answered: dict[str, int] = {}
    within_count: dict[str, int] = {}
    with path.open(newline="") as handle:
        for row in csv.reader(handle, delimiter="|"):
            if len(row) > 5 and row[4] == "CONNECT":
                queue = row[2]
                answered[queue] = answered.get(queue, 0) + 1
                if int(row[5]) <= within:
                    within_count[queue] = within_count.get(queue, 0) + 1
    return {q: (answered[q], within_count.get(q, 0)) for q in answered}


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

    same = all(slow[q] == (fast[q].answered, fast[q].answered_within) for q in slow) and set(slow) == set(fast)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"lines: {lines}, calls: {sum(s.offered for s in fast.values())}")
    print(f"samverkan DuckDB path: {fast_s:.2f} s")
    print(f"pure-Python csv loop:  {slow_s:.2f} s")
    print(f"ratio: {slow_s / fast_s:.1f}x; same answered/within counts: {same}; peak RSS {peak_mib:.0f} MiB")
    if not same or fast_s >= 60 or slow_s / fast_s < 10 or peak_mib >= 2048:
        raise SystemExit("benchmark goal not met")


if __name__ == "__main__":
    main()
