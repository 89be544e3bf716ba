from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain import goals as g

D = Decimal


def test_seed_002_targets() -> None:
    assert g.meets(D("91.6"), g.AT_LEAST, D("90")) is True  # kundtjänst 90 % within 30 s
    assert g.meets(D("68"), g.AT_LEAST, D("80")) is False  # IT 80 % within 1 min
    assert g.meets(D("2.9"), g.BELOW, D("4")) is True  # sick leave < 4 %
    assert g.meets(D("3.1"), g.AT_LEAST, D("2")) is True  # surplus ≥ 2 % of turnover
    assert g.meets(D("7.5"), g.HIGHER, None, previous=D("7.4")) is True  # NKI higher than last year
    assert g.meets(D("6.6"), g.HIGHER, None, previous=D("6.8")) is False


def test_boundaries() -> None:
    assert g.meets(D(4), g.BELOW, D(4)) is False
    assert g.meets(D(4), g.AT_MOST, D(4)) is True
    assert g.meets(D(4), g.ABOVE, D(4)) is False
    assert g.meets(D(4), g.LOWER, None, previous=D(5)) is True


def test_unknown_inputs() -> None:
    assert g.meets(None, g.AT_LEAST, D(1)) is None
    assert g.meets(D(1), g.AT_LEAST, None) is None
    assert g.meets(D(1), g.HIGHER, D(0)) is None  # no previous year
    with pytest.raises(ValueError):
        g.meets(D(1), "sideways", D(1))


def test_propose() -> None:
    assert g.propose([True, True]) == g.MET
    assert g.propose([True, False]) == g.PARTLY
    assert g.propose([False, False]) == g.NOT_MET
    assert g.propose([None, None]) == g.NOT_ASSESSABLE
    assert g.propose([]) == g.NOT_ASSESSABLE
    assert g.propose([True, None]) == g.PARTLY


def test_summary_of_seed_002() -> None:
    summary = g.summarize([g.MET] * 10 + [g.PARTLY] * 2 + [g.NOT_ASSESSABLE])
    assert (summary.total, summary.met, summary.partly, summary.not_assessable) == (13, 10, 2, 1)
    with pytest.raises(ValueError):
        g.summarize(["maybe"])


results = st.lists(st.sampled_from([True, False, None]), max_size=8)


@given(results)
def test_proposal_invariants(rs: list[bool | None]) -> None:
    proposed = g.propose(rs)
    assert proposed in g.FULFILMENTS
    assert (proposed == g.MET) == (bool(rs) and all(r is True for r in rs))
    assert (proposed == g.NOT_ASSESSABLE) == all(r is None for r in rs)
    assert (proposed == g.NOT_MET) == (any(r is False for r in rs) and not any(r is True for r in rs))


@given(st.lists(st.sampled_from([*g.FULFILMENTS, None]), max_size=30))
def test_summary_adds_up(fs: list[str | None]) -> None:
    s = g.summarize(fs)
    assert s.met + s.partly + s.not_met + s.not_assessable + s.unassessed == s.total == len(fs)


@given(st.decimals(allow_nan=False, allow_infinity=False), st.decimals(allow_nan=False, allow_infinity=False))
def test_directions_are_complements(v: Decimal, t: Decimal) -> None:
    assert g.meets(v, g.AT_LEAST, t) is not g.meets(v, g.BELOW, t)
    assert g.meets(v, g.AT_MOST, t) is not g.meets(v, g.ABOVE, t)
