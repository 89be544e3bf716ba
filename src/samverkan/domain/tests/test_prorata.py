from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.keys import EqualShare, Population, Users
from samverkan.domain.prorata import (
    Membership,
    allocate_part_year,
    membership_fraction,
    part_year_shares,
    settle_result,
    true_up,
    true_up_by_keys,
)

Y_START, Y_END = date(2025, 1, 1), date(2025, 12, 31)


def test_days_fraction():
    assert membership_fraction(Y_START, Y_END, Membership()) == 1
    # Joining 1 July 2025: 184 of 365 days.
    assert membership_fraction(Y_START, Y_END, Membership(joined=date(2025, 7, 1))) == Fraction(184, 365)
    # Leaving 31 March: 90 days.
    assert membership_fraction(Y_START, Y_END, Membership(left=date(2025, 3, 31))) == Fraction(90, 365)
    assert membership_fraction(Y_START, Y_END, Membership(joined=date(2026, 1, 1))) == 0
    assert membership_fraction(Y_START, Y_END, Membership(left=date(2024, 12, 31))) == 0


def test_months_fraction_counts_started_months():
    assert membership_fraction(Y_START, Y_END, Membership(joined=date(2025, 7, 1)), "months") == Fraction(1, 2)
    assert membership_fraction(Y_START, Y_END, Membership(joined=date(2025, 7, 31)), "months") == Fraction(1, 2)
    assert membership_fraction(Y_START, Y_END, Membership(left=date(2025, 3, 1)), "months") == Fraction(1, 4)
    both = Membership(joined=date(2025, 2, 15), left=date(2025, 4, 2))
    assert membership_fraction(Y_START, Y_END, both, "months") == Fraction(3, 12)


def test_fraction_errors():
    with pytest.raises(ValueError, match="before it starts"):
        membership_fraction(Y_END, Y_START, Membership())
    with pytest.raises(ValueError, match="leaves"):
        membership_fraction(Y_START, Y_END, Membership(joined=date(2025, 5, 1), left=date(2025, 4, 1)))
    with pytest.raises(ValueError, match="unknown pro-rata basis"):
        membership_fraction(Y_START, Y_END, Membership(), "weeks")  # type: ignore[arg-type]


def test_joiner_pays_pro_rata_and_others_absorb_by_key():
    # Equal key over 4 members, 1 200 000 kr. D joins 1 July (months): full-year share 300 000,
    # pays half = 150 000; the other 150 000 is absorbed equally by A, B, C (+50 000 each).
    result = allocate_part_year(Decimal(1200000), EqualShare(), ["A", "B", "C", "D"], {"D": Fraction(1, 2)})
    assert result == {
        "A": Decimal(350000),
        "B": Decimal(350000),
        "C": Decimal(350000),
        "D": Decimal(150000),
    }


def test_absorption_follows_the_key():
    key = Population({"A": 1000, "B": 3000, "C": 4000})
    result = allocate_part_year(Decimal(8000), key, ["A", "B", "C"], {"C": Fraction(1, 4)})
    # C full share 4000, pays 1000; 3000 absorbed 1:3 by A and B.
    assert result == {"A": Decimal(1750), "B": Decimal(5250), "C": Decimal(1000)}


def test_nobody_full_year_falls_back_to_presence_weighted_key():
    shares = part_year_shares(
        {"A": Fraction(1, 2), "B": Fraction(1, 2)},
        {"A": Fraction(1, 2), "B": Fraction(1, 4)},
    )
    assert shares == {"A": Fraction(2, 3), "B": Fraction(1, 3)}
    with pytest.raises(ValueError, match="no member belonged"):
        part_year_shares({"A": Fraction(1)}, {"A": Fraction(0)})
    with pytest.raises(ValueError, match="between 0 and 1"):
        part_year_shares({"A": Fraction(1)}, {"A": Fraction(3, 2)})


@given(
    st.lists(st.integers(1, 100000), min_size=2, max_size=10),
    st.lists(st.fractions(min_value=0, max_value=1), min_size=2, max_size=10),
    st.integers(-(10**8), 10**8),
)
def test_part_year_always_sums_exactly(populations, fractions, total):
    members = [f"m{i}" for i in range(len(populations))]
    frac = dict(zip(members, fractions, strict=False))
    if all(f == 0 for f in (frac.get(m, Fraction(1)) for m in members)):
        return
    result = allocate_part_year(
        Decimal(total),
        Population(dict(zip(members, populations, strict=True))),
        members,
        frac,
    )
    assert sum(result.values()) == Decimal(total)


def test_true_up_gsn_march_adjustment_sums_to_zero():
    members = ["Ludvika", "Smedjebacken"]
    adjustment = true_up_by_keys(
        preliminary_total=Decimal(1360000),
        preliminary_key=Users({"Ludvika": 2100, "Smedjebacken": 900}),
        final_total=Decimal(1360000),
        final_key=Users({"Ludvika": 2150, "Smedjebacken": 890}),
        participants=members,
    )
    assert adjustment.preliminary == {
        "Ludvika": Decimal(952000),
        "Smedjebacken": Decimal(408000),
    }
    # 1 360 000 × 2150/3040 = 961 842.10… → 961 842; 1 360 000 × 890/3040 = 398 157.89… → 398 158
    assert adjustment.final == {
        "Ludvika": Decimal(961842),
        "Smedjebacken": Decimal(398158),
    }
    assert adjustment.difference == {
        "Ludvika": Decimal(9842),
        "Smedjebacken": Decimal(-9842),
    }
    assert sum(adjustment.difference.values()) == 0


def test_true_up_with_different_totals_and_members():
    diff = true_up({"A": Decimal(100), "B": Decimal(50)}, {"A": Decimal(90), "C": Decimal(70)})
    assert diff == {"A": Decimal(-10), "B": Decimal(-50), "C": Decimal(70)}
    assert sum(diff.values()) == Decimal(160) - Decimal(150)


def test_settlement_surplus_is_returned_deficit_charged():
    key = Users({"A": 1, "B": 3})
    assert settle_result(Decimal(4000), key, ["A", "B"]) == {
        "A": Decimal(-1000),
        "B": Decimal(-3000),
    }
    assert settle_result(Decimal(-4001), key, ["A", "B"]) == {
        "A": Decimal(1000),
        "B": Decimal(3001),
    }
