import re
import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain.errors import DomainError
from samverkan.domain.money import format_number
from samverkan.domain.numbers import NumberError, parse_decimal, parse_int, parse_ratio

EXTREME = [
    "1e999999999",
    "1e-999999999",
    "-1e999999999",
    "9" * 30,
    "9" * 5000,
    "0." + "0" * 5000 + "1",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "0x10",
    "1_000",
    "",
    "   ",
    "1,234.56",
    "1.234,56",
    "12,5 %",
    "1 2345",
    "١٢٣",  # Arabic-Indic digits: \d would match them in a str pattern without care
    "\x00",
    "1\x002",
    "--5",
    "5-",
    "1e",
    "e5",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("1\u00a0234\u00a0567", Decimal("1234567")),
        ("1\u202f234", Decimal("1234")),
        ("\u22125", Decimal("-5")),
        ("+5", Decimal("5")),
        ("-0", Decimal("0")),
        (" 0,500 ", Decimal("0.5")),
        (",5", Decimal("0.5")),
        (Decimal("12.50"), Decimal("12.5")),
        (7, Decimal("7")),
        (0.1, Decimal("0.1")),
    ],
)
def test_swedish_and_english_forms_are_read(text, expected):
    result = parse_decimal(text)
    assert result == expected
    assert not result.is_signed() or result < 0


@pytest.mark.parametrize("text", EXTREME)
def test_extreme_and_malformed_input_is_refused_quickly_with_a_swedish_message(text):
    started = time.perf_counter()
    with pytest.raises(NumberError) as caught:
        parse_decimal(text)
    assert time.perf_counter() - started < 0.05
    assert isinstance(caught.value, DomainError)
    assert str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "text", "message"),
    [
        ({}, "1234567890123456", "högst 15 siffror"),
        ({"max_decimals": 2}, "1,234", "högst 2 decimaler"),
        ({"max_decimals": 0}, "1,5", "måste vara ett heltal"),
        ({"minimum": 0, "maximum": 1}, "1,5", "måste vara mellan 0 och 1"),
        ({"minimum": 0}, "-1", "måste vara minst 0"),
        ({"maximum": 1000000}, "1000001", "får vara högst 1\u00a0000\u00a0000"),
        ({"above": 0}, "0", "måste vara större än 0"),
        ({}, "1e5", "får inte skrivas med exponent (e)"),
        ({"max_exponent": 6}, "1e999999999", "exponenten får vara högst 6"),
        ({"max_exponent": 6}, "1e-999999999", "exponenten får vara högst 6"),
        ({}, "12 %", "ska skrivas utan procenttecken"),
        ({}, "1,234.56", "mer än ett decimaltecken"),
        ({}, float("inf"), "måste vara ett ändligt tal"),
        ({}, Decimal("NaN"), "måste vara ett ändligt tal"),
        ({}, Decimal("1e999999999"), "har för många siffror"),
        ({}, 10**500, "har för många siffror"),
        ({}, True, "är inte ett tal"),
        ({}, None, "är inte ett tal"),
        ({}, "x" * 100, "för långt"),
    ],
)
def test_the_message_names_what_is_wrong(kwargs, text, message):
    with pytest.raises(NumberError, match=re.escape(message)):
        parse_decimal(text, **kwargs)


def test_a_bounded_exponent_is_allowed_where_the_caller_says_so():
    assert parse_decimal("1e5", max_exponent=6) == Decimal("100000")
    assert parse_decimal("2,5E\u22123", max_exponent=6) == Decimal("0.0025")
    with pytest.raises(NumberError, match="högst 15 siffror"):
        parse_decimal("1e15", max_exponent=20)


def test_integers():
    assert parse_int("1 234") == 1234
    assert parse_int("12,0") == 12
    assert parse_int("\u22125", minimum=-10) == -5
    with pytest.raises(NumberError, match="måste vara ett heltal"):
        parse_int("12,5")
    with pytest.raises(NumberError, match="måste vara mellan 1 och 10"):
        parse_int("11", minimum=1, maximum=10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,8", Decimal("0.8")),
        ("0.8", Decimal("0.8")),
        ("80 %", Decimal("0.8")),
        ("80%", Decimal("0.8")),
        ("12,5\u00a0%", Decimal("0.125")),
        ("1", Decimal("1")),
        ("0", Decimal("0")),
        ("100 %", Decimal("1")),
    ],
)
def test_a_ratio_is_a_share_or_a_percentage_with_percent_sign(text, expected):
    assert parse_ratio(text) == expected


@pytest.mark.parametrize("text", ["1.5", "1,5", "80", "-0,1", "150 %", "-5 %", "1e999999999 %", "%"])
def test_a_ratio_outside_zero_to_one_is_refused_never_read_as_percent(text):
    with pytest.raises(NumberError):
        parse_ratio(text)
    with pytest.raises(NumberError, match="mellan 0 och 1, eller en procentsats med %"):
        parse_ratio("1.5")


@settings(max_examples=300, deadline=200)
@given(st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2))
def test_formatted_values_read_back(number):
    assert parse_decimal(format_number(number, 2)) == number
    assert parse_decimal(str(number)) == number
    assert parse_decimal(f"{number:f}".replace(".", ",")) == number


@settings(max_examples=200, deadline=200)
@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_formatted_integers_read_back(number):
    assert parse_int(format_number(number)) == number


@settings(max_examples=500, deadline=100)
@given(
    st.one_of(
        st.text(max_size=80),
        st.text(alphabet="0123456789 ,.-+eE%\u2212\u00a0", max_size=80),
        st.from_regex(r"[-+]?\d{1,40}([.,]\d{1,40})?([eE][-+]?\d{1,12})?", fullmatch=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(),
    ),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=10),
    st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
)
def test_never_raises_anything_but_number_error_and_stays_within_limits(value, digits, decimals, exponent):
    try:
        result = parse_decimal(value, max_digits=digits, max_decimals=decimals, max_exponent=exponent)
    except NumberError:
        return
    assert result.is_finite()
    places = result.as_tuple().exponent
    assert isinstance(places, int)
    assert -places <= decimals or result == result.to_integral_value()
    assert len(str(abs(int(result)))) <= max(digits, 1)
