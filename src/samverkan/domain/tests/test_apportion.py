from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.apportion import (
    KRONA,
    ORE,
    ApportionmentError,
    apportion,
    units_of,
)

weights_st = st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30).filter(
    lambda ws: any(w > 0 for w in ws)
)
totals_st = st.integers(min_value=-(10**9), max_value=10**9)
units_st = st.sampled_from([KRONA, ORE])


def _total(units: int, unit: Decimal) -> Decimal:
    return Decimal(units) * unit


@given(weights_st, totals_st, units_st)
def test_parts_sum_exactly_to_total(weights, units, unit):
    total = _total(units, unit)
    assert sum(apportion(total, weights, unit)) == total


@given(weights_st, totals_st, units_st)
def test_every_part_is_within_one_unit_of_exact_share(weights, units, unit):
    total = _total(units, unit)
    parts = apportion(total, weights, unit)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total) * weight / weight_sum
        assert abs(Fraction(part) - exact) < Fraction(unit)


@given(weights_st, totals_st, units_st)
def test_parts_are_whole_units(weights, units, unit):
    for part in apportion(_total(units, unit), weights, unit):
        assert units_of(part, unit) * unit == part


@given(weights_st, totals_st)
def test_zero_weight_gets_zero(weights, units):
    parts = apportion(Decimal(units), weights)
    for part, weight in zip(parts, weights, strict=True):
        if weight == 0:
            assert part == 0


@given(weights_st, totals_st, units_st)
def test_negative_total_is_mirror_image(weights, units, unit):
    total = _total(units, unit)
    assert apportion(-total, weights, unit) == [-p for p in apportion(total, weights, unit)]


@given(weights_st, totals_st)
def test_deterministic_and_scale_invariant(weights, units):
    total = Decimal(units)
    first = apportion(total, weights)
    assert first == apportion(total, list(weights))
    assert first == apportion(total, [w * 7 for w in weights])


@given(weights_st, st.integers(min_value=0, max_value=10**9))
def test_larger_weight_never_gets_less(weights, units):
    parts = apportion(Decimal(units), weights)
    for i, wi in enumerate(weights):
        for j, wj in enumerate(weights):
            if wi > wj:
                assert parts[i] >= parts[j]


def test_tie_break_larger_remainder_first():
    # exact 3.4 / 3.6 / 3.0: floors give 9, the one unit left goes to the largest remainder.
    assert apportion(Decimal(10), [34, 36, 30]) == [Decimal(3), Decimal(4), Decimal(3)]


def test_tie_break_equal_remainders_then_input_order():
    assert apportion(Decimal(1), [1, 1, 1]) == [Decimal(1), Decimal(0), Decimal(0)]
    assert apportion(Decimal(2), [1, 1, 1]) == [Decimal(1), Decimal(1), Decimal(0)]
    assert apportion(Decimal(-1), [1, 1, 1]) == [Decimal(-1), Decimal(0), Decimal(0)]


def test_tie_break_equal_remainders_larger_weight_first():
    # 2 over [1, 3]: exact 0.5 / 1.5, equal remainders → the larger weight gets the unit.
    assert apportion(Decimal(2), [1, 3]) == [Decimal(0), Decimal(2)]
    # 3 over [2, 4, 2, 4]: exact 0.5 / 1 / 0.5 / 1 → equal remainders and weights → first one.
    assert apportion(Decimal(3), [2, 4, 2, 4]) == [
        Decimal(1),
        Decimal(1),
        Decimal(0),
        Decimal(1),
    ]


def test_ore_unit_and_result_format():
    parts = apportion(Decimal("100.00"), [1, 1, 1], ORE)
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert [str(p) for p in parts] == ["33.34", "33.33", "33.33"]
    assert [str(p) for p in apportion(Decimal(100), [1, 1, 1])] == ["34", "33", "33"]


def test_fraction_and_decimal_weights():
    assert apportion(Decimal(100), [Fraction(1, 3), Fraction(2, 3)]) == [
        Decimal(33),
        Decimal(67),
    ]
    assert apportion(Decimal(100), [Decimal("0.25"), Decimal("0.75")]) == [
        Decimal(25),
        Decimal(75),
    ]


@pytest.mark.parametrize(
    ("total", "weights", "unit", "message"),
    [
        (Decimal(10), [], KRONA, "no weights"),
        (Decimal(10), [0, 0], KRONA, "no positive weight"),
        (Decimal(10), [1, -1, 3], KRONA, "position 1 is negative"),
        (Decimal("10.5"), [1, 1], KRONA, "not a whole multiple"),
        (Decimal("10.005"), [1, 1], ORE, "not a whole multiple"),
        (Decimal("NaN"), [1], KRONA, "finite"),
        (Decimal(10), [1], Decimal(0), "positive Decimal"),
        (Decimal(10), [Decimal("Infinity")], KRONA, "finite"),
    ],
)
def test_bad_input_raises_clear_error(total, weights, unit, message):
    with pytest.raises(ApportionmentError, match=message):
        apportion(total, weights, unit)


def test_float_weights_and_totals_are_refused():
    with pytest.raises(ApportionmentError, match="weight must be"):
        apportion(Decimal(10), [0.5, 0.5])  # type: ignore[list-item]
    with pytest.raises(ApportionmentError, match="finite Decimal"):
        apportion(10.0, [1])  # type: ignore[arg-type]


@given(weights_st, st.integers(min_value=0, max_value=29), st.integers(min_value=1, max_value=10**6))
def test_any_negative_weight_is_refused_with_its_position(weights, position, magnitude):
    position %= len(weights)
    bad = list(weights)
    bad[position] = -magnitude
    with pytest.raises(ApportionmentError, match=f"position {position} is negative"):
        apportion(Decimal(100), bad)


@given(st.lists(st.just(0), min_size=1, max_size=10), totals_st)
def test_all_zero_weights_are_refused(weights, units):
    with pytest.raises(ApportionmentError, match="no positive weight"):
        apportion(Decimal(units), weights)


def _reference(total: Decimal, weights: list[Fraction], unit: Decimal) -> list[Decimal]:
    """Textbook largest remainder on Fraction shares, same tie-break, for comparison."""
    units = int(total / unit)
    sign, units = (-1 if units < 0 else 1), abs(units)
    weight_sum = sum(weights, Fraction(0))
    exact = [units * w / weight_sum for w in weights]
    floors = [e.numerator // e.denominator for e in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), -weights[i], i))
    for i in order[: units - sum(floors)]:
        floors[i] += 1
    return [Decimal(sign * f) * unit for f in floors]


mixed_weights_st = st.lists(
    st.one_of(
        st.integers(0, 1000),
        st.fractions(min_value=0, max_value=1000, max_denominator=97),
        st.decimals(min_value=0, max_value=1000, places=3),
    ),
    min_size=1,
    max_size=20,
).filter(lambda ws: any(w > 0 for w in ws))


@given(mixed_weights_st, totals_st, units_st)
def test_matches_reference_implementation_for_mixed_weight_types(weights, units, unit):
    total = _total(units, unit)
    assert apportion(total, weights, unit) == _reference(total, [Fraction(w) for w in weights], unit)
