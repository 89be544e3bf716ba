"""Allocation keys (fördelningsnycklar) as plain data, and how each one shares a total.

A key turns the members taking part in a cost into exact shares (fractions summing to one);
:func:`allocate` then makes one largest-remainder pass so the money sums exactly. Keeping the
shares exact until that single rounding step is what makes a weighted mix (E-dala: 50 % equal
share + 50 % population) add up to the krona: rounding each component separately and adding
would let the errors pile up.

Participation: every key is applied to an explicit, ordered list of participating members
(seed 000: telephony is shared only among the members who handed telephony over). Key values
for non-participants are ignored; a participant without a value is an error, never a silent
zero. Fixed shares and decided amounts are renormalised over the participants.

A *decided amounts* key (an adopted fee table) is data, not a computation: allocating with it
returns the adopted amounts unchanged, and refuses a total the table does not add up to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TypeAlias

from samverkan.domain.apportion import KRONA, ApportionmentError, apportion, units_of
from samverkan.domain.errors import DomainError
from samverkan.domain.numbers import NumberError, parse_decimal

__all__ = [
    "AllocationKeyError",
    "DecidedAmounts",
    "EqualShare",
    "FixedShares",
    "Key",
    "MixComponent",
    "Population",
    "Users",
    "WeightedMix",
    "allocate",
    "describe",
    "exact_shares",
    "parse_key_spec",
]


WEIGHT_DIGITS, WEIGHT_DECIMALS = 15, 6  # a mix weight in a key spec ("equal:50,population:50")


class AllocationKeyError(DomainError):
    """A key that cannot be applied to the given participants."""


@dataclass(frozen=True)
class DecidedAmounts:
    """An adopted table of amounts per member (e.g. the board's membership fee table)."""

    amounts: Mapping[str, Decimal]
    label: str = "Beslutade belopp"


@dataclass(frozen=True)
class FixedShares:
    """Fixed shares or percentages per member; renormalised over the participants."""

    shares: Mapping[str, Decimal]
    label: str = "Fasta andelar"


@dataclass(frozen=True)
class Population:
    """Inhabitants per member on a reference date (E-dala: SCB 1 November the year before)."""

    population: Mapping[str, int]
    reference_date: date | None = None
    label: str = "Invånare"


@dataclass(frozen=True)
class Users:
    """Number of users per member (GSN base contribution)."""

    users: Mapping[str, int]
    reference_date: date | None = None
    label: str = "Användare"


@dataclass(frozen=True)
class EqualShare:
    """Every participant the same share ("rak andel")."""

    label: str = "Lika andel"


@dataclass(frozen=True)
class MixComponent:
    weight: Decimal
    key: Key


@dataclass(frozen=True)
class WeightedMix:
    """Weighted sum of other keys' exact shares, e.g. 50 % equal + 50 % population."""

    components: tuple[MixComponent, ...] = field(default_factory=tuple)
    label: str = "Viktad mix"


Key: TypeAlias = DecidedAmounts | FixedShares | Population | Users | EqualShare | WeightedMix


def _values(
    values: Mapping[str, Decimal] | Mapping[str, int],
    participants: Sequence[str],
    what: str,
) -> list[Fraction]:
    result = []
    for member in participants:
        if member not in values:
            raise AllocationKeyError(f"no {what} for {member}")
        value = values[member]
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise AllocationKeyError(f"{what} for {member} must be an int or Decimal, not {type(value).__name__}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise AllocationKeyError(f"{what} for {member} is not a number")
        if value < 0:
            raise AllocationKeyError(f"{what} for {member} is negative ({value})")
        result.append(Fraction(value))
    return result


def _normalise(values: list[Fraction], participants: Sequence[str], what: str) -> dict[str, Fraction]:
    total = sum(values, Fraction(0))
    if total == 0:
        raise AllocationKeyError(f"{what}: the participants' values sum to zero")
    return {member: value / total for member, value in zip(participants, values, strict=True)}


def exact_shares(key: Key, participants: Sequence[str]) -> dict[str, Fraction]:
    """Each participant's exact share (fractions summing to one), in participant order."""
    if not participants:
        raise AllocationKeyError("no participating members")
    if len(set(participants)) != len(participants):
        raise AllocationKeyError("a member appears more than once among the participants")
    if isinstance(key, EqualShare):
        return {member: Fraction(1, len(participants)) for member in participants}
    if isinstance(key, DecidedAmounts):
        return _normalise(
            _values(key.amounts, participants, "decided amount"),
            participants,
            key.label,
        )
    if isinstance(key, FixedShares):
        return _normalise(_values(key.shares, participants, "share"), participants, key.label)
    if isinstance(key, Population):
        return _normalise(_values(key.population, participants, "population"), participants, key.label)
    if isinstance(key, Users):
        return _normalise(_values(key.users, participants, "users"), participants, key.label)
    if isinstance(key, WeightedMix):
        return _mix_shares(key, participants)
    raise AllocationKeyError(f"unknown key type {type(key).__name__}")


def _mix_shares(key: WeightedMix, participants: Sequence[str]) -> dict[str, Fraction]:
    if not key.components:
        raise AllocationKeyError("a weighted mix needs at least one component")
    weights = [Fraction(c.weight) for c in key.components]
    if any(w < 0 for w in weights):
        raise AllocationKeyError("a mix weight is negative")
    weight_total = sum(weights, Fraction(0))
    if weight_total == 0:
        raise AllocationKeyError("the mix weights sum to zero")
    shares = dict.fromkeys(participants, Fraction(0))
    for weight, component in zip(weights, key.components, strict=True):
        if weight == 0:
            continue
        for member, share in exact_shares(component.key, participants).items():
            shares[member] += weight / weight_total * share
    return shares


def allocate(total: Decimal, key: Key, participants: Sequence[str], unit: Decimal = KRONA) -> dict[str, Decimal]:
    """Share ``total`` among ``participants`` by ``key``; the amounts sum exactly to ``total``."""
    if isinstance(key, DecidedAmounts):
        return _decided(total, key, participants, unit)
    shares = exact_shares(key, participants)
    try:
        parts = apportion(total, list(shares.values()), unit)
    except ApportionmentError as exc:
        raise AllocationKeyError(str(exc)) from exc
    return dict(zip(shares, parts, strict=True))


def _decided(total: Decimal, key: DecidedAmounts, participants: Sequence[str], unit: Decimal) -> dict[str, Decimal]:
    exact_shares(key, participants)  # validates presence and signs
    amounts = {member: key.amounts[member] for member in participants}
    table_total = sum(amounts.values(), Decimal(0))
    if table_total != total:
        raise AllocationKeyError(f"the decided amounts sum to {table_total}, not to the total {total}")
    for member, amount in amounts.items():
        try:
            units_of(amount, unit)
        except ApportionmentError as exc:
            raise AllocationKeyError(f"decided amount for {member}: {exc}") from exc
    return amounts


def describe(key: Key) -> str:
    """Short Swedish description of a key, for run records and exports."""
    if isinstance(key, WeightedMix):
        total = sum((c.weight for c in key.components), Decimal(0))
        parts = []
        for c in key.components:
            percent = (c.weight / total * 100) if total else Decimal(0)
            parts.append(f"{percent.normalize():f} % {describe(c.key).lower()}")
        return " + ".join(parts)
    if isinstance(key, (Population, Users)) and key.reference_date:
        return f"{key.label} per {key.reference_date.isoformat()}"
    return key.label


def parse_key_spec(spec: str, columns: Mapping[str, Mapping[str, Decimal]]) -> Key:
    """Build a key from a short text such as ``population`` or ``equal:50,population:50``.

    ``columns`` maps a variable name to its values per member (a CSV column). ``equal`` needs
    no column; ``population`` and ``users`` give those key types; any other column is used
    as plain weights. A bare name is the whole key; ``name:weight`` parts make a weighted mix.
    """
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if not parts:
        raise AllocationKeyError("empty key; use e.g. population, users, equal or equal:50,population:50")
    if len(parts) == 1 and ":" not in parts[0]:
        return _simple_key(parts[0], columns)
    components = []
    for part in parts:
        name, sep, weight_text = part.partition(":")
        if not sep:
            raise AllocationKeyError(f"mix part {part!r} needs a weight, e.g. {part}:50")
        try:  # bounded: the exact shares of a weight like 1e999999999 never finish computing
            weight = parse_decimal(weight_text, max_digits=WEIGHT_DIGITS, max_decimals=WEIGHT_DECIMALS)
        except NumberError as exc:
            raise AllocationKeyError(
                f"weight {weight_text.strip()[:30]!r} in {part[:60]!r} is not a number ({exc})"
            ) from None
        if weight < 0:
            raise AllocationKeyError(f"weight in {part[:60]!r} must be a non-negative number")
        components.append(MixComponent(weight, _simple_key(name.strip(), columns)))
    return WeightedMix(tuple(components))


def _simple_key(name: str, columns: Mapping[str, Mapping[str, Decimal]]) -> Key:
    if name == "equal":
        return EqualShare()
    if name not in columns:
        known = ", ".join(["equal", *columns]) or "equal"
        raise AllocationKeyError(f"unknown key variable {name!r}; available: {known}")
    values = columns[name]
    if name in ("population", "users"):
        counts = {}
        for member, value in values.items():
            if value != value.to_integral_value():
                raise AllocationKeyError(f"{name} for {member} must be a whole number, got {value}")
            counts[member] = int(value)
        return Population(counts) if name == "population" else Users(counts)
    return FixedShares(dict(values), label=name)
