"""Ledger pages: import (with the change summary, errors with the line), the year, vouchers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.finance.models import FiscalYear, Transaction, Voucher
from samverkan.finance.services.ledger import import_sie
from samverkan.finance.tests.ledger_files import ledger_4e
from samverkan.testing import assert_roles


def _upload(data: bytes, name: str = "bok.se"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def year(world):
    return import_sie(
        acting_user=world.users["admin"], federation=world.federation, data=ledger_4e(), source_name="bok.se"
    ).fiscal_year


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path  # uploads kept for the background job


@pytest.mark.django_db
def test_import_page_shows_summary(world):
    client = world.client("economist")
    page = client.get(reverse("finance:import"))
    assert page.status_code == 200 and "200" in page.content.decode()  # the limit is stated
    response = client.post(reverse("finance:import"), {"file": _upload(ledger_4e()), "encoding": ""}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and "?jobb=" in response.redirect_chain[0][0]
    assert "Räkenskapsår 2023 är importerat" in text and "första gången" in text
    assert FiscalYear.objects.get().source_name == "bok.se"
    again = client.post(
        reverse("finance:import"), {"file": _upload(ledger_4e(extra_voucher=True)), "encoding": "cp437"}, follow=True
    )
    assert "ersattes" in again.content.decode()


@pytest.mark.django_db
def test_import_page_bad_line_shows_line_and_writes_nothing(world, year):
    before = (Voucher.objects.count(), Transaction.objects.count())
    bad = ledger_4e(extra_voucher=True).replace(b"#TRANS 6310 {} 300.00", b"#TRANS 6310 {} 3x0.00")
    response = world.client("admin").post(reverse("finance:import"), {"file": _upload(bad)}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and "rad " in text and "#TRANS" in text and "Arbetet misslyckades" in text
    assert (Voucher.objects.count(), Transaction.objects.count()) == before
    wrong = world.client("admin").post(
        reverse("finance:import"), {"file": _upload(ledger_4e(orgnr="2120002486"))}, follow=True
    )
    assert "2120002486" in wrong.content.decode()
    assert (Voucher.objects.count(), Transaction.objects.count()) == before


@pytest.mark.django_db
def test_import_page_roles(world):
    assert_roles(world, "get", reverse("finance:import"), allowed={"admin", "economist"})


@pytest.mark.django_db
def test_refused_roles_cannot_post(world):
    for role in ("board", "member_contact", "orderer", "agent"):
        response = world.client(role).post(reverse("finance:import"), {"file": _upload(ledger_4e())})
        assert response.status_code == 403
    assert FiscalYear.objects.count() == 0


@pytest.mark.django_db
def test_year_page_and_vouchers(world, year):
    client = world.client("economist")
    page = client.get(reverse("finance:fiscal_year", args=[2023]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bank" in text and "114\u00a0500,00" in text and "Klass 1" in text and "bok.se" in text
    assert "Årets resultat" in text and "14\u00a0500,00" in text
    listing = client.get(reverse("finance:vouchers", args=[2023]), {"konto": "5010"})
    assert listing.status_code == 200 and "Löner april" in listing.content.decode()
    assert "Medlemsavgift Lycksele" not in listing.content.decode()
    by_series = client.get(reverse("finance:vouchers", args=[2023]), {"serie": "A", "fran": "2023-04-01"})
    assert "Löner april" in by_series.content.decode() and "Medlemsavgift" not in by_series.content.decode()
    bad_filter = client.get(reverse("finance:vouchers", args=[2023]), {"fran": "igår", "sida": "x"})
    assert bad_filter.status_code == 200 and "Löner april" in bad_filter.content.decode()
    voucher = Voucher.objects.get(number="2")
    detail = client.get(reverse("finance:voucher", args=[voucher.pk]))
    assert detail.status_code == 200 and "1:81143 6:P12" in detail.content.decode()
    assert_roles(world, "get", reverse("finance:fiscal_year", args=[2023]), allowed={"admin", "economist"})
    assert_roles(world, "get", reverse("finance:ledger"), allowed={"admin", "economist"})


@pytest.mark.django_db
def test_outsider_gets_404(world, year):
    client = world.client("outsider")
    voucher = Voucher.objects.first()
    assert client.get(reverse("finance:voucher", args=[voucher.pk])).status_code == 404
    assert client.get(reverse("finance:fiscal_year", args=[2023])).status_code == 404
    assert client.get(reverse("finance:vouchers", args=[2023])).status_code == 404


@pytest.mark.django_db
def test_year_page_of_balances_only(world):
    from samverkan.finance.tests.ledger_files import balances_type1

    import_sie(acting_user=world.users["admin"], federation=world.federation, data=balances_type1(), source_name="b.se")
    text = world.client("admin").get(reverse("finance:fiscal_year", args=[2023])).content.decode()
    assert "endast saldon" in text and "60\u00a0000,00" in text
