from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.catalogue import selectors, services
from samverkan.catalogue.models import Order, OrderStatus, PriceUnit, Subscription
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.members.models import Service

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(world):
    return make_catalogue(world.federation)


@pytest.fixture
def system(db):
    return system_actor()


def test_no_service_runs_without_an_acting_user(world, cat):
    with pytest.raises(PermissionDenied):
        services.price_version_create(acting_user=None, item=cat.siths, valid_from=date(2026, 1, 1), unit_price=D(1))
    with pytest.raises(PermissionDenied):
        services.order_create(acting_user=None, item=cat.siths, department=world.department, quantity=D(1))
    with pytest.raises(PermissionDenied):  # economists set prices but do not edit the catalogue
        services.item_update(acting_user=world.users["economist"], item=cat.siths, data={"name": "Nytt namn"})
    with pytest.raises(ValidationError, match="federation"):  # not an editable field
        services.item_update(acting_user=world.users["admin"], item=cat.siths, data={"federation": world.federation})
    with pytest.raises(PermissionDenied):  # another federation's admin
        services.price_version_create(
            acting_user=world.outsider, item=cat.siths, valid_from=date(2026, 1, 1), unit_price=D(1)
        )


def test_price_versions_close_the_previous_and_never_overlap(world, cat, system):
    services.price_version_create(acting_user=system, item=cat.siths, valid_from=date(2026, 1, 1), unit_price=D("375"))
    assert selectors.price_on(cat.siths, date(2025, 12, 31)).unit_price == D("350.00")
    assert selectors.price_on(cat.siths, date(2026, 1, 1)).unit_price == D("375.00")
    assert selectors.price_on(cat.siths, date(2024, 12, 31)) is None
    with pytest.raises(ValidationError):  # inside the closed 2025 version
        services.price_version_create(
            acting_user=system,
            item=cat.siths,
            valid_from=date(2025, 6, 1),
            valid_to=date(2025, 6, 30),
            unit_price=D("1"),
        )
    with pytest.raises(ValidationError):
        services.price_version_create(
            acting_user=system, item=cat.siths, valid_from=date(2027, 1, 1), unit_price=D("-1")
        )


def test_order_flow_with_approval_and_subscription_on_delivery(world, cat):
    cat.mobile.requires_approval = True
    cat.mobile.save()
    orderer = world.users["orderer"]
    order = services.order_create(acting_user=orderer, item=cat.mobile, department=world.department, quantity=D(3))
    assert order.status == OrderStatus.AWAITING_APPROVAL
    assert order.invoice_reference == "2481-SOC" and order.number.startswith("B")
    with pytest.raises(PermissionDenied):  # the orderer cannot approve its own order
        services.order_approve(acting_user=orderer, order=order)
    with pytest.raises(ValidationError):  # delivery before approval
        services.order_deliver(acting_user=world.users["agent"], order=order, delivered_on=date(2025, 3, 1))
    order = services.order_approve(acting_user=world.users["member_contact"], order=order)
    order = services.order_deliver(acting_user=world.users["agent"], order=order, delivered_on=date(2025, 3, 1))
    subscription = Subscription.objects.get(order=order)
    assert (subscription.start, subscription.quantity, subscription.invoice_reference) == (
        date(2025, 3, 1),
        D(3),
        "2481-SOC",
    )
    assert AuditEvent.objects.filter(object_type="catalogue.Order", object_id=str(order.pk)).count() == 3


def test_order_rules(world, cat):
    orderer = world.users["orderer"]
    with pytest.raises(PermissionDenied):  # another department
        services.order_create(acting_user=orderer, item=cat.siths, department=world.other_department, quantity=D(1))
    with pytest.raises(ValidationError):
        services.order_create(acting_user=orderer, item=cat.siths, department=world.department, quantity=D(0))
    with pytest.raises(PermissionDenied):
        services.order_create(
            acting_user=world.users["board"], item=cat.siths, department=world.department, quantity=D(1)
        )
    cat.siths.order_fields = ["Användare"]
    cat.siths.save()
    with pytest.raises(ValidationError, match="Användare"):
        services.order_create(acting_user=orderer, item=cat.siths, department=world.department, quantity=D(1))
    order = services.order_create(
        acting_user=orderer,
        item=cat.siths,
        department=world.department,
        quantity=D(1),
        form_data={"Användare": "Anna Andersson"},
    )
    services.order_cancel(acting_user=orderer, order=order)
    with pytest.raises(ValidationError):
        services.order_cancel(acting_user=orderer, order=Order.objects.get(pk=order.pk))
    with pytest.raises(PermissionDenied):  # orderers do not deliver
        other = services.order_create(acting_user=orderer, item=cat.course, department=world.department, quantity=D(1))
        services.order_deliver(acting_user=orderer, order=other, delivered_on=date(2025, 1, 1))


def test_who_may_order_follows_allowed_members_then_handover(world, cat):
    assert selectors.item_orderable_by_member(cat.siths, world.member, date(2025, 1, 1))
    cat.siths.allowed_members.set([world.other_member])
    assert not selectors.item_orderable_by_member(cat.siths, world.member, date(2025, 1, 1))
    it = Service.objects.create(federation=world.federation, code="it-drift", name="IT-drift")
    cat.support.service = it
    cat.support.save()
    assert not selectors.item_orderable_by_member(cat.support, world.member, date(2025, 1, 1))
    assert selectors.item_orderable_by_member(cat.mobile, world.member, date(2025, 1, 1))
    cat.mobile.service = world.service  # kundtjänst, handed over 2020
    cat.mobile.save()
    assert selectors.item_orderable_by_member(cat.mobile, world.member, date(2025, 1, 1))
    assert not selectors.item_orderable_by_member(cat.mobile, world.member, date(2019, 1, 1))
    with pytest.raises(ValidationError):
        services.order_create(
            acting_user=world.users["orderer"], item=cat.siths, department=world.department, quantity=D(1)
        )


def test_subscriptions_need_a_recurring_price_and_end_after_start(world, cat, system):
    with pytest.raises(ValidationError):
        services.subscription_create(
            acting_user=system, item=cat.siths, department=world.department, start=date(2025, 1, 1)
        )
    sub = services.subscription_create(
        acting_user=system,
        item=cat.licence,
        department=world.department,
        start=date(2025, 1, 1),
        quantity=D(12),
        asset_id=4711,
    )
    with pytest.raises(ValidationError):
        services.subscription_end(acting_user=system, subscription=sub, end=date(2024, 12, 31))
    with pytest.raises(PermissionDenied):
        services.subscription_end(acting_user=world.users["orderer"], subscription=sub, end=date(2025, 6, 30))
    assert services.subscription_end(
        acting_user=world.users["member_contact"], subscription=sub, end=date(2025, 6, 30)
    ).end == date(2025, 6, 30)
    assert cat.licence.price_unit == PriceUnit.USER_YEAR and sub.asset_id == 4711


def test_price_list_groups_by_category_with_current_prices(world, cat):
    [(category, entries)] = selectors.price_list(world.federation, date(2025, 6, 1))
    assert category == cat.category
    assert {item.code: price.unit_price for item, price in entries}["siths"] == D("350.00")
    [(category, entries)] = selectors.price_list(world.federation, date(2024, 6, 1))
    assert all(price is None for _, price in entries)
