"""Pages and API of the follow-up, operating statement and investment report: roles, other
federation, period selector, chart, downloads."""

import pytest
from django.urls import reverse

from samverkan.testing import assert_roles

from .test_followup_usecase import make_books

READERS = {"admin", "economist", "board"}
API = "/api/v1/finance/reports/{kind}/"


@pytest.fixture
def books(world):
    make_books(world)
    return world


@pytest.mark.parametrize("name", ["finance:followup", "finance:operating", "finance:investments"])
def test_page_roles(books, name):
    assert_roles(books, "get", reverse(name) + "?ar=2023&period=T1", allowed=READERS)


@pytest.mark.parametrize("kind", ["followup", "operating", "investments"])
def test_api_roles(books, kind):
    assert_roles(books, "get", API.format(kind=kind) + "?year=2023&period=T1", allowed=READERS, api=True)


def test_other_federation_is_404(books):
    assert books.client("outsider").get(reverse("finance:followup") + "?forbund=testforbund").status_code == 404
    response = books.api("outsider").get(API.format(kind="followup") + "?year=2023&federation=testforbund")
    assert response.status_code == 404
    # the outsider's own federation has no ledger: the page says so, the API answers 404
    page = books.client("outsider").get(reverse("finance:followup"))
    assert page.status_code == 200 and "ingen huvudbok importerad" in page.content.decode()
    assert books.api("outsider").get(API.format(kind="followup") + "?year=2023").status_code == 404


def test_page_shows_table_chart_and_selector(books):
    response = books.client("economist").get(reverse("finance:followup") + "?ar=2023&period=T1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Driftuppföljning</h1>" in html
    assert 'role="img"' in html and "<title" in html
    assert "81141 IT" in html and "Ej fördelat" in html and "TOTALT" in html
    assert "Budget jan–apr 2023" in html
    assert 'name="period"' in html and "format=xlsx" in html
    assert "Avvikelse = budget − utfall." in html


def test_page_month_range_and_errors(books):
    client = books.client("economist")
    response = client.get(reverse("finance:operating") + "?ar=2023&period=range&fran=2&till=3")
    assert response.status_code == 200 and "Budget feb–mar 2023" in response.content.decode()
    response = client.get(reverse("finance:operating") + "?ar=2023&period=2023-02..2023-03")
    assert "Budget feb–mar 2023" in response.content.decode()
    response = client.get(reverse("finance:operating") + "?ar=2023&period=range&fran=5&till=2")
    assert response.status_code == 200 and "börjar efter att den slutar" in response.content.decode()
    response = client.get(reverse("finance:followup") + "?ar=2023&budget=Reviderad")
    assert response.status_code == 200


def test_investments_page(books):
    html = books.client("board").get(reverse("finance:investments") + "?ar=2023").content.decode()
    assert "IT-utrustning" in html and "Ej angivet projekt" in html and "Totalt anslag 2023" in html


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_downloads(books, fmt, magic):
    response = books.client("economist").get(reverse("finance:followup") + f"?ar=2023&period=T1&format={fmt}")
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert "driftuppfoljning-T1-2023" in response["Content-Disposition"]


def test_api_json_shape(books):
    response = books.api("economist").get(API.format(kind="followup") + "?year=2023&period=T1")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"year", "period", "activities", "total"}
    activity = data["activities"][0]
    assert set(activity) == {"code", "name", "budget", "outcome", "deviation", "forecast", "lines"}
    assert set(activity["lines"][0]) == {"key", "label", "budget", "outcome", "deviation"}
    assert data["total"] == {"budget": "57000.00", "outcome": "85300.00", "deviation": "-28300.00"}


def test_api_errors(books):
    api = books.api("economist")
    assert api.get(API.format(kind="followup") + "?year=2023&period=T7").status_code == 400
    assert api.get(API.format(kind="followup")).status_code == 400  # year missing
    assert api.get(API.format(kind="balance") + "?year=2023").status_code == 404
    assert api.get(API.format(kind="followup") + "?year=2023&budget=Saknas").status_code == 400
