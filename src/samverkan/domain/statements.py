"""The annual report's statements computed from one year of the ledger: income statement,
balance sheet, cash-flow statement (indirect method), balance requirement result, financial goal
and the notes on machines and equipment and on liabilities.

Input is per account in öre, signed as SIE writes it (debit +, credit −); output is lines of
keys and Decimal kronor, signed as the report prints them (income, assets, equity and
liabilities positive; costs negative). Labels are the app's business: the domain has keys only,
so the same lines serve the page, the JSON, the CLI and the files.

The year's result may or may not be booked into equity yet (Kommun-Bas 89 / BAS 8999 against
2099). Equity is therefore computed as the equity accounts *plus* every result and closing
account: when the closing entries are there, the result and closing accounts sum to zero and
equity is the accounts as booked; when they are not, the result is added. The sheet balances
either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from samverkan.domain.errors import DomainError
from samverkan.domain.ledger_lines import (
    FIXED_ASSET_LINES,
    LIQUID_LINES,
    MAPPING_LINES,
    Statement,
    account_key,
)

ORE = Decimal("0.01")


class UnmappedAccountsError(DomainError):
    """Accounts with a balance or movements that no mapping range covers: the report refuses."""

    def __init__(self, accounts: Iterable[str]) -> None:
        self.accounts = tuple(sorted(set(accounts), key=account_key))
        super().__init__(
            "Rapporten kan inte tas fram: följande konton har saldo men saknas i kontomappningen: "
            + ", ".join(self.accounts)
            + "."
        )


@dataclass(frozen=True)
class YearAmounts:
    """One year of the ledger per account, in öre, SIE sign.

    `opening` is the year's IB, `closing` the year's UB for balance accounts and the year's total
    for result accounts, `debit`/`credit` the sums of the year's debit and credit movements
    (both ≥ 0; empty when the year has no vouchers, e.g. a SIE 1–3 file)."""

    opening: Mapping[str, int] = field(default_factory=dict)
    closing: Mapping[str, int] = field(default_factory=dict)
    debit: Mapping[str, int] = field(default_factory=dict)
    credit: Mapping[str, int] = field(default_factory=dict)
    # False for a previous year known only by its closing balances (#UB -1 without #IB -1):
    # what needs the opening (cash flow, equipment note, equity change) is left empty for it.
    opening_known: bool = True

    def accounts(self) -> set[str]:
        return {a for part in (self.opening, self.closing, self.debit, self.credit) for a, v in part.items() if v}


@dataclass(frozen=True)
class Line:
    key: str
    amount: Decimal  # kronor, report sign
    previous: Decimal | None = None  # the previous year's figure; None = no previous year
    level: int = 0  # 0 detail, 1 subtotal, 2 total


@dataclass(frozen=True)
class Check:
    """A consistency check that failed; the app words it. `amount` is a difference in kronor."""

    code: str  # unbalanced, opening_differs, result_differs
    amount: Decimal = Decimal(0)
    year: str = "current"  # current | previous
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statements:
    lines: tuple[Line, ...]
    checks: tuple[Check, ...] = ()

    def amount(self, key: str) -> Decimal:
        return next(line.amount for line in self.lines if line.key == key)


def kronor(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(ORE, rounding=ROUND_HALF_UP)


def check_mapped(mapping: Mapping[str, str], *years: YearAmounts | None) -> None:
    """Refuse while an account with a balance or movements has no report line."""
    missing = {a for year in years if year is not None for a in year.accounts() if a not in mapping}
    if missing:
        raise UnmappedAccountsError(missing)


def _sum(amounts: Mapping[str, int], mapping: Mapping[str, str], lines: Iterable[str]) -> int:
    wanted = set(lines)
    return sum(v for a, v in amounts.items() if mapping.get(a) in wanted)


def _statement_lines(statement: Statement) -> set[str]:
    return {key for key, line in MAPPING_LINES.items() if line.statement == statement}


# Balance lines whose accounts are equity, provisions or liabilities (credit balances).
CLAIM_LINES = frozenset({"equity", "provisions", "long_term_liabilities", "short_term_liabilities"})


class _Year:
    """The per-line totals of one year that every statement reads, in öre."""

    def __init__(self, year: YearAmounts, mapping: Mapping[str, str]) -> None:
        self.year, self.mapping = year, mapping
        result_lines = _statement_lines(Statement.INCOME) | _statement_lines(Statement.CLOSING)
        # Result and closing accounts (ledger sign): zero once the closing entries are booked.
        self.unbooked_close = _sum(year.closing, mapping, result_lines)
        self.unbooked_open = _sum(year.opening, mapping, result_lines)

    def closing(self, *lines: str) -> int:
        return _sum(self.year.closing, self.mapping, lines)

    def opening(self, *lines: str) -> int:
        return _sum(self.year.opening, self.mapping, lines)

    def debit(self, *lines: str) -> int:
        return _sum(self.year.debit, self.mapping, lines)

    def credit(self, *lines: str) -> int:
        return _sum(self.year.credit, self.mapping, lines)

    def result(self) -> int:
        """The year's result in öre, report sign (surplus positive), from the income statement."""
        return -self.closing(*_statement_lines(Statement.INCOME))

    def equity(self, *, opening: bool = False) -> int:
        """Equity including a result not yet booked into it (report sign)."""
        if opening:
            return -(self.opening("equity") + self.unbooked_open)
        return -(self.closing("equity") + self.unbooked_close)

    def sheet(self, *, opening: bool = False) -> dict[str, int]:
        """Balance-sheet lines (report sign) at the year's end or start."""
        get = self.opening if opening else self.closing
        out = {key: get(key) for key in _statement_lines(Statement.BALANCE) if key not in CLAIM_LINES}
        out.update({key: -get(key) for key in CLAIM_LINES if key != "equity"})
        out["equity"] = self.equity(opening=opening)
        return out


