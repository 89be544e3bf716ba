from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.printed_amounts import Problem, window
from samverkan.domain.report_table import Unit, printed


@given(st.integers(-100_000, 100_000))
def test_window_is_exactly_what_prints(figure):
    low, high = window(figure, 1000)
    for value in (low, high):
        assert printed(Decimal(value), Unit.THOUSANDS) == figure
    assert printed(Decimal(low - 1), Unit.THOUSANDS) != figure
    assert printed(Decimal(high + 1), Unit.THOUSANDS) != figure


def test_solve_meets_a_total_that_differs_from_its_printed_parts():
    # Seed 002: 7 110 − 5 493 − 1 885 = −268, printed −269.
    p = Problem.new(1000)
    for name, start in (("income", 7_110_000), ("staff", 5_493_000), ("other", 1_885_000)):
        p.var(name, start, 0)
    p.printed("income", {"income": 1}, 7110)
    p.printed("staff", {"staff": -1}, -5493)
    p.printed("other", {"other": -1}, -1885)
    p.printed("total", {"income": 1, "staff": -1, "other": -1}, -269)
    values = p.solve()
    assert not p.violated(values)
    assert values["income"] - values["staff"] - values["other"] <= -268_500


def test_solve_refuses_what_cannot_be():
    p = Problem.new(1000)
    p.var("a", 1000, 0)
    p.printed("a", {"a": 1}, 1)
    p.printed("a again", {"a": 1}, 3)
    with pytest.raises(RuntimeError):
        p.solve()
