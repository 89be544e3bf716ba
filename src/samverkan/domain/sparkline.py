"""Geometry of a sparkline: a small series of figures as an SVG path inside a box.

Pure and exact (Decimal in, coordinates rounded half-up to one decimal), so the board page and
its PDF draw the same line, and a missing year (None) breaks the line instead of inventing a
value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Sparkline:
    path: str  # the "d" attribute: "M x y L x y …", one M per unbroken run
    points: tuple[tuple[Decimal, Decimal] | None, ...]  # per value; None where the value is missing
    width: int
    height: int


def _coord(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def sparkline(values: Sequence[Decimal | None], *, width: int = 120, height: int = 32, pad: int = 2) -> Sparkline:
    """Points spaced evenly across `width`; the lowest value at the bottom, the highest at the
    top (inside `pad`). A flat series lies in the middle. Missing values break the line."""
    if width <= 2 * pad or height <= 2 * pad:
        raise ValueError("the box is smaller than its padding")
    known = [v for v in values if v is not None]
    if not known:
        return Sparkline("", tuple(None for _ in values), width, height)
    low, high = min(known), max(known)
    inner_w, inner_h = Decimal(width - 2 * pad), Decimal(height - 2 * pad)
    step = inner_w / (len(values) - 1) if len(values) > 1 else Decimal(0)
    points: list[tuple[Decimal, Decimal] | None] = []
    for i, value in enumerate(values):
        if value is None:
            points.append(None)
            continue
        x = pad + step * i if len(values) > 1 else Decimal(width) / 2
        y = pad + inner_h / 2 if high == low else pad + (high - value) / (high - low) * inner_h
        points.append((_coord(x), _coord(y)))
    parts: list[str] = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]} {point[1]}")
        pen_down = True
    return Sparkline(" ".join(parts), tuple(points), width, height)