def _combine(current: list[tuple[str, int, int]], previous: list[tuple[str, int, int]] | None) -> tuple[Line, ...]:
    before = {key: amount for key, amount, _level in previous} if previous is not None else {}
    return tuple(
        Line(key, kronor(amount), kronor(before[key]) if key in before else None, level)
        for key, amount, level in current
    )


# --- income statement -----------------------------------------------------------------------


def _income(y: _Year) -> list[tuple[str, int, int]]:
    income = -y.closing("operating_income", "realisation_gains")
    expenses = -y.closing("staff_costs", "other_operating_expenses", "realisation_losses")
    depreciation = -y.closing("depreciation")
    net = income + expenses + depreciation
    fees = -y.closing("member_fees")
    operating = net + fees
    fin_income = -y.closing("financial_income")
    fin_expenses = -y.closing("financial_expenses")
    return [
        ("operating_income", income, 0),
        ("operating_expenses", expenses, 0),
        ("depreciation", depreciation, 0),
        ("net_operating_cost", net, 1),
        ("member_fees", fees, 0),
        ("operating_result", operating, 1),
        ("financial_income", fin_income, 0),
        ("financial_expenses", fin_expenses, 0),
        ("result", operating + fin_income + fin_expenses, 2),
    ]


def income_statement(current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str]) -> Statements:
    check_mapped(mapping, current, previous)
    prev = _income(_Year(previous, mapping)) if previous is not None else None
    return Statements(_combine(_income(_Year(current, mapping)), prev), _checks(current, previous, mapping))


# --- balance sheet --------------------------------------------------------------------------


def _balance(y: _Year) -> list[tuple[str, int, int]]:
    s = y.sheet()
    equipment = s["equipment_cost"] + s["equipment_depreciation"]
    fixed = sum(s[key] for key in FIXED_ASSET_LINES)
    current = s["inventories"] + s["receivables"] + s["short_term_investments"] + s["cash"]
    liabilities = s["long_term_liabilities"] + s["short_term_liabilities"]
    return [
        ("intangible_assets", s["intangible_assets"], 0),
        ("equipment", equipment, 0),
        ("other_tangible_assets", s["other_tangible_assets"], 0),
        ("financial_assets", s["financial_assets"], 0),
        ("fixed_assets", fixed, 1),
        ("inventories", s["inventories"], 0),
        ("receivables", s["receivables"], 0),
        ("short_term_investments", s["short_term_investments"], 0),
        ("cash", s["cash"], 0),
        ("current_assets", current, 1),
        ("total_assets", fixed + current, 2),
        ("equity", s["equity"], 0),
        ("result", y.result(), 0),
        ("total_equity", s["equity"], 1),
        ("provisions", s["provisions"], 1),
        ("long_term_liabilities", s["long_term_liabilities"], 0),
        ("short_term_liabilities", s["short_term_liabilities"], 0),
        ("liabilities", liabilities, 1),
        ("total_equity_and_liabilities", s["equity"] + s["provisions"] + liabilities, 2),
    ]


