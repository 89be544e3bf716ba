"""Saved business cases: seed 003's förslag 1 and 2 side by side, against today's costs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.allocation import selectors, services, usecases
from samverkan.allocation.models import BusinessCaseStudy
from samverkan.core.models import AuditEvent
from samverkan.testing import assert_roles

D = Decimal
pytestmark = pytest.mark.django_db

OPERATIONS = [
    {"name": "Personalkostnader (1,1 tjänst)", "amount": "700000"},
    {"name": "Licenskostnad till systemleverantör", "amount": "200000"},
]
OPTION_1 = {
    "name": "Förslag 1",
    "components": [
        {"name": "Genomlysning och städning av användardatabasen", "amount": "400000", "year": 2020},
        {"name": "Införandeprojekt", "amount": "250000", "year": 2021},
        {"name": "Uppsättning 550 kr × 3 000 användare", "amount": "1650000", "year": 2021},
    ],
    "depreciation_years": 5,
    "operations": OPERATIONS,
    "per_user": "120",
    "users": 3000,
    "first_year": 2021,
}
OPTION_2 = {
    **OPTION_1,
    "name": "Förslag 2",
    "components": OPTION_1["components"][:2],  # verksamheterna tar uppsättningen själva
    "users": 1000,
    "note": "Verksamheterna väljer själva när de flyttar över sin personal.",
}
TODAY = [{"name": "Nuvarande inloggningslösning", "amount": "1000000"}]


def save(world, user="economist", **extra):
    data = {"name": "Gemensam identitetsplattform", "current_costs": TODAY, "options": [OPTION_1, OPTION_2], **extra}
    return services.business_case_save(acting_user=world.users[user], federation=world.federation, **data)


def test_seed_003_options_side_by_side_against_todays_costs(world):
    study = save(world)
    saved = usecases.saved_business_case(selectors.business_case_get(world.users["board"], study.pk))
    first, _second = saved.options
    assert first.result.case.investment == D("2300000") and first.investment_by_year == (
        (2020, D("400000")),
        (2021, D("1900000")),
    )
    assert first.result.years[0].cost.fixed_total == D("1360000.00")  # seed 003: 1 360 tkr years 1–5
    assert [row.year for row in saved.years] == list(range(2020, 2027))
    by_year = {row.year: row for row in saved.years}
    assert by_year[2020].options[0] == (D("400000"), D("0.00"), D("-1000000.00"))
    assert by_year[2021].options[0] == (D("1900000"), D("1720000.00"), D("720000.00"))  # 460 + 900 + 360 tkr
    assert by_year[2026].options[0][1] == D("1260000.00")  # year 6: 900 tkr fixed + 360 tkr per user
    assert by_year[2021].options[1] == (D("250000"), D("1150000.00"), D("150000.00"))  # 130 + 900 + 120 tkr
    assert saved.totals[0][0] == D("1720000") * 5 + D("1260000")
    data = saved.as_dict()
    assert data["comparison"][1] == {
        "year": 2021,
        "current": "1000000.00",
        "options": [
            {"option": "Förslag 1", "investment": "1900000.00", "cost": "1720000.00", "difference": "720000.00"},
            {"option": "Förslag 2", "investment": "250000.00", "cost": "1150000.00", "difference": "150000.00"},
        ],
    }
    assert data["options"][1]["note"].startswith("Verksamheterna")
    assert AuditEvent.objects.filter(action="create", object_type__icontains="businesscasestudy").exists()


def test_saving_refuses_bad_figures_and_wrong_roles(world):
    with pytest.raises(ValidationError):
        save(world, options=[OPTION_1, {**OPTION_2, "name": "Förslag 1"}])
    with pytest.raises(ValidationError):
        save(world, current_costs=[{"name": "x", "amount": "-1"}])
    with pytest.raises(ValidationError):
        save(world, options=[{**OPTION_1, "components": [{"name": "x", "amount": "-5", "year": 2021}]}])
    with pytest.raises(PermissionDenied):
        save(world, user="board")
    assert not BusinessCaseStudy.objects.exists()


def test_update_option_add_and_delete(world):
    study = save(world, options=[OPTION_1])
    services.business_case_option_add(acting_user=world.users["admin"], study=study, option=OPTION_2)
    assert [o.name for o in study.options.order_by("position")] == ["Förslag 1", "Förslag 2"]
    with pytest.raises(ValidationError):
        services.business_case_option_add(acting_user=world.users["admin"], study=study, option=OPTION_2)
    services.business_case_save(
        acting_user=world.users["economist"], federation=world.federation, study=study, name="Ny", options=[OPTION_2]
    )
    study.refresh_from_db()
    assert study.name == "Ny" and [o.name for o in study.options.all()] == ["Förslag 2"]
    services.business_case_delete(acting_user=world.users["economist"], study=study)
    assert not BusinessCaseStudy.objects.exists()


def test_pages(world):
    study = save(world)
    assert_roles(world, "get", reverse("allocation:business-case-list"), allowed={"admin", "economist", "board"})
    assert_roles(
        world,
        "get",
        reverse("allocation:business-case-detail", args=[study.pk]),
        allowed={"admin", "economist", "board"},
    )
    assert_roles(world, "get", reverse("allocation:business-case-create"), allowed={"admin", "economist"})
    assert world.client("outsider").get(reverse("allocation:business-case-detail", args=[study.pk])).status_code == 404
    page = world.client("board").get(reverse("allocation:business-case-detail", args=[study.pk])).content.decode()
    assert "Förslag 2: skillnad" in page and "1 720 000" in page.replace("\xa0", " ")
    assert "Lägg till alternativ" not in page

    client = world.client("economist")
    response = client.post(
        reverse("allocation:business-case-create"),
        {
            "kalkyl-name": "E-tjänsteplattform",
            "kalkyl-current_costs": "Nuvarande plattform; 250 000",
            "alternativ-name": "Förslag 1",
            "alternativ-components": "Införande; 500 000; 2025\nLicenser; 100000",
            "alternativ-depreciation_years": "5",
            "alternativ-operations": "Drift; 150000",
            "alternativ-per_user": "0",
            "alternativ-users": "100",
            "alternativ-first_year": "2025",
        },
    )
    created = BusinessCaseStudy.objects.get(name="E-tjänsteplattform")
    assert response.status_code == 302 and created.current_costs == [
        {"name": "Nuvarande plattform", "amount": "250000.00"}
    ]
    assert created.options.get().components[1] == {"name": "Licenser", "amount": "100000.00", "year": None}
    add = reverse("allocation:business-case-option-add", args=[created.pk])
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {"name": "Förslag 2", "components": "Införande; 300000; 2026", "depreciation_years": "3", "users": "100",
         "first_year": "2026", "per_user": "", "operations": ""},
    )  # fmt: skip
    assert response.status_code == 302 and created.options.count() == 2
    detail = client.get(reverse("allocation:business-case-detail", args=[created.pk])).content.decode()
    assert "Förslag 2: kostnad" in detail and "Investering per år" in detail
    bad = client.post(add, {"name": "Förslag 3", "components": "Införande; mycket", "depreciation_years": "3"})
    assert bad.status_code == 200 and "är inte ett belopp" in bad.content.decode()
    edit = reverse("allocation:business-case-edit", args=[created.pk])
    assert "Nuvarande plattform; 250000.00" in client.get(edit).content.decode()
    client.post(edit, {"name": "E-tjänster", "current_costs": "Nuvarande plattform; 260000"})
    created.refresh_from_db()
    assert created.name == "E-tjänster" and created.options.count() == 2
    option = created.options.get(name="Förslag 2")
    assert (
        world.client("board")
        .post(reverse("allocation:business-case-option-delete", args=[created.pk, option.pk]))
        .status_code
        == 403
    )
    client.post(reverse("allocation:business-case-option-delete", args=[created.pk, option.pk]))
    assert created.options.count() == 1
    client.post(reverse("allocation:business-case-delete", args=[created.pk]))
    assert not BusinessCaseStudy.objects.filter(pk=created.pk).exists()


def test_api(world):
    url = "/api/v1/allocation/business-cases/"
    assert_roles(world, "get", url, allowed={"admin", "economist", "board"}, api=True)
    body = {"name": "Gemensam identitetsplattform", "current_costs": TODAY, "options": [OPTION_1, OPTION_2]}
    created = world.api("economist").post(url, body, format="json")
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert [o["name"] for o in created.data["options"]] == ["Förslag 1", "Förslag 2"]
    assert created.data["options"][0]["years"][0]["fixed_total"] == "1360000.00"
    assert world.api("board").post(url, body, format="json").status_code == 403
    assert world.api("member_contact").get(f"{url}{pk}/").status_code == 403
    assert world.api("outsider").get(f"{url}{pk}/").status_code == 404
    listed = world.api("board").get(url).data
    assert listed[0]["options"] == ["Förslag 1", "Förslag 2"]
    bad = world.api("economist").post(url, {**body, "options": [{**OPTION_1, "users": 0}]}, format="json")
    assert bad.status_code == 400
    same = world.api("economist").post(url, {**body, "options": [OPTION_1, OPTION_1]}, format="json")
    assert same.status_code == 400
    put = world.api("admin").put(f"{url}{pk}/", {**body, "options": [OPTION_2]}, format="json")
    assert put.status_code == 200 and [o["name"] for o in put.data["options"]] == ["Förslag 2"]
    assert world.api("board").delete(f"{url}{pk}/").status_code == 403
    assert world.api("economist").delete(f"{url}{pk}/").status_code == 204


def test_the_calculator_result_can_be_saved_as_a_case(world):
    client = world.client("economist")
    page = client.get(reverse("allocation:business-case")).content.decode()
    assert "Spara som kalkyl" in page
    create = client.get(
        reverse("allocation:business-case-create"), {"name": "Plattform", "components": "Införande; 1000", "years": "4"}
    ).content.decode()
    assert 'value="Plattform"' in create and "Införande; 1000" in create and 'value="4"' in create
    assert "Spara som kalkyl" not in world.client("board").get(reverse("allocation:business-case")).content.decode()
