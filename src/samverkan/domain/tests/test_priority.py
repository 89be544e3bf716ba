import pytest

from samverkan.domain.priority import (
    ITIL_MATRIX,
    Impact,
    Priority,
    Urgency,
    priority_for,
    validate_matrix,
)


def test_itil_matrix_corners() -> None:
    assert priority_for(1, 1) is Priority.CRITICAL
    assert priority_for(3, 3) is Priority.PLANNING
    assert priority_for(Impact.HIGH, Urgency.LOW) is Priority.MEDIUM
    assert priority_for(2, 1) is Priority.HIGH


def test_default_matrix_is_valid_and_monotone() -> None:
    validate_matrix(ITIL_MATRIX)
    for impact in Impact:
        for urgency in Urgency:
            if impact < Impact.LOW:
                assert priority_for(impact, urgency) <= priority_for(impact + 1, urgency)


def test_bad_input_and_bad_matrices_are_refused() -> None:
    with pytest.raises(ValueError, match="1–3"):
        priority_for(0, 2)
    with pytest.raises(ValueError, match="1–3"):
        priority_for(2, 4)
    incomplete = dict(ITIL_MATRIX)
    del incomplete[(Impact.LOW, Urgency.LOW)]
    with pytest.raises(ValueError, match="lacks"):
        validate_matrix(incomplete)
    inverted = dict(ITIL_MATRIX)
    inverted[(Impact.HIGH, Urgency.HIGH)] = Priority.PLANNING
    with pytest.raises(ValueError, match="higher"):
        validate_matrix(inverted)
