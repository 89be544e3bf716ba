"""The page /ekonomi/kommunens-kostnader/ and its API: roles, figures and no cross-federation leak."""

from __future__ import annotations

from django.urls import reverse

from samverkan.finance.tests.test_member_costs_usecase import ludvika  # noqa: F401  (fixture)
from samverkan.testing import assert_roles

PAGE = "/ekonomi/kommunens-kostnader/"
API = "/api/v1/finance/member-costs/"
READERS = {"admin", "economist", "board", "member_contact"}


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ").replace("\u2212", "-")


def test_urls():
    assert reverse("finance:member_costs") == PAGE
    assert reverse("finance-api:member-costs") == API


def test_roles(world, ludvika):  # noqa: F811
    # Lycksele (2481): the member contact's own municipality, so every reader may see it
    assert_roles(world, "get", f"{PAGE}?kommun=2481&ar=2024", allowed=READERS)
    assert_roles(world, "get", f"{API}?kommunkod=2481&year=2024", allowed=READERS, api=True)


def test_page_shows_own_federation(world, ludvika):  # noqa: F811
    html = text(world.client("economist").get(f"{PAGE}?kommun=2085&ar=2024"))
    assert "Testförbundet" in html and "Annat förbund" not in html
    assert "1 500,00" in html and "200,00" in html and "1 300,00" in html and "1 100,00" in html
    assert "3 000,00" not in html  # the other federation's invoice
    outsider = text(world.client("outsider").get(f"{PAGE}?kommun=2085&ar=2024"))
    assert "Annat förbund" in outsider and "3 000,00" in outsider and "Testförbundet" not in outsider


def test_member_contact_defaults_to_own_and_cannot_ask_for_another(world, ludvika):  # noqa: F811
    client = world.client("member_contact")
    own = text(client.get(f"{PAGE}?ar=2024"))  # no kommun: their own
    assert "Lycksele kommun (2481)" in own and "40,00" in own
    assert client.get(f"{PAGE}?kommun=2085&ar=2024").status_code == 404
    assert world.api("member_contact").get(f"{API}?kommunkod=2085&year=2024").status_code == 404


def test_api(world, ludvika):  # noqa: F811
    data = world.api("economist").get(f"{API}?kommunkod=2085&year=2024").json()
    assert [f["federation"] for f in data["federations"]] == ["testforbund"]
    row = data["federations"][0]
    assert (row["invoiced"], row["credited"], row["net"], row["budgeted"], row["difference"]) == (
        "1500.00",
        "200.00",
        "1300.00",
        "1100.00",
        "200.00",
    )
    assert world.api("economist").get(f"{API}?kommunkod=abc&year=2024").status_code == 400
    assert world.api("economist").get(f"{API}?kommunkod=2085").status_code == 400


def test_superuser_page_shows_both_federations_and_totals(world, ludvika):  # noqa: F811
    from samverkan.core.models import User

    client = world.client(None)
    client.force_login(User.objects.create_superuser(username="plattform", password="x" * 20, email="p@example.se"))
    html = text(client.get(f"{PAGE}?kommun=2085&ar=2024"))
    assert "Annat förbund" in html and "Testförbundet" in html
    assert "4 300,00" in html and "3 100,00" in html and "1 200,00" in html  # the totals row
