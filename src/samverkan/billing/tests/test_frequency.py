"""Invoicing frequency per service or activity: one run per period, each line at its own frequency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from samverkan.billing import selectors, services
from samverkan.billing.models import InvoiceLine
from samverkan.catalogue.models import Order, OrderStatus, Subscription
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.domain.billing_frequency import Frequency, billing_span
from samverkan.domain.periods import PeriodKind, Timing, periods_in_year
from samverkan.testing import assert_roles

D = Decimal
pytestmark = pytest.mark.django_db
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


@given(
    st.sampled_from(list(Frequency)),
    st.sampled_from([PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.TERTIAL, PeriodKind.YEAR]),
    st.sampled_from(list(Timing)),
)
def test_every_month_is_billed_exactly_once_whatever_the_run_cadence(frequency, cadence, timing):
    covered = []
    for period in periods_in_year(2025, cadence):
        span = billing_span(period, frequency, timing)
        covered += [month.index for month in span.months()] if span else []
    assert covered == list(range(1, 13))


def subscribe(world, item, quantity=1):
    return Subscription.objects.create(
        federation=world.federation,
        item=item,
        member=world.member,
        department=world.department,
        start=date(2025, 1, 1),
        quantity=quantity,
        invoice_reference="2481-SOC",
    )


def deliver(world, item, number, day):
    return Order.objects.create(
        federation=world.federation,
        number=number,
        item=item,
        member=world.member,
        department=world.department,
        quantity=1,
        invoice_reference="2481-SOC",
        status=OrderStatus.DELIVERED,
        delivered_on=day,
    )


def run_of(line):
    return line.run.period


def test_a_year_of_monthly_runs_bills_each_line_at_its_own_frequency(world):
    cat = make_catalogue(world.federation)
    actor = system_actor()
    services.frequency_rule_set(acting_user=actor, federation=world.federation, item=cat.mobile, frequency="Q")
    services.frequency_rule_set(acting_user=actor, federation=world.federation, activity="81141", frequency="T")
    subscribe(world, cat.mobile)  # 199 kr a month, quarterly
    subscribe(world, cat.licence, quantity=3)  # 1 200 kr a year each, activity 81141: per tertial
    subscribe(world, cat.membership, quantity=3)  # 3 000 kr a quarter, activity 81143: the default, monthly
    deliver(world, cat.siths, "B2025-00001", date(2025, 2, 10))  # one-off, monthly: the February run
    deliver(world, cat.course, "B2025-00002", date(2025, 2, 15))  # activity 81141: the run closing T1
    for month in MONTHS:
        services.invoice_run_execute(acting_user=actor, federation=world.federation, period=month, approve=True)

    mobile = InvoiceLine.objects.filter(item=cat.mobile).order_by("period_start")
    assert [run_of(ln) for ln in mobile] == ["2025-03", "2025-06", "2025-09", "2025-12"]
    assert next((ln.period_start, ln.period_end) for ln in mobile) == (date(2025, 1, 1), date(2025, 3, 31))
    assert [ln.net for ln in mobile] == [D("597.00")] * 4 and sum(ln.net for ln in mobile) == D("2388.00")

    licence = InvoiceLine.objects.filter(item=cat.licence).order_by("period_start")
    assert [run_of(ln) for ln in licence] == ["2025-04", "2025-08", "2025-12"]
    assert [(ln.period_start, ln.period_end) for ln in licence] == [
        (date(2025, 1, 1), date(2025, 4, 30)),
        (date(2025, 5, 1), date(2025, 8, 31)),
        (date(2025, 9, 1), date(2025, 12, 31)),
    ]
    assert [ln.net for ln in licence] == [D("1200.00")] * 3 and sum(ln.net for ln in licence) == D("3600.00")

    membership = InvoiceLine.objects.filter(item=cat.membership)
    assert membership.count() == 12 and sum(ln.net for ln in membership) == D("36000.00")
    assert [run_of(ln) for ln in InvoiceLine.objects.filter(item=cat.siths)] == ["2025-02"]
    assert [run_of(ln) for ln in InvoiceLine.objects.filter(item=cat.course)] == ["2025-04"]

    again = services.invoice_run_create(acting_user=actor, federation=world.federation, period="2025-12")
    assert not again.lines.exists()  # never twice


def test_quarterly_runs_bill_tertial_lines_when_a_tertial_ends_within_the_quarter(world):
    cat = make_catalogue(world.federation)
    actor = system_actor()
    services.frequency_rule_set(acting_user=actor, federation=world.federation, item=cat.licence, frequency="T")
    subscribe(world, cat.licence, quantity=3)
    runs = [
        services.invoice_run_create(acting_user=actor, federation=world.federation, period=q)
        for q in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
    ]
    assert [r.lines.count() for r in runs] == [0, 1, 1, 1]
    assert sum(ln.net for ln in InvoiceLine.objects.filter(item=cat.licence)) == D("3600.00")
    shown = {f.frequency: f for f in selectors.run_frequencies(runs[0])}
    assert shown[Frequency.TERTIAL].span is None and str(shown[Frequency.MONTH].span) == "2025-Q1"
    assert shown[Frequency.TERTIAL].rules == (cat.licence.name,)


def test_frequency_rules_refuse_both_or_neither_and_another_federations_item(world):
    from django.core.exceptions import ValidationError

    cat = make_catalogue(world.federation)
    other = make_catalogue(world.other_federation)
    with pytest.raises(ValidationError):
        services.frequency_rule_set(
            acting_user=world.users["economist"], federation=world.federation, item=cat.mobile, activity="81143",
            frequency="Q",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.frequency_rule_set(acting_user=world.users["economist"], federation=world.federation, frequency="Q")
    with pytest.raises(ValidationError):
        services.frequency_rule_set(
            acting_user=world.users["economist"], federation=world.federation, item=other.mobile, frequency="Q"
        )
    rule = services.frequency_rule_set(
        acting_user=world.users["economist"], federation=world.federation, activity="81143", frequency="Q"
    )
    again = services.frequency_rule_set(
        acting_user=world.users["economist"], federation=world.federation, activity="81143", frequency="T"
    )
    assert again.pk == rule.pk and again.frequency == "T"


def test_frequency_page_and_api(world):
    cat = make_catalogue(world.federation)
    assert_roles(world, "get", reverse("billing:frequencies"), allowed={"admin", "economist"})
    assert_roles(world, "get", "/api/v1/billing/frequencies/", allowed={"admin", "economist"}, api=True)
    client = world.client("economist")
    response = client.post(reverse("billing:frequencies"), {"item": cat.mobile.pk, "frequency": "Q"})
    assert response.status_code == 302
    page = client.get(reverse("billing:frequencies")).content.decode()
    assert "Mobil som tjänst" in page and "kvartalsvis" in page
    response = client.post(reverse("billing:frequencies"), {"frequency": "Q"})
    assert "Välj antingen en tjänst eller ange en verksamhet." in response.content.decode()

    api = world.api("economist")
    created = api.post("/api/v1/billing/frequencies/", {"activity": "81141", "frequency": "T"}, format="json")
    assert created.status_code == 201 and created.data["frequency"] == "T"
    refused = api.post("/api/v1/billing/frequencies/", {"frequency": "T"}, format="json")
    assert refused.status_code == 400
    assert api.delete(f"/api/v1/billing/frequencies/{created.data['id']}/").status_code == 204
    profile = api.patch("/api/v1/billing/profile/", {"default_frequency": "Q"}, format="json")
    assert profile.status_code == 200 and profile.data["default_frequency"] == "Q"
    assert (
        world.api("board").post("/api/v1/billing/frequencies/", {"activity": "1", "frequency": "T"}).status_code == 403
    )


def test_run_page_and_api_show_the_frequencies(world):
    cat = make_catalogue(world.federation)
    services.frequency_rule_set(acting_user=system_actor(), federation=world.federation, item=cat.mobile, frequency="Q")
    run = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-02")
    page = world.client("economist").get(reverse("billing:run-detail", args=[run.pk])).content.decode()
    assert "Faktureringsfrekvens i körningen" in page and "faktureras av körningen som avslutar perioden" in page
    data = world.api("economist").get(f"/api/v1/billing/runs/{run.pk}/").data
    assert {(f["frequency"], f["start"]) for f in data["frequencies"]} == {("M", "2025-02-01"), ("Q", None)}


def test_in_advance_the_run_opening_a_quarter_bills_it(world):
    cat = make_catalogue(world.federation)
    actor = system_actor()
    services.frequency_rule_set(acting_user=actor, federation=world.federation, activity="81143", frequency="Q")
    subscribe(world, cat.mobile)  # activity 81143: quarterly
    deliver(world, cat.siths, "B2025-00001", date(2025, 2, 10))  # 81143 one-off: after delivery, next quarter
    runs = {
        month: services.invoice_run_create(
            acting_user=actor, federation=world.federation, period=month, timing="advance"
        )
        for month in ("2025-01", "2025-02", "2025-03", "2025-04")
    }
    mobile = InvoiceLine.objects.get(item=cat.mobile, run=runs["2025-01"])
    assert (mobile.period_start, mobile.period_end, mobile.net) == (date(2025, 1, 1), date(2025, 3, 31), D("597.00"))
    assert [run_of(ln) for ln in InvoiceLine.objects.filter(item=cat.siths)] == ["2025-04"]
    assert not runs["2025-02"].lines.exists() and not runs["2025-03"].lines.exists()
