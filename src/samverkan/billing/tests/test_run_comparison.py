"""The preview against the previous issued run of the same kind: totals row, change per member, and the
warnings an economist should see before approving (a member gone, a membership fee gone, a total jump)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from samverkan.allocation import services as allocation
from samverkan.allocation.models import KeyKind, PoolKind
from samverkan.billing import selectors, services
from samverkan.billing.models import BillingProfile
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor

D = Decimal
pytestmark = pytest.mark.django_db


def _order(world, cat, member, quantity, day):
    order = catalogue_services.order_create(
        acting_user=system_actor(), item=cat.siths, department=member.departments.first(), quantity=D(quantity)
    )
    catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=day)


@pytest.fixture
def q1_with_fees(world):
    """2025-Q1 issued: both members with a membership fee and an order."""
    cat = make_catalogue(world.federation)
    key = allocation.key_create(
        acting_user=system_actor(), federation=world.federation, name="Avgift", kind=KeyKind.DECIDED
    )
    allocation.key_values_set(
        acting_user=system_actor(), key=key, values={world.member: D(4000), world.other_member: D(2000)}
    )
    pool = allocation.pool_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Medlemsavgift 2025-Q1",
        kind=PoolKind.MEMBERSHIP,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        total=D(6000),
        key=key,
    )
    allocation.run_approve(
        acting_user=system_actor(), run=allocation.run_create(acting_user=system_actor(), pool=pool, label="Q1")
    )
    for member in (world.member, world.other_member):
        _order(world, cat, member, 1, date(2025, 2, 2))
    q1 = services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    )
    return cat, q1


def test_first_run_has_totals_and_nothing_to_compare(world, q1_with_fees):
    _cat, q1 = q1_with_fees
    comparison = selectors.run_comparison(q1)
    assert comparison.previous is None and comparison.warnings == []
    assert comparison.count == q1.invoices.count() and comparison.total == sum(i.total for i in q1.invoices.all())
    assert comparison.net + comparison.vat == comparison.total
    page = world.client("economist").get(reverse("billing:run-detail", args=[q1.pk])).content.decode()
    assert "Totalt" in page and "ingen tidigare utfärdad körning" in page


def test_missing_member_missing_fee_and_total_jump_are_warned(world, q1_with_fees, django_assert_max_num_queries):
    cat, q1 = q1_with_fees
    _order(world, cat, world.member, 1, date(2025, 5, 5))  # only one member, no fee in Q2
    q2 = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q2")
    with django_assert_max_num_queries(5):
        comparison = selectors.run_comparison(q2)
    assert comparison.previous == q1
    [row] = comparison.rows
    before = sum(i.total for i in q1.invoices.filter(member=world.member))
    assert row.member == world.member.name and row.previous == before and row.change == row.total - before
    text = "\n".join(comparison.warnings)
    assert f"{world.other_member.name} fanns med i förra körningen" in text
    assert f"{world.member.name} har ingen rad för medlemsavgift" in text
    assert "mer än 25 %" in text
    page = world.client("economist").get(reverse("billing:run-detail", args=[q2.pk])).content.decode()
    assert "Förra körningen" in page and "Skillnad" in page and "har ingen rad för medlemsavgift" in page


def test_the_percentage_is_the_federations_setting(world, q1_with_fees):
    cat, _q1 = q1_with_fees
    for member in (world.member, world.other_member):
        _order(world, cat, member, 1, date(2025, 5, 5))
    q2 = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q2")
    change = abs(selectors.run_comparison(q2).change) * 100 / selectors.run_comparison(q2).previous_total
    BillingProfile.objects.filter(federation=world.federation).update(change_warning_percent=int(change) + 1)
    assert not any("Summan skiljer sig" in w for w in selectors.run_comparison(q2).warnings)
    BillingProfile.objects.filter(federation=world.federation).update(change_warning_percent=max(int(change) - 1, 0))
    assert any("Summan skiljer sig" in w for w in selectors.run_comparison(q2).warnings)


def test_an_advance_run_is_not_compared_with_an_arrears_run(world, q1_with_fees):
    cat, _q1 = q1_with_fees
    _order(world, cat, world.member, 1, date(2025, 5, 5))
    q3 = services.invoice_run_create(
        acting_user=system_actor(),
        federation=world.federation,
        period="2025-Q3",
        timing="advance",
        issue_date=date(2025, 6, 20),
    )
    assert selectors.run_comparison(q3).previous is None
