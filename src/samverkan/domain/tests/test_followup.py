from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.followup import (
    Convention,
    FollowupError,
    FollowupInput,
    ForecastRow,
    Grouping,
    ProjectInput,
    UnmappedAccountsError,
    build_followup,
    build_investments,
    deviation,
    operating_sums,
    parse_period,
)

D = Decimal
LINES = {
    "3010": "operating_income",
    "5010": "staff_costs",
    "4010": "other_operating_expenses",
    "7810": "depreciation",
    "8010": "member_fees",
    "8410": "financial_income",
    "8510": "financial_expenses",
    "8910": "closing",
}


@pytest.mark.parametrize(
    ("text", "first", "last", "code", "label"),
    [
        ("T1", 1, 4, "T1", "jan–apr 2023"),
        ("t2", 1, 8, "T2", "jan–aug 2023"),
        ("Y", 1, 12, "Y", "2023"),
        (None, 1, 12, "Y", "2023"),
        ("2023-03..2023-05", 3, 5, "2023-03..2023-05", "mar–maj 2023"),
        ("2023-3..2023-3", 3, 3, "2023-03..2023-03", "mar 2023"),
        ("2023-06", 6, 6, "2023-06..2023-06", "jun 2023"),
        ("2023-01..2023-12", 1, 12, "Y", "2023"),
    ],
)
def test_parse_period(text, first, last, code, label):
    period = parse_period(text, 2023)
    assert (period.first, period.last, period.code, period.label) == (first, last, code, label)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("T4", "Okänd period"),
        ("2023-05..2023-02", "börjar efter"),
        ("2022-01..2022-04", "ligger inte i år 2023"),
        ("2023-13", "månaden 13 finns inte"),
        ("januari", "Okänd period"),
    ],
)
def test_parse_period_errors_in_swedish(text, message):
    with pytest.raises(FollowupError, match=message):
        parse_period(text, 2023)


def test_deviation_both_conventions():
    assert deviation(D(100), D(80), Convention.BUDGET_MINUS_OUTCOME) == D(20)
    assert deviation(D(100), D(80), Convention.OUTCOME_MINUS_BUDGET) == D(-20)
    # seed 004: costs −24,7 budget, −21,5 outcome → +3,2 favourable
    assert deviation(D("-24.7"), D("-21.5"), Convention.OUTCOME_MINUS_BUDGET) == D("3.2")


def test_operating_sums_maps_lines_and_signs():
    rows = [
        ("81141", "3010", D(-1000)),
        ("81141", "8010", D(-50)),  # member fees count as income
        ("81141", "8410", D(-5)),  # financial income too
        ("81141", "5010", D(400)),
        ("81141", "4010", D(100)),
        ("81141", "8510", D(7)),  # financial costs → other costs
        ("81141", "7810", D(200)),
        ("81141", "8910", D(999)),  # closing entry: left out
        ("", "3010", D(-30)),
        ("81141", "1930", D(12345)),  # balance account: not a result account
    ]
    sums = operating_sums(rows, LINES, Grouping.DETAILED)
    assert sums == {
        ("81141", "income"): D(1055),
        ("81141", "staff_costs"): D(-400),
        ("81141", "other_costs"): D(-107),
        ("81141", "depreciation"): D(-200),
        ("", "income"): D(30),
    }
    gross = operating_sums(rows, LINES, Grouping.GROSS)
    assert gross[("81141", "costs")] == D(-707)


def test_unmapped_result_accounts_refuse():
    with pytest.raises(UnmappedAccountsError) as exc:
        operating_sums([("1", "3999", D(1)), ("1", "10000", D(0)), ("1", "4999", D(2))], LINES, Grouping.DETAILED)
    assert exc.value.accounts == ("3999", "4999")
    assert "3999, 4999" in str(exc.value)


def _data(**kwargs):
    return FollowupInput(
        budget=kwargs.get("budget", {}),
        outcome=kwargs.get("outcome", {}),
        year_budget=kwargs.get("year_budget", {}),
        forecasts=kwargs.get("forecasts", ()),
        previous_budget=kwargs.get("previous_budget"),
        previous_outcome=kwargs.get("previous_outcome"),
    )


def test_build_followup_lines_totals_and_unassigned_last():
    data = _data(
        budget={("81141", "income"): D(400), ("81141", "staff_costs"): D(-300), ("", "other_costs"): D(-10)},
        outcome={("81141", "income"): D(450), ("81141", "staff_costs"): D(-280), ("", "other_costs"): D(-15)},
        year_budget={("81141", "income"): D(1200), ("81141", "staff_costs"): D(-900)},
    )
    result = build_followup(
        data,
        period=parse_period("T1", 2023),
        convention=Convention.BUDGET_MINUS_OUTCOME,
        grouping=Grouping.DETAILED,
        names={"81141": "IT"},
    )
    assert [a.label for a in result.activities] == ["81141 IT", "Ej fördelat"]
    it = result.activities[0]
    assert [line.key for line in it.lines] == ["income", "staff_costs", "other_costs", "depreciation"]
    assert it.figures.budget == D(100) and it.figures.outcome == D(170) and it.figures.deviation == D(-70)
    assert it.lines[0].figures.deviation == D(-50)
    assert it.figures.year_budget == D(300)
    assert it.figures.forecast is None
    assert result.total.outcome == D(155) and result.total.budget == D(90)
    assert result.missing_forecasts == ()


