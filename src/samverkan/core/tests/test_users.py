from django.urls import reverse

from samverkan.core.models import AuditEvent, User
from samverkan.core.testing import assert_roles


def test_user_pages_are_admin_only(world):
    assert_roles(world, "get", reverse("core:user-list"), allowed={"admin"})
    assert_roles(world, "get", reverse("core-api:api-users"), allowed={"admin"}, api=True)


def test_admin_lists_only_own_federation_users(world):
    page = world.client("admin").get(reverse("core:user-list")).content.decode()
    assert "t-economist" in page and "t-outsider" not in page
    assert world.client("admin").get(reverse("core:user-edit", args=[world.outsider.pk])).status_code == 404


def test_create_user_assigns_role_and_audits_without_password_hash(world):
    response = world.client("admin").post(
        reverse("core:user-create"),
        {
            "username": "ny.kontakt",
            "email": "ny@x.se",
            "role": "member_contact",
            "member": world.member.pk,
            "password": "Ett-langt-losenord-42",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="ny.kontakt")
    assert (
        user.federation == world.federation
        and user.member == world.member
        and user.check_password("Ett-langt-losenord-42")
    )
    event = AuditEvent.objects.get(object_type="core.User", object_id=str(user.pk))
    assert event.after["role"] == "member_contact" and "password" not in event.after


def test_orderer_needs_a_department_and_nothing_is_written(world):
    response = world.client("admin").post(reverse("core:user-create"), {"username": "x", "role": "orderer"})
    assert response.status_code == 200
    assert "måste kopplas till en förvaltning" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_short_password_is_refused(world):
    response = world.client("admin").post(
        reverse("core:user-create"), {"username": "y", "role": "economist", "password": "kort"}
    )
    assert response.status_code == 200 and not User.objects.filter(username="y").exists()


def test_api_role_change_is_audited_and_scoped(world):
    api = world.api("admin")
    url = reverse("core-api:api-user", args=[world.users["board"].pk])
    assert api.patch(url, {"role": "economist"}, format="json").status_code == 200
    event = AuditEvent.objects.filter(object_type="core.User", action="update").get()
    assert event.before["role"] == "board" and event.after["role"] == "economist"
    foreign = reverse("core-api:api-user", args=[world.outsider.pk])
    assert api.patch(foreign, {"role": "economist"}, format="json").status_code == 404
    assert api.patch(url, {"role": "member_contact"}, format="json").status_code == 400
