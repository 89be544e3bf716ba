"""The statements from a ledger: hand-built figures (seed 002's 2023 in whole tkr) and, for any
generated ledger, the invariants: the balance sheet balances, the result agrees between the
statements, the year's cash flow is the change in liquid funds."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain.ledger_lines import MappingRange, resolve
from samverkan.domain.statements import (
    UnmappedAccountsError,
    YearAmounts,
    balance_requirement,
    balance_sheet,
    cash_flow,
    checks,
    equipment_note,
    financial_goal,
    income_statement,
    liabilities_note,
)

RANGES = [
    MappingRange("10", "10", "intangible_assets"),
    MappingRange("11", "11", "other_tangible_assets"),
    MappingRange("12", "12", "equipment_cost"),
    MappingRange("1219", "1219", "equipment_depreciation"),
    MappingRange("13", "13", "financial_assets"),
    MappingRange("14", "14", "inventories"),
    MappingRange("15", "17", "receivables"),
    MappingRange("18", "18", "short_term_investments"),
    MappingRange("19", "19", "cash"),
    MappingRange("20", "20", "equity"),
    MappingRange("21", "22", "provisions"),
    MappingRange("23", "23", "long_term_liabilities"),
    MappingRange("24", "29", "short_term_liabilities"),
    MappingRange("3", "3", "operating_income"),
    MappingRange("397", "397", "realisation_gains"),
    MappingRange("4", "4", "other_operating_expenses"),
    MappingRange("5", "5", "staff_costs"),
    MappingRange("6", "7", "other_operating_expenses"),
    MappingRange("78", "78", "depreciation"),
    MappingRange("797", "797", "realisation_losses"),
    MappingRange("80", "83", "member_fees"),
    MappingRange("84", "84", "financial_income"),
    MappingRange("85", "85", "financial_expenses"),
    MappingRange("89", "89", "closing"),
]
BALANCE_ACCOUNTS = ["1010", "1110", "1210", "1219", "1310", "1410", "1510", "1810", "1910"]
CLAIM_ACCOUNTS = ["2010", "2210", "2310", "2410"]
RESULT_ACCOUNTS = ["3010", "3970", "4010", "5010", "6010", "7810", "7970", "8010", "8410", "8510"]
T = 1000 * 100  # one tkr in öre


def mapping(*years):
    accounts = set().union(*(y.accounts() for y in years))
    return resolve(RANGES, accounts)[0]


def build(opening: dict[str, int], vouchers: list[list[tuple[str, int]]]) -> YearAmounts:
    """A year with vouchers, as the selector sums it."""
    debit: dict[str, int] = {}
    credit: dict[str, int] = {}
    closing = dict(opening)
    for voucher in vouchers:
        assert sum(amount for _, amount in voucher) == 0, "a voucher balances"
        for account, amount in voucher:
            closing[account] = closing.get(account, 0) + amount
            if amount > 0:
                debit[account] = debit.get(account, 0) + amount
            elif amount < 0:
                credit[account] = credit.get(account, 0) - amount
    return YearAmounts(opening=opening, closing={a: v for a, v in closing.items() if v}, debit=debit, credit=credit)


def lines(statements) -> dict[str, Decimal]:
    return {line.key: line.amount for line in statements.lines}


# Seed 002's 2023 in whole tkr: opening = 2022's closing balance sheet.
OPENING_2023 = {
    "1210": 59_955 * T,
    "1219": -37_093 * T,
    "1510": 5_041 * T,
    "1910": 3_342 * T,
    "2010": -5_037 * T,
    "2310": -18_000 * T,
    "2410": -8_208 * T,
}
VOUCHERS_2023 = [
    [("3010", -43_902 * T), ("1910", 43_902 * T)],
    [("5010", 16_976 * T), ("6010", 14_846 * T), ("1910", -31_822 * T)],
    [("7810", 11_304 * T), ("1219", -11_304 * T)],
    [("8010", -810 * T), ("1910", 810 * T)],
    [("8510", 210 * T), ("1910", -210 * T)],
    [("1210", 9_229 * T), ("1910", -9_229 * T)],
    [("1219", 15_181 * T), ("1210", -15_181 * T)],
    [("2310", 2_000 * T), ("1910", -2_000 * T)],
    [("1510", 240 * T), ("1910", -240 * T)],
    [("1910", 1_443 * T), ("2410", -1_443 * T)],
]


def tkr(n: int) -> Decimal:
    return Decimal(n * 1000).quantize(Decimal("0.01"))


def test_income_statement_of_seed_002():
    year = build(OPENING_2023, VOUCHERS_2023)
    got = lines(income_statement(year, None, mapping(year)))
    assert got == {
        "operating_income": tkr(43_902),
        "operating_expenses": tkr(-31_822),
        "depreciation": tkr(-11_304),
        "net_operating_cost": tkr(776),
        "member_fees": tkr(810),
        "operating_result": tkr(1_586),
        "financial_income": tkr(0),
        "financial_expenses": tkr(-210),
        "result": tkr(1_376),
    }


def test_balance_sheet_adds_the_unbooked_result_to_equity():
    year = build(OPENING_2023, VOUCHERS_2023)
    report = balance_sheet(year, None, mapping(year))
    got = lines(report)
    assert got["equipment"] == tkr(54_003 - 33_216)
    assert got["fixed_assets"] == tkr(20_787)
    assert got["receivables"] == tkr(5_281)
    assert got["cash"] == tkr(5_996)
    assert got["current_assets"] == tkr(11_277)
    assert got["total_assets"] == tkr(32_064)
    assert got["equity"] == got["total_equity"] == tkr(6_413)
    assert got["result"] == tkr(1_376)
    assert got["long_term_liabilities"] == tkr(16_000)
    assert got["short_term_liabilities"] == tkr(9_651)
    assert got["liabilities"] == tkr(25_651)
    assert got["total_equity_and_liabilities"] == got["total_assets"]
    assert report.checks == ()


def test_balance_sheet_is_the_same_once_the_closing_entries_are_booked():
    closing_entry = [("8990", 1_376 * T), ("2099", -1_376 * T)]
    booked = build(OPENING_2023, [*VOUCHERS_2023, closing_entry])
    unbooked = build(OPENING_2023, VOUCHERS_2023)
    assert lines(balance_sheet(booked, None, mapping(booked))) == lines(
        balance_sheet(unbooked, None, mapping(unbooked))
    )
    assert lines(income_statement(booked, None, mapping(booked)))["result"] == tkr(1_376)
    assert checks(booked, None, mapping(booked)) == ()


def test_cash_flow_of_seed_002():
    year = build(OPENING_2023, VOUCHERS_2023)
    got = lines(cash_flow(year, None, mapping(year)))
    assert got["result"] == tkr(1_376)
    assert got["depreciation_adjustment"] == tkr(11_304)
    assert got["funds_before_working_capital"] == tkr(12_680)
    assert got["current_assets_change"] == tkr(-240)
    assert got["short_term_liabilities_change"] == tkr(1_443)
    assert got["cash_flow_operations"] == tkr(13_883)
    assert got["investments"] == got["cash_flow_investments"] == tkr(-9_229)
    assert got["new_loans"] == tkr(0)
    assert got["amortisation"] == tkr(-2_000)
    assert got["cash_flow_financing"] == tkr(-2_000)
    assert got["cash_flow_year"] == tkr(2_654)
    assert got["cash_start"] == tkr(3_342)
    assert got["cash_end"] == tkr(5_996)


def test_loans_without_vouchers_are_a_net_change():
    year = build(OPENING_2023, VOUCHERS_2023)
    balances_only = YearAmounts(opening=year.opening, closing=year.closing)
    got = lines(cash_flow(balances_only, None, mapping(year)))
    assert got["amortisation"] == tkr(-2_000)
    assert got["cash_flow_year"] == tkr(2_654)


def test_balance_requirement_takes_out_gains_and_adds_back_losses_under_the_exception():
    year = build(
        OPENING_2023,
        [*VOUCHERS_2023, [("1910", 50 * T), ("3970", -50 * T)], [("7970", 20 * T), ("1910", -20 * T)]],
    )
    got = lines(balance_requirement(year, None, mapping(year)))
    assert got["result"] == tkr(1_406)
    assert got["realisation_gains"] == tkr(-50)
    assert got["realisation_losses"] == tkr(20)
    assert got["result_after_adjustments"] == got["balance_requirement_result"] == tkr(1_376)
    assert lines(income_statement(year, None, mapping(year)))["operating_income"] == tkr(43_952)


def test_financial_goal_is_result_over_turnover():
    year = build(OPENING_2023, VOUCHERS_2023)
    goal = financial_goal(year, mapping(year), Decimal("2"))
    assert goal.turnover == tkr(44_712)
    assert round(goal.ratio * 100, 1) == Decimal("3.1")
    assert goal.met is True
    assert financial_goal(year, mapping(year), Decimal("3.5")).met is False
    empty = YearAmounts()
    assert financial_goal(empty, {}, Decimal("2")).ratio is None


def test_equipment_note_from_the_movements():
    year = build(OPENING_2023, VOUCHERS_2023)
    got = lines(equipment_note(year, None, mapping(year)))
    assert got == {
        "opening_cost": tkr(59_955),
        "purchases": tkr(9_229),
        "disposals": tkr(-15_181),
        "closing_cost": tkr(54_003),
        "opening_depreciation": tkr(-37_093),
        "depreciation_year": tkr(-11_304),
        "depreciation_disposals": tkr(15_181),
        "closing_depreciation": tkr(-33_216),
        "book_value": tkr(20_787),
    }


def test_liabilities_note_per_account_with_last_year():
    year = build({**OPENING_2023, "2410": -8_000 * T, "2440": -208 * T}, VOUCHERS_2023)
    previous = YearAmounts(closing={"2410": -8_000 * T, "2440": -208 * T, "2310": -18_000 * T})
    note = liabilities_note(year, previous, mapping(year, previous), "short_term_liabilities")
    assert [(a.account, a.amount, a.previous) for a in note] == [
        ("2410", tkr(9_443), tkr(8_000)),
        ("2440", tkr(208), tkr(208)),
    ]


def test_unmapped_accounts_refuse_the_report_and_are_listed():
    year = build(OPENING_2023, [*VOUCHERS_2023, [("9010", 5 * T), ("1910", -5 * T)], [("0999", 1), ("1910", -1)]])
    with pytest.raises(UnmappedAccountsError, match="0999, 9010") as error:
        income_statement(year, None, mapping(year))
    assert error.value.accounts == ("0999", "9010")


def test_previous_year_that_does_not_end_where_this_one_starts_is_a_warning():
    year = build(OPENING_2023, VOUCHERS_2023)
    previous = YearAmounts(opening={}, closing={**OPENING_2023, "1910": 3_300 * T, "1510": 5_083 * T})
    found = checks(year, previous, mapping(year, previous))
    assert [c.code for c in found] == ["opening_differs"]
    assert found[0].lines == ("cash", "receivables")


def test_an_unbalanced_file_and_equity_booked_outside_the_result_are_warnings():
    year = build(OPENING_2023, [*VOUCHERS_2023, [("2010", -100 * T), ("1910", 100 * T)]])
    found = {c.code: c.amount for c in checks(year, None, mapping(year))}
    assert found == {"result_differs": tkr(100)}
    broken = YearAmounts(opening=OPENING_2023, closing={**year.closing, "1910": year.closing["1910"] + 7})
    found = {c.code: c.amount for c in checks(broken, None, mapping(broken))}
    assert found["unbalanced"] == Decimal("0.07")
    # the other equity change is financing, so the cash flow still explains the cash
    flow = lines(cash_flow(year, None, mapping(year)))
    assert flow["other_equity_changes"] == tkr(100)
    assert flow["cash_flow_year"] == flow["cash_end"] - flow["cash_start"]


# --- any ledger ---------------------------------------------------------------------------------

amounts = st.integers(min_value=-(10**10), max_value=10**10)


@st.composite
def ledgers(draw, *, touch_equity: bool):
    """Opening balances that balance (equity takes the difference) plus balanced vouchers."""
    opening = {a: draw(amounts) for a in draw(st.sets(st.sampled_from(BALANCE_ACCOUNTS + CLAIM_ACCOUNTS[1:])))}
    opening["2010"] = -sum(opening.values())
    choices = BALANCE_ACCOUNTS + CLAIM_ACCOUNTS[1:] + RESULT_ACCOUNTS + (["2010"] if touch_equity else [])
    vouchers = []
    for _ in range(draw(st.integers(0, 8))):
        lines_ = [(draw(st.sampled_from(choices)), draw(amounts)) for _ in range(draw(st.integers(1, 4)))]
        lines_.append((draw(st.sampled_from(choices)), -sum(amount for _, amount in lines_)))
        vouchers.append(lines_)
    year = build(opening, vouchers)
    if draw(st.booleans()):  # the closing entries booked: the result moved into equity
        result = sum(v for a, v in year.closing.items() if a[0] in "345678")
        year = build(opening, [*vouchers, [("8990", -result), ("2099", result)]])
    return year


def _invariants(year: YearAmounts, previous: YearAmounts | None) -> None:
    mapped = mapping(year, *([previous] if previous else []))
    income = lines(income_statement(year, previous, mapped))
    sheet = balance_sheet(year, previous, mapped)
    balance = lines(sheet)
    requirement = lines(balance_requirement(year, previous, mapped))
    flow = lines(cash_flow(year, previous, mapped))
    assert balance["total_assets"] == balance["total_equity_and_liabilities"]
    assert income["result"] == balance["result"] == requirement["result"]
    adjusted = income["result"] + requirement["realisation_gains"] + requirement["realisation_losses"]
    assert requirement["balance_requirement_result"] == adjusted
    assert flow["cash_flow_year"] == flow["cash_end"] - flow["cash_start"]
    assert flow["cash_end"] == balance["cash"] + balance["short_term_investments"]
    assert "unbalanced" not in {c.code for c in sheet.checks}
    for line in sheet.lines:
        assert (line.previous is None) == (previous is None)


@settings(max_examples=60, deadline=None)
@given(ledgers(touch_equity=True))
def test_any_ledger_balances_and_agrees(year):
    _invariants(year, None)


@settings(max_examples=40, deadline=None)
@given(ledgers(touch_equity=False))
def test_without_equity_postings_the_result_is_the_change_in_equity(year):
    mapped = mapping(year)
    assert checks(year, None, mapped) == ()
    balance = lines(balance_sheet(year, None, mapped))
    opening_equity = Decimal(-year.opening.get("2010", 0)) / 100
    assert balance["equity"] - opening_equity == balance["result"]


@settings(max_examples=40, deadline=None)
@given(ledgers(touch_equity=True), st.data())
def test_two_years_carry_over_without_warnings(previous, data):
    """This year's opening = last year's closing balance sheet, with last year's result in
    equity whether or not it was booked there."""
    carried = {a: v for a, v in previous.closing.items() if a[0] in "12"}
    carried["2099"] = carried.get("2099", 0) + sum(v for a, v in previous.closing.items() if a[0] in "3456789")
    vouchers = []
    for _ in range(data.draw(st.integers(0, 4))):
        account = data.draw(st.sampled_from(BALANCE_ACCOUNTS + RESULT_ACCOUNTS))
        amount = data.draw(amounts)
        vouchers.append([(account, amount), ("1910", -amount)])
    year = build({a: v for a, v in carried.items() if v}, vouchers)
    _invariants(year, previous)
    assert "opening_differs" not in {c.code for c in checks(year, previous, mapping(year, previous))}


def test_a_previous_year_known_only_by_its_closing_balance_has_no_cash_flow_column():
    year = build(OPENING_2023, VOUCHERS_2023)
    previous = YearAmounts(closing=OPENING_2023, opening_known=False)
    mapped = mapping(year, previous)
    assert {line.previous for line in cash_flow(year, previous, mapped).lines} == {None}
    assert {line.previous for line in equipment_note(year, previous, mapped).lines} == {None}
    assert lines(balance_sheet(year, previous, mapped))["total_assets"] == tkr(32_064)
    assert balance_sheet(year, previous, mapped).lines[-1].previous == tkr(31_245)
    assert checks(year, previous, mapped) == ()
