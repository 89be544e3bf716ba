"""Settlement pages and API: who may see and settle, preview before confirming, idempotency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from samverkan.allocation import services as allocation_services
from samverkan.allocation.models import CostPool, KeyKind
from samverkan.core.actors import system_actor
from samverkan.finance.tests.test_settlement_service import SURPLUS, make_ledger
from samverkan.testing import assert_roles

PAGE = "/ekonomi/reglering/"
API = "/api/v1/finance/settlements/"


def text(response) -> str:
    """The page with plain spaces and hyphens for the Swedish number format (NBSP, U+2212)."""
    return response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ").replace("\u2212", "-")


@pytest.fixture
def setup(world):
    make_ledger(world.federation, world.users["economist"])
    key = allocation_services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Lika andel", kind=KeyKind.EQUAL
    )
    return key


def test_urls():
    assert reverse("finance:settlement") == PAGE
    assert reverse("finance:member_costs") == "/ekonomi/kommunens-kostnader/"
    assert reverse("finance-api:settlements") == API


def test_page_roles(world, setup):
    assert_roles(world, "get", f"{PAGE}?ar=2024", allowed={"admin", "economist", "board"})
    assert_roles(world, "get", f"{API}?year=2024", allowed={"admin", "economist", "board"}, api=True)
    preview = {"year": 2024, "activity": "81141", "key": setup.pk}
    assert_roles(world, "get", reverse("finance:settlement_preview"), allowed={"admin", "economist"}, data=preview)
    body = {"year": 2024, "activity": "81141", "key": setup.pk, "preview": True}
    assert_roles(world, "post", API, allowed={"admin", "economist"}, data=body, api=True)
    assert not CostPool.objects.exists()  # previews store nothing


def test_page_lists_results_and_forms(world, setup):
    page = world.client("economist").get(f"{PAGE}?ar=2024")
    html = text(page)
    assert "81141" in html and "123 456,79" in html and "-50 000,00" in html
    assert reverse("finance:settlement_preview") in html
    board = world.client("board").get(f"{PAGE}?ar=2024").content.decode()
    assert reverse("finance:settlement_preview") not in board  # board reads, does not settle
    missing = world.client("economist").get(f"{PAGE}?ar=2019").content.decode()
    assert "inte inläst" in missing


def test_preview_then_confirm(world, setup):
    client = world.client("economist")
    query = {"year": 2024, "activity": "81141", "key": setup.pk, "billed_on": "2025-03-15"}
    preview = client.get(reverse("finance:settlement_preview"), query)
    assert preview.status_code == 200
    html = text(preview)
    assert "Lycksele kommun" in html and "-61 728,40" in html and "-61 728,39" in html
    assert "123 456,79" in html
    assert not CostPool.objects.exists()
    done = client.post(reverse("finance:settlement_create"), query)
    pool = CostPool.objects.get()
    assert done.status_code == 302 and done["Location"] == pool.get_absolute_url()
    assert pool.total == -SURPLUS and pool.period_start == date(2025, 3, 15)
    again = client.post(reverse("finance:settlement_create"), query)  # idempotent: shows the existing one
    assert again["Location"] == pool.get_absolute_url()
    assert CostPool.objects.count() == 1
    listed = client.get(f"{PAGE}?ar=2024").content.decode()
    assert pool.get_absolute_url() in listed


def test_refusals_on_the_page(world, setup):
    client = world.client("economist")
    zero = client.get(reverse("finance:settlement_preview"), {"year": 2024, "activity": "81145", "key": setup.pk})
    assert zero.status_code == 302
    followed = client.get(zero["Location"]).content.decode()
    assert "resultatet 0" in followed
    bad = client.get(reverse("finance:settlement_preview"), {"year": "x", "activity": "81141", "key": setup.pk})
    assert bad.status_code == 302
    for role in ("board", "member_contact", "agent", "orderer"):
        refused = world.client(role).post(
            reverse("finance:settlement_create"), {"year": 2024, "activity": "81141", "key": setup.pk}
        )
        assert refused.status_code == 403
    assert not CostPool.objects.exists()


def test_api_create_and_idempotent(world, setup):
    api = world.api("economist")
    body = {"year": 2024, "activity": "81143", "key": setup.pk, "billed_on": "2025-03-15"}
    created = api.post(API, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["created"] is True and data["total"] == "50000.00"
    assert sorted(s["amount"] for s in data["shares"]) == ["25000.00", "25000.00"]
    again = api.post(API, body, format="json")
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["id"] == data["id"]
    listed = api.get(f"{API}?year=2024").json()
    row = next(a for a in listed["activities"] if a["activity"] == "81143")
    assert row["result"] == "-50000.00" and row["settlement"]["id"] == data["id"]
    zero = api.post(API, {"year": 2024, "activity": "81145", "key": setup.pk}, format="json")
    assert zero.status_code == 400
    no_ledger = api.post(API, {"year": 2023, "activity": "81141", "key": setup.pk}, format="json")
    assert no_ledger.status_code == 400
    for role in ("board", "member_contact", "agent", "orderer"):
        assert world.api(role).post(API, body | {"activity": "81141"}, format="json").status_code == 403
    outsider = world.api("outsider").post(API, body | {"activity": "81141"}, format="json")
    assert outsider.status_code == 404  # the key is not theirs
    assert CostPool.objects.count() == 1
    assert Decimal(data["total"]) == Decimal("50000.00")


def test_superuser_chooses_the_federation(world, setup):
    from samverkan.core.models import User

    root = User.objects.create_superuser(username="plattform", password="x" * 20, email="p@example.se")
    client = world.client(None)
    client.force_login(root)
    html = text(client.get(f"{PAGE}?forbund=testforbund&ar=2024"))
    assert "123 456,79" in html and 'name="forbund"' in html
    assert client.get(PAGE).status_code == 200  # the first federation by name (no ledger there)
    api = world.api(None)
    api.force_authenticate(root)
    assert api.get(f"{API}?year=2024").status_code == 400  # which federation?
    assert api.get(f"{API}?year=2024&federation=testforbund").json()["activities"]
    made = api.post(API, {"year": 2024, "activity": "81141", "key": setup.pk}, format="json")
    assert made.status_code == 201 and CostPool.objects.get().federation == world.federation
