"""Choose kronor amounts whose per-figure rounding prints given tkr/mkr figures (demo ledgers).

The annual report (seed 002) prints every figure rounded on its own, so a printed total may
differ by one from the sum of its printed parts. The demo ledger must reproduce each printed
figure from real kronor amounts: each printed figure is a window of width one print unit
around it, and the amounts must lie in all windows at once. `Problem` holds integer variables
(kronor) with bounds, a starting value each, and linear constraints (sums with small integer
coefficients); `solve` finds the integer amounts inside every window nearest to the starting
values (an integer program, solved exactly by HiGHS). Used only by the demo generator
(`samverkan.finance.demo_ledger`), never at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Expr = Mapping[str, int]  # variable → coefficient


def window(printed: int, unit: int) -> tuple[int, int]:
    """The integer amounts that print as `printed` × `unit` when rounded half away from zero.

    `unit` is the print unit in the variables' unit (1000 for tkr over kronor, 100 000 for
    tenths of mkr over kronor)."""
    half = unit // 2
    centre = printed * unit
    if printed > 0:
        return centre - half, centre + half - 1
    if printed < 0:
        return centre - half + 1, centre + half
    return -half + 1, half - 1


@dataclass
class Constraint:
    label: str
    expr: dict[str, int]
    low: int
    high: int

    def value(self, values: Mapping[str, int]) -> int:
        return sum(coef * values[name] for name, coef in self.expr.items())

    def holds(self, values: Mapping[str, int]) -> bool:
        return self.low <= self.value(values) <= self.high


@dataclass
class Problem:
    unit: int
    bounds: dict[str, tuple[int, int]]
    start: dict[str, int]
    constraints: list[Constraint]

    @classmethod
    def new(cls, unit: int) -> Problem:
        return cls(unit, {}, {}, [])

    def var(self, name: str, start: int, low: int | None = None, high: int | None = None) -> str:
        """A variable starting at `start` (in print units × unit, i.e. kronor)."""
        self.bounds[name] = (low if low is not None else -(10**12), high if high is not None else 10**12)
        self.start[name] = start
        return name

    def printed(self, label: str, expr: Expr, printed: int) -> None:
        """`expr` must print as `printed`."""
        low, high = window(printed, self.unit)
        self.constraints.append(Constraint(label, dict(expr), low, high))

    def violated(self, values: Mapping[str, int]) -> list[Constraint]:
        out = [c for c in self.constraints if not c.holds(values)]
        out += [
            Constraint(f"bounds {n}", {n: 1}, lo, hi)
            for n, (lo, hi) in self.bounds.items()
            if not lo <= values[n] <= hi
        ]
        return out

    def solve(self) -> dict[str, int]:
        """Integer amounts inside every window, as close as possible (sum of absolute
        differences) to the starting values, found by HiGHS through scipy's `milp`.

        An exact solver rather than a search: the windows are narrow and coupled (a deviation
        couples a budget and an outcome, a total all its parts), and a local search wanders.
        The result is deterministic for a given problem and HiGHS version."""
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp

        names = sorted(self.bounds)
        n = len(names)
        column = {name: i for i, name in enumerate(names)}
        # Columns: x (n), then u (n) and v (n) with x − u + v = start, u, v ≥ 0.
        rows = len(self.constraints) + n
        matrix = np.zeros((rows, 3 * n))
        low = np.zeros(rows)
        high = np.zeros(rows)
        for r, c in enumerate(self.constraints):
            for name, coef in c.expr.items():
                matrix[r, column[name]] = coef
            low[r], high[r] = c.low, c.high
        for i, name in enumerate(names):
            r = len(self.constraints) + i
            matrix[r, i], matrix[r, n + i], matrix[r, 2 * n + i] = 1, -1, 1
            low[r] = high[r] = self.start[name]
        lower = [self.bounds[name][0] for name in names] + [0] * (2 * n)
        upper = [self.bounds[name][1] for name in names] + [np.inf] * (2 * n)
        cost = np.concatenate([np.zeros(n), np.ones(2 * n)])
        result = milp(
            cost,
            constraints=LinearConstraint(matrix, low, high),
            bounds=Bounds(lower, upper),
            integrality=np.concatenate([np.ones(n), np.zeros(2 * n)]),
        )
        if result.status != 0:
            raise RuntimeError(f"no amounts fit every printed figure: {result.message}")
        values = {name: round(result.x[i]) for i, name in enumerate(names)}
        broken = self.violated(values)
        if broken:
            raise RuntimeError(f"solver result misses {[c.label for c in broken][:10]}")
        return values
