"""Staffing a year of 15-minute intervals: samverkan.domain.erlang vs pyworkforce's ErlangC.

Run: .venv/bin/python benchmarks/telephony_erlang.py
Same input for both (35 040 intervals, seeded), same rule (smallest agents meeting 80 % in
20 s), agent counts compared element by element. Prints best-of-5 timings and the ratio.
Part of the speed is that staff_intervals solves each distinct load once (a year has a few
hundred distinct call counts); the rest is the vectorised Erlang B recurrence.
"""

from __future__ import annotations

import time

import numpy as np
from pyworkforce.queuing import ErlangC

from samverkan.domain.erlang import staff_intervals

INTERVALS = 35_040
AHT = 180.0
TARGET, WITHIN = 0.8, 20.0
REPEATS = 5


def workload(seed: int = 2023) -> np.ndarray:
    """Calls per 15 minutes: a daily curve (quiet nights, busy days) with Poisson noise, at least 1 call."""
    rng = np.random.default_rng(seed)
    slot = np.arange(INTERVALS) % 96
    daily = 5 + 120 * np.exp(-(((slot - 44) / 14.0) ** 2))
    return np.maximum(1, rng.poisson(daily)).astype(np.int64)


def main() -> None:
    calls = workload()
    ours_s = theirs_s = float("inf")
    for _ in range(REPEATS):  # best of N: the machine is shared, the minimum is the honest figure
        start = time.perf_counter()
        ours = staff_intervals(calls, AHT, interval_seconds=900, target=TARGET, within_seconds=WITHIN)
        ours_s = min(ours_s, time.perf_counter() - start)

        start = time.perf_counter()
        theirs = [
            ErlangC(transactions=int(c), aht=AHT / 60, asa=WITHIN / 60, interval=15).required_positions(TARGET)[
                "raw_positions"
            ]
            for c in calls
        ]
        theirs_s = min(theirs_s, time.perf_counter() - start)

    mismatches = int(np.sum(ours.agents != np.array(theirs)))
    print(f"intervals: {INTERVALS}, calls: {int(calls.sum())}, agent-intervals: {int(ours.agents.sum())}")
    print(f"samverkan staff_intervals: {ours_s:.3f} s")
    print(f"pyworkforce ErlangC:       {theirs_s:.3f} s")
    print(f"ratio (pyworkforce / samverkan): {theirs_s / ours_s:.1f}x")
    print(f"agent counts identical: {mismatches == 0} ({mismatches} differ)")
    if mismatches or ours_s >= 1.0 or theirs_s / ours_s < 10:
        raise SystemExit("benchmark goal not met")


if __name__ == "__main__":
    main()
