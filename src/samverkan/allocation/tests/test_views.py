import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.allocation import services
from samverkan.allocation.models import AllocationKey, AllocationRun, CostPool, KeyKind, RunStatus
from samverkan.core.actors import system_actor
from samverkan.testing import assert_roles

READERS = {"admin", "economist", "board"}
WRITERS = {"admin", "economist"}


@pytest.fixture
def pool(make_pool):
    return make_pool(Decimal(17800))


def test_read_pages_role_matrix(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="r")
    for url in [
        reverse("allocation:pool-list"),
        reverse("allocation:pool-detail", args=[pool.pk]),
        reverse("allocation:key-list"),
        reverse("allocation:key-detail", args=[pool.key_id]),
        reverse("allocation:run-detail", args=[run.pk]),
        reverse("allocation:run-export", args=[run.pk, "csv"]),
        reverse("allocation:run-export", args=[run.pk, "xlsx"]),
        reverse("allocation:run-compare"),
        reverse("allocation:decision-basis"),
        reverse("allocation:calculator"),
    ]:
        assert_roles(world, "get", url, allowed=READERS)


def test_write_pages_role_matrix(world, pool):
    for url in [
        reverse("allocation:pool-create"),
        reverse("allocation:key-create"),
        reverse("allocation:pool-edit", args=[pool.pk]),
    ]:
        assert_roles(world, "get", url, allowed=WRITERS)


