"""Business cases (investeringskalkyl): what a shared platform costs per year, per user, per member.

Modelled on seed 003 (GSN identity platform): investment components are depreciated straight
line over N years (the capital cost, kapitalkostnad, carried by the base contribution during
years 1..N), fixed operating costs run every year, and a variable cost per user and year
comes on top. Year 1 is the first year of depreciation; capital cost is charged in whole
calendar years, so the investment is treated as taken into use on 1 January of year 1.

An optional internal interest rate (internränta) on the opening book value can be added to
the capital cost; seed 003 uses none, which is the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from samverkan.domain.apportion import KRONA
from samverkan.domain.depreciation import straight_line_schedule
from samverkan.domain.errors import DomainError
from samverkan.domain.keys import Key, allocate
from samverkan.domain.money import ORE, round_to

__all__ = [
    "BusinessCase",
    "BusinessCaseError",
    "InvestmentComponent",
    "OperatingCost",
    "YearCost",
]


class BusinessCaseError(DomainError):
    """Figures a business case cannot be computed from (negative costs, no component …)."""


@dataclass(frozen=True)
class InvestmentComponent:
    name: str
    amount: Decimal


@dataclass(frozen=True)
class OperatingCost:
    """A yearly operating cost; ``per_user`` costs are multiplied by the number of users."""

    name: str
    amount: Decimal
    per_user: bool = False


@dataclass(frozen=True)
class YearCost:
    year: int
    capital_cost: Decimal
    fixed_operating: Decimal
    variable_operating: Decimal

    @property
    def fixed_total(self) -> Decimal:
        """What the fixed base contribution must cover (seed 003: 1 360 tkr years 1–5)."""
        return self.capital_cost + self.fixed_operating

    @property
    def total(self) -> Decimal:
        return self.fixed_total + self.variable_operating


@dataclass(frozen=True)
class BusinessCase:
    name: str
    components: Sequence[InvestmentComponent]
    depreciation_years: int
    operating_costs: Sequence[OperatingCost] = field(default_factory=tuple)
    users: int = 0
    interest_rate: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if not self.components:
            raise BusinessCaseError("a business case needs at least one investment component")
        if any(c.amount < 0 for c in self.components):
            raise BusinessCaseError("investment components must not be negative")
        if any(c.amount < 0 for c in self.operating_costs):
            raise BusinessCaseError("operating costs must not be negative")
        if self.users < 0:
            raise BusinessCaseError("number of users must not be negative")
        if self.interest_rate < 0:
            raise BusinessCaseError("interest rate must not be negative")

    @property
    def investment(self) -> Decimal:
        return sum((c.amount for c in self.components), Decimal(0))

    def _depreciation(self) -> list[Decimal]:
        schedule = straight_line_schedule(
            self.investment.quantize(ORE),
            self.depreciation_years,
            date(2001, 1, 1),
            frequency="yearly",
        )
        return [p.amount for p in schedule]

    def capital_cost(self, year: int) -> Decimal:
        """Depreciation (+ interest on the opening book value) in year ``year`` (1-based)."""
        if year < 1:
            raise BusinessCaseError(f"years are counted from 1, got {year}")
        depreciation = self._depreciation()
        if year > len(depreciation):
            return Decimal("0.00")
        opening = self.investment - sum(depreciation[: year - 1], Decimal(0))
        return depreciation[year - 1] + round_to(opening * self.interest_rate, ORE)

    def fixed_operating(self) -> Decimal:
        return sum((c.amount for c in self.operating_costs if not c.per_user), Decimal(0))

    def variable_per_user(self) -> Decimal:
        return sum((c.amount for c in self.operating_costs if c.per_user), Decimal(0))

    def year_cost(self, year: int, users: int | None = None) -> YearCost:
        count = self.users if users is None else users
        return YearCost(
            year=year,
            capital_cost=self.capital_cost(year),
            fixed_operating=self.fixed_operating(),
            variable_operating=self.variable_per_user() * count,
        )

    def cost_per_year(self, through_year: int | None = None) -> list[YearCost]:
        """Years 1..N and the first year after (the steady state), unless told otherwise."""
        last = through_year if through_year is not None else self.depreciation_years + 1
        return [self.year_cost(y) for y in range(1, last + 1)]

    def cost_per_user(self, year: int, users: int | None = None) -> Decimal:
        """Total cost of the year divided by users, rounded half-up to the öre."""
        count = self.users if users is None else users
        if count <= 0:
            raise BusinessCaseError("cost per user needs a positive number of users")
        return round_to(self.year_cost(year, count).total / count, ORE)

    def member_shares(
        self,
        year: int,
        key: Key,
        participants: Sequence[str],
        unit: Decimal = KRONA,
        *,
        include_variable: bool = True,
    ) -> dict[str, Decimal]:
        """Each member's share of the year's cost by ``key``; sums exactly.

        The year's cost is first rounded half-up to ``unit`` (the pool is invoiced in whole units).
        """
        cost = self.year_cost(year)
        total = cost.total if include_variable else cost.fixed_total
        return allocate(round_to(total, unit), key, participants, unit)
