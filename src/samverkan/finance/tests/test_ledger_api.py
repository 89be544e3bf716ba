"""Ledger API: import (a background job: summary, or the line number of a bad line), years, accounts, vouchers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.finance.models import FiscalYear, Transaction, Voucher
from samverkan.finance.services.ledger import import_sie
from samverkan.finance.tests.ledger_files import ledger_4e
from samverkan.testing import assert_roles

BASE = "/api/v1/finance/"


def _post(client, data: bytes, **extra):
    return client.post(
        f"{BASE}ledger/import/", {"file": SimpleUploadedFile("bok.se", data), **extra}, format="multipart"
    )


@pytest.fixture
def year(world):
    return import_sie(
        acting_user=world.users["admin"], federation=world.federation, data=ledger_4e(), source_name="bok.se"
    ).fiscal_year


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path  # uploads kept for the background job


@pytest.mark.django_db
def test_import(world):
    """202 and the background job; when done its message is the change summary, its result the year."""
    response = _post(world.api("economist"), ledger_4e())
    assert response.status_code == 202, response.content
    job = world.api("economist").get(response["Location"]).json()
    assert job["status"] == "done" and job["result_url"] == reverse("finance:fiscal_year", args=[2023])
    assert "Räkenskapsår 2023 är importerat" in job["message"] and "första gången" in job["message"]
    assert Transaction.objects.count() == 5
    again = _post(world.api("admin"), ledger_4e(extra_voucher=True), encoding="cp437")
    assert again.status_code == 202 and again.json()["status"] == "done"
    assert Voucher.objects.count() == 3


@pytest.mark.django_db
def test_bad_file_fails_the_job_with_line(world, year):
    before = (Voucher.objects.count(), Transaction.objects.count())
    bad = ledger_4e().replace(b'#VER A 2 20230420 "L\x94ner april" 20230421', b'#VER A 2 20230420 "x" 2023-04-21')
    response = _post(world.api("economist"), bad)
    assert response.status_code == 202 and response.json()["status"] == "failed"
    assert response.json()["error"].startswith("rad 40: #VER: datumet")
    wrong = _post(world.api("economist"), ledger_4e(orgnr="2120002486")).json()
    assert wrong["status"] == "failed" and "2120002486" in wrong["error"]
    assert (Voucher.objects.count(), Transaction.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["board", "member_contact", "orderer", "agent"])
def test_import_refused(world, role):
    assert _post(world.api(role), ledger_4e()).status_code == 403
    assert FiscalYear.objects.count() == 0


@pytest.mark.django_db
def test_reads(world, year):
    api = world.api("economist")
    years = api.get(f"{BASE}fiscal-years/").json()
    assert [y["year"] for y in years["results"]] == [2023]
    accounts = api.get(f"{BASE}accounts/").json()["results"]
    assert {"number": "3010", "name": "Medlemsavgifter", "account_type": "I", "sru": "7410"} in accounts
    vouchers = api.get(f"{BASE}fiscal-years/{year.pk}/vouchers/", {"account": "5010"}).json()
    assert vouchers["count"] == 1 and vouchers["results"][0]["transactions"][0]["object_list"] == "1:81143 6:P12"
    voucher_id = vouchers["results"][0]["id"]
    assert api.get(f"{BASE}vouchers/{voucher_id}/").json()["text"] == "Löner april"
    for url in (f"{BASE}fiscal-years/", f"{BASE}accounts/", f"{BASE}fiscal-years/{year.pk}/vouchers/"):
        assert_roles(world, "get", url, allowed={"admin", "economist"}, api=True)


@pytest.mark.django_db
def test_cross_federation_404(world, year):
    api = world.api("outsider")
    voucher = Voucher.objects.first()
    assert api.get(f"{BASE}fiscal-years/{year.pk}/").status_code == 404
    assert api.get(f"{BASE}fiscal-years/{year.pk}/vouchers/").status_code == 404
    assert api.get(f"{BASE}vouchers/{voucher.pk}/").status_code == 404
    assert api.get(f"{BASE}fiscal-years/").json()["results"] == []
    assert api.get(f"{BASE}accounts/").json()["results"] == []
