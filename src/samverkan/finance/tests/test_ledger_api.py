"""Ledger API: import (summary JSON; 400 with the line number), years, accounts, vouchers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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


@pytest.mark.django_db
def test_import(world):
    response = _post(world.api("economist"), ledger_4e())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["fiscal_year"]["year"] == 2023 and body["replaced"] is False
    assert body["changes"]["transactions"] == {"before": None, "after": 5}
    again = _post(world.api("admin"), ledger_4e(extra_voucher=True), encoding="cp437")
    assert again.status_code == 201 and again.json()["replaced"] is True
    assert again.json()["changes"]["vouchers"] == {"before": 2, "after": 3}


@pytest.mark.django_db
def test_bad_file_400_with_line(world, year):
    before = (Voucher.objects.count(), Transaction.objects.count())
    bad = ledger_4e().replace(b'#VER A 2 20230420 "L\x94ner april" 20230421', b'#VER A 2 20230420 "x" 2023-04-21')
    response = _post(world.api("economist"), bad)
    assert response.status_code == 400
    assert response.json()[0].startswith("rad 40: #VER: datumet")
    wrong = _post(world.api("economist"), ledger_4e(orgnr="2120002486"))
    assert wrong.status_code == 400 and "2120002486" in wrong.json()[0]
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
