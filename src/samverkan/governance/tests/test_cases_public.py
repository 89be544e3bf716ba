"""The public register (page and API): no login; a secret title or a secrecy-marked
document's title, counterparty or file never appears in the response bytes."""

import pytest
from django.urls import reverse

from .cases_helpers import SECRET_DOC, SECRET_PARTY, SECRET_TITLE, make_register

SECRETS = [s.encode() for s in (SECRET_TITLE, SECRET_DOC, SECRET_PARTY, "skyddad person", "brandvägg")]


@pytest.fixture
def register(world):
    return make_register(world)


def _urls(world):
    return [
        reverse("governance:public_register", args=[world.federation.slug]),
        reverse("governance:public_register", args=[world.federation.slug]) + "?ar=2024",
        f"/api/v1/governance/public-register/{world.federation.slug}/",
        f"/api/v1/governance/public-register/{world.federation.slug}/?year=2024",
    ]


@pytest.mark.parametrize("role", [None, "member_contact", "orderer", "agent", "admin", "outsider"])
def test_public_register_never_shows_secrets(world, register, role):
    _case, _public, _secret, secret_case, _agreement = register
    client = world.client(role)
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in SECRETS:
            assert secret not in response.content, (url, secret)
        assert secret_case.number.encode() in response.content
        assert b"Ny f\xc3\xb6rdelningsnyckel" in response.content
        assert "OSL 18 kap. 8 §".encode() in response.content


def test_public_page_says_a_secret_document_exists(world, register):
    page = world.client(None).get(_urls(world)[0]).content.decode()
    assert "Handling omfattas av sekretess (OSL 18 kap. 8 §)" in page
    assert "Skrivelse från Lycksele" in page and "Lycksele kommun" in page


def test_public_api_shape(world, register):
    data = world.api(None).get(_urls(world)[2]).json()
    assert data["year"] == 2024 and data["years"] == [2024]
    secret_case, case = data["cases"]
    assert secret_case["title"] is None and secret_case["number"] == "2024-02"
    assert [d["secret"] for d in case["documents"]] == [False, True]
    assert case["documents"][1]["title"] is None and case["documents"][1]["counterparty"] is None


def test_unknown_federation_and_empty_year(world, register):
    assert world.client(None).get(reverse("governance:public_register", args=["finns-inte"])).status_code == 404
    assert world.api(None).get("/api/v1/governance/public-register/finns-inte/").status_code == 404
    page = world.client(None).get(_urls(world)[0] + "?ar=1999")
    assert page.status_code == 200 and b"Inga \xc3\xa4renden" in page.content
    assert world.api(None).get(_urls(world)[2] + "?year=1999").json()["cases"] == []
