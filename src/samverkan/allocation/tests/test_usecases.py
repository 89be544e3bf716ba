"""The use cases, each once: seed 000's decision basis (95 122 + 470 000 = 565 122 kr for Dorotea)
through the page, the PDF and the API; the quick apportionment and the business case as data."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.allocation.importers.key_csv import KeyTable
from samverkan.allocation.models import CostPool
from samverkan.allocation.usecases import apportion_table, business_case, decision_basis
from samverkan.core.models import User
from samverkan.members.models import Federation

pytestmark = pytest.mark.django_db

SEED_000 = {
    "Dorotea kommun": Decimal(95122),
    "Lycksele kommun": Decimal(482634),
    "Storuman kommun": Decimal(226554),
    "Vilhelmina kommun": Decimal(252020),
    "Åsele kommun": Decimal(109670),
}


def _setup():
    lystkom = Federation.objects.get(slug="lystkom")
    return (
        CostPool.objects.get(name="Medlemsavgift 2025"),
        lystkom.members.get(kommunkod="2425"),
        lystkom.services.get(code="kundtjanst"),
    )


def test_decision_basis_for_dorotea_reproduces_seed_000(demo):
    pool, dorotea, telephony = _setup()
    basis = decision_basis(fee_pool=pool, member=dorotea, services=[telephony])
    assert {row.name: row.amount for row in basis.fee_rows} == SEED_000
    assert basis.fee_total == Decimal(1166000)
    assert basis.fee_for_prospect == Decimal(95122)
    assert [(r.pool.name, r.amount) for r in basis.service_rows] == [("Växeltelefoni 2025", Decimal(470000))]
    assert basis.total == Decimal(565122)
    # The population key beside the adopted table: sums to the same total, differences shown.
    assert basis.comparison_total == Decimal(1166000)
    assert sum(row.difference for row in basis.fee_rows) == 0
    assert all(row.population and row.population > 1000 for row in basis.fee_rows)


def test_hypothetical_member_falls_back_to_population_key(demo):
    pool, _dorotea, telephony = _setup()
    basis = decision_basis(fee_pool=pool, name="Sorsele kommun", population=2400, services=[telephony])
    assert [r.name for r in basis.fee_rows if r.is_prospect] == ["Sorsele kommun"]
    assert basis.fee_total == Decimal(1166000)
    assert basis.total == basis.fee_for_prospect + basis.service_total
    assert basis.notes  # says that the population key was used instead of the adopted table
    with pytest.raises(ValidationError):
        decision_basis(fee_pool=pool, name="Utan folkmängd", services=[])


def test_decision_basis_page_and_pdf(demo, client):
    pool, dorotea, telephony = _setup()
    client.force_login(User.objects.get(username="ekonom"))
    query = {"fee_pool": pool.pk, "member": dorotea.pk, "services": [telephony.pk]}
    page = client.get(reverse("allocation:decision-basis"), query)
    text = page.content.decode()
    for figure in [
        "95\u00a0122",
        "482\u00a0634",
        "226\u00a0554",
        "252\u00a0020",
        "109\u00a0670",
        "1\u00a0166\u00a0000",
        "470\u00a0000",
        "565\u00a0122",
    ]:
        assert figure in text, figure
    pdf = client.get(reverse("allocation:decision-basis-pdf"), query)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_decision_basis_api(demo):
    from rest_framework.test import APIClient

    pool, dorotea, telephony = _setup()
    api = APIClient()
    api.force_authenticate(User.objects.get(username="ekonom"))
    response = api.get(
        reverse("allocation-api:decision-basis"),
        {"fee_pool": pool.pk, "member": dorotea.pk, "services": [telephony.pk]},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert {row["member"]: row["amount"] for row in data["fees"]} == {k: f"{v}.00" for k, v in SEED_000.items()}
    assert data["fee_total"] == "1166000.00"
    assert data["services"][0]["amount"] == "470000.00"
    assert data["total"] == "565122.00"
    bad = api.get(reverse("allocation-api:decision-basis"), {"fee_pool": pool.pk})
    assert bad.status_code == 400


def test_decision_basis_as_dict_is_what_the_api_answers(demo):
    pool, dorotea, telephony = _setup()
    data = decision_basis(fee_pool=pool, member=dorotea, services=[telephony]).as_dict()
    assert data["prospect"] == "Dorotea kommun" and data["date"] == "2025-01-01"
    assert data["fee_for_prospect"] == "95122.00" and data["total"] == "565122.00"


def test_apportion_table_sums_exactly_and_renders_amounts_as_strings():
    table = KeyTable(["A", "B", "C"], {"population": {"A": Decimal(1), "B": Decimal(1), "C": Decimal(1)}})
    result = apportion_table(table=table, total=Decimal(100), key="population", unit="ore")
    assert sum(amount for _member, amount in result.amounts) == 100
    assert result.as_dict() == {
        "key": "Invånare",
        "unit": "ore",
        "total": "100.00",
        "rows": [
            {"member": "A", "amount": "33.34"},
            {"member": "B", "amount": "33.33"},
            {"member": "C", "amount": "33.33"},
        ],
    }


def test_apportion_table_refuses_totals_of_fifteen_digits_or_more():
    from samverkan.domain.errors import DomainError

    table = KeyTable(["A"], {})
    with pytest.raises(DomainError, match="för stort"):
        apportion_table(table=table, total=Decimal("1e999999999"), key="equal")


def test_business_case_seed_003_without_key():
    result = business_case(
        name="Gemensam identitetsplattform",
        components=(("Förberedelse", Decimal(400000)), ("Införande", Decimal(250000)), ("Konton", Decimal(1650000))),
        years=5,
        operations=(("Personal", Decimal(700000)), ("Licens", Decimal(200000))),
        per_user=Decimal(120),
        users=3000,
        first_year=2021,
    )
    data = result.as_dict()
    assert data["investment"] == "2300000.00"
    assert [y["fixed_total"] for y in data["years"]] == ["1360000.00"] * 5 + ["900000.00"]
    assert data["years"][0]["per_user"] == "573.33" and data["members"] == []
