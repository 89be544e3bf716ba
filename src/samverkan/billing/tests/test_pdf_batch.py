"""All invoices of an issued run as PDFs in one ZIP (billing.pdf_batch): page, API, CLI, refusals."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from samverkan.billing import pdf_batch, services
from samverkan.billing.models import InvoiceRun
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core import jobs
from samverkan.core.actors import system_actor
from samverkan.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path


@pytest.fixture
def preview(world) -> InvoiceRun:
    cat = make_catalogue(world.federation)
    system = system_actor()
    for member in (world.member, world.other_member):
        order = catalogue_services.order_create(
            acting_user=system, item=cat.siths, department=member.departments.first(), quantity=Decimal(2)
        )
        catalogue_services.order_deliver(acting_user=system, order=order, delivered_on=date(2025, 2, 2))
    return services.invoice_run_create(
        acting_user=world.users["economist"], federation=world.federation, period="2025-Q1"
    )


@pytest.fixture
def issued(world, preview) -> InvoiceRun:
    economist = world.users["economist"]
    run = services.invoice_run_approve(acting_user=economist, run=preview)
    return services.invoice_run_issue(acting_user=economist, run=run)


def _names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
        return sorted(archive.namelist())


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_page_starts_the_batch_and_offers_the_zip(world, issued):
    client = world.client("economist")
    response = client.post(reverse("billing:run-pdf-batch", args=[issued.pk]))
    job = Job.objects.get(kind=pdf_batch.KIND)
    assert response.status_code == 302 and response.url == jobs.page_url(job)
    assert job.status == "done" and job.total == job.done == 2  # progress per invoice
    page = client.get(response.url).content.decode()
    assert "2 fakturor som PDF i en ZIP-fil." in page and job.result_url in page and "Hämta ZIP-filen" in page
    download = client.get(job.result_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert _names(_body(download)) == ["faktura-F2025-00001.pdf", "faktura-F2025-00002.pdf"]
    # who may not follow the job may not fetch its ZIP: a board member, another federation
    assert world.client("board").get(job.result_url).status_code == 403
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(job.result_url).status_code == 404
    admin = world.client("admin")  # holds VIEW_RUNS in the same federation: the job is theirs to follow
    assert admin.get(job.result_url).status_code == 200


def test_a_run_not_issued_is_refused_and_nothing_is_started(world, preview):
    response = world.client("economist").post(reverse("billing:run-pdf-batch", args=[preview.pk]), follow=True)
    assert "Bara en utfärdad körnings fakturor kan hämtas som PDF." in response.content.decode()
    assert not Job.objects.filter(kind=pdf_batch.KIND).exists()
    api = world.api("economist").post(reverse("billing-api:run-pdf-batch", args=[preview.pk]))
    assert api.status_code == 400
    assert world.client("board").post(reverse("billing:run-pdf-batch", args=[preview.pk])).status_code == 403


def test_api_answers_202_and_the_zip_can_be_fetched(world, issued):
    api = world.api("admin")
    response = api.post(reverse("billing-api:run-pdf-batch", args=[issued.pk]))
    assert response.status_code == 202 and response.json()["status"] == "done"
    assert response.json()["result_label"] == "Hämta ZIP-filen"
    token = response.json()["result_url"].rstrip("/").rsplit("/", 1)[1]
    url = reverse("billing-api:run-pdf-batch-file", args=[issued.pk, token])
    fetched = api.get(url)
    assert fetched.status_code == 200 and len(_names(_body(fetched))) == 2
    assert api.get(reverse("billing-api:run-pdf-batch-file", args=[issued.pk, "0" * 32])).status_code == 404
    foreign = world.api("admin")
    foreign.force_authenticate(world.outsider)
    assert foreign.get(url).status_code == 404
    assert world.api("member_contact").post(reverse("billing-api:run-pdf-batch", args=[issued.pk])).status_code == 403


def test_a_failure_leaves_no_zip(world, issued, monkeypatch, tmp_path):
    def broken(invoice):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(pdf_batch.adapters, "invoice_pdf_download", broken)
    response = world.api("economist").post(reverse("billing-api:run-pdf-batch", args=[issued.pk]))
    assert response.json()["status"] == "failed" and "Inget av arbetet sparades" in response.json()["error"]
    assert not [p for p in (tmp_path / "jobb").iterdir() if p.suffix in (".zip", ".tmp")]


def test_cli_writes_the_zip(world, issued, tmp_path):
    target = tmp_path / "run.zip"
    out = io.StringIO()
    call_command("billing", "pdf-batch", str(issued.pk), "-o", str(target), stdout=out)
    assert _names(target.read_bytes()) == ["faktura-F2025-00001.pdf", "faktura-F2025-00002.pdf"]
    assert "2 fakturor" in out.getvalue()
    assert not list((tmp_path / "jobb").glob("*.zip"))  # the command's copy only
    with pytest.raises(CommandError, match="finns inte"):
        call_command("billing", "pdf-batch", "999999", "-o", str(target))
