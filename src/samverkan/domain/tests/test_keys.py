from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.apportion import ORE
from samverkan.domain.keys import (
    AllocationKeyError,
    DecidedAmounts,
    EqualShare,
    FixedShares,
    MixComponent,
    Population,
    Users,
    WeightedMix,
    allocate,
    describe,
    exact_shares,
    parse_key_spec,
)

# Seed 000: Lystkom membership fees 2025, adopted by the board.
LYSTKOM_FEES = {
    "Dorotea": Decimal(95122),
    "Lycksele": Decimal(482634),
    "Storuman": Decimal(226554),
    "Vilhelmina": Decimal(252020),
    "Åsele": Decimal(109670),
}


def test_seed_000_adopted_fee_table_sums_to_1_166_000():
    members = list(LYSTKOM_FEES)
    result = allocate(Decimal(1166000), DecidedAmounts(LYSTKOM_FEES), members)
    assert result == LYSTKOM_FEES
    assert list(result) == members
    assert sum(result.values()) == Decimal(1166000)


def test_decided_amounts_refuse_a_total_the_table_does_not_add_up_to():
    with pytest.raises(AllocationKeyError, match="sum to 1166000, not to the total 1166001"):
        allocate(Decimal(1166001), DecidedAmounts(LYSTKOM_FEES), list(LYSTKOM_FEES))


def test_decided_amounts_restricted_to_participants_and_unit_checked():
    assert allocate(Decimal(577756), DecidedAmounts(LYSTKOM_FEES), ["Dorotea", "Lycksele"]) == {
        "Dorotea": Decimal(95122),
        "Lycksele": Decimal(482634),
    }
    with pytest.raises(AllocationKeyError, match="decided amount for a"):
        allocate(Decimal("1.50"), DecidedAmounts({"a": Decimal("1.50")}), ["a"])
    assert allocate(Decimal("1.50"), DecidedAmounts({"a": Decimal("1.50")}), ["a"], ORE) == {"a": Decimal("1.50")}


def test_population_key_restricted_to_participants():
    # Seed 000: telephony is shared only among members who handed it over.
    key = Population({"A": 10000, "B": 30000, "C": 99999}, reference_date=date(2024, 11, 1))
    assert allocate(Decimal(1000), key, ["A", "B"]) == {
        "A": Decimal(250),
        "B": Decimal(750),
    }


def test_missing_value_for_participant_is_an_error_not_zero():
    with pytest.raises(AllocationKeyError, match="no population for C"):
        allocate(Decimal(100), Population({"A": 1}), ["A", "C"])
    with pytest.raises(AllocationKeyError, match="no users for C"):
        allocate(Decimal(100), Users({"A": 1}), ["A", "C"])


def test_negative_and_zero_sum_values_rejected():
    with pytest.raises(AllocationKeyError, match="negative"):
        allocate(Decimal(100), Users({"A": -1, "B": 3}), ["A", "B"])
    with pytest.raises(AllocationKeyError, match="sum to zero"):
        allocate(Decimal(100), Users({"A": 0, "B": 0}), ["A", "B"])
    with pytest.raises(AllocationKeyError, match="no participating members"):
        allocate(Decimal(100), EqualShare(), [])
    with pytest.raises(AllocationKeyError, match="more than once"):
        allocate(Decimal(100), EqualShare(), ["A", "A"])


def test_equal_share():
    assert allocate(Decimal(100), EqualShare(), ["A", "B", "C"]) == {
        "A": Decimal(34),
        "B": Decimal(33),
        "C": Decimal(33),
    }


def test_fixed_percentages_renormalised_over_participants():
    key = FixedShares({"A": Decimal(50), "B": Decimal(30), "C": Decimal(20)})
    assert allocate(Decimal(1000), key, ["A", "B", "C"]) == {
        "A": Decimal(500),
        "B": Decimal(300),
        "C": Decimal(200),
    }
    assert allocate(Decimal(800), key, ["A", "B"]) == {
        "A": Decimal(500),
        "B": Decimal(300),
    }


def test_e_dala_mix_exact_shares_and_single_rounding():
    # 50 % equal + 50 % population: A 1/2·1/2 + 1/2·1/4 = 3/8, B 1/2·1/2 + 1/2·3/4 = 5/8
    mix = WeightedMix(
        (
            MixComponent(Decimal(50), EqualShare()),
            MixComponent(Decimal(50), Population({"A": 1000, "B": 3000})),
        )
    )
    assert exact_shares(mix, ["A", "B"]) == {"A": Fraction(3, 8), "B": Fraction(5, 8)}
    assert allocate(Decimal(230000), mix, ["A", "B"]) == {
        "A": Decimal(86250),
        "B": Decimal(143750),
    }


