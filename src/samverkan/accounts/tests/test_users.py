import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.accounts import services
from samverkan.core.models import AuditEvent, User
from samverkan.core.permissions import scope
from samverkan.testing import assert_roles


def test_user_pages_are_admin_only(world):
    assert_roles(world, "get", reverse("accounts:user-list"), allowed={"admin"})
    assert_roles(world, "get", reverse("accounts-api:api-users"), allowed={"admin"}, api=True)


def test_admin_lists_only_own_federation_users(world):
    page = world.client("admin").get(reverse("accounts:user-list")).content.decode()
    assert "t-economist" in page and "t-outsider" not in page
    assert world.client("admin").get(reverse("accounts:user-edit", args=[world.outsider.pk])).status_code == 404


def test_create_user_with_several_roles_and_audits_without_password_hash(world):
    response = world.client("admin").post(
        reverse("accounts:user-create"),
        {
            "username": "ny.kontakt",
            "email": "ny@x.se",
            "roles": ["member_contact", "board"],
            "member": world.member.pk,
            "password": "Ett-langt-losenord-42",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="ny.kontakt")
    assert user.federation == world.federation and user.member == world.member
    assert user.check_password("Ett-langt-losenord-42") and user.roles == {"member_contact", "board"}
    event = AuditEvent.objects.get(object_type="core.User", object_id=str(user.pk))
    assert event.after["roles"] == ["board", "member_contact"] and "password" not in event.after


def test_orderer_needs_a_department_and_nothing_is_written(world):
    response = world.client("admin").post(reverse("accounts:user-create"), {"username": "x", "roles": ["orderer"]})
    assert response.status_code == 200
    assert "måste kopplas till en förvaltning" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_short_password_is_refused(world):
    response = world.client("admin").post(
        reverse("accounts:user-create"), {"username": "y", "roles": ["economist"], "password": "kort"}
    )
    assert response.status_code == 200 and not User.objects.filter(username="y").exists()


def test_api_role_change_is_audited_and_scoped(world):
    api = world.api("admin")
    url = reverse("accounts-api:api-user", args=[world.users["board"].pk])
    assert api.patch(url, {"roles": ["economist", "board"]}, format="json").status_code == 200
    event = AuditEvent.objects.filter(object_type="core.User", action="update").get()
    assert event.before["roles"] == ["board"] and event.after["roles"] == ["board", "economist"]
    foreign = reverse("accounts-api:api-user", args=[world.outsider.pk])
    assert api.patch(foreign, {"roles": ["economist"]}, format="json").status_code == 404
    assert api.patch(url, {"roles": ["member_contact"]}, format="json").status_code == 400
    assert api.patch(url, {"roles": []}, format="json").status_code == 400


def test_union_of_roles_and_widest_scope(world):
    contact = world.users["member_contact"]
    services.user_update(
        acting_user=world.users["admin"], user=contact, data={"roles": ["member_contact", "economist"]}
    )
    contact.refresh_from_db()
    contact.forget_roles()
    # economist's pages open, and scoping follows the widest role (the whole federation)
    assert world.client("member_contact").get(reverse("members:member-list")).status_code in (200, 403)
    members = scope(contact, world.federation.members.all(), federation="federation", member="pk", department=None)
    assert set(members) == {world.member, world.other_member}


def test_service_refuses_without_capability_and_without_acting_user(world):
    with pytest.raises(PermissionDenied):
        services.user_create(
            acting_user=world.users["economist"], federation=world.federation, username="z", roles=["board"]
        )
    with pytest.raises(PermissionDenied):
        services.user_create(acting_user=None, federation=world.federation, username="z", roles=["board"])
    with pytest.raises(PermissionDenied):  # another federation's admin
        services.user_create(acting_user=world.outsider, federation=world.federation, username="z", roles=["board"])
    assert not User.objects.filter(username="z").exists()


def test_admin_cannot_remove_own_admin_role(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError):
        services.user_update(acting_user=admin, user=admin, data={"roles": ["economist"]})


def test_superuser_edit_page_uses_the_users_federation(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@x.se", "Ett-langt-losenord-42")
    from django.test import Client

    client = Client()
    client.force_login(root)
    assert client.get(reverse("accounts:user-edit", args=[world.users["board"].pk])).status_code == 200
    assert client.get(reverse("accounts:user-create")).status_code == 404
