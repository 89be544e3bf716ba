import itertools
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.depreciation import (
    DEPRECIATION_CLASSES,
    book_value,
    book_values,
    straight_line_schedule,
)


def test_seed_003_investment_gives_460_000_a_year():
    schedule = straight_line_schedule(Decimal(2300000), 5, date(2021, 1, 1), frequency="yearly")
    assert [(p.period_end, p.amount, p.book_value) for p in schedule] == [
        (date(2021, 12, 31), Decimal("460000.00"), Decimal("1840000.00")),
        (date(2022, 12, 31), Decimal("460000.00"), Decimal("1380000.00")),
        (date(2023, 12, 31), Decimal("460000.00"), Decimal("920000.00")),
        (date(2024, 12, 31), Decimal("460000.00"), Decimal("460000.00")),
        (date(2025, 12, 31), Decimal("460000.00"), Decimal("0.00")),
    ]


def test_monthly_schedule_rounds_without_drift():
    schedule = straight_line_schedule(Decimal(10000), 3, date(2025, 3, 10))
    assert len(schedule) == 36
    assert schedule[0].period_end == date(2025, 3, 31)
    assert schedule[-1].period_end == date(2028, 2, 29)
    # 10 000 / 36 = 277.777… → accumulated rounded: 277.78, 555.56, 833.33, …
    assert [p.amount for p in schedule[:3]] == [
        Decimal("277.78"),
        Decimal("277.78"),
        Decimal("277.77"),
    ]
    assert sum(p.amount for p in schedule) == Decimal(10000)
    assert schedule[-1].book_value == 0


def test_periods_unpack_as_tuples():
    end, amount, value = straight_line_schedule(Decimal(1200), 4, date(2025, 1, 1))[0]
    assert (end, amount, value) == (date(2025, 1, 31), Decimal(25), Decimal(1175))


def test_next_month_convention():
    schedule = straight_line_schedule(Decimal(1200), 4, date(2025, 3, 10), first_month="next")
    assert schedule[0].period_end == date(2025, 4, 30)
    assert schedule[0].amount == Decimal(25)


def test_yearly_partial_first_and_last_year_and_residual():
    yearly = straight_line_schedule(Decimal(12000), 3, date(2025, 7, 1), Decimal(1200), frequency="yearly")
    # 10 800 over 36 months = 300 / month: 6 months in 2025, 12, 12, 6 in 2028.
    assert {p.period_end.year: p.amount for p in yearly} == {
        2025: Decimal(1800),
        2026: Decimal(3600),
        2027: Decimal(3600),
        2028: Decimal(1800),
    }


def test_book_value_on_dates():
    args = (Decimal(12000), 4, date(2025, 1, 15))
    assert book_value(*args, on=date(2024, 12, 31)) == Decimal(12000)
    assert book_value(*args, on=date(2025, 1, 30)) == Decimal(12000)  # first month not yet ended
    assert book_value(*args, on=date(2025, 1, 31)) == Decimal(11750)
    assert book_value(*args, on=date(2026, 12, 31)) == Decimal(6000)
    assert book_value(*args, on=date(2040, 1, 1)) == 0
    assert book_value(*args, on=date(2025, 6, 30)) == Decimal(10500)
    assert book_values(*args, [date(2024, 12, 31), date(2025, 1, 31), date(2040, 1, 1)]) == [12000, 11750, 0]


@pytest.mark.parametrize(
    ("cost", "years", "residual", "message"),
    [
        (Decimal(100), 0, Decimal(0), "positive whole number"),
        (Decimal(-1), 3, Decimal(0), "negative"),
        (Decimal(100), 3, Decimal(101), "exceeds"),
        (Decimal("100.001"), 3, Decimal(0), "fractions of an öre"),
    ],
)
def test_invalid_input(cost, years, residual, message):
    with pytest.raises(ValueError, match=message):
        straight_line_schedule(cost, years, date(2025, 1, 1), residual)


def test_bad_options():
    with pytest.raises(ValueError, match="frequency"):
        straight_line_schedule(Decimal(1), 3, date(2025, 1, 1), frequency="weekly")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="first_month"):
        straight_line_schedule(Decimal(1), 3, date(2025, 1, 1), first_month="later")  # type: ignore[arg-type]


@given(
    st.integers(0, 10**9).map(lambda o: Decimal(o) / 100),
    st.sampled_from(DEPRECIATION_CLASSES),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(0, 100),
)
def test_schedule_properties(cost, years, start, residual_pct):
    residual = (cost * residual_pct / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    monthly = straight_line_schedule(cost, years, start, residual)
    yearly = straight_line_schedule(cost, years, start, residual, frequency="yearly")
    exact_month = Fraction(cost - residual) / (years * 12)
    assert sum(p.amount for p in monthly) == cost - residual
    assert sum(p.amount for p in yearly) == cost - residual
    assert all(abs(Fraction(p.amount) - exact_month) < Fraction(1, 100) for p in monthly)
    assert monthly[-1].book_value == residual == yearly[-1].book_value
    assert all(a.book_value >= b.book_value for a, b in itertools.pairwise(monthly))
    for period in monthly[::7]:
        assert book_value(cost, years, start, period.period_end, residual) == period.book_value
