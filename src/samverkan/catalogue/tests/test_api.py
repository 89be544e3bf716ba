from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from samverkan.catalogue.models import Order, Subscription
from samverkan.catalogue.testing import make_catalogue
from samverkan.portal.models import Team
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(world):
    return make_catalogue(world.federation, valid_from=date(2020, 1, 1))


def test_api_roles(world, cat):
    everyone = {"admin", "agent", "economist", "board", "member_contact", "orderer"}
    assert_roles(world, "get", reverse("catalogue-api:item-list"), allowed=everyone | {"outsider"}, api=True)
    assert_roles(
        world,
        "get",
        reverse("catalogue-api:order-list"),
        allowed={"admin", "agent", "economist", "member_contact", "orderer"},
        api=True,
    )
    assert_roles(
        world,
        "get",
        reverse("catalogue-api:subscription-list"),
        allowed={"admin", "agent", "economist", "member_contact", "orderer"},
        api=True,
    )


def test_outsider_sees_no_items_of_another_federation(world, cat):
    data = world.api("outsider").get(reverse("catalogue-api:item-list")).json()
    rows = data["results"] if isinstance(data, dict) else data
    assert rows == []
    assert world.api("outsider").get(reverse("catalogue-api:item-detail", args=[cat.siths.pk])).status_code == 404


def test_order_lifecycle_over_the_api(world, cat):
    """Placing and delivering are the portal's API: each also writes the order's ticket."""
    Team.objects.create(federation=world.federation, code="kundtjanst", name="Kundtjänst")
    api = world.api("orderer")
    response = api.post(
        reverse("portal-api:order-list"),
        {"item": cat.mobile.pk, "department": world.department.pk, "quantity": "4"},
        format="json",
    )
    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    assert response.json()["invoice_reference"] == "2481-SOC"
    refused = api.post(
        reverse("portal-api:order-list"),
        {"item": cat.mobile.pk, "department": world.other_department.pk, "quantity": "1"},
        format="json",
    )
    assert refused.status_code == 400 and "department" in refused.json()  # not the orderer's: an unknown choice
    deliver = reverse("portal-api:order-deliver", args=[order_id])
    assert world.api("orderer").post(deliver, {"delivered_on": "2025-01-10"}, format="json").status_code == 403
    assert world.api("agent").post(deliver, {"delivered_on": "2025-01-10"}, format="json").status_code == 200
    assert Order.objects.get().status == "delivered"
    sub = Subscription.objects.get()
    end = world.api("member_contact").post(
        reverse("catalogue-api:subscription-end", args=[sub.pk]), {"end": "2025-06-30"}, format="json"
    )
    assert end.status_code == 200 and end.json()["end"] == "2025-06-30"


def test_refused_writes_are_403(world, cat):
    body = {"item": cat.licence.pk, "department": world.department.pk, "start": "2025-01-01", "quantity": "1"}
    assert world.api("member_contact").post(reverse("catalogue-api:subscription-list"), body).status_code == 403
    assert world.api("agent").post(reverse("catalogue-api:subscription-list"), body).status_code == 201
    item = reverse("catalogue-api:item-detail", args=[cat.siths.pk])
    assert world.api("economist").patch(item, {"name": "X"}, format="json").status_code == 403
    assert world.api("admin").patch(item, {"name": "SITHS"}, format="json").status_code == 200


def test_price_versions_and_public_price_list(world, cat, client):
    url = reverse("catalogue-api:item-prices", args=[cat.siths.pk])
    assert (
        world.api("orderer")
        .post(url, {"valid_from": "2026-01-01", "unit_price": "380.00", "vat_code": "25"}, format="json")
        .status_code
        == 403
    )
    created = world.api("economist").post(
        url, {"valid_from": "2026-01-01", "unit_price": "380.00", "vat_code": "25"}, format="json"
    )
    assert created.status_code == 201
    assert len(world.api("orderer").get(url).json()) == 2
    public = client.get(reverse("catalogue-api:price-list"), {"federation": "testforbund", "on": "2026-02-01"})
    siths = next(r for r in public.json() if r["code"] == "siths")
    assert siths["unit_price"] == "380.00" and siths["vat_code"] == "25"
