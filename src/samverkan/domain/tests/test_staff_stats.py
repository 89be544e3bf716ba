"""Staff statistics: the definitions and the small-group suppression (primary and complementary)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.staff_stats import (
    AGE_GROUPS,
    MIN_GROUP,
    StaffRow,
    age_group,
    fte_by_sex,
    headcount_by_form_and_sex,
    long_term_share,
    percent,
    sick_leave_table,
    suppressed_groups,
)


def row(n: int, sex: str = "woman", age: str = "30-49", sick: str = "10", worked: str = "1000", long: str = "0"):
    return StaffRow(f"p{n}", "permanent", sex, age, Decimal("1"), Decimal(worked), Decimal(sick), Decimal(long))


def test_share_is_sick_over_ordinary_time_half_up():
    assert percent(Decimal("29"), Decimal("1000")) == Decimal("2.9")
    assert percent(Decimal("1.25"), Decimal("100")) == Decimal("1.3")
    assert percent(Decimal("1"), Decimal("0")) is None


def test_age_groups():
    assert [age_group(b, 2023) for b in (1994, 1993, 1974, 1973)] == ["-29", "30-49", "30-49", "50-"]


def test_group_of_four_is_never_shown_and_a_second_cell_hides_it():
    rows = [row(i, "woman") for i in range(4)] + [row(10 + i, "man", sick="50") for i in range(8)]
    table = sick_leave_table(rows, lambda r: r.sex)
    assert table.groups["woman"].value is None and table.groups["woman"].suppressed
    assert table.groups["man"].value is None  # else total − men would reveal the women
    assert table.total.value == percent(Decimal(440), Decimal(12000))


def test_complementary_takes_the_smallest_other_group():
    rows = [row(i, age="-29") for i in range(3)]
    rows += [row(10 + i, age="30-49") for i in range(6)]
    rows += [row(20 + i, age="50-") for i in range(9)]
    table = sick_leave_table(rows, lambda r: r.age_group, AGE_GROUPS)
    assert table.groups["-29"].value is None and table.groups["30-49"].value is None
    assert table.groups["50-"].value == Decimal("1.0")


def test_staff_under_five_hides_everything():
    table = sick_leave_table([row(i) for i in range(4)], lambda r: r.sex)
    assert table.total.value is None and all(c.value is None for c in table.groups.values())
    assert long_term_share([row(i) for i in range(4)]).value is None


def test_long_term_share_and_zero_when_nobody_sick():
    rows = [row(i, sick="100", long="0") for i in range(4)] + [row(9, sick="100", long="50")]
    assert long_term_share(rows).value == Decimal("10.0")
    assert long_term_share([row(i, sick="0") for i in range(5)]).value == Decimal("0.0")


def test_fte_and_headcount_are_not_suppressed():
    rows = [row(1, "man")]
    assert fte_by_sex(rows) == {"man": Decimal("1.0")}
    assert headcount_by_form_and_sex(rows) == {("permanent", "man"): 1}


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(min_value=0, max_value=12), min_size=1))
def test_no_small_group_and_never_exactly_one_hidden(people):
    hidden = suppressed_groups(people)
    shown = set(people) - hidden
    assert all(people[g] == 0 or people[g] >= MIN_GROUP for g in shown)
    assert all(people[g] > 0 for g in hidden)
    total = sum(people.values())
    if total >= MIN_GROUP:
        assert len(hidden) != 1 or len([g for g in people if people[g] > 0]) == 1


@given(
    st.lists(
        st.tuples(st.sampled_from(["woman", "man"]), st.integers(0, 200), st.integers(1, 2000)),
        min_size=1,
        max_size=30,
    )
)
def test_shown_cells_always_rest_on_five_people(data):
    rows = [row(i, sex, sick=str(min(s, w)), worked=str(w)) for i, (sex, s, w) in enumerate(data)]
    table = sick_leave_table(rows, lambda r: r.sex)
    for cell in table.groups.values():
        assert cell.value is None or cell.people >= MIN_GROUP
        assert cell.value is None or Decimal(0) <= cell.value <= Decimal(100)
    assert (table.total.value is None) == (len(rows) < MIN_GROUP)