def test_other_federation_gets_404(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="r")
    client = world.client("outsider")
    for url in [
        reverse("allocation:pool-detail", args=[pool.pk]),
        reverse("allocation:run-detail", args=[run.pk]),
        reverse("allocation:key-detail", args=[pool.key_id]),
        reverse("allocation:run-export", args=[run.pk, "csv"]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("allocation:run-approve", args=[run.pk])).status_code == 404


def test_set_up_key_pool_and_run_through_pages(world):
    client = world.client("economist")
    response = client.post(reverse("allocation:key-create"), {"name": "Beslutad tabell", "kind": "decided"})
    key = AllocationKey.objects.get(name="Beslutad tabell")
    assert response.status_code == 302
    values = {f"m{world.member.pk}": "600", f"m{world.other_member.pk}": "400"}
    assert client.post(reverse("allocation:key-values", args=[key.pk]), values).status_code == 302
    response = client.post(
        reverse("allocation:pool-create"),
        {
            "name": "Avgift 2025",
            "kind": "membership",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "total": "1000",
            "key": key.pk,
            "unit": "krona",
            "prorata": "none",
        },
    )
    pool = CostPool.objects.get(name="Avgift 2025")
    assert response.status_code == 302
    response = client.post(
        reverse("allocation:pool-detail", args=[pool.pk]), {"label": "Avgift 2025", "kind": "ordinary"}
    )
    run = AllocationRun.objects.get(pool=pool)
    assert response.status_code == 302 and response["Location"].endswith(f"/korningar/{run.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "600\u00a0kr" in page and "1\u00a0000\u00a0kr" in page
    assert client.post(reverse("allocation:run-approve", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    client.post(reverse("allocation:run-delete", args=[run.pk]))
    assert AllocationRun.objects.filter(pk=run.pk).exists()


def test_form_errors_are_shown(world, pool):
    client = world.client("economist")
    response = client.post(reverse("allocation:key-create"), {"name": "U", "kind": "users"})
    assert response.status_code == 200 and "referensdatum" in response.content.decode()
    response = client.post(
        reverse("allocation:pool-create"),
        {
            "name": "Fel",
            "kind": "service",
            "period_start": "2025-12-31",
            "period_end": "2025-01-01",
            "total": "1",
            "key": pool.key_id,
            "unit": "krona",
            "prorata": "none",
        },
    )
    assert "Perioden slutar innan den börjar" in response.content.decode()
    early = services.key_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Tidig",
        kind=KeyKind.POPULATION,
        reference_date="2000-01-01",
    )
    response = client.post(
        reverse("allocation:pool-detail", args=[pool.pk]), {"label": "x", "kind": "ordinary", "key": early.pk}
    )
    assert response.status_code == 200 and "saknar värde för Lycksele kommun" in response.content.decode()
    board = world.client("board")
    assert (
        board.post(reverse("allocation:pool-detail", args=[pool.pk]), {"label": "x", "kind": "ordinary"}).status_code
        == 403
    )


def test_mix_component_page(world):
    client = world.client("economist")
    mix = services.key_create(acting_user=system_actor(), federation=world.federation, name="Mix", kind=KeyKind.MIX)
    equal = services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Lika", kind=KeyKind.EQUAL
    )
    response = client.post(
        reverse("allocation:key-component-add", args=[mix.pk]), {"component": equal.pk, "weight": "50"}
    )
    assert response.status_code == 302 and mix.components.count() == 1
    assert client.get(reverse("allocation:key-component-add", args=[equal.pk])).status_code == 404


def test_exports_sum_exactly(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="Telefoni 2025")
    client = world.client("board")
    body = client.get(reverse("allocation:run-export", args=[run.pk, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][0] == "Medlem"
    assert [r[-1] for r in rows[1:]] == ["12000", "5800", "17800"]
    xlsx = client.get(reverse("allocation:run-export", args=[run.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [sheet.cell(row=r, column=5).value for r in (2, 3, 4)] == [12000, 5800, 17800]
    assert client.get(reverse("allocation:run-export", args=[run.pk, "pdf"])).status_code == 404


def test_compare_page_and_export(world, pool):
    first = services.run_create(acting_user=system_actor(), pool=pool, label="Preliminär")
    equal = services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Lika", kind=KeyKind.EQUAL
    )
    second = services.run_create(acting_user=system_actor(), pool=pool, label="Slutlig", key=equal)
    client = world.client("economist")
    page = client.get(reverse("allocation:run-compare"), {"first": first.pk, "second": second.pk}).content.decode()
    assert "\u22123\u00a0100,00\u00a0kr" in page  # Lycksele: 8 900 − 12 000
    body = client.get(reverse("allocation:run-compare"), {"first": first.pk, "second": second.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["Lycksele kommun", "12000", "8900", "-3100"]
    assert rows[-1] == ["Summa", "17800", "17800", "0"]


def test_calculator_page(world):
    client = world.client("economist")
    upload = SimpleUploadedFile("k.csv", b"member;population\nA;1000\nB;3000\n")
    response = client.post(
        reverse("allocation:calculator"), {"file": upload, "total": "100", "key": "population", "unit": "krona"}
    )
    text = response.content.decode()
    assert "25\u00a0kr" in text and "75\u00a0kr" in text
    bad = SimpleUploadedFile("k.csv", b"member;population\nA;x\n")
    response = client.post(
        reverse("allocation:calculator"), {"file": bad, "total": "100", "key": "population", "unit": "krona"}
    )
    assert "rad 2: population: «x» är inte ett tal" in response.content.decode()


def test_business_case_page_shows_seed_003(world):
    page = world.client("economist").get(reverse("allocation:business-case")).content.decode()
    for figure in [
        "2\u00a0300\u00a0000\u00a0kr",
        "460\u00a0000\u00a0kr",
        "1\u00a0360\u00a0000\u00a0kr",
        "900\u00a0000\u00a0kr",
        "360\u00a0000\u00a0kr",
        "573,33\u00a0kr",
        "420,00\u00a0kr",
    ]:
        assert figure in page, figure


def test_business_case_member_shares_and_errors(world):
    key = services.key_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Invånare",
        kind=KeyKind.POPULATION,
        reference_date="2023-11-01",
    )
    client = world.client("economist")
    from samverkan.allocation.forms import BusinessCaseForm

    data = {**BusinessCaseForm.defaults(), "key": key.pk, "per_user": "0", "first_year": "2025"}
    page = client.get(reverse("allocation:business-case"), data).content.decode()
    # 1 360 000 by population 12 000 : 5 800 → 916 854 + 443 146
    assert "916\u00a0854\u00a0kr" in page and "443\u00a0146\u00a0kr" in page
    bad = client.get(reverse("allocation:business-case"), {**data, "components": "Plattform 1000"}).content.decode()
    assert "Rad 1: skriv" in bad
    bad = client.get(reverse("allocation:business-case"), {**data, "components": "Plattform; mycket"}).content.decode()
    assert "Rad 1: mycket är inte ett belopp" in bad
    assert_roles(world, "get", reverse("allocation:business-case"), allowed=READERS)


def test_pool_edit_saves_and_audits(world, pool):
    from samverkan.core.models import AuditEvent

    client = world.client("economist")
    response = client.post(
        reverse("allocation:pool-edit", args=[pool.pk]),
        {
            "name": "Telefoni 2025",
            "kind": "service",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "total": "20000",
            "key": pool.key_id,
            "services": [world.service.pk],
            "unit": "krona",
            "prorata": "none",
        },
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert pool.total == Decimal(20000)
    assert AuditEvent.objects.filter(object_type="allocation.CostPool", action="update").exists()


def test_run_page_explains_each_amount(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="Telefoni 2025")
    page = world.client("board").get(reverse("allocation:run-detail", args=[run.pk])).content.decode()
    assert "Folkmängd: 12\u00a0000" in page and "12\u00a0000\u00a0kr" in page
    assert "&quot;reference_date&quot;: &quot;2023-11-01&quot;" in page  # the stored inputs
    assert "Godkänn" not in page  # board members read, they do not approve


def test_member_contact_sees_only_own_approved_amounts(world, pool):
    run = services.run_create(acting_user=system_actor(), pool=pool, label="Telefoni 2025")
    draft = services.run_create(acting_user=system_actor(), pool=pool, label="Utkast som inte syns")
    services.run_approve(acting_user=system_actor(), run=run)
    url = reverse("allocation:member-costs")
    assert_roles(world, "get", url, allowed=READERS | {"member_contact"})
    page = world.client("member_contact").get(url).content.decode()
    # in the unit the run was rounded to (whole kronor here), as on the run's own page
    assert "Lycksele kommun" in page and "12\u00a0000\u00a0kr" in page
    assert "Storuman kommun" not in page and draft.label not in page
    economist = world.client("economist").get(url, {"medlem": world.other_member.pk}).content.decode()
    assert "5\u00a0800\u00a0kr" in economist
    api = world.api("member_contact").get(reverse("allocation-api:line-list")).json()
    assert [(r["member_name"], r["amount"]) for r in api["results"]] == [("Lycksele kommun", "12000.00")]
    assert world.api("outsider").get(reverse("allocation-api:line-list")).json()["results"] == []
    assert world.api("orderer").get(reverse("allocation-api:line-list")).status_code == 403


def test_pool_page_previews_the_allocation(world, pool):
    page = world.client("board").get(reverse("allocation:pool-detail", args=[pool.pk])).content.decode()
    assert "Förhandsberäkning" in page and "Folkmängd: 5\u00a0800" in page and "17\u00a0800\u00a0kr" in page
    equal = services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Lika", kind=KeyKind.EQUAL
    )
    services.pool_update(acting_user=system_actor(), pool=pool, data={"comparison_key": equal})
    page = world.client("board").get(reverse("allocation:pool-detail", args=[pool.pk])).content.decode()
    assert "Enligt Lika" in page and "3\u00a0100\u00a0kr" in page and "\u22123\u00a0100\u00a0kr" in page
    early = services.key_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Tidig",
        kind=KeyKind.POPULATION,
        reference_date="2000-01-01",
    )
    services.pool_update(acting_user=system_actor(), pool=pool, data={"key": early})
    page = world.client("board").get(reverse("allocation:pool-detail", args=[pool.pk])).content.decode()
    assert "saknar värde för Lycksele kommun" in page
