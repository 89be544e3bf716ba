"""Bad ids and parameters are 400s naming the field, never 500s (found by schemathesis)."""

import json
import warnings
from decimal import Decimal

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from samverkan.allocation import services
from samverkan.allocation.models import CostPool
from samverkan.core.actors import system_actor

HUGE = 2**70


@pytest.fixture
def pool(make_pool):
    return make_pool(Decimal("1000.00"), unit="ore")


def pool_body(pool, **changes):
    body = {
        "name": "Ny pool",
        "kind": "service",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "total": "500.00",
        "key": pool.key_id,
        "services": [service.pk for service in pool.services.all()],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"key": HUGE}, "key"),
        ({"key": 0}, "key"),
        ({"comparison_key": HUGE}, "comparison_key"),
        ({"services": [HUGE]}, "services"),
        ({"name": "Pool\x00"}, "name"),
        ({"description": "a\x00b"}, "description"),
        ({"unit": "dollar"}, "unit"),
    ],
)
def test_pool_create_rejects_bad_fields(world, pool, changes, field):
    response = world.api("economist").post(
        reverse("allocation-api:pool-list"), pool_body(pool, **changes), format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert CostPool.objects.count() == 1


def test_pool_create_with_valid_body(world, pool):
    response = world.api("economist").post(reverse("allocation-api:pool-list"), pool_body(pool), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "krona"


def test_run_create_rejects_huge_ids(world, pool):
    api = world.api("economist")
    response = api.post(reverse("allocation-api:run-list"), {"pool": HUGE, "label": "x"}, format="json")
    assert response.status_code == 400 and "pool" in response.json()
    response = api.post(reverse("allocation-api:run-list"), {"pool": pool.pk, "label": "x", "key": HUGE}, format="json")
    assert response.status_code == 400 and "key" in response.json()


@pytest.mark.parametrize("first", ["abc", str(HUGE), "-1", None])
def test_compare_rejects_bad_run_ids(world, pool, first):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="r")
    params = {"second": run.pk} if first is None else {"first": first, "second": run.pk}
    response = world.api("economist").get(reverse("allocation-api:run-compare"), params)
    assert response.status_code == 400 and "first" in response.json()


def test_decision_basis_rejects_huge_ids(world, pool):
    api = world.api("economist")
    response = api.get(reverse("allocation-api:decision-basis"), {"fee_pool": HUGE, "member": world.member.pk})
    assert response.status_code == 400 and "fee_pool" in response.json()
    response = api.get(reverse("allocation-api:decision-basis"), {"fee_pool": pool.pk, "services": [HUGE], "member": 1})
    assert response.status_code == 400 and "services" in response.json()


def test_pool_list_is_ordered_for_pagination(world, pool):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = world.api("economist").get(reverse("allocation-api:pool-list"))
    assert response.status_code == 200 and [p["id"] for p in response.json()["results"]] == [pool.pk]


def test_member_costs_page_ignores_bad_member(world, pool):
    economist = world.client("economist")
    url = reverse("allocation:member-costs")
    assert economist.get(url, {"medlem": str(HUGE)}).status_code == 200
    assert economist.get(url, {"medlem": "abc"}).status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        # "1e999999999" is a valid Decimal: rounding it built a billion-digit number (request hung)
        {"total": "1e999999999", "key": "equal", "rows": [{"member": "A"}, {"member": "B"}]},
        # thousands of digits overflowed the decimal context (InvalidOperation → 500)
        {"total": "100", "key": "population", "rows": [{"member": "A", "population": "1" * 5000}]},
        {"total": "-1e999999999", "key": "equal", "rows": [{"member": "A"}]},
    ],
)
def test_calculate_refuses_numbers_beyond_fifteen_digits(world, payload):
    response = world.api("economist").post(reverse("allocation-api:calculate"), payload, format="json")
    body = json.dumps(response.json(), ensure_ascii=False)  # the total errs under "total", a row at the top
    assert response.status_code == 400
    assert any(reason in body for reason in ("högst 15 siffror", "får inte skrivas med exponent"))


def test_calculate_total_is_at_most_forty_characters(world):
    payload = {"total": "1" * 5000, "key": "equal", "rows": [{"member": "A"}]}
    response = world.api("economist").post(reverse("allocation-api:calculate"), payload, format="json")
    assert response.status_code == 400 and "total" in response.json()


def test_calculate_accepts_fifteen_digits(world):
    payload = {"total": "999999999999999", "key": "equal", "rows": [{"member": "A"}, {"member": "B"}]}
    response = world.api("economist").post(reverse("allocation-api:calculate"), payload, format="json")
    assert response.json() == [
        {"member": "A", "amount": "500000000000000"},
        {"member": "B", "amount": "499999999999999"},
    ]


def test_calculator_page_refuses_huge_key_value(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("k.csv", b"member;population\nA;1e999999999\nB;3000\n")
    response = world.client("economist").post(
        reverse("allocation:calculator"), {"file": upload, "total": "100", "key": "population", "unit": "krona"}
    )
    assert response.status_code == 200 and "rad 2: population: får inte skrivas med exponent" in (
        response.content.decode()
    )


@pytest.mark.parametrize(("field", "value"), [("components", "Stort; 1e30"), ("users", "10000000000000000000000")])
def test_business_case_page_refuses_overflowing_figures(world, field, value):
    from samverkan.allocation.forms import BusinessCaseForm

    data = {**BusinessCaseForm.defaults(), field: value}
    response = world.client("economist").get(reverse("allocation:business-case"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
