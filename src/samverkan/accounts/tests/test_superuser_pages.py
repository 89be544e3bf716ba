"""Issue 12: the platform superuser (no federation) opened an account page with a 500."""

from django.test import Client

from samverkan.core.models import User


def test_platform_superuser_edits_an_account_of_any_federation(world):
    root = User.objects.create_superuser(username="plattform", password="x" * 20, email="p@example.se")
    client = Client()
    client.force_login(root)
    for account in (world.users["admin"], world.outsider):
        response = client.get(f"/anvandare/{account.pk}/")
        assert response.status_code == 200, response.status_code
        page = response.content.decode()
        own, other = (
            (world.member, world.foreign_member)
            if account == world.users["admin"]
            else (
                world.foreign_member,
                world.member,
            )
        )
        assert own.name in page and other.name not in page  # the account's own federation's members only
    assert client.get(f"/anvandare/{root.pk}/").status_code == 404  # accounts without a federation: Django admin
    assert client.get("/anvandare/").status_code == 200


def test_platform_superuser_saves_an_account(world):
    root = User.objects.create_superuser(username="plattform", password="x" * 20, email="p@example.se")
    client = Client()
    client.force_login(root)
    account = world.users["member_contact"]
    response = client.post(
        f"/anvandare/{account.pk}/",
        {
            "username": account.username,
            "email": "ny@test.se",
            "roles": ["member_contact"],
            "member": world.member.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    account.refresh_from_db()
    assert account.email == "ny@test.se"
    foreign = client.post(
        f"/anvandare/{account.pk}/",
        {"username": account.username, "roles": ["member_contact"], "member": world.foreign_member.pk},
    )
    assert foreign.status_code == 200 and "member" in foreign.context["form"].errors
    assert client.get("/anvandare/ny/").status_code == 404
