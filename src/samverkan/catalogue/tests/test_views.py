from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.catalogue import services
from samverkan.catalogue.models import Order
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.portal.models import Team
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db
ALL = {"admin", "agent", "economist", "board", "member_contact", "orderer"}


@pytest.fixture
def cat(world):
    return make_catalogue(world.federation, valid_from=date(2020, 1, 1))


@pytest.fixture
def desk(world):
    """Ordering opens a ticket (portal.usecases), so the federation needs a desk team."""
    return Team.objects.create(federation=world.federation, code="kundtjanst", name="Kundtjänst")


def test_price_list_is_public_and_downloads(world, cat, client):
    response = client.get(reverse("catalogue:price-list") + "?forbund=testforbund")
    assert response.status_code == 200
    assert "SITHS-kort" in response.content.decode() and "350,00" in response.content.decode()
    pdf = client.get(reverse("catalogue:price-list-pdf") + "?forbund=testforbund")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("catalogue:price-list-xlsx") + "?forbund=testforbund")
    rows = list(load_workbook(__import__("io").BytesIO(xlsx.content)).active.values)
    by_code = {row[1]: row for row in rows[2:]}
    assert by_code["siths"][:5] == ("IT och telefoni", "siths", "SITHS-kort (e-tjänstekort)", "engångsavgift", 350)
    assert client.get(reverse("catalogue:price-list") + "?forbund=finns-inte").status_code == 404


def test_page_roles(world, cat):
    assert_roles(world, "get", reverse("catalogue:item-list"), allowed={"admin", "economist"})
    assert_roles(world, "get", reverse("catalogue:item-create"), allowed={"admin"})
    assert_roles(world, "get", reverse("catalogue:item-detail", args=[cat.siths.pk]), allowed={"admin", "economist"})
    assert_roles(
        world,
        "get",
        reverse("catalogue:order-list"),
        allowed={"admin", "agent", "economist", "member_contact", "orderer"},
    )
    assert_roles(
        world,
        "get",
        reverse("portal:order-create", args=[cat.siths.pk]),
        allowed={"admin", "agent", "member_contact", "orderer"},
    )
    assert_roles(
        world,
        "get",
        reverse("catalogue:subscription-list"),
        allowed={"admin", "agent", "economist", "member_contact", "orderer"},
    )
    assert_roles(world, "get", reverse("catalogue:subscription-create"), allowed={"admin", "agent"})


def test_orderer_orders_and_sees_only_its_department(world, cat, desk):
    client = world.client("orderer")
    response = client.post(
        reverse("portal:order-create", args=[cat.siths.pk]),
        {"department": world.department.pk, "quantity": "2", "delivery_address": "Storgatan 1"},
    )
    order = Order.objects.get()
    assert response.status_code == 302 and order.department == world.department and order.quantity == 2
    other = services.order_create(
        acting_user=system_actor(), item=cat.siths, department=world.other_department, quantity=Decimal(1)
    )
    listing = client.get(reverse("catalogue:order-list")).content.decode()
    assert order.number in listing and other.number not in listing
    assert client.get(reverse("catalogue:order-detail", args=[other.pk])).status_code == 404
    assert world.client("member_contact").get(reverse("catalogue:order-detail", args=[other.pk])).status_code == 200
    assert world.client("outsider").get(reverse("catalogue:order-detail", args=[order.pk])).status_code == 404
    # another department's id in the form is refused
    bad = client.post(
        reverse("portal:order-create", args=[cat.siths.pk]),
        {"department": world.other_department.pk, "quantity": "1"},
    )
    assert bad.status_code == 200 and Order.objects.count() == 2


def test_approve_and_deliver_from_the_pages(world, cat, desk):
    cat.mobile.requires_approval = True
    cat.mobile.save()
    order = services.order_create(
        acting_user=world.users["orderer"], item=cat.mobile, department=world.department, quantity=Decimal(1)
    )
    url = reverse("portal:order-action", args=[order.pk, "godkann"])
    world.client("orderer").post(url)
    assert Order.objects.get().status == "awaiting_approval"
    world.client("member_contact").post(url)
    assert Order.objects.get().status == "approved"
    world.client("agent").post(
        reverse("portal:order-action", args=[order.pk, "leverera"]), {"delivered_on": "2025-02-01"}
    )
    order = Order.objects.get()
    assert order.status == "delivered" and order.subscriptions.get().start == date(2025, 2, 1)


def test_admin_creates_item_with_price_and_adds_a_version(world, cat):
    client = world.client("admin")
    response = client.post(
        reverse("catalogue:item-create"),
        {
            "code": "pc",
            "name": "PC som tjänst",
            "category": cat.category.pk,
            "price_unit": "month",
            "revenue_account": "3513",
            "unit_price": "450",
            "valid_from": "2025-01-01",
            "vat_code": "25",
            "order_fields": "Användare\nPlacering",
            "orderable": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = world.federation.catalogue_items.get(code="pc")
    assert item.order_fields == ["Användare", "Placering"] and item.prices.get().unit_price == Decimal("450.00")
    client.post(
        reverse("catalogue:price-create", args=[item.pk]),
        {"valid_from": "2026-01-01", "unit_price": "475", "vat_code": "25"},
    )
    assert item.prices.count() == 2
