"""Shift planning: the cheapest set of shifts that covers the agents needed per interval.

A set-covering integer programme: one integer variable per shift pattern (start, length,
break position) counting how many people work it; every interval must have at least the
required agents on duty (people on break do not count); the objective is total paid cost.
Solved exactly with HiGHS through ``scipy.optimize.milp``: a day of 15-minute intervals
with a few hundred patterns solves in milliseconds, so no heuristic is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from samverkan.domain.errors import DomainError


@dataclass(frozen=True)
class ShiftRule:
    """Allowed shifts, in interval units (e.g. 15-minute slots from the start of the day).

    ``break_window`` is the earliest and latest break start counted from the shift start;
    ``cost_per_slot`` is the paid cost of one slot (an integer: öre, or just 1 per slot).
    """

    starts: Sequence[int]
    lengths: Sequence[int]
    break_slots: int = 0
    break_window: tuple[int, int] = (0, 0)
    cost_per_slot: int = 1
    name: str = ""


@dataclass(frozen=True)
class Shift:
    start: int
    length: int
    break_start: int | None  # absolute slot, None = no break
    break_slots: int
    count: int
    name: str = ""

    def on_duty(self, slot: int) -> bool:
        if not self.start <= slot < self.start + self.length:
            return False
        return self.break_start is None or not self.break_start <= slot < self.break_start + self.break_slots


@dataclass(frozen=True)
class ShiftPlan:
    shifts: list[Shift]
    coverage: list[int]  # agents on duty per slot
    required: list[int]
    cost: int

    @property
    def people(self) -> int:
        return sum(s.count for s in self.shifts)

    @property
    def surplus(self) -> list[int]:
        return [c - r for c, r in zip(self.coverage, self.required, strict=True)]


def _patterns(rules: Sequence[ShiftRule], horizon: int) -> list[tuple[Shift, int]]:
    patterns: list[tuple[Shift, int]] = []
    for rule in rules:
        if rule.break_slots < 0 or rule.cost_per_slot < 0:
            raise DomainError("break length and cost must not be negative")
        for start in rule.starts:
            for length in rule.lengths:
                if start < 0 or length <= 0 or start + length > horizon:
                    continue
                if rule.break_slots:
                    lo, hi = rule.break_window
                    offsets = [o for o in range(lo, hi + 1) if o > 0 and o + rule.break_slots < length]
                    breaks: list[int | None] = [start + o for o in offsets]
                    if not breaks:
                        continue
                else:
                    breaks = [None]
                for b in breaks:
                    shift = Shift(start, length, b, rule.break_slots if b is not None else 0, 0, rule.name)
                    patterns.append((shift, length * rule.cost_per_slot))
    return patterns


def plan_shifts(required: Sequence[int], rules: Sequence[ShiftRule], *, time_limit: float = 30.0) -> ShiftPlan:
    """Least-cost shifts covering ``required`` agents in every slot; raises if impossible."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    req = [int(r) for r in required]
    if any(r < 0 for r in req):
        raise DomainError("required agents must not be negative")
    horizon = len(req)
    patterns = _patterns(rules, horizon)
    if not patterns:
        raise DomainError("no allowed shift fits in the planning horizon")
    cover = np.zeros((horizon, len(patterns)))
    for j, (shift, _) in enumerate(patterns):
        for t in range(shift.start, shift.start + shift.length):
            cover[t, j] = 1.0 if shift.on_duty(t) else 0.0
    uncovered = [t for t in range(horizon) if req[t] > 0 and not cover[t].any()]
    if uncovered:
        raise DomainError(f"no allowed shift covers slot(s) {uncovered[:5]}")
    costs = np.array([c for _, c in patterns], dtype=float)
    result = milp(
        c=costs,
        constraints=LinearConstraint(cover, lb=np.array(req, dtype=float), ub=np.inf),
        integrality=np.ones(len(patterns)),
        bounds=Bounds(0, max(req) if req else 0),
        options={"time_limit": time_limit},
    )
    if result.x is None or result.status not in (0,):
        raise DomainError(f"no shift plan found: {result.message}")
    counts = np.rint(result.x).astype(int)
    shifts = [
        Shift(p.start, p.length, p.break_start, p.break_slots, int(n), p.name)
        for (p, _), n in zip(patterns, counts, strict=True)
        if n > 0
    ]
    coverage = [int(v) for v in (cover @ counts).round()]
    cost = int(sum(int(n) * c for (_, c), n in zip(patterns, counts, strict=True)))
    return ShiftPlan(sorted(shifts, key=lambda s: (s.start, s.length)), coverage, req, cost)
