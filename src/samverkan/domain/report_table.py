"""A report as rows and columns, the one shape every finance report takes before it is shown as
a page, JSON, a text table, XLSX or PDF.

Figures are computed in kronor; `printed` rounds each figure on its own to the print unit, so a
printed total may differ by 1 from the sum of its printed parts, as in the annual report (seed
002: depreciation 11 303 in the operating statement, 11 304 in the income statement).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Unit(StrEnum):
    KRONOR = "kr"
    THOUSANDS = "tkr"
    MILLIONS = "mkr"


_UNIT = {
    Unit.KRONOR: (Decimal(1), Decimal(1)),
    Unit.THOUSANDS: (Decimal(1000), Decimal(1)),
    Unit.MILLIONS: (Decimal(1_000_000), Decimal("0.1")),
}


def printed(amount: Decimal, unit: Unit) -> Decimal:
    """One figure in the print unit: whole kronor, whole tkr, or mkr with one decimal (seed 004),
    rounded half up (away from zero)."""
    divisor, quantum = _UNIT[unit]
    return (amount / divisor).quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    values: tuple[Decimal | None, ...]  # kronor, one per column; None = empty cell
    level: int = 0  # 0 detail, 1 subtotal (bold), 2 total (bold)
    note: str = ""  # "Not 5"


@dataclass(frozen=True)
class ReportTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[ReportRow, ...]
    unit: Unit = Unit.THOUSANDS
    notes: tuple[str, ...] = ()  # e.g. how the deviation is signed
    warnings: tuple[str, ...] = ()  # consistency checks that failed
    subtitle: str = ""
    extra: dict[str, object] = field(default_factory=dict)
