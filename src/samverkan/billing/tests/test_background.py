"""Invoice runs in the background (billing.tasks): the preview, the Peppol check of its drafts with a
verdict per invoice, issuing that only looks the verdicts up, failures that write nothing, the API's
`Prefer: respond-async`, and the command line running the same job with its progress bar."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from samverkan.billing import services
from samverkan.billing.models import Invoice, InvoiceRun, NumberSeries, RunStatus
from samverkan.billing.peppol import issuing
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.core.models import Job, JobStatus
from samverkan.members.models import Member

pytestmark = pytest.mark.django_db

PAGE = {"period": "2025-Q1", "timing": "arrears", "prorata_rule": "days"}


@pytest.fixture
def delivered(world):
    cat = make_catalogue(world.federation)
    for member in (world.member, world.other_member):
        order = catalogue_services.order_create(
            acting_user=system_actor(), item=cat.siths, department=member.departments.first(), quantity=Decimal(2)
        )
        catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=date(2025, 2, 2))
    return cat


def _preview_from_the_page(world):
    response = world.client("economist").post(reverse("billing:run-list"), PAGE)
    job = Job.objects.get(kind="billing.run_create")
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    return job, InvoiceRun.objects.get(period="2025-Q1")


def test_the_page_queues_the_preview_and_its_check(world, delivered):
    job, run = _preview_from_the_page(world)
    assert job.status == JobStatus.DONE and job.result_url == reverse("billing:run-detail", args=[run.pk])
    check = Job.objects.get(kind="billing.run_validate")
    assert check.status == JobStatus.DONE and check.params == {"run": run.pk}
    assert (check.done, check.total) == (2, 2)  # progress per invoice
    assert set(run.invoices.values_list("peppol_valid", flat=True)) == {True}
    page = world.client("economist").get(reverse("billing:run-detail", args=[run.pk])).content.decode()
    assert "Giltiga: 2. Med fel: 0." in page and "Alla 2 fakturor är giltiga e-fakturor." in page
    job_page = world.client("economist").get(job.result_url and reverse("core:job", args=[job.pk]))
    assert "Förhandsgranskningen är klar: 2 fakturor." in job_page.content.decode()


def test_issue_uses_the_verdicts_and_runs_no_rules(world, delivered, monkeypatch):
    _job, run = _preview_from_the_page(world)
    client = world.client("economist")
    client.post(reverse("billing:run-action", args=[run.pk, "godkann"]), {"bekraftat": "on"})

    def no_rules(xml):
        raise AssertionError("issue ran the Peppol rules although every draft had a fresh verdict")

    monkeypatch.setattr(issuing, "validate", no_rules)
    response = client.post(reverse("billing:run-action", args=[run.pk, "utfarda"]), {"bekraftat": "on"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.ISSUED
    assert Job.objects.get(kind="billing.run_issue").status == JobStatus.DONE


def test_a_draft_changed_after_its_check_is_checked_again_at_issue(world, delivered):
    _job, run = _preview_from_the_page(world)
    Member.objects.filter(pk=world.other_member.pk).update(orgnr="")  # not audited, not seen by any service
    page = world.client("economist").get(reverse("billing:run-detail", args=[run.pk])).content.decode()
    assert "Giltiga: 1. Med fel: 0. Inte kontrollerade (eller ändrade sedan kontrollen): 1." in page
    services.invoice_run_approve(acting_user=world.users["economist"], run=run)
    page = world.client("economist").post(
        reverse("billing:run-action", args=[run.pk, "utfarda"]), {"bekraftat": "on"}, follow=True
    )
    html = page.content.decode()
    assert "Arbetet misslyckades." in html and "PEPPOL-COMMON-R049" in html  # shown where it was started
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and not Invoice.objects.filter(issued=True).exists()
    assert not NumberSeries.objects.filter(last__gt=0).exists()


def test_an_invalid_verdict_is_shown_and_refuses_the_issue(world, delivered):
    Member.objects.filter(pk=world.other_member.pk).update(orgnr="")
    _job, run = _preview_from_the_page(world)
    bad = run.invoices.get(member=world.other_member)
    assert bad.peppol_valid is False and "PEPPOL-COMMON-R049" in bad.peppol_findings
    assert f"Utkastet för {world.other_member.name}" in bad.peppol_findings
    page = world.client("economist").get(reverse("billing:run-detail", args=[run.pk])).content.decode()
    assert "Med fel: 1." in page and "Kontrollera e-fakturorna" in page
    services.invoice_run_approve(acting_user=world.users["economist"], run=run)
    with pytest.raises(Exception, match="PEPPOL-COMMON-R049"):
        services.invoice_run_issue(acting_user=world.users["economist"], run=run)
    # Corrected, checked again from the page: it may be issued.
    Member.objects.filter(pk=world.other_member.pk).update(orgnr="212000-2494")
    world.client("economist").post(reverse("billing:run-action", args=[run.pk, "kontrollera"]))
    assert set(run.invoices.values_list("peppol_valid", flat=True)) == {True}
    services.invoice_run_issue(acting_user=world.users["economist"], run=run)


def test_a_refused_issue_job_writes_nothing_and_says_why_on_the_run(world, delivered):
    _job, run = _preview_from_the_page(world)  # a preview, not approved
    page = world.client("economist").post(
        reverse("billing:run-action", args=[run.pk, "utfarda"]), {"bekraftat": "on"}, follow=True
    )
    assert "Körningen måste godkännas innan den utfärdas." in page.content.decode()
    job = Job.objects.get(kind="billing.run_issue")
    assert job.status == JobStatus.FAILED
    run.refresh_from_db()
    assert run.status == RunStatus.PREVIEW and not NumberSeries.objects.filter(last__gt=0).exists()


def test_who_may_start_and_follow_run_jobs(world, delivered):
    job, run = _preview_from_the_page(world)
    url = reverse("core:job", args=[job.pk])
    for role, expected in [("economist", 200), ("admin", 200), ("board", 404), ("outsider", 404)]:
        assert world.client(role).get(url).status_code == expected, role
    assert world.client("board").post(reverse("billing:run-list"), PAGE).status_code == 403
    assert world.client("board").post(reverse("billing:run-action", args=[run.pk, "utfarda"])).status_code == 403
    assert world.client("outsider").post(reverse("billing:run-action", args=[run.pk, "kontrollera"])).status_code == 404


def test_api_respond_async(world, delivered):
    api = world.api("economist")
    response = api.post(reverse("billing-api:run-list"), {"period": "2025-Q1"}, format="json",
                        headers={"Prefer": "respond-async"})  # fmt: skip
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"] and body["status"] == "done"
    run = InvoiceRun.objects.get(period="2025-Q1")
    assert body["result_url"] == reverse("billing:run-detail", args=[run.pk])
    assert api.get(body["url"]).json()["status"] == "done"
    refused = api.post(reverse("billing-api:run-list"), {"period": "2999-Q1"}, format="json",
                       headers={"Prefer": "respond-async"})  # fmt: skip
    assert refused.status_code == 400  # checked before anything is queued
    api.post(reverse("billing-api:run-approve", args=[run.pk]))
    issued = api.post(reverse("billing-api:run-issue", args=[run.pk]), headers={"Prefer": "respond-async"})
    assert issued.status_code == 202 and issued.json()["status"] == "done"
    run.refresh_from_db()
    assert run.status == RunStatus.ISSUED


def test_api_stays_synchronous_without_the_header_and_queues_the_check(world, delivered):
    created = world.api("economist").post(reverse("billing-api:run-list"), {"period": "2025-Q1"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "preview"
    assert Job.objects.get(kind="billing.run_validate").params == {"run": created.json()["id"]}


def test_the_command_line_runs_the_same_work_in_process(world, delivered):
    stdout = io.StringIO()
    call_command("billing", "run", "--period", "2025-Q1", "--approve", "--federation", "testforbund",
                 stdout=stdout, stderr=io.StringIO())  # fmt: skip
    job = Job.objects.get(kind="billing.run_execute")
    assert job.status == JobStatus.DONE and job.task_id == ""  # run here, not queued
    assert "Avstämt" in stdout.getvalue()
    assert set(Invoice.objects.values_list("issued", flat=True)) == {True}