def test_forecast_latest_as_of_period_per_line_and_net():
    forecasts = [
        ForecastRow("A", "", 4, D(10)),
        ForecastRow("A", "", 8, D(20)),
        ForecastRow("B", "income", 4, D(100)),
        ForecastRow("B", "staff_costs", 4, D(-70)),
    ]
    data = _data(year_budget={("A", "income"): D(15), ("B", "income"): D(90), ("B", "staff_costs"): D(-60)})

    def run(period, convention=Convention.OUTCOME_MINUS_BUDGET):
        return build_followup(
            _data(year_budget=data.year_budget, forecasts=forecasts),
            period=parse_period(period, 2023),
            convention=convention,
            grouping=Grouping.DETAILED,
            names={},
        )

    t1 = run("T1")
    a, b = t1.activities
    assert a.figures.forecast == D(10) and a.forecast_month == 4
    assert a.lines[0].figures.forecast is None  # net only
    assert a.figures.forecast_deviation == D(-5)  # 10 − 15
    assert b.figures.forecast == D(30)
    assert b.lines[0].figures.forecast == D(100) and b.lines[1].figures.forecast == D(-70)
    assert b.lines[0].figures.forecast_deviation == D(10)
    assert t1.total.forecast == D(40)
    assert run("T2").activities[0].figures.forecast == D(20)
    assert run("Y", Convention.BUDGET_MINUS_OUTCOME).activities[0].figures.forecast_deviation == D(-5)  # 15 − 20
    assert run("2023-01..2023-03").total.forecast is None


def test_missing_forecasts_named():
    result = build_followup(
        _data(outcome={("A", "income"): D(1), ("B", "income"): D(1)}, forecasts=[ForecastRow("A", "", 4, D(1))]),
        period=parse_period("T1", 2023),
        convention=Convention.BUDGET_MINUS_OUTCOME,
        grouping=Grouping.GROSS,
        names={"B": "Kundtjänst"},
    )
    assert result.missing_forecasts == ("B Kundtjänst",)


def test_previous_year_beside():
    result = build_followup(
        _data(
            budget={("A", "income"): D(10)},
            outcome={("A", "income"): D(12)},
            previous_budget={("A", "income"): D(8)},
            previous_outcome={("A", "income"): D(9), ("C", "costs"): D(-1)},
        ),
        period=parse_period("Y", 2023),
        convention=Convention.BUDGET_MINUS_OUTCOME,
        grouping=Grouping.GROSS,
        names={},
    )
    assert result.has_previous
    a, c = result.activities
    assert (a.figures.previous_budget, a.figures.previous_outcome, a.figures.previous_deviation) == (D(8), D(9), D(-1))
    assert c.figures.previous_outcome == D(-1) and c.figures.outcome == 0
    assert result.total.previous_outcome == D(8)


def test_investments_seed_004():
    result = build_investments(
        [ProjectInput("P1", "IT-investeringar", D("6900000"), D(0), D("6100000"), D("7800000"))],
        {"P1": D("800000"), "": D("1000")},
        period=parse_period("T1", 2023),
        convention=Convention.OUTCOME_MINUS_BUDGET,
    )
    p1, none = result.projects
    assert p1.appropriation == D("13000000")
    assert p1.deviation == D("-12200000")
    assert p1.forecast_deviation == D("-5200000")
    assert none.label == "Ej angivet projekt" and none.forecast is None
    assert result.total.outcome == D("801000") and result.total.forecast == D("7800000")


def test_investments_seed_002_convention_and_unappropriated():
    result = build_investments(
        [ProjectInput("F", "Fordon"), ProjectInput("IT3", "IT-utrustning 3 år", D("6000000"))],
        {"F": D("177000"), "IT3": D("4600000"), "X": D(5)},
        period=parse_period("Y", 2023),
        convention=Convention.BUDGET_MINUS_OUTCOME,
        names={"X": "Okänt"},
    )
    assert [(p.label, p.deviation) for p in result.projects] == [
        ("Fordon", D(-177000)),
        ("IT-utrustning 3 år", D(1400000)),
        ("Okänt", D(-5)),
    ]
    assert result.total.forecast is None


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(st.dictionaries(st.tuples(st.sampled_from(["A", "B", ""]), st.sampled_from(["income", "costs"])), amounts))
def test_total_is_sum_of_activities_and_deviation_antisymmetric(outcome):
    args = {"period": parse_period("Y", 2023), "grouping": Grouping.GROSS, "names": {}}
    data = _data(budget={k: v / 2 for k, v in outcome.items()}, outcome=outcome)
    one = build_followup(data, convention=Convention.BUDGET_MINUS_OUTCOME, **args)
    other = build_followup(data, convention=Convention.OUTCOME_MINUS_BUDGET, **args)
    assert one.total.outcome == sum(outcome.values(), D(0))
    assert one.total.outcome == sum((a.figures.outcome for a in one.activities), D(0))
    assert one.total.deviation == -other.total.deviation
