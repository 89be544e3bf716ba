"""The seed figures (Lystkom annual report 2023) measured from the imported demo calls."""

from decimal import Decimal
from io import StringIO

import pytest

from samverkan.telephony.demo import CUSTOMER_SERVICE, customer_service_split


@pytest.mark.parametrize("year", [2023, 2022])
def test_split_sums_exactly(year):
    answered, share = CUSTOMER_SERVICE[year]
    rows = customer_service_split(answered, share, year)
    assert sum(n for _, n, _ in rows) == answered
    within = sum(w for _, _, w in rows)
    assert (Decimal(within) / answered).quantize(Decimal("0.001")) == share.quantize(Decimal("0.001"))
    assert all(0 < w <= n for _, n, w in rows)


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_reproduces_annual_report():
    from samverkan.core.models import User
    from samverkan.members import demo as members_demo
    from samverkan.telephony import demo, selectors

    members_demo.build(StringIO())
    demo.build(StringIO())
    admin = User.objects.get(username="admin")
    report = selectors.service_level_report(admin, per="service", year=2023)
    rows = {r.label: r for r in report.rows}
    kt = next(r for label, r in rows.items() if label.startswith("Kundtjänst"))
    assert kt.stats.answered == 112_076
    assert kt.service_level.quantize(Decimal("0.001")) == Decimal("0.916")
    assert kt.previous_service_level.quantize(Decimal("0.001")) == Decimal("0.860")
    assert kt.within_seconds == 30 and kt.goal == Decimal("0.90") and kt.meets_goal
    it = next(r for label, r in rows.items() if label.startswith("IT"))
    assert it.stats.offered == 10_400 and it.within_seconds == 60
    assert it.service_level == Decimal("0.6800") and it.previous_service_level == Decimal("0.8600")
    assert it.goal == Decimal("0.80") and it.meets_goal is False

    lyst = selectors.service_level_report(admin, per="month", year=2013)
    assert [(r.key, r.service_level, r.within_seconds, r.goal) for r in lyst.rows] == [
        ("2013-09", Decimal("0.8500"), 20, Decimal("0.90")),
        ("2013-10", Decimal("0.8700"), 20, Decimal("0.90")),
    ]

    # agents log in 08:00–16:30 with lunch: occupancy is measured, once per agent across queues
    monthly = selectors.service_level_report(admin, per="month", year=2023)
    assert monthly.has_occupancy
    assert all(Decimal("0.10") < row.stats.occupancy() < Decimal("0.50") for row in monthly.rows)
    hours = selectors.service_level_report(admin, per="hour", year=2023)
    assert hours.total.stats.available_seconds == monthly.total.stats.available_seconds > 0
