"""Largest-remainder apportionment of 100 000 weights to the öre: integer arithmetic
(samverkan.domain.apportion) vs the straightforward exact version with Fraction shares.

Run: .venv/bin/python benchmarks/allocation_apportion.py [WEIGHTS]
Both contenders get the same seeded weights and must return identical parts (the same
tie-break: larger remainder, then larger weight, then input order). Prints timings and the
speed ratio. The design target (290 members, invoice runs with many lines) needs apportioning
large line sets, e.g. spreading a pool over every department's order lines.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from fractions import Fraction

from samverkan.domain.apportion import ORE, apportion


def baseline(total: Decimal, weights: list[int], unit: Decimal) -> list[Decimal]:
    """The textbook version: Fraction shares, floor, sort remainders."""
    units = int(total / unit)
    weight_sum = sum(weights)
    exact = [Fraction(units * w, weight_sum) for w in weights]
    floors = [e.numerator // e.denominator for e in exact]
    leftover = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), -weights[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return [(Decimal(f) * unit).quantize(unit) for f in floors]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(2025)
    weights = [rng.randint(0, 100_000) for _ in range(count)]
    total = Decimal("123456789.01")

    start = time.perf_counter()
    expected = baseline(total, weights, ORE)
    baseline_s = time.perf_counter() - start

    start = time.perf_counter()
    ours = apportion(total, weights, ORE)
    candidate_s = time.perf_counter() - start

    assert ours == expected, "different parts"
    assert sum(ours) == total
    print(f"weights: {count}")
    print(f"baseline (Fraction shares): {baseline_s:.3f} s")
    print(f"candidate (integer arithmetic): {candidate_s:.3f} s")
    print(f"ratio: {baseline_s / candidate_s:.1f}x faster")


if __name__ == "__main__":
    main()
