from decimal import Decimal

import pytest

from samverkan.domain.report_table import Unit, printed


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        ("11303499.99", Unit.THOUSANDS, "11303"),
        ("11303500.00", Unit.THOUSANDS, "11304"),
        ("-1269499", Unit.THOUSANDS, "-1269"),
        ("-1269500", Unit.THOUSANDS, "-1270"),  # half away from zero, as Excel's ROUND
        ("20449999", Unit.MILLIONS, "20.4"),
        ("-24650000", Unit.MILLIONS, "-24.7"),
        ("1234.50", Unit.KRONOR, "1235"),
    ],
)
def test_each_figure_is_rounded_half_up_on_its_own(amount, unit, expected):
    assert printed(Decimal(amount), unit) == Decimal(expected)


def test_a_printed_total_may_differ_from_the_sum_of_printed_parts():
    parts = [Decimal("400.40"), Decimal("400.40")]
    assert printed(sum(parts), Unit.KRONOR) == Decimal("801")
    assert sum(printed(p, Unit.KRONOR) for p in parts) == Decimal("800")
