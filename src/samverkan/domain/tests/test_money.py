from decimal import Decimal

import pytest

from samverkan.domain.money import format_percent, format_sek, from_ore, round_to, to_decimal, to_ore, within_limit


def test_format_sek_groups_thousands_with_nbsp():
    assert format_sek(Decimal("1166000")) == "1\u00a0166\u00a0000\u00a0kr"
    assert format_sek(Decimal("95122.5")) == "95\u00a0123\u00a0kr"
    assert format_sek(Decimal("-1234.5"), 2) == "\u22121\u00a0234,50\u00a0kr"


def test_format_percent():
    assert format_percent(Decimal("0.916")) == "91,6\u00a0%"


def test_to_decimal_accepts_swedish_and_machine_forms():
    assert to_decimal("1 166 000,50") == Decimal("1166000.50")
    assert to_decimal("1166000.50") == Decimal("1166000.50")
    with pytest.raises(TypeError):
        to_decimal(1.5)
    with pytest.raises(ValueError):
        to_decimal("abc")


def test_ore_round_trip_is_exact():
    assert to_ore(Decimal("12.34")) == 1234
    assert from_ore(1234) == Decimal("12.34")
    with pytest.raises(ValueError):
        to_ore(Decimal("0.001"))


def test_round_half_up_to_krona():
    assert round_to(Decimal("2.5"), Decimal(1)) == Decimal(3)
    assert round_to(Decimal("0.125")) == Decimal("0.13")


def test_within_limit_bounds_incoming_numbers_to_fifteen_digits():
    assert within_limit(Decimal("999999999999999.99"))
    assert within_limit(Decimal("-999999999999999"))
    assert not within_limit(Decimal(10) ** 15)
    assert not within_limit(Decimal("-1e999999999"))  # compared exactly, never rounded
