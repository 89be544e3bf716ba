"""Largest-remainder apportionment of a money total over weights.

Every shared cost in a federation ends up here: a pool of kronor split over members so that
the parts add up to the pool *exactly* (an economist must be able to reconcile every krona)
and no member is more than one unit away from its exact share.

Method (Hamilton / largest remainder), exact: weights (int, Decimal or Fraction, never
float) are brought to a common denominator and everything after is integer arithmetic.

1. Express the total in units (whole kronor or öre); it must be a whole number of units.
2. Each weight's exact share is ``units * weight / sum(weights)``.
3. Everybody gets the floor of the exact share; the units left over (fewer than the number
   of positive weights) go one each to the largest fractional remainders.

Tie-break (deterministic and documented, because two runs of the same input must give the
same invoice): larger remainder first, then larger weight, then earlier position in the
input. Zero weights always get exactly zero.

Negative totals (refunds, a surplus returned to members) are apportioned symmetrically:
``apportion(-T, w) == [-p for p in apportion(T, w)]``, so a refund is the mirror image of the
charge it reverses.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm

from samverkan.domain.errors import DomainError
from samverkan.domain.money import KRONA, ORE

__all__ = [
    "KRONA",
    "ORE",
    "ApportionmentError",
    "Weight",
    "apportion",
    "units_of",
]

Weight = Decimal | int | Fraction


class ApportionmentError(DomainError):
    """Input that cannot be apportioned (no positive weight, negative weight, bad total)."""


def _ratio(value: Weight) -> tuple[int, int]:
    """Exact (numerator, denominator) of a weight; refuses floats and non-finite values."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, Fraction)):
        raise ApportionmentError(f"weight must be Decimal, int or Fraction, not {type(value).__name__}")
    if isinstance(value, int):
        return value, 1
    if isinstance(value, Decimal) and not value.is_finite():
        raise ApportionmentError(f"weight must be finite, got {value}")
    return value.as_integer_ratio()


def units_of(total: Decimal, unit: Decimal) -> int:
    """The total as a whole number of units; refuses totals that are not a multiple of the unit."""
    if not isinstance(total, Decimal) or not total.is_finite():
        raise ApportionmentError(f"total must be a finite Decimal, got {total!r}")
    if not isinstance(unit, Decimal) or not unit.is_finite() or unit <= 0:
        raise ApportionmentError(f"unit must be a positive Decimal, got {unit!r}")
    ratio = Fraction(total) / Fraction(unit)
    if ratio.denominator != 1:
        raise ApportionmentError(f"total {total} is not a whole multiple of the unit {unit}")
    return ratio.numerator


def _to_amount(units: int, unit: Decimal) -> Decimal:
    exponent = unit.as_tuple().exponent
    amount = Decimal(units) * unit
    if isinstance(exponent, int) and exponent < 0:
        return amount.quantize(unit)
    return amount.quantize(KRONA)


def apportion(total: Decimal, weights: Sequence[Weight], unit: Decimal = KRONA) -> list[Decimal]:
    """Split ``total`` over ``weights`` in multiples of ``unit``; the parts sum to ``total`` exactly.

    Raises ApportionmentError for an empty list, a negative weight, no positive weight or a
    total that is not a whole number of units.
    """
    ratios = [_ratio(w) for w in weights]
    if not ratios:
        raise ApportionmentError("nothing to apportion over: no weights given")
    for index, (numerator, _denominator) in enumerate(ratios):
        if numerator < 0:
            raise ApportionmentError(f"weight at position {index} is negative ({weights[index]})")
    # Integer arithmetic throughout: bring every weight to a common denominator, so exact
    # shares are units·w/W and remainders compare as integers (fast for 10^5 weights).
    common = lcm(*(d for _n, d in ratios))
    ints = [n * (common // d) for n, d in ratios]
    weight_sum = sum(ints)
    if weight_sum == 0:
        raise ApportionmentError("no positive weight: at least one weight must be greater than zero")

    units = units_of(total, unit)
    sign = -1 if units < 0 else 1
    magnitude = abs(units)

    floors = []
    remainders = []
    for w in ints:
        floor, remainder = divmod(magnitude * w, weight_sum)
        floors.append(floor)
        remainders.append(remainder)
    leftover = magnitude - sum(floors)
    # Order for the leftover units: larger remainder, then larger weight, then input order.
    order = sorted(range(len(ints)), key=lambda i: (-remainders[i], -ints[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return [_to_amount(sign * part, unit) for part in floors]
