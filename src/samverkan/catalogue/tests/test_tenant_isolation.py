"""Issue 12: the catalogue item API took another federation's category, service and members."""

import pytest
from django.core.exceptions import ValidationError

from samverkan.catalogue import services
from samverkan.catalogue.testing import make_catalogue
from samverkan.members.models import Service


@pytest.fixture
def setup(world):
    ours = make_catalogue(world.federation)
    theirs = make_catalogue(world.other_federation)
    foreign_service = Service.objects.create(federation=world.other_federation, code="it-drift", name="IT-drift")
    return ours, theirs, foreign_service


def _foreign_fields(world, theirs, foreign_service):
    return {
        "category": {"category": theirs.category.pk},
        "service": {"service": foreign_service.pk},
        "allowed_members": {"allowed_members": [world.foreign_member.pk]},
    }


@pytest.mark.parametrize("field", ["category", "service", "allowed_members"])
def test_patch_with_another_federations_row_is_a_400_and_saves_nothing(world, setup, field):
    ours, theirs, foreign_service = setup
    body = _foreign_fields(world, theirs, foreign_service)[field]
    response = world.api("admin").patch(f"/api/v1/catalogue/items/{ours.siths.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    ours.siths.refresh_from_db()
    assert ours.siths.category_id == ours.category.pk and ours.siths.service_id is None
    assert not ours.siths.allowed_members.exists()
    # An id that does not exist at all answers the same way.
    unknown = {"category": 10**9, "service": 10**9, "allowed_members": [10**9]}[field]
    missing = world.api("admin").patch(f"/api/v1/catalogue/items/{ours.siths.pk}/", {field: unknown}, format="json")
    assert missing.status_code == 400
    assert missing.json()[field] == [
        message.replace(str(body[field] if field != "allowed_members" else body[field][0]), str(10**9))
        for message in response.json()[field]
    ]


@pytest.mark.parametrize("field", ["category", "service", "allowed_members"])
def test_post_with_another_federations_row_is_a_400(world, setup, field):
    ours, theirs, foreign_service = setup
    body = {"code": "ny", "name": "Ny tjänst", "price_unit": "one_off", "category": ours.category.pk}
    body.update(_foreign_fields(world, theirs, foreign_service)[field])
    response = world.api("admin").post("/api/v1/catalogue/items/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ours.category.items.filter(code="ny").exists()


def test_the_public_price_list_never_shows_another_federations_category(world, setup, client):
    ours, theirs, _service = setup
    world.api("admin").patch(
        f"/api/v1/catalogue/items/{ours.siths.pk}/", {"category": theirs.category.pk}, format="json"
    )
    rows = client.get(f"/api/v1/catalogue/price-list/?federation={world.federation.slug}").json()
    assert {row["category"] for row in rows} == {ours.category.name}


def test_item_services_recheck_every_reference(world, setup):
    ours, theirs, foreign_service = setup
    admin = world.users["admin"]
    for field, value in {
        "category": theirs.category,
        "service": foreign_service,
        "allowed_members": [world.member, world.foreign_member],
    }.items():
        with pytest.raises(ValidationError) as refused:
            services.item_update(acting_user=admin, item=ours.siths, data={field: value})
        assert field in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            services.item_create(
                acting_user=admin,
                federation=world.federation,
                code=f"x-{field}",
                name="X",
                price_unit="one_off",
                **({"category": ours.category} | {field: value}),
            )
        assert field in refused.value.message_dict
    ours.siths.refresh_from_db()
    assert ours.siths.category_id == ours.category.pk and not ours.siths.allowed_members.exists()
    # Their own rows are fine.
    services.item_update(acting_user=admin, item=ours.siths, data={"allowed_members": [world.member]})
    assert list(ours.siths.allowed_members.all()) == [world.member]


def test_orders_and_subscriptions_recheck_the_item(world, setup):
    ours, theirs, _service = setup
    with pytest.raises(ValidationError, match="annat förbund"):
        services.order_create(
            acting_user=world.users["orderer"], item=theirs.siths, department=world.department, quantity=1
        )
    with pytest.raises(ValidationError, match="annat förbund"):
        services.subscription_create(
            acting_user=world.users["admin"],
            item=theirs.mobile,
            department=world.department,
            start=ours.mobile.prices.first().valid_from,
        )
