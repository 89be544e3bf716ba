from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.agreement_dates import (
    Renewal,
    add_months,
    next_notice,
    parse_renewal,
    reminder_dates,
    reminder_window_start,
    retention_cutoff,
    term_deadline,
)
from samverkan.domain.errors import DomainError

GSN = (
    "Avtalet förlängs därefter årligen med ett år i taget såvida avtalet inte uppsagts skriftligen "
    "senast den 30 december året innan avtalstidens utgång."
)


def test_parse_gsn_sentence():
    assert parse_renewal(GSN) == Renewal(years=1, month=12, day=30, inclusive=True, year_before=True)


def test_parse_short_form_before():
    assert parse_renewal("förlängs med 2 år om det inte sägs upp före 30 december") == Renewal(
        years=2, month=12, day=30, inclusive=False
    )


def test_parse_without_day_and_without_renewal():
    assert parse_renewal("Avtalet förlängs med tre år i taget") == Renewal(years=3)
    assert parse_renewal("Gäller tillsvidare") is None


def test_parse_refuses_impossible_day():
    with pytest.raises(DomainError):
        parse_renewal("förlängs med 1 år om det inte sägs upp senast den 31 november")


def test_gsn_next_deadline():
    renewal = parse_renewal(GSN)
    found = next_notice(
        valid_from=date(2020, 1, 1), valid_to=None, notice_months=None, renewal=renewal, today=date(2026, 12, 6)
    )
    assert found is not None
    assert found.term_end == date(2027, 12, 31)
    assert found.deadline == date(2026, 12, 30)
    # On the deadline itself it still counts; the day after, the next term's.
    found = next_notice(
        valid_from=date(2020, 1, 1), valid_to=None, notice_months=None, renewal=renewal, today=date(2026, 12, 31)
    )
    assert found is not None and found.deadline == date(2027, 12, 30)


def test_notice_months_from_end():
    assert term_deadline(date(2021, 12, 31), notice_months=3, renewal=None) == date(2021, 9, 30)
    assert term_deadline(date(2021, 6, 30), notice_months=6, renewal=None) == date(2020, 12, 31)
    assert term_deadline(date(2021, 6, 30), notice_months=None, renewal=None) is None


def test_fixed_term_without_renewal():
    # Seed 001 § 58: the scanning contract from 2014-01-01, say two years with 3 months' notice
    args = {"valid_from": date(2014, 1, 1), "valid_to": date(2015, 12, 31), "notice_months": 3, "renewal": None}
    assert next_notice(**args, today=date(2015, 1, 1)).deadline == date(2015, 9, 30)
    assert next_notice(**args, today=date(2015, 10, 1)) is None


def test_renewing_contract_with_notice_months():
    found = next_notice(
        valid_from=date(2014, 1, 1),
        valid_to=date(2015, 12, 31),
        notice_months=3,
        renewal=Renewal(years=1),
        today=date(2017, 10, 1),
    )
    assert found.term_end == date(2018, 12, 31)
    assert found.deadline == date(2018, 9, 30)


def test_before_means_day_before():
    renewal = Renewal(years=1, month=12, day=30, inclusive=False)
    assert term_deadline(date(2021, 12, 31), notice_months=None, renewal=renewal) == date(2021, 12, 29)


def test_add_months_clamps():
    assert add_months(date(2021, 5, 31), -3) == date(2021, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)


def test_reminders():
    deadline = date(2026, 12, 30)
    assert reminder_dates(deadline) == [date(2026, 10, 1), date(2026, 11, 30)]
    assert reminder_window_start(deadline, date(2026, 9, 30)) is None
    assert reminder_window_start(deadline, date(2026, 10, 1)) == date(2026, 10, 1)
    assert reminder_window_start(deadline, date(2026, 12, 6)) == date(2026, 11, 30)
    assert reminder_window_start(deadline, date(2026, 12, 31)) is None


def test_retention_cutoff():
    assert retention_cutoff(date(2026, 12, 6), 2) == date(2024, 12, 6)
    assert retention_cutoff(date(2024, 2, 29), 1) == date(2023, 2, 28)
    with pytest.raises(DomainError):
        retention_cutoff(date(2026, 1, 1), -1)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2080, 12, 31))


@given(start=dates, offset=st.integers(0, 4000), months=st.integers(1, 24), years=st.integers(1, 5), today=dates)
def test_next_notice_invariants(start, offset, months, years, today):
    end = start + timedelta(days=offset)
    found = next_notice(valid_from=start, valid_to=end, notice_months=months, renewal=Renewal(years=years), today=today)
    assert found is not None
    assert found.deadline >= today
    assert found.deadline < found.term_end
    # the term found is the first one whose deadline is not past
    previous_end = add_months(found.term_end + timedelta(days=1), -12 * years) - timedelta(days=1)
    if previous_end >= end:
        assert term_deadline(previous_end, notice_months=months, renewal=Renewal(years=years)) < today


@given(deadline=dates, today=dates)
def test_window_start_never_after_today_or_deadline(deadline, today):
    start = reminder_window_start(deadline, today)
    if start is not None:
        assert start <= today <= deadline
