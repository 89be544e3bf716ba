"""Report lines of the municipal statements and the account mapping that feeds them.

An account belongs to exactly one *mapping line* (the narrowest range of the federation's
mapping that contains it). Each mapping line belongs to one statement and, for the income
statement's lines, to one line of the operating statement (driftredovisning), which lumps
member fees and financial income into income and financial costs into other costs, as
Lystkom's annual report does (seed 002: intäkter 44 712 tkr = 43 902 + 810 medlemsavgifter).

Amounts in the ledger are signed as SIE writes them: debit positive, credit negative. Reports
show income positive and costs negative, i.e. the ledger amount negated (`report_sign`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from samverkan.domain.errors import DomainError


class Statement(StrEnum):
    INCOME = "income"
    BALANCE = "balance"
    CLOSING = "closing"  # Kommun-Bas 89 (årets resultat) and other closing entries: not reported


class OperatingLine(StrEnum):
    """The four lines of the operating statement per activity (seed 002)."""

    INCOME = "income"
    STAFF_COSTS = "staff_costs"
    OTHER_COSTS = "other_costs"
    DEPRECIATION = "depreciation"


@dataclass(frozen=True)
class MappingLine:
    key: str
    statement: Statement
    operating: OperatingLine | None = None  # income-statement lines only


# The keys a mapping may use. Income statement (resultaträkning, RKR's municipal format):
INCOME_LINES = (
    MappingLine("operating_income", Statement.INCOME, OperatingLine.INCOME),
    MappingLine("staff_costs", Statement.INCOME, OperatingLine.STAFF_COSTS),
    MappingLine("other_operating_expenses", Statement.INCOME, OperatingLine.OTHER_COSTS),
    MappingLine("depreciation", Statement.INCOME, OperatingLine.DEPRECIATION),
    MappingLine("member_fees", Statement.INCOME, OperatingLine.INCOME),
    MappingLine("financial_income", Statement.INCOME, OperatingLine.INCOME),
    MappingLine("financial_expenses", Statement.INCOME, OperatingLine.OTHER_COSTS),
    # Realisation gains/losses sit in operating income/expenses but the balance requirement
    # takes them out; mapping them separately keeps both statements right.
    MappingLine("realisation_gains", Statement.INCOME, OperatingLine.INCOME),
    MappingLine("realisation_losses", Statement.INCOME, OperatingLine.OTHER_COSTS),
)
# Balance sheet (balansräkning). Fixed assets are split so that note 5 (machines and equipment)
# can show acquisition cost and accumulated depreciation apart.
BALANCE_LINES = (
    MappingLine("intangible_assets", Statement.BALANCE),
    MappingLine("equipment_cost", Statement.BALANCE),
    MappingLine("equipment_depreciation", Statement.BALANCE),
    MappingLine("other_tangible_assets", Statement.BALANCE),
    MappingLine("financial_assets", Statement.BALANCE),
    MappingLine("inventories", Statement.BALANCE),
    MappingLine("receivables", Statement.BALANCE),
    MappingLine("short_term_investments", Statement.BALANCE),
    MappingLine("cash", Statement.BALANCE),
    MappingLine("equity", Statement.BALANCE),
    MappingLine("provisions", Statement.BALANCE),
    MappingLine("long_term_liabilities", Statement.BALANCE),
    MappingLine("short_term_liabilities", Statement.BALANCE),
)
CLOSING_LINES = (MappingLine("closing", Statement.CLOSING),)

MAPPING_LINES: dict[str, MappingLine] = {line.key: line for line in (*INCOME_LINES, *BALANCE_LINES, *CLOSING_LINES)}
# Fixed assets on the balance sheet; liquid funds (likvida medel) in the cash-flow statement.
FIXED_ASSET_LINES = frozenset(
    {"intangible_assets", "equipment_cost", "equipment_depreciation", "other_tangible_assets", "financial_assets"}
)
LIQUID_LINES = frozenset({"short_term_investments", "cash"})
CURRENT_ASSET_LINES = frozenset({"inventories", "receivables", *LIQUID_LINES})


class MappingError(DomainError):
    pass


@dataclass(frozen=True)
class MappingRange:
    first: str
    last: str
    line: str


def account_key(number: str) -> tuple[int, str]:
    """Order of accounts in reports: four-digit accounts first, then by number."""
    return (len(number), number)


def _contains(rng: MappingRange, number: str) -> bool:
    """A range end is a prefix: "12"–"12" holds 1200–1299 and 12001; padded to the right."""
    width = max(len(rng.first), len(rng.last), len(number))
    low, high, value = rng.first.ljust(width, "0"), rng.last.ljust(width, "9"), number.ljust(width, "0")
    return low <= value <= high


def _width(rng: MappingRange) -> int:
    # Compared at a common length, so "3" (a whole class) is wider than "3010"–"3099".
    return int(rng.last.ljust(20, "9")) - int(rng.first.ljust(20, "0"))


def validate_ranges(ranges: Iterable[MappingRange]) -> None:
    """Digits only, first ≤ last, a known line; raises MappingError naming the range."""
    for rng in ranges:
        if not (rng.first.isdigit() and rng.last.isdigit()):
            raise MappingError(f"Kontointervallet {rng.first}–{rng.last} får bara innehålla siffror.")
        width = max(len(rng.first), len(rng.last))
        if rng.first.ljust(width, "0") > rng.last.ljust(width, "9"):
            raise MappingError(f"Kontointervallet {rng.first}–{rng.last}: från-kontot är större än till-kontot.")
        if rng.line not in MAPPING_LINES:
            raise MappingError(f"Kontointervallet {rng.first}–{rng.last}: okänd rad {rng.line!r}.")


def resolve(ranges: Sequence[MappingRange], accounts: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Map each account to the line of the narrowest range containing it.

    Returns (account → line key, unmapped accounts in order)."""
    mapped: dict[str, str] = {}
    unmapped: list[str] = []
    for number in sorted(set(accounts), key=account_key):
        best: MappingRange | None = None
        for rng in ranges:
            if _contains(rng, number) and (best is None or _width(rng) < _width(best)):
                best = rng
        if best is None:
            unmapped.append(number)
        else:
            mapped[number] = best.line
    return mapped, unmapped
