from decimal import Decimal

import pytest

from samverkan.domain.service_level import Convention
from samverkan.telephony import selectors


def test_service_level_per_queue_with_previous_year(calls):
    report = selectors.service_level_report(calls.users["admin"], per="queue", year=2023)
    rows = {r.label: r for r in report.rows}
    lyc = rows["Växel Lycksele kommun"]
    assert (lyc.stats.offered, lyc.stats.answered, lyc.stats.abandoned, lyc.stats.answered_within) == (3, 2, 1, 1)
    assert lyc.convention is Convention.ANSWERED and lyc.within_seconds == 30
    assert lyc.service_level == Decimal("0.5000")  # a1 waited 10 s, a2 40 s > T
    assert lyc.previous_service_level == Decimal("0.5000")  # 2022: 5 s and 50 s
    assert lyc.goal == Decimal("0.9000") and lyc.meets_goal is False
    assert lyc.stats.asa_seconds() == Decimal("25.00")
    assert rows["Växel Storuman kommun"].service_level == Decimal("1.0000")
    assert report.total.stats.offered == 4


@pytest.mark.parametrize(
    ("per", "keys"),
    [
        ("member", None),
        ("service", None),
        ("year", ["2023"]),
        ("month", ["2023-07"]),
        ("hour", ["10", "11"]),
        ("weekday", ["6"]),
        ("day", ["2023-07-01"]),
    ],
)
def test_groupings(calls, per, keys):
    report = selectors.service_level_report(calls.users["admin"], per=per, year=2023)
    assert sum(r.stats.offered for r in report.rows) == 4
    if keys:
        assert [r.key for r in report.rows] == keys


def test_convention_override_and_unknown_grouping(calls):
    report = selectors.service_level_report(calls.users["admin"], per="year", year=2023, convention=Convention.OFFERED)
    assert report.rows[0].service_level == Decimal("0.5000")  # 2 within of 4 offered
    with pytest.raises(ValueError):
        selectors.service_level_report(calls.users["admin"], per="planet")


def test_scoping(calls):
    contact = selectors.service_level_report(calls.users["member_contact"], per="queue", year=2023)
    assert [r.label for r in contact.rows] == ["Växel Lycksele kommun"]
    assert [r.label for r in selectors.service_level_report(calls.outsider, per="queue", year=2023).rows] == [
        "vaxel-lud"
    ]
    # selectors follow the project rule (an orderer sees its member's rows); the pages refuse the role
    assert [r.label for r in selectors.service_level_report(calls.users["orderer"], per="queue").rows] == [
        "Växel Lycksele kommun"
    ]
    assert list(selectors.batches_for(calls.users["member_contact"])) == []
    assert selectors.years_with_calls(calls.users["admin"]) == [2023, 2022]
