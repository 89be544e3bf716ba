import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain.shifts import ShiftRule, plan_shifts


def test_covers_requirement_at_least_cost():
    # 16 slots; 8-slot shifts can start anywhere
    required = [1, 1, 2, 2, 3, 3, 2, 2, 2, 2, 3, 3, 2, 1, 1, 1]
    plan = plan_shifts(required, [ShiftRule(starts=range(0, 16), lengths=[8])])
    assert all(c >= r for c, r in zip(plan.coverage, required, strict=True))
    # by hand: slot 0 forces a shift at 0 and slot 15 one at 8; two shifts at 4 cover both
    # peaks (slots 4 and 11); slots 2–3 still need a second person → 5 shifts is optimal
    assert plan.people == 5 and plan.cost == 40


def test_breaks_reduce_coverage_and_are_placed_in_window():
    plan = plan_shifts([1] * 8, [ShiftRule(starts=[0], lengths=[8], break_slots=1, break_window=(3, 4))])
    # one person cannot cover the break slot: two people with different breaks
    assert plan.people == 2
    assert {s.break_start for s in plan.shifts} <= {3, 4}
    assert min(plan.coverage) >= 1


def test_cheaper_rule_preferred():
    rules = [
        ShiftRule(starts=[0], lengths=[4], cost_per_slot=3, name="dyr"),
        ShiftRule(starts=[0], lengths=[4], cost_per_slot=2, name="billig"),
    ]
    plan = plan_shifts([2, 2, 2, 2], rules)
    assert [s.name for s in plan.shifts] == ["billig"] and plan.cost == 16


def test_impossible_requirements_refused():
    with pytest.raises(ValueError, match="covers slot"):
        plan_shifts([0, 0, 0, 1], [ShiftRule(starts=[0], lengths=[2])])
    with pytest.raises(ValueError, match="fits"):
        plan_shifts([1, 1], [ShiftRule(starts=[0], lengths=[5])])
    with pytest.raises(ValueError):
        plan_shifts([-1], [ShiftRule(starts=[0], lengths=[1])])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=8, max_size=24))
def test_always_covers(required):
    plan = plan_shifts(required, [ShiftRule(starts=range(len(required)), lengths=[4, 6])])
    assert all(c >= r for c, r in zip(plan.coverage, required, strict=True))
    assert plan.cost == sum(s.count * s.length for s in plan.shifts)
