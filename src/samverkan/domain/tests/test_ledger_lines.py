import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.ledger_lines import MAPPING_LINES, MappingError, MappingRange, resolve, validate_ranges

KOMMUN_BAS = [
    MappingRange("12", "12", "equipment_cost"),
    MappingRange("1229", "1229", "equipment_depreciation"),
    MappingRange("3", "3", "operating_income"),
    MappingRange("5", "5", "staff_costs"),
    MappingRange("6", "7", "other_operating_expenses"),
    MappingRange("78", "78", "depreciation"),
    MappingRange("80", "83", "member_fees"),
]


def test_the_narrowest_range_wins_whatever_the_lengths():
    mapped, unmapped = resolve(KOMMUN_BAS, ["1220", "1229", "3010", "7810", "7010", "8010", "83999", "9000"])
    assert mapped == {
        "1220": "equipment_cost",
        "1229": "equipment_depreciation",
        "3010": "operating_income",
        "7010": "other_operating_expenses",
        "7810": "depreciation",
        "8010": "member_fees",
        "83999": "member_fees",
    }
    assert unmapped == ["9000"]


def test_range_ends_are_prefixes():
    mapped, unmapped = resolve(
        [MappingRange("24", "29", "short_term_liabilities")], ["2400", "2999", "29999", "3000", "2"]
    )
    assert set(mapped) == {"2400", "2999", "29999"}
    assert unmapped == ["2", "3000"]


@pytest.mark.parametrize(
    ("rng", "message"),
    [
        (MappingRange("3a", "3", "operating_income"), "bara innehålla siffror"),
        (MappingRange("5", "4", "staff_costs"), "större än till-kontot"),
        (MappingRange("3", "3", "no_such_line"), "okänd rad"),
    ],
)
def test_bad_ranges_are_refused_with_a_swedish_reason(rng, message):
    with pytest.raises(MappingError, match=message):
        validate_ranges([rng])


@given(st.lists(st.from_regex(r"[1-8][0-9]{3}", fullmatch=True), max_size=40))
def test_every_account_is_either_mapped_or_listed_unmapped(accounts):
    mapped, unmapped = resolve(KOMMUN_BAS, accounts)
    assert set(mapped) | set(unmapped) == set(accounts)
    assert not set(mapped) & set(unmapped)
    assert set(mapped.values()) <= set(MAPPING_LINES)
