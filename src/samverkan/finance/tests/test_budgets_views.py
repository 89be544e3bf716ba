"""Pages and API of budgets, forecasts, projects and appropriations: who may, and scoping."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.finance.models import Appropriation, Budget, DimensionObject, Forecast, InvestmentProject
from samverkan.finance.services import budgets as services
from samverkan.finance.tests.test_budgets_import import workbook
from samverkan.testing import assert_roles

EDITORS = {"admin", "economist"}
READERS = {"admin", "economist", "board"}


@pytest.fixture
def setup(world):
    for code, name in (("81141", "IT"), ("81143", "Kundtjänst")):
        DimensionObject.objects.create(federation=world.federation, dimension=1, code=code, name=name)
    budget = services.budget_import_xlsx(
        acting_user=world.users["admin"],
        federation=world.federation,
        year=2024,
        name="Budget",
        kind="adopted",
        data=workbook([["81141", "3010", "", 12_000], ["81143", "5010", "", -6_000]]),
    )
    project = InvestmentProject.objects.create(federation=world.federation, code="P12", name="Växel")
    foreign_budget = Budget.objects.create(
        federation=world.other_federation, year=2024, name="Deras", created_by=world.outsider
    )
    foreign_project = InvestmentProject.objects.create(federation=world.other_federation, code="P1", name="Deras")
    return {"budget": budget, "project": project, "foreign_budget": foreign_budget, "foreign_project": foreign_project}


def _upload(data: bytes, name="budget.xlsx"):
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_page_roles(world, setup):
    budget = setup["budget"]
    assert_roles(world, "get", reverse("finance:budget-list"), allowed=READERS)
    assert_roles(world, "get", reverse("finance:budget-detail", args=[budget.pk]), allowed=READERS)
    assert_roles(world, "get", reverse("finance:budget-export", args=[budget.pk]), allowed=READERS)
    assert_roles(world, "get", reverse("finance:forecast-list"), allowed=READERS)
    assert_roles(world, "get", reverse("finance:project-list"), allowed=READERS)
    for name in ("budget-import", "budget-template", "forecast-import", "project-create"):
        assert_roles(world, "get", reverse(f"finance:{name}"), allowed=EDITORS)
    assert_roles(world, "get", reverse("finance:budget-copy", args=[budget.pk]), allowed=EDITORS)
    assert_roles(world, "get", reverse("finance:project-edit", args=[setup["project"].pk]), allowed=EDITORS)
    assert_roles(world, "get", reverse("finance:appropriation-edit", args=[setup["project"].pk]), allowed=EDITORS)
    board = world.client("board")
    assert board.post(reverse("finance:budget-delete", args=[budget.pk])).status_code == 403
    assert board.post(reverse("finance:forecast-list"), {"amount_81141": "1"}).status_code == 403
    assert not Forecast.objects.exists()


def test_other_federation_is_not_found(world, setup):
    client = world.client("economist")
    foreign_budget, foreign_project = setup["foreign_budget"], setup["foreign_project"]
    assert client.get(reverse("finance:budget-detail", args=[foreign_budget.pk])).status_code == 404
    assert client.get(reverse("finance:budget-export", args=[foreign_budget.pk])).status_code == 404
    assert client.post(reverse("finance:budget-delete", args=[foreign_budget.pk])).status_code == 404
    assert client.get(reverse("finance:project-edit", args=[foreign_project.pk])).status_code == 404
    assert (
        client.post(reverse("finance:appropriation-edit", args=[foreign_project.pk]), {"year": 2024}).status_code == 404
    )
    api = world.api("economist")
    assert api.get(reverse("finance-api:budget-detail", args=[foreign_budget.pk])).status_code == 404
    assert api.delete(reverse("finance-api:budget-detail", args=[foreign_budget.pk])).status_code == 404
    assert api.patch(reverse("finance-api:project-detail", args=[foreign_project.pk]), {"name": "x"}).status_code == 404
    refused = api.post(
        reverse("finance-api:appropriation-list"), {"project": foreign_project.pk, "year": 2024}, format="json"
    )
    assert refused.status_code == 400 and "project" in refused.json()
    assert Budget.objects.filter(pk=foreign_budget.pk).exists()
    assert world.outsider.federation == world.other_federation
    assert [b["name"] for b in world.api("outsider").get(reverse("finance-api:budget-list")).json()["results"]] == [
        "Deras"
    ]


def test_budget_detail_shows_report_sign(world, setup):
    html = world.client("board").get(reverse("finance:budget-detail", args=[setup["budget"].pk])).content.decode()
    assert "12\u00a0000" in html
    assert "−6\u00a0000" in html or "-6\u00a0000" in html
    assert "Summa 81141 IT" in html and "Summa 81143 Kundtjänst" in html
    assert "Ta bort budgeten" not in html  # the board reads only


def test_budget_import_page(world, setup, settings, tmp_path):
    """The page starts a background job and shows its result (with the budget's link) or its error."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    client = world.client("economist")
    data = workbook([["81141", "3010", "", 1], ["81141", "4010"]])
    response = client.post(
        reverse("finance:budget-import"), {"year": 2025, "name": "Budget", "kind": "adopted", "file": _upload(data)}
    )
    assert response.status_code == 302 and "?jobb=" in response["Location"]
    budget = Budget.objects.get(year=2025)
    page = client.get(response["Location"]).content.decode()
    assert reverse("finance:budget-detail", args=[budget.pk]) in page
    assert "1 rader utan belopp blev ingen budget (rad 3)" in page
    bad = client.post(
        reverse("finance:budget-import"),
        {"year": 2025, "name": "Budget", "kind": "adopted", "file": _upload(workbook([["81141", "3010", "", "x"]]))},
        follow=True,
    )
    assert bad.status_code == 200 and "Rad 2, kolumn Helår: «x» är inte ett tal." in bad.content.decode()


def test_template_and_export_downloads(world, setup):
    from samverkan.finance.models import Account

    Account.objects.create(federation=world.federation, number="3010", name="Försäljning")
    Account.objects.create(federation=world.federation, number="1930", name="Bank")
    response = world.client("economist").get(reverse("finance:budget-template"))
    sheet = load_workbook(io.BytesIO(response.content))["Budget"]
    rows = [[c.value for c in row][:3] for row in sheet.iter_rows(min_row=2)]
    assert rows == [["81141", "3010", "Försäljning"], ["81143", "3010", "Försäljning"]]  # no balance accounts
    exported = world.client("board").get(reverse("finance:budget-export", args=[setup["budget"].pk]))
    sheet = load_workbook(io.BytesIO(exported.content))["Budget"]
    assert [c.value for c in sheet[2]][:5] == ["81141", "3010", "Försäljning", 12000, 1000]


def test_copy_and_delete_pages(world, setup):
    client = world.client("admin")
    response = client.post(
        reverse("finance:budget-copy", args=[setup["budget"].pk]), {"name": "Rev", "kind": "revised"}
    )
    assert response.status_code == 302
    copy = Budget.objects.get(name="Rev")
    duplicate = client.post(
        reverse("finance:budget-copy", args=[setup["budget"].pk]), {"name": "Rev", "kind": "revised"}
    )
    assert "finns redan" in duplicate.content.decode()
    assert client.post(reverse("finance:budget-delete", args=[copy.pk])).status_code == 302
    assert not Budget.objects.filter(name="Rev").exists()


def test_forecast_page_sets_and_removes(world, setup):
    client = world.client("economist")
    url = reverse("finance:forecast-list") + "?ar=2024&uppfoljning=4"
    response = client.post(url, {"amount_81141": "−250 000,50", "comment_81141": "Lägre licenser", "amount_81143": ""})
    assert response.status_code == 302
    forecast = Forecast.objects.get()
    assert (forecast.activity, forecast.as_of_month, forecast.amount) == ("81141", 4, Decimal("-250000.50"))
    html = client.get(url).content.decode()
    assert "Lägre licenser" in html
    client.post(url, {"amount_81141": "", "amount_81143": ""})
    assert not Forecast.objects.exists()
    bad = client.post(url, {"amount_81141": "abc"})
    assert bad.status_code == 200 and not Forecast.objects.exists()


def test_forecast_import_page(world, setup, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    data = workbook([], extra_sheets=[("Prognos", [["Verksamhet", "Prognos helår", "Kommentar"], ["81143", 5, "ok"]])])
    response = world.client("economist").post(
        reverse("finance:forecast-import"), {"year": 2024, "as_of_month": 8, "file": _upload(data)}, follow=True
    )
    assert response.status_code == 200 and "1 prognoser är sparade." in response.content.decode()
    assert Forecast.objects.get().as_of_month == 8
    unknown = workbook([], extra_sheets=[("Prognos", [["Verksamhet", "Prognos helår"], ["99", 5]])])
    bad = world.client("economist").post(
        reverse("finance:forecast-import"), {"year": 2024, "as_of_month": 8, "file": _upload(unknown)}, follow=True
    )
    assert "Rad 2, kolumn Verksamhet: verksamheten 99 finns inte i huvudboken." in bad.content.decode()


def test_project_and_appropriation_pages(world, setup):
    client = world.client("economist")
    assert (
        client.post(
            reverse("finance:project-create"), {"code": "P13", "name": "Servrar", "depreciation_years": 5}
        ).status_code
        == 302
    )
    duplicate = client.post(reverse("finance:project-create"), {"code": "P13", "name": "Igen"})
    assert duplicate.status_code == 200
    project = InvestmentProject.objects.get(code="P13")
    url = reverse("finance:appropriation-edit", args=[project.pk]) + "?ar=2023"
    response = client.post(
        url,
        {
            "year": 2023,
            "budget": "6 900 000",
            "extra_granted": "0",
            "carried_over": "6 100 000",
            "forecast": "",
            "comment": "Växelbyte",
        },
    )
    assert response.status_code == 302
    appropriation = Appropriation.objects.get(project=project)
    assert appropriation.carried_over == Decimal("6100000") and appropriation.forecast is None
    html = client.get(reverse("finance:project-list") + "?ar=2023").content.decode()
    assert "13\u00a0000\u00a0000" in html and "Växelbyte" in html
    assert (
        client.post(
            reverse("finance:project-edit", args=[project.pk]), {"code": "P13", "name": "Nytt namn"}
        ).status_code
        == 302
    )
    assert client.post(reverse("finance:project-delete", args=[project.pk])).status_code == 302
    assert not InvestmentProject.objects.filter(code="P13").exists()


# ---- API --------------------------------------------------------------------------------------


def test_api_roles(world, setup):
    assert_roles(world, "get", reverse("finance-api:budget-list"), allowed=READERS, api=True)
    assert_roles(
        world, "get", reverse("finance-api:budget-detail", args=[setup["budget"].pk]), allowed=READERS, api=True
    )
    assert_roles(world, "get", reverse("finance-api:forecast-list"), allowed=READERS, api=True)
    assert_roles(world, "get", reverse("finance-api:project-list"), allowed=READERS, api=True)
    assert_roles(world, "get", reverse("finance-api:appropriation-list"), allowed=READERS, api=True)
    board = world.api("board")
    assert board.post(reverse("finance-api:project-list"), {"code": "X", "name": "X"}).status_code == 403
    forecast = {"year": 2024, "as_of_month": 4, "activity": "81141", "amount": "1"}
    assert board.post(reverse("finance-api:forecast-list"), forecast, format="json").status_code == 403
    assert board.delete(reverse("finance-api:budget-detail", args=[setup["budget"].pk])).status_code == 403


def test_api_budget_import_detail_copy_delete(world, setup):
    api = world.api("economist")
    data = workbook([["81141", "3010", "", 1200]])
    created = api.post(
        reverse("finance-api:budget-list"),
        {"year": 2025, "name": "Budget", "kind": "adopted", "file": _upload(data)},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["lines"] == [{"activity": "81141", "account": "3010", "months": ["-100.00"] * 12, "year": "-1200.00"}]
    bad = api.post(
        reverse("finance-api:budget-list"),
        {"year": 2025, "name": "Budget", "kind": "adopted", "file": _upload(workbook([["81141", "30x", "", 1]]))},
        format="multipart",
    )
    assert bad.status_code == 400 and "Rad 2, kolumn Konto" in str(bad.json())
    copied = api.post(reverse("finance-api:budget-copy", args=[body["id"]]), {"name": "Rev"}, format="json")
    assert copied.status_code == 201 and copied.json()["kind"] == "revised"
    assert api.delete(reverse("finance-api:budget-detail", args=[copied.json()["id"]])).status_code == 204


def test_api_forecasts_projects_appropriations(world, setup):
    api = world.api("admin")
    url = reverse("finance-api:forecast-list")
    payload = {
        "year": 2024,
        "as_of_month": 8,
        "activity": "81141",
        "line": "staff_costs",
        "amount": "-1 000,50",
        "comment": "x",
    }
    set_ = api.post(url, payload, format="json")
    assert set_.status_code == 200 and set_.json()["amount"] == "-1000.50"
    assert api.get(url, {"year": 2024, "as_of_month": 8}).json()["results"][0]["line"] == "staff_costs"
    assert api.get(url, {"as_of_month": 13}).status_code == 400
    assert api.post(url, {**payload, "line": "nope"}, format="json").status_code == 400
    assert api.post(url, {**payload, "amount": None}, format="json").status_code == 204
    assert not Forecast.objects.exists()

    created = api.post(
        reverse("finance-api:project-list"), {"code": "P20", "name": "Nät", "depreciation_years": 5}, format="json"
    )
    assert created.status_code == 201
    assert (
        api.post(reverse("finance-api:project-list"), {"code": "P20", "name": "Igen"}, format="json").status_code == 400
    )
    pk = created.json()["id"]
    assert (
        api.patch(reverse("finance-api:project-detail", args=[pk]), {"name": "Nätverk"}, format="json").json()["name"]
        == "Nätverk"
    )
    body = {"project": pk, "year": 2023, "budget": "6900000", "carried_over": "6100000", "comment": "GSN"}
    first = api.post(reverse("finance-api:appropriation-list"), body, format="json")
    assert first.status_code == 201 and first.json()["total"] == "13000000.00"
    again = api.post(reverse("finance-api:appropriation-list"), {**body, "extra_granted": "100"}, format="json")
    assert again.status_code == 201 and Appropriation.objects.count() == 1
    assert (
        api.get(reverse("finance-api:appropriation-list"), {"year": 2023}).json()["results"][0]["extra_granted"]
        == "100.00"
    )
    detail = reverse("finance-api:appropriation-detail", args=[first.json()["id"]])
    assert world.api("board").get(detail).json()["total"] == "13000100.00"
    assert world.api("board").delete(detail).status_code == 403
    assert world.api("outsider").get(detail).status_code == 404
    assert api.delete(detail).status_code == 204
    api.post(reverse("finance-api:appropriation-list"), body, format="json")
    assert api.delete(reverse("finance-api:project-detail", args=[pk])).status_code == 204
    assert not Appropriation.objects.exists()
