from decimal import Decimal

import pytest
from django.urls import reverse

from samverkan.allocation import services
from samverkan.allocation.models import AllocationRun, CostPool, KeyKind
from samverkan.core.actors import system_actor
from samverkan.testing import assert_roles

READERS = {"admin", "economist", "board"}
WRITERS = {"admin", "economist"}


@pytest.fixture
def pool(make_pool):
    return make_pool(Decimal("1000.00"), unit="ore")


def test_read_endpoints_role_matrix(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="r")
    for url in [
        reverse("allocation-api:key-list"),
        reverse("allocation-api:key-detail", args=[pool.key_id]),
        reverse("allocation-api:pool-list"),
        reverse("allocation-api:pool-detail", args=[pool.pk]),
        reverse("allocation-api:run-list"),
        reverse("allocation-api:run-detail", args=[run.pk]),
        f"{reverse('allocation-api:run-compare')}?first={run.pk}&second={run.pk}",
    ]:
        assert_roles(world, "get", url, allowed=READERS, api=True)


def test_other_federation_sees_nothing(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="r")
    outsider = world.api("outsider")
    for name in ("pool-list", "run-list", "key-list"):
        assert outsider.get(reverse(f"allocation-api:{name}")).json()["results"] == []
    assert world.api("economist").get(reverse("allocation-api:run-list")).json()["count"] == 1
    assert outsider.get(reverse("allocation-api:run-detail", args=[run.pk])).status_code == 404
    assert outsider.get(reverse("allocation-api:pool-detail", args=[pool.pk])).status_code == 404
    assert outsider.post(reverse("allocation-api:run-approve", args=[run.pk])).status_code == 404


def test_create_approve_and_refuse_changes(world, pool):
    api = world.api("economist")
    response = api.post(reverse("allocation-api:run-list"), {"pool": pool.pk, "label": "Telefoni 2025"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(line["member_name"], line["amount"]) for line in data["lines"]] == [
        ("Lycksele kommun", "674.16"),
        ("Storuman kommun", "325.84"),
    ]
    assert data["total"] == "1000.00"
    run_id = data["id"]
    assert world.api("board").post(reverse("allocation-api:run-approve", args=[run_id])).status_code == 403
    approved = api.post(reverse("allocation-api:run-approve", args=[run_id]))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = api.post(reverse("allocation-api:run-approve", args=[run_id]))
    assert again.status_code == 400 and "godkänd" in again.json()[0]
    assert api.delete(reverse("allocation-api:run-detail", args=[run_id])).status_code == 400
    assert AllocationRun.objects.filter(pk=run_id).exists()


def test_create_run_errors(world, pool):
    api = world.api("economist")
    assert api.post(reverse("allocation-api:run-list"), {"label": "x"}, format="json").status_code == 400
    foreign = CostPool.objects.create(
        federation=world.other_federation,
        name="F",
        kind="service",
        period_start="2025-01-01",
        period_end="2025-12-31",
        total=Decimal(1),
        key=services.key_create(
            acting_user=system_actor(), federation=world.other_federation, name="Lika", kind="equal"
        ),
    )
    assert (
        api.post(reverse("allocation-api:run-list"), {"pool": foreign.pk, "label": "x"}, format="json").status_code
        == 404
    )
    assert (
        world.api("board")
        .post(reverse("allocation-api:run-list"), {"pool": pool.pk, "label": "x"}, format="json")
        .status_code
        == 403
    )
    early = services.key_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Tidig",
        kind=KeyKind.POPULATION,
        reference_date="2000-01-01",
    )
    response = api.post(
        reverse("allocation-api:run-list"), {"pool": pool.pk, "label": "x", "key": early.pk}, format="json"
    )
    assert response.status_code == 400 and "saknar värde" in response.json()[0]


def test_draft_can_be_deleted(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="r")
    assert world.api("board").delete(reverse("allocation-api:run-detail", args=[run.pk])).status_code == 403
    assert world.api("economist").delete(reverse("allocation-api:run-detail", args=[run.pk])).status_code == 204