def balance_sheet(current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str]) -> Statements:
    check_mapped(mapping, current, previous)
    prev = _balance(_Year(previous, mapping)) if previous is not None else None
    return Statements(_combine(_balance(_Year(current, mapping)), prev), _checks(current, previous, mapping))


# --- cash-flow statement (indirect method) ----------------------------------------------------


def _split(plus: int, minus: int, change: int) -> tuple[int, int]:
    """A line's change as (increases, decreases): from the movements when they explain the
    change (a year with vouchers), else the net change alone, put on the side of its sign.
    E.g. a loan's new borrowing (credits) and amortisation (debits)."""
    if plus - minus == change and (plus or minus):
        return plus, -minus
    return (change, 0) if change >= 0 else (0, change)


def _cashflow(y: _Year) -> list[tuple[str, int, int]]:
    end, start = y.sheet(), y.sheet(opening=True)

    def change(*keys: str) -> int:
        return sum(end[k] - start[k] for k in keys)

    result = y.result()
    depreciation = y.closing("depreciation")  # ledger sign: a cost is positive, added back
    provisions = change("provisions")
    before = result + depreciation + provisions
    current_assets = -change("inventories", "receivables")
    short_term = change("short_term_liabilities")
    operations = before + current_assets + short_term
    investments = -(change(*FIXED_ASSET_LINES) + depreciation)
    new_loans, amortisation = _split(
        y.credit("long_term_liabilities"), y.debit("long_term_liabilities"), change("long_term_liabilities")
    )
    other_equity = change("equity") - result
    financing = new_loans + amortisation + other_equity
    cash_start = sum(start[k] for k in LIQUID_LINES)
    return [
        ("result", result, 0),
        ("depreciation_adjustment", depreciation, 0),
        ("provisions_change", provisions, 0),
        ("funds_before_working_capital", before, 1),
        ("current_assets_change", current_assets, 0),
        ("short_term_liabilities_change", short_term, 0),
        ("cash_flow_operations", operations, 1),
        ("investments", investments, 0),
        ("cash_flow_investments", investments, 1),
        ("new_loans", new_loans, 0),
        ("amortisation", amortisation, 0),
        ("other_equity_changes", other_equity, 0),
        ("cash_flow_financing", financing, 1),
        ("cash_flow_year", operations + investments + financing, 2),
        ("cash_start", cash_start, 0),
        ("cash_end", sum(end[k] for k in LIQUID_LINES), 1),
    ]


def cash_flow(current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str]) -> Statements:
    check_mapped(mapping, current, previous)
    prev = _cashflow(_Year(previous, mapping)) if previous is not None and previous.opening_known else None
    return Statements(_combine(_cashflow(_Year(current, mapping)), prev), _checks(current, previous, mapping))


# --- balance requirement (balanskravsresultat) ----------------------------------------------


def _requirement(y: _Year) -> list[tuple[str, int, int]]:
    result = y.result()
    gains = y.closing("realisation_gains")  # ledger sign: a gain is negative, so this deducts it
    losses = y.closing("realisation_losses")  # a loss is positive: added back (the exception)
    after = result + gains + losses
    return [
        ("result", result, 1),
        ("realisation_gains", gains, 0),
        ("realisation_losses", losses, 0),
        ("unrealised_securities", 0, 0),
        ("reversed_unrealised_securities", 0, 0),
        ("result_after_adjustments", after, 1),
        ("balance_requirement_result", after, 2),
    ]


def balance_requirement(current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str]) -> Statements:
    check_mapped(mapping, current, previous)
    prev = _requirement(_Year(previous, mapping)) if previous is not None else None
    return Statements(_combine(_requirement(_Year(current, mapping)), prev), _checks(current, previous, mapping))


# --- financial goal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    result: Decimal  # kronor
    turnover: Decimal  # operating income + member fees + financial income, kronor
    ratio: Decimal | None  # result ÷ turnover; None when there is no turnover
    met: bool | None


def financial_goal(year: YearAmounts, mapping: Mapping[str, str], target_percent: Decimal) -> Goal:
    """Surplus as a share of turnover against the federation's target (seed 002: ≥ 2 %)."""
    check_mapped(mapping, year)
    y = _Year(year, mapping)
    turnover = -y.closing("operating_income", "realisation_gains", "member_fees", "financial_income")
    result = y.result()
    if turnover == 0:
        return Goal(kronor(result), kronor(turnover), None, None)
    ratio = Decimal(result) / Decimal(turnover)
    return Goal(kronor(result), kronor(turnover), ratio, ratio * 100 >= target_percent)


