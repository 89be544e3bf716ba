"""Goal fulfilment: whether an indicator's value meets its target, the fulfilment a goal's
indicators propose, and the year's summary counts ("13 mål: 10 uppfyllda, …").

Pure so the rule the board is told ("all met → met, some → partly …") is written once and
tested on its own; the Django side only feeds it values and stores what it said.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

AT_LEAST = "at_least"
AT_MOST = "at_most"
BELOW = "below"
ABOVE = "above"
HIGHER = "higher"  # higher than last year
LOWER = "lower"  # lower than last year
DIRECTIONS = (AT_LEAST, AT_MOST, BELOW, ABOVE, HIGHER, LOWER)

MET = "met"
PARTLY = "partly"
NOT_MET = "not_met"
NOT_ASSESSABLE = "not_assessable"
FULFILMENTS = (MET, PARTLY, NOT_MET, NOT_ASSESSABLE)


def meets(
    value: Decimal | None, direction: str, target: Decimal | None, previous: Decimal | None = None
) -> bool | None:
    """Whether `value` meets the target; None when it cannot be told (no value, no target, or
    for "higher/lower than last year" no previous year's value)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    if value is None:
        return None
    if direction in (HIGHER, LOWER):
        if previous is None:
            return None
        return value > previous if direction == HIGHER else value < previous
    if target is None:
        return None
    if direction == AT_LEAST:
        return value >= target
    if direction == AT_MOST:
        return value <= target
    if direction == BELOW:
        return value < target
    return value > target


def propose(results: Sequence[bool | None]) -> str:
    """The fulfilment a goal's indicator results propose: all met → met, some met (or all the
    known ones met but some not assessable) → partly, none met → not met, nothing known →
    not assessable."""
    known = [r for r in results if r is not None]
    if not known:
        return NOT_ASSESSABLE
    if all(known):
        return MET if len(known) == len(results) else PARTLY
    return PARTLY if any(known) else NOT_MET


@dataclass(frozen=True)
class Summary:
    total: int
    met: int
    partly: int
    not_met: int
    not_assessable: int
    unassessed: int  # goals with no assessment yet


def summarize(fulfilments: Iterable[str | None]) -> Summary:
    """Count the goals per fulfilment (None: not yet assessed)."""
    counts = dict.fromkeys(FULFILMENTS, 0)
    unassessed = total = 0
    for f in fulfilments:
        total += 1
        if f is None:
            unassessed += 1
        elif f in counts:
            counts[f] += 1
        else:
            raise ValueError(f"unknown fulfilment {f!r}")
    return Summary(total, counts[MET], counts[PARTLY], counts[NOT_MET], counts[NOT_ASSESSABLE], unassessed)
