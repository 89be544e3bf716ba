"""Part-year members, preliminary/final true-up and surplus/deficit settlement.

Part-year rule (documented because members will ask): a member that joins or leaves during
the period pays *its full-period share times the fraction of the period it was a member*. The
part it does not pay is absorbed by the full-period members in proportion to their own key
shares. The exact shares are combined first and rounded once, so the pool still sums
exactly. If nobody was a member for the whole period, the pool is shared in proportion to
share × fraction (presence-weighted key) instead, since there is no one to absorb.

Fractions are counted either

* by **days**: days of membership in the period / days in the period (both ends inclusive), or
* by **months**: started months count in full ("påbörjad månad"): every calendar month in the
  period with at least one day of membership counts, divided by the number of months in the
  period.

True-up (slutjustering, GSN: every March): the year is billed on a preliminary key; when the
final key values arrive the difference per member is final − preliminary. With the same total
the differences sum to zero; otherwise they sum to the difference of the totals.

Settlement (GSN 9.2): the year's result is shared back by the key. A surplus (positive
result) gives each member a negative charge (a credit), a deficit a positive charge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from samverkan.domain.apportion import KRONA, apportion
from samverkan.domain.keys import Key, allocate, exact_shares

__all__ = [
    "Basis",
    "Membership",
    "TrueUp",
    "allocate_part_year",
    "membership_fraction",
    "part_year_shares",
    "settle_result",
    "true_up",
    "true_up_by_keys",
]

Basis = Literal["days", "months"]


@dataclass(frozen=True)
class Membership:
    """When a member took part; ``None`` means from before / until after the period."""

    joined: date | None = None
    left: date | None = None


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def membership_fraction(
    period_start: date, period_end: date, membership: Membership, basis: Basis = "days"
) -> Fraction:
    """Fraction of the period (both ends inclusive) the member belonged, by days or started months."""
    if period_end < period_start:
        raise ValueError(f"period ends ({period_end}) before it starts ({period_start})")
    if membership.joined and membership.left and membership.left < membership.joined:
        raise ValueError(f"member leaves ({membership.left}) before joining ({membership.joined})")
    first = max(period_start, membership.joined or period_start)
    last = min(period_end, membership.left or period_end)
    if last < first:
        return Fraction(0)
    if basis == "days":
        return Fraction((last - first).days + 1, (period_end - period_start).days + 1)
    if basis == "months":
        return Fraction(_months_between(first, last), _months_between(period_start, period_end))
    raise ValueError(f"unknown pro-rata basis {basis!r}; use 'days' or 'months'")


def part_year_shares(shares: Mapping[str, Fraction], fractions: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Exact shares after part-year adjustment (see module docstring for the rule)."""
    for member, fraction in fractions.items():
        if not 0 <= fraction <= 1:
            raise ValueError(f"membership fraction for {member} must be between 0 and 1, got {fraction}")
    present = {m: fractions.get(m, Fraction(1)) for m in shares}
    full = [m for m in shares if present[m] == 1]
    if not full:
        weighted = {m: shares[m] * present[m] for m in shares}
        total = sum(weighted.values(), Fraction(0))
        if total == 0:
            raise ValueError("no member belonged to the period")
        return {m: w / total for m, w in weighted.items()}
    unpaid = sum((shares[m] * (1 - present[m]) for m in shares), Fraction(0))
    full_total = sum((shares[m] for m in full), Fraction(0))
    result: dict[str, Fraction] = {}
    for member, share in shares.items():
        if present[member] == 1:
            absorbed = unpaid * share / full_total if full_total else unpaid / len(full)
            result[member] = share + absorbed
        else:
            result[member] = share * present[member]
    return result


def allocate_part_year(
    total: Decimal,
    key: Key,
    participants: Sequence[str],
    fractions: Mapping[str, Fraction],
    unit: Decimal = KRONA,
) -> dict[str, Decimal]:
    """Allocate ``total`` by ``key`` with part-year members paying pro rata; sums exactly."""
    shares = part_year_shares(exact_shares(key, participants), fractions)
    return dict(zip(shares, apportion(total, list(shares.values()), unit), strict=True))


def true_up(preliminary: Mapping[str, Decimal], final: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Final − preliminary per member (members in either; a missing side counts as zero)."""
    members = list(preliminary) + [m for m in final if m not in preliminary]
    return {m: final.get(m, Decimal(0)) - preliminary.get(m, Decimal(0)) for m in members}


@dataclass(frozen=True)
class TrueUp:
    preliminary: dict[str, Decimal]
    final: dict[str, Decimal]
    difference: dict[str, Decimal]


def true_up_by_keys(
    *,
    preliminary_total: Decimal,
    preliminary_key: Key,
    final_total: Decimal,
    final_key: Key,
    participants: Sequence[str],
    unit: Decimal = KRONA,
) -> TrueUp:
    """Allocate on both keys and return the per-member difference (the March adjustment)."""
    preliminary = allocate(preliminary_total, preliminary_key, participants, unit)
    final = allocate(final_total, final_key, participants, unit)
    return TrueUp(preliminary, final, true_up(preliminary, final))


def settle_result(result: Decimal, key: Key, participants: Sequence[str], unit: Decimal = KRONA) -> dict[str, Decimal]:
    """Charges per member settling the year's result: a surplus is returned (negative charges)."""
    return allocate(-result, key, participants, unit)
