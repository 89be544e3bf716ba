"""Bad ids and parameters are 400s naming the field, never 500s (found by schemathesis)."""

import warnings
from decimal import Decimal

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from samverkan.allocation import services
from samverkan.allocation.models import CostPool, KeyKind, PoolKind

HUGE = 2**70


@pytest.fixture
def pool(world):
    key = services.key_create(
        acting_user=None,
        federation=world.federation,
        name="Invånare",
        kind=KeyKind.POPULATION,
        reference_date="2023-11-01",
    )
    return services.pool_create(
        acting_user=None,
        federation=world.federation,
        name="Telefoni 2025",
        kind=PoolKind.SERVICE,
        period_start="2025-01-01",
        period_end="2025-12-31",
        total=Decimal("1000.00"),
        key=key,
        unit="ore",
        services=[world.service],
    )


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
    run = services.run_create(acting_user=None, pool=pool, label="r")
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