def test_mix_rounds_once_not_per_component():
    # Three members, 1 krona: rounding each 50 % component separately would give 1 + 0 or
    # worse; one pass gives a sum of exactly 1.
    mix = WeightedMix(
        (
            MixComponent(Decimal(1), EqualShare()),
            MixComponent(Decimal(1), Users({"A": 1, "B": 1, "C": 1})),
        )
    )
    assert sum(allocate(Decimal(1), mix, ["A", "B", "C"]).values()) == Decimal(1)


def test_mix_errors():
    with pytest.raises(AllocationKeyError, match="at least one component"):
        allocate(Decimal(1), WeightedMix(()), ["A"])
    with pytest.raises(AllocationKeyError, match="negative"):
        allocate(Decimal(1), WeightedMix((MixComponent(Decimal(-1), EqualShare()),)), ["A"])
    with pytest.raises(AllocationKeyError, match="sum to zero"):
        allocate(Decimal(1), WeightedMix((MixComponent(Decimal(0), EqualShare()),)), ["A"])


def test_bad_total_surfaces_as_key_error():
    with pytest.raises(AllocationKeyError, match="whole multiple"):
        allocate(Decimal("1.5"), EqualShare(), ["A"])


def test_describe():
    mix = WeightedMix(
        (
            MixComponent(Decimal(50), EqualShare()),
            MixComponent(Decimal(50), Population({})),
        )
    )
    assert describe(mix) == "50 % lika andel + 50 % invånare"
    assert describe(Users({}, reference_date=date(2025, 3, 1))) == "Användare per 2025-03-01"


members_st = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    st.tuples(st.integers(0, 200000), st.integers(0, 5000)),
    min_size=1,
    max_size=12,
).filter(lambda d: all(p > 0 and u > 0 for p, u in d.values()))


@given(members_st, st.integers(-(10**8), 10**8), st.integers(0, 100))
def test_mix_always_sums_exactly_and_within_one_krona(data, total, equal_pct):
    members = list(data)
    mix = WeightedMix(
        (
            MixComponent(Decimal(equal_pct), EqualShare()),
            MixComponent(
                Decimal(100 - equal_pct),
                Population({m: p for m, (p, _) in data.items()}),
            ),
            MixComponent(Decimal(10), Users({m: u for m, (_, u) in data.items()})),
        )
    )
    shares = exact_shares(mix, members)
    assert sum(shares.values()) == 1
    result = allocate(Decimal(total), mix, members)
    assert sum(result.values()) == Decimal(total)
    for member in members:
        assert abs(Fraction(result[member]) - total * shares[member]) < 1


COLUMNS = {
    "population": {"A": Decimal(1000), "B": Decimal(3000)},
    "users": {"A": Decimal(10), "B": Decimal(30)},
    "area": {"A": Decimal("1.5"), "B": Decimal("0.5")},
}


def test_parse_key_spec_simple_keys():
    assert parse_key_spec("equal", COLUMNS) == EqualShare()
    assert parse_key_spec("population", COLUMNS) == Population({"A": 1000, "B": 3000})
    assert parse_key_spec(" users ", COLUMNS) == Users({"A": 10, "B": 30})
    assert allocate(Decimal(100), parse_key_spec("area", COLUMNS), ["A", "B"]) == {
        "A": Decimal(75),
        "B": Decimal(25),
    }


def test_parse_key_spec_mix():
    key = parse_key_spec("equal:50,population:50", COLUMNS)
    assert key == WeightedMix(
        (
            MixComponent(Decimal(50), EqualShare()),
            MixComponent(Decimal(50), Population({"A": 1000, "B": 3000})),
        )
    )
    assert allocate(Decimal(800), key, ["A", "B"]) == {
        "A": Decimal(300),
        "B": Decimal(500),
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty key"),
        (
            "income",
            "unknown key variable 'income'; available: equal, population, users, area",
        ),
        ("equal,population", "needs a weight"),
        ("equal:x", "not a number"),
        ("equal:-5,population:50", "non-negative"),
        ("equal:NaN", "not a number"),
        ("equal:1e999999999,population:1", "not a number"),
        ("equal:1e-999999999,population:1", "not a number"),
        ("equal:" + "9" * 30 + ",population:1", "not a number"),
    ],
)
def test_parse_key_spec_errors(spec, message):
    with pytest.raises(AllocationKeyError, match=message):
        parse_key_spec(spec, COLUMNS)


def test_parse_key_spec_population_must_be_whole():
    with pytest.raises(AllocationKeyError, match="whole number"):
        parse_key_spec("population", {"population": {"A": Decimal("1.5")}})