# --- notes -------------------------------------------------------------------------------------


def _equipment(y: _Year) -> list[tuple[str, int, int]]:
    cost_open, cost_close = y.opening("equipment_cost"), y.closing("equipment_cost")
    dep_open, dep_close = y.opening("equipment_depreciation"), y.closing("equipment_depreciation")
    purchases, disposals = _split(y.debit("equipment_cost"), y.credit("equipment_cost"), cost_close - cost_open)
    # Accumulated depreciation (a credit balance, negative): the year's depreciation are credits,
    # the depreciation of what was disposed of are debits.
    back, year_dep = _split(y.debit("equipment_depreciation"), y.credit("equipment_depreciation"), dep_close - dep_open)
    return [
        ("opening_cost", cost_open, 1),
        ("purchases", purchases, 0),
        ("disposals", disposals, 0),
        ("closing_cost", cost_close, 1),
        ("opening_depreciation", dep_open, 1),
        ("depreciation_year", year_dep, 0),
        ("depreciation_disposals", back, 0),
        ("closing_depreciation", dep_close, 1),
        ("book_value", cost_close + dep_close, 2),
    ]


def equipment_note(current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str]) -> Statements:
    """Machines and equipment: cost, purchases, disposals, accumulated depreciation, book value.

    With vouchers, purchases are the debits on the cost accounts and disposals the credits; the
    year's depreciation the credits on the accumulated-depreciation accounts. Without, the net
    change of each is all that is known and is shown as purchases or disposals by its sign."""
    check_mapped(mapping, current, previous)
    prev = _equipment(_Year(previous, mapping)) if previous is not None and previous.opening_known else None
    return Statements(_combine(_equipment(_Year(current, mapping)), prev))


@dataclass(frozen=True)
class AccountLine:
    account: str
    amount: Decimal  # kronor, report sign (a liability positive)
    previous: Decimal | None


def liabilities_note(
    current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str], line: str
) -> tuple[AccountLine, ...]:
    """Closing balance per account of one liability line (long- or short-term), with last year's."""
    check_mapped(mapping, current, previous)
    accounts = {a for a, v in current.closing.items() if v and mapping.get(a) == line}
    if previous is not None:
        accounts |= {a for a, v in previous.closing.items() if v and mapping.get(a) == line}
    return tuple(
        AccountLine(
            account,
            kronor(-current.closing.get(account, 0)),
            kronor(-previous.closing.get(account, 0)) if previous is not None else None,
        )
        for account in sorted(accounts, key=account_key)
    )


# --- consistency checks -----------------------------------------------------------------------


def _year_checks(y: _Year, which: str) -> list[Check]:
    checks = []
    sheet = _balance(y)
    assets = next(amount for key, amount, _ in sheet if key == "total_assets")
    claims = next(amount for key, amount, _ in sheet if key == "total_equity_and_liabilities")
    if assets != claims:
        checks.append(Check("unbalanced", kronor(assets - claims), which))
    # The result from the balance accounts: the change in equity (net assets) over the year;
    # not when the year's opening balance is unknown (a previous year known by its #UB only).
    from_balances = y.equity() - y.equity(opening=True)
    if y.year.opening_known and y.year.opening and from_balances != y.result():
        checks.append(Check("result_differs", kronor(from_balances - y.result()), which))
    return checks


def _checks(current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str]) -> tuple[Check, ...]:
    now = _Year(current, mapping)
    checks = _year_checks(now, "current")
    if previous is not None:
        before = _Year(previous, mapping)
        checks += _year_checks(before, "previous")
        end_before, start_now = before.sheet(), now.sheet(opening=True)
        differing = tuple(sorted(k for k in end_before if end_before[k] != start_now[k]))
        if differing:
            gap = sum(start_now[k] - end_before[k] for k in differing)
            checks.append(Check("opening_differs", kronor(gap), "current", differing))
    return tuple(checks)


def checks(current: YearAmounts, previous: YearAmounts | None, mapping: Mapping[str, str]) -> tuple[Check, ...]:
    """Balance sheet balances; the result from the balance accounts equals the income
    statement's; last year's closing balance is this year's opening balance."""
    return _checks(current, previous, mapping)
