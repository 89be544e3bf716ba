"""Bad query parameters and bodies are 400s naming the field, never 500s (found by schemathesis)."""

import pytest
from django.urls import reverse

HUGE = str(2**70)


@pytest.mark.parametrize("status", ["REDOC_DIST", "¯ÿ", ""])
def test_status_change_rejects_unknown_status(world, make_asset, status):
    asset = make_asset()
    response = world.api("agent").post(f"/api/v1/assets/assets/{asset.pk}/status/", {"status": status})
    assert response.status_code == 400 and "status" in response.json()
    asset.refresh_from_db()
    assert asset.status == "in_use"


def test_status_change_with_valid_status(world, make_asset):
    asset = make_asset()
    response = world.api("agent").post(
        f"/api/v1/assets/assets/{asset.pk}/status/", {"status": "in_repair", "reason": "Trasig skärm"}
    )
    assert response.status_code == 200 and response.json()["status"] == "in_repair"


@pytest.mark.parametrize("year", ["-76", HUGE, "abc"])
def test_depreciation_report_rejects_impossible_year(world, make_asset, year):
    make_asset()
    response = world.api("economist").get("/api/v1/assets/reports/depreciation/", {"year": year})
    assert response.status_code == 400 and "year" in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "bogus"}, "status"),
        ({"type": "car"}, "type"),
        ({"member": "abc"}, "member"),
        ({"member": HUGE}, "member"),
    ],
)
def test_asset_list_rejects_bad_filters(world, make_asset, params, field):
    make_asset()
    response = world.api("agent").get("/api/v1/assets/assets/", params)
    assert response.status_code == 400 and field in response.json()


def test_asset_list_filters_still_filter(world, make_asset):
    asset = make_asset()
    make_asset(status="in_stock", asset_type="phone", member=world.other_member, department=None)
    response = world.api("agent").get(
        "/api/v1/assets/assets/", {"status": "in_use", "type": "pc", "member": world.member.pk, "q": "dator"}
    )
    assert [a["id"] for a in response.json()["results"]] == [asset.pk]


@pytest.mark.parametrize(
    ("params", "field"), [({}, "member"), ({"member": HUGE}, "member"), ({"member": "1", "on": "igår"}, "on")]
)
def test_register_rejects_bad_parameters(world, params, field):
    response = world.api("economist").get("/api/v1/assets/reports/register/", params)
    assert response.status_code == 400 and field in response.json()


def test_schedule_and_book_value_reject_bad_parameters(world, make_asset):
    asset = make_asset()
    api = world.api("agent")
    response = api.get(f"/api/v1/assets/assets/{asset.pk}/schedule/", {"frequency": "weekly"})
    assert response.status_code == 400 and "frequency" in response.json()
    response = api.get(f"/api/v1/assets/assets/{asset.pk}/book-value/", {"on": "2023-02-30"})
    assert response.status_code == 400 and "on" in response.json()
    response = api.get(f"/api/v1/assets/assets/{asset.pk}/book-value/", {"on": "2023-01-31"})
    assert response.status_code == 200 and response.json()["book_value"] == "11750.00"  # 12 000 − 12 000 / 48


def test_report_pages_fall_back_on_bad_parameters(world, make_asset):
    make_asset()
    economist = world.client("economist")
    assert economist.get(reverse("assets:depreciation"), {"ar": "99999999999"}).status_code == 200
    assert economist.get(reverse("assets:register"), {"medlem": "abc"}).status_code == 200
    assert economist.get(reverse("assets:register"), {"medlem": HUGE}).status_code == 200


@pytest.mark.parametrize("purchase_date", ["9999-12-31", "0001-01-01"])
def test_purchase_date_outside_schedule_range_is_rejected(world, purchase_date):
    """A purchase in year 9999 was stored, and its depreciation schedule then crashed (year 10000)."""
    body = {
        "inventory_number": "X1",
        "asset_type": "pc",
        "description": "Dator",
        "serial_number": "S1",
        "purchase_date": purchase_date,
        "purchase_value": "1000.00",
        "depreciation_years": 4,
        "member": world.member.pk,
        "holder_name": "Anna",
    }
    response = world.api("agent").post("/api/v1/assets/assets/", body, format="json")
    assert response.status_code == 400 and "purchase_date" in response.json()
    form_data = {**body, "purchase_value": "1000", "department": ""}
    from samverkan.assets.forms import AssetForm

    form = AssetForm(form_data, user=world.users["agent"])
    assert not form.is_valid() and "purchase_date" in form.errors
