from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.sparkline import sparkline


def test_rising_series_goes_up_left_to_right():
    line = sparkline([Decimal(1), Decimal(2), Decimal(3)], width=104, height=24, pad=2)
    assert line.path == "M2.0 22.0 L52.0 12.0 L102.0 2.0"


def test_flat_series_lies_in_the_middle():
    line = sparkline([Decimal(5), Decimal(5)], width=20, height=10, pad=0)
    assert line.path == "M0.0 5.0 L20.0 5.0"


def test_missing_value_breaks_the_line():
    line = sparkline([Decimal(1), None, Decimal(3), Decimal(2)], width=34, height=12, pad=2)
    assert line.path.count("M") == 2
    assert line.points[1] is None


def test_empty_and_single():
    assert sparkline([]).path == ""
    assert sparkline([None, None]).path == ""
    assert sparkline([Decimal("7.5")], width=40, height=10).path == "M20.0 5.0"


def test_box_smaller_than_padding_is_refused():
    with pytest.raises(ValueError):
        sparkline([Decimal(1)], width=4, height=4, pad=2)


@given(st.lists(st.one_of(st.none(), st.decimals(min_value=-(10**6), max_value=10**6, places=2)), max_size=12))
def test_points_stay_inside_the_box(values):
    line = sparkline(values, width=120, height=32, pad=2)
    assert len(line.points) == len(values)
    for point in line.points:
        if point is not None:
            assert 0 <= point[0] <= 120
            assert 0 <= point[1] <= 32
