from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.nki import SurveyResponse, nki


def test_seed_002_figures_from_answers() -> None:
    # 10 respondents giving 7 and 10 giving 8 → 7,5; IT: 6 × 7 + 4 × 6 + … → 6,6
    kundtjanst = [SurveyResponse("kundtjänst", 2023, [7])] * 10 + [SurveyResponse("kundtjänst", 2023, [8])] * 10
    it = [SurveyResponse("it", 2023, [7])] * 6 + [SurveyResponse("it", 2023, [6])] * 4
    assert nki(kundtjanst).nki == Decimal("7.5")
    assert nki(it).nki == Decimal("6.6") and nki(it).respondents == 10


def test_respondents_weigh_equally_and_index_100() -> None:
    result = nki([SurveyResponse("it", 2023, [10, 10, 10, 10]), SurveyResponse("it", 2023, [1])])
    assert result.exact == Decimal("5.5")
    assert result.index_100 == Decimal("50.0")
    assert nki([SurveyResponse("it", 1, [10])]).index_100 == Decimal("100.0")
    assert nki([SurveyResponse("it", 1, [1])]).index_100 == Decimal("0.0")


def test_rounding_is_half_up() -> None:
    # mean 7.25 → 7.3 (banker's rounding would give 7.2)
    responses = [SurveyResponse("it", 1, [a]) for a in (7, 7, 7, 8)]
    assert nki(responses).nki == Decimal("7.3")


def test_anonymity_threshold_and_errors() -> None:
    assert nki([SurveyResponse("it", 1, [5])], min_responses=5).nki is None
    assert nki([], min_responses=1).exact is None
    with pytest.raises(ValueError):
        nki([], min_responses=0)
    with pytest.raises(ValueError, match="1–10"):
        SurveyResponse("it", 1, [11])
    with pytest.raises(ValueError, match="1–10"):
        SurveyResponse("it", 1, [0])
    with pytest.raises(ValueError, match="at least one"):
        SurveyResponse("it", 1, [])
    with pytest.raises(TypeError):
        SurveyResponse("it", 1, [True])


@given(st.lists(st.lists(st.integers(1, 10), min_size=1, max_size=5), min_size=1, max_size=50))
def test_nki_lies_within_the_scale(answer_lists: list[list[int]]) -> None:
    result = nki([SurveyResponse("t", 1, answers) for answers in answer_lists])
    assert result.nki is not None and result.index_100 is not None
    assert Decimal(1) <= result.nki <= Decimal(10)
    assert Decimal(0) <= result.index_100 <= Decimal(100)
    lowest = min(sum(a) / len(a) for a in answer_lists)
    highest = max(sum(a) / len(a) for a in answer_lists)
    assert Decimal(lowest) - Decimal("0.001") <= result.exact <= Decimal(highest) + Decimal("0.001")
