from decimal import Decimal

import pytest

from samverkan.domain.business_case import (
    BusinessCase,
    InvestmentComponent,
    OperatingCost,
)
from samverkan.domain.keys import Users


def seed_003_identity_platform(users: int = 3000) -> BusinessCase:
    """GSN 2020, proposal 1, tables 1 and 2 (seed 003)."""
    return BusinessCase(
        name="Gemensam identitetsplattform",
        components=(
            InvestmentComponent(
                "Genomlysning och städning av befintlig användardatabas",
                Decimal(400000),
            ),
            InvestmentComponent("Införandeprojekt", Decimal(250000)),
            # "Cirka 550 per kommunanvändare … (totalt ca 3000 användare i båda kommunerna)"
            InvestmentComponent("Uppsättningskostnader per användare", Decimal(550) * 3000),
        ),
        depreciation_years=5,
        operating_costs=(
            OperatingCost("Personalkostnader (1,1 tjänst)", Decimal(700000)),
            OperatingCost("Licenskostnad till systemleverantör", Decimal(200000)),
            OperatingCost("Licenskostnad per användare och år", Decimal(120), per_user=True),
        ),
        users=users,
    )


def test_seed_003_figures_come_out_of_the_model():
    case = seed_003_identity_platform()
    assert case.investment == Decimal(2300000)
    years = case.cost_per_year()
    assert [y.year for y in years] == [1, 2, 3, 4, 5, 6]
    assert all(y.capital_cost == Decimal(460000) for y in years[:5])
    assert all(y.fixed_operating == Decimal(900000) for y in years)
    assert all(y.fixed_total == Decimal(1360000) for y in years[:5])  # "1 360 tkr år 1-5"
    assert years[5].capital_cost == 0
    assert years[5].fixed_total == Decimal(900000)  # "900 tkr från år 6"
    # "Tillkommande rörlig användarkostnad … 120 kr/per anv. & år" on top, for 3 000 users.
    assert case.variable_per_user() == Decimal(120)
    assert years[0].variable_operating == Decimal(360000)
    assert years[0].total == Decimal(1720000)


def test_cost_per_user_and_year():
    case = seed_003_identity_platform()
    assert case.cost_per_user(1) == Decimal("573.33")  # 1 720 000 / 3 000
    assert case.cost_per_user(6) == Decimal(420)  # 1 260 000 / 3 000
    assert case.cost_per_user(6, users=2000) == Decimal(570)  # (900 000 + 240 000) / 2 000
    with pytest.raises(ValueError, match="positive number of users"):
        case.cost_per_user(1, users=0)


def test_member_shares_by_users_key_sum_exactly():
    case = seed_003_identity_platform()
    key = Users({"Ludvika": 2100, "Smedjebacken": 900})
    shares = case.member_shares(1, key, ["Ludvika", "Smedjebacken"], include_variable=False)
    assert shares == {"Ludvika": Decimal(952000), "Smedjebacken": Decimal(408000)}
    shares = case.member_shares(6, key, ["Ludvika", "Smedjebacken"])
    assert sum(shares.values()) == Decimal(1260000)


def test_interest_on_opening_book_value():
    case = BusinessCase(
        "x",
        (InvestmentComponent("a", Decimal(1000)),),
        2,
        interest_rate=Decimal("0.10"),
    )
    assert case.capital_cost(1) == Decimal(600)  # 500 depreciation + 10 % of 1 000
    assert case.capital_cost(2) == Decimal(550)  # 500 + 10 % of 500
    assert case.capital_cost(3) == 0


def test_invalid_business_cases():
    with pytest.raises(ValueError, match="at least one investment component"):
        BusinessCase("x", (), 5)
    with pytest.raises(ValueError, match="must not be negative"):
        BusinessCase("x", (InvestmentComponent("a", Decimal(-1)),), 5)
    with pytest.raises(ValueError, match="operating costs"):
        BusinessCase(
            "x",
            (InvestmentComponent("a", Decimal(1)),),
            5,
            (OperatingCost("o", Decimal(-1)),),
        )
    with pytest.raises(ValueError, match="counted from 1"):
        seed_003_identity_platform().capital_cost(0)
