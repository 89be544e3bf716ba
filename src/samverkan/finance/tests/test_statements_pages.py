"""The statement pages and the statements API: figures in Swedish format, year selector,
downloads, warnings, errors and who may see what."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.finance.models import FinanceSettings
from samverkan.finance.tests.test_statements_selectors import make_year
from samverkan.finance.tests.test_statements_usecases import CLOSING_2022, OPENING_2022, OPENING_2023, VOUCHERS_2023
from samverkan.testing import assert_roles

PAGES = ["income", "balance", "cashflow", "balance_requirement", "financial_goal", "notes"]


@pytest.fixture
def ledger(world):
    user = world.users["economist"]
    make_year(world.federation, user, 2022, opening=OPENING_2022, closing=CLOSING_2022)
    return make_year(world.federation, user, 2023, opening=OPENING_2023, vouchers=VOUCHERS_2023)


def test_paths_are_swedish():
    assert reverse("finance:income") == "/ekonomi/resultatrakning/"
    assert reverse("finance:balance") == "/ekonomi/balansrakning/"
    assert reverse("finance:cashflow") == "/ekonomi/kassaflode/"
    assert reverse("finance:balance_requirement") == "/ekonomi/balanskrav/"


def test_income_statement_page_prints_tkr_in_swedish_format(world, ledger):
    response = world.client("economist").get(reverse("finance:income"), {"ar": "2023"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Resultaträkning</h1>" in html
    assert "<caption>Resultaträkning – Testförbundet 2023 (belopp i tkr)</caption>" in html
    assert "Verksamhetens intäkter" in html and "43\u00a0902" in html and "40\u00a0360" in html
    assert '<td class="num"><strong>1\u00a0376</strong></td>' in html  # the result, bold
    assert "\u221231\u00a0822" in html
    assert '<th scope="col" class="num">2022</th>' in html
    assert "format=xlsx" in html and "format=pdf" in html


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_for_the_latest_year_by_default(world, ledger, name):
    response = world.client("board").get(reverse(f"finance:{name}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="2023" selected>' in html
    assert 'class="num"' in html


def test_warnings_are_listed_on_the_page(world):
    user = world.users["economist"]
    make_year(world.federation, user, 2022, closing={**CLOSING_2022, "1930": 3_000_000, "2440": -7_866_000})
    make_year(world.federation, user, 2023, opening=OPENING_2023, vouchers=VOUCHERS_2023)
    html = world.client("economist").get(reverse("finance:balance"), {"ar": 2023}).content.decode()
    assert 'class="message warning"' in html and "ingående balans" in html


def test_a_federation_without_a_ledger_is_told_so(world):
    html = world.client("economist").get(reverse("finance:cashflow")).content.decode()
    assert "Ingen huvudbok är importerad ännu." in html


def test_errors_are_shown_not_raised(world, ledger):
    client = world.client("economist")
    html = client.get(reverse("finance:income"), {"ar": "1999"}).content.decode()
    assert "ingen huvudbok importerad för 1999" in html
    html = client.get(reverse("finance:income"), {"ar": "nittio"}).content.decode()
    assert "fyra siffror" in html


def test_unmapped_accounts_are_listed_on_the_page(world):
    make_year(world.federation, world.users["economist"], 2023, vouchers=[[("9100", 5), ("1930", -5)]])
    html = world.client("economist").get(reverse("finance:income"), {"ar": 2023}).content.decode()
    assert "saknas i kontomappningen: 9100" in html


def test_xlsx_download_has_numbers_in_tkr_and_bold_totals(world, ledger):
    response = world.client("economist").get(reverse("finance:income"), {"ar": 2023, "format": "xlsx"})
    assert response.status_code == 200
    assert "resultatrakning-2023.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert sheet["A1"].value == "Resultaträkning"
    assert rows["Verksamhetens intäkter"][2].value == 43902
    assert rows["Årets resultat"][2].value == 1376 and rows["Årets resultat"][3].value == 1441
    assert rows["Årets resultat"][2].font.bold and not rows["Medlemsavgifter"][2].font.bold
    assert "Belopp i tkr" in rows


def test_pdf_download(world, ledger):
    response = world.client("board").get(reverse("finance:notes"), {"ar": 2023, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_page_roles(world, ledger):
    url = reverse("finance:balance") + "?ar=2023"
    for role in ("admin", "economist", "board"):
        assert "SUMMA TILLGÅNGAR" in world.client(role).get(url).content.decode()
    for role in ("agent", "orderer"):
        assert world.client(role).get(url).status_code == 403
    assert world.client(None).get(url).status_code == 302
    # the outsider sees only its own federation, which has no ledger
    assert "SUMMA TILLGÅNGAR" not in world.client("outsider").get(url).content.decode()
    unpublished = world.client("member_contact").get(url).content.decode()
    assert "inte publicerade" in unpublished and "SUMMA TILLGÅNGAR" not in unpublished
    assert '<option value="2022"' not in unpublished  # not even which years are imported
    download = world.client("member_contact").get(url + "&format=xlsx")
    assert download["Content-Type"].startswith("text/html")
    FinanceSettings.objects.create(federation=world.federation, publish_statements=True)
    assert "SUMMA TILLGÅNGAR" in world.client("member_contact").get(url).content.decode()


# --- API ------------------------------------------------------------------------------------


def api_url(kind: str) -> str:
    return reverse("finance-api:statement", args=[kind])


def test_api_answers_the_issues_json(world, ledger):
    response = world.api("economist").get(api_url("income"), {"year": 2023})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"year", "lines", "warnings", "unit"}
    result = next(line for line in data["lines"] if line["key"] == "result")
    assert result == {"key": "result", "label": "Årets resultat", "amount": "1376000.00", "previous": "1441000.00"}
    for kind in ("balance", "cashflow", "balance-requirement", "financial-goal", "notes"):
        assert world.api("economist").get(api_url(kind), {"year": 2023}).status_code == 200, kind


def test_api_errors(world, ledger):
    client = world.api("economist")
    missing = client.get(api_url("income"))
    assert missing.status_code == 400 and "fyra siffror" in str(missing.json())
    assert client.get(api_url("income"), {"year": "x"}).status_code == 400
    not_found = client.get(api_url("income"), {"year": 2019})
    assert not_found.status_code == 404 and "2019" in not_found.json()["detail"]
    assert client.get(api_url("operating-statement"), {"year": 2023}).status_code == 404


def test_api_roles(world, ledger):
    url = api_url("balance") + "?year=2023"
    assert_roles(world, "get", url, allowed={"admin", "economist", "board"}, api=True)
    assert world.api("outsider").get(url).status_code in (403, 404)
    FinanceSettings.objects.create(federation=world.federation, publish_statements=True)
    assert world.api("member_contact").get(url).status_code == 200