def test_calculate_endpoint(world):
    url = reverse("allocation-api:calculate")
    payload = {
        "total": "1 000",
        "key": "equal:50,population:50",
        "rows": [{"member": "A", "population": 1000}, {"member": "B", "population": 3000}],
    }
    response = world.api("economist").post(url, payload, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == [{"member": "A", "amount": "375"}, {"member": "B", "amount": "625"}]
    bad = world.api("economist").post(url, {**payload, "key": "users"}, format="json")
    assert bad.status_code == 400 and "unknown key variable 'users'" in bad.json()[0]
    assert world.api("orderer").post(url, payload, format="json").status_code == 403


def test_business_case_endpoint_seed_003(world):
    payload = {
        "name": "Gemensam identitetsplattform",
        "components": [
            {"name": "Förberedelse", "amount": "400000"},
            {"name": "Införande", "amount": "250000"},
            {"name": "550 kr × 3 000 användare", "amount": "1650000"},
        ],
        "years": 5,
        "operations": [{"name": "Personal", "amount": "700000"}, {"name": "Licens", "amount": "200000"}],
        "per_user": "120",
        "users": 3000,
        "first_year": 2021,
    }
    response = world.api("economist").post(reverse("allocation-api:business-case"), payload, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["investment"] == "2300000.00"
    assert [y["fixed_total"] for y in data["years"]] == ["1360000.00"] * 5 + ["900000.00"]
    assert data["years"][0]["capital_cost"] == "460000.00"
    assert data["years"][0]["variable_operating"] == "360000.00"
    assert [y["year"] for y in data["years"]] == [2021, 2022, 2023, 2024, 2025, 2026]
    bad = world.api("economist").post(
        reverse("allocation-api:business-case"), {**payload, "components": []}, format="json"
    )
    assert bad.status_code == 400


def test_set_up_keys_and_pool_through_the_api(world):
    api = world.api("economist")
    url = reverse("allocation-api:key-list")
    decided = api.post(
        url,
        {
            "name": "Tabell",
            "kind": "decided",
            "values": [{"member": world.member.pk, "value": "700"}, {"member": world.other_member.pk, "value": "300"}],
        },
        format="json",
    )
    assert decided.status_code == 201, decided.content
    assert [v["value"] for v in decided.json()["values"]] == ["700.00", "300.00"]
    equal = api.post(url, {"name": "Lika", "kind": "equal"}, format="json").json()
    mix = api.post(
        url,
        {
            "name": "Mix",
            "kind": "mix",
            "components": [
                {"component": equal["id"], "weight": "50"},
                {"component": decided.json()["id"], "weight": "50"},
            ],
        },
        format="json",
    )
    assert mix.status_code == 201 and len(mix.json()["components"]) == 2
    pool = api.post(
        reverse("allocation-api:pool-list"),
        {
            "name": "Mixpool",
            "kind": "regional",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "total": "1000",
            "key": mix.json()["id"],
            "services": [world.service.pk],
        },
        format="json",
    )
    assert pool.status_code == 201, pool.content
    run = api.post(reverse("allocation-api:run-list"), {"pool": pool.json()["id"], "label": "Mix"}, format="json")
    assert [line["amount"] for line in run.json()["lines"]] == ["600.00", "400.00"]


def test_key_and_pool_creation_errors_write_nothing(world):
    api = world.api("economist")
    url = reverse("allocation-api:key-list")
    bad = api.post(
        url,
        {"name": "Tabell", "kind": "decided", "values": [{"member": world.foreign_member.pk, "value": "1"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert api.post(url, {"name": "U", "kind": "users"}, format="json").status_code == 400
    assert api.get(url).json()["count"] == 0
    assert world.api("board").post(url, {"name": "L", "kind": "equal"}, format="json").status_code == 403
    key = api.post(url, {"name": "L", "kind": "equal"}, format="json").json()
    pools = reverse("allocation-api:pool-list")
    reversed_period = {
        "name": "P",
        "kind": "service",
        "period_start": "2025-12-31",
        "period_end": "2025-01-01",
        "total": "1",
        "key": key["id"],
    }
    assert api.post(pools, reversed_period, format="json").status_code == 400
    foreign = services.key_create(acting_user=system_actor(), federation=world.other_federation, name="F", kind="equal")
    assert (
        api.post(
            pools,
            {**reversed_period, "period_start": "2025-01-01", "period_end": "2025-12-31", "key": foreign.pk},
            format="json",
        ).status_code
        == 404
    )
