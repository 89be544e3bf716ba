import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.case_numbers import (
    CaseNumberError,
    format_case_number,
    parse_case_number,
    validate_pattern,
)
from samverkan.domain.errors import DomainError


@pytest.mark.parametrize(
    ("pattern", "year", "n", "expected"),
    [
        ("{year}-{n:02}", 2013, 16, "2013-16"),
        ("{year}-{n:02}", 2013, 3, "2013-03"),
        ("{year}-{n:02}", 2013, 123, "2013-123"),
        ("KS {year}/{n}", 2019, 492, "KS 2019/492"),
        ("Dnr {n:04}/{year}", 2020, 7, "Dnr 0007/2020"),
    ],
)
def test_format_and_parse(pattern, year, n, expected):
    assert format_case_number(pattern, year, n) == expected
    assert parse_case_number(pattern, expected) == (year, n)


def test_parse_is_lenient_about_zeros_case_and_spaces():
    assert parse_case_number("{year}-{n:02}", "2013-5") == (2013, 5)
    assert parse_case_number("KS {year}/{n}", "  ks  2019/492 ") == (2019, 492)


@pytest.mark.parametrize(
    "pattern",
    [
        "",
        "{year}",
        "{n}",
        "{year}{n}",
        "{year}-{n}-{n}",
        "{year}-{x}",
        "{year.__class__}-{n}",
        "{year}-{n:>5}",
        "{year}-{n:010}",
        "{year}-{n} }",
        "{ year}-{n}",
        "{year}-{n}{",
        " {year}-{n}",
        "x" * 41 + "{year}-{n}",
    ],
)
def test_bad_patterns_are_refused(pattern):
    with pytest.raises(CaseNumberError):
        validate_pattern(pattern)
    assert issubclass(CaseNumberError, DomainError)


BAD_NUMBERS = ["", "2013", "2013-", "13-16", "2013/16", "KS 2019/492", "2013-0", "2013-1x", "9" * 50]


@pytest.mark.parametrize("text", BAD_NUMBERS)
def test_numbers_not_in_the_pattern_are_refused(text):
    with pytest.raises(CaseNumberError):
        parse_case_number("{year}-{n:02}", text)


@pytest.mark.parametrize(("year", "n"), [(1899, 1), (3000, 1), (2020, 0), (2020, 10**9)])
def test_out_of_range(year, n):
    with pytest.raises(CaseNumberError):
        format_case_number("{year}-{n}", year, n)


literal = st.text(alphabet="ABCKSDnr /-.:", max_size=6)


@given(
    prefix=literal,
    middle=st.text(alphabet="ABC /-.:", min_size=1, max_size=4),
    suffix=literal,
    width=st.integers(0, 9),
    year_first=st.booleans(),
    year=st.integers(1900, 2999),
    n=st.integers(1, 999_999_999),
)
def test_round_trip(prefix, middle, suffix, width, year_first, year, n):
    n_field = "{n}" if width == 0 else f"{{n:0{width}}}"
    fields = ("{year}", n_field) if year_first else (n_field, "{year}")
    pattern = f"{prefix}{fields[0]}{middle}{fields[1]}{suffix}"
    try:
        validate_pattern(pattern)
    except CaseNumberError:
        return  # e.g. leading or trailing blanks; refused patterns are never used
    assert parse_case_number(pattern, format_case_number(pattern, year, n)) == (year, n)
