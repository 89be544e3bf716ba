"""Approve and Issue name what they will do and need a ticked box; four eyes, when the federation asks for it,
keeps the one who approved a run from issuing it (service, page and API); a credit note's page reads as one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.billing import services
from samverkan.billing.models import BillingProfile, InvoiceRun, RunStatus
from samverkan.billing.selectors import profile_for
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def preview(world) -> InvoiceRun:
    cat = make_catalogue(world.federation)
    for member in (world.member, world.other_member):
        order = catalogue_services.order_create(
            acting_user=system_actor(), item=cat.siths, department=member.departments.first(), quantity=Decimal(2)
        )
        catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=date(2025, 2, 2))
    return services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")


def _action(world, role, run, action, **data):
    url = reverse("billing:run-action", args=[run.pk, action])
    return world.client(role).post(url, data, follow=True)


def _four_eyes(world, on: bool) -> None:
    profile_for(world.federation)
    BillingProfile.objects.filter(federation=world.federation).update(four_eyes=on)


def test_the_page_names_count_total_and_numbers_and_needs_the_box(world, preview):
    page = world.client("economist").get(reverse("billing:run-detail", args=[preview.pk])).content.decode()
    total = sum(i.total for i in preview.invoices.all())
    assert "Godkänn 2 fakturor" in page and 'name="bekraftat"' in page and "required" in page
    refused = _action(world, "economist", preview, "godkann").content.decode()
    assert "Bekräfta först" in refused
    preview.refresh_from_db()
    assert preview.status == RunStatus.PREVIEW
    _action(world, "economist", preview, "godkann", bekraftat="on")
    preview.refresh_from_db()
    assert preview.status == RunStatus.APPROVED
    page = world.client("economist").get(reverse("billing:run-detail", args=[preview.pk])).content.decode()
    assert "Utfärda 2 fakturor" in page and "nummer F2025-00001–F2025-00002" in page
    assert f"{int(total):,}".replace(",", "\u00a0") in page or str(int(total)) in page
    _action(world, "economist", preview, "utfarda")
    preview.refresh_from_db()
    assert preview.status == RunStatus.APPROVED  # no box, no issue
    _action(world, "economist", preview, "utfarda", bekraftat="on")
    preview.refresh_from_db()
    assert preview.status == RunStatus.ISSUED
    numbers = sorted(preview.invoices.values_list("number", flat=True))
    assert numbers == ["F2025-00001", "F2025-00002"]


def test_roles_without_the_capability_are_refused_before_the_box(world, preview):
    for role in ("board", "member_contact"):
        response = world.client(role).post(reverse("billing:run-action", args=[preview.pk, "godkann"]))
        assert response.status_code in (403, 404), role
    assert world.client("outsider").post(reverse("billing:run-action", args=[preview.pk, "godkann"])).status_code == 404


def test_without_four_eyes_one_person_may_approve_and_issue(world, preview):
    economist = world.users["economist"]
    services.invoice_run_approve(acting_user=economist, run=preview)
    assert services.invoice_run_issue(acting_user=economist, run=preview).status == RunStatus.ISSUED


def test_four_eyes_refuses_the_approver_in_the_service(world, preview):
    _four_eyes(world, True)
    economist, admin = world.users["economist"], world.users["admin"]
    services.invoice_run_approve(acting_user=economist, run=preview)
    with pytest.raises(ValidationError, match="två olika personer"):
        services.invoice_run_issue(acting_user=economist, run=preview)
    preview.refresh_from_db()
    assert preview.status == RunStatus.APPROVED and not preview.invoices.filter(issued=True).exists()
    assert services.invoice_run_issue(acting_user=admin, run=preview).status == RunStatus.ISSUED
    actions = set(
        AuditEvent.objects.filter(object_id=str(preview.pk), action__startswith="run_").values_list("action", "actor")
    )
    assert ("run_approve", economist.pk) in actions and ("run_issue", admin.pk) in actions


def test_four_eyes_on_the_page(world, preview):
    _four_eyes(world, True)
    _action(world, "economist", preview, "godkann", bekraftat="on")
    page = _action(world, "economist", preview, "utfarda", bekraftat="on").content.decode()
    assert "två olika personer" in page
    preview.refresh_from_db()
    assert preview.status == RunStatus.APPROVED
    _action(world, "admin", preview, "utfarda", bekraftat="on")
    preview.refresh_from_db()
    assert preview.status == RunStatus.ISSUED


def test_four_eyes_in_the_api(world, preview):
    _four_eyes(world, True)
    api = world.api("economist")
    assert api.post(reverse("billing-api:run-approve", args=[preview.pk])).status_code == 200
    refused = api.post(reverse("billing-api:run-issue", args=[preview.pk]))
    assert refused.status_code == 400 and "två olika personer" in refused.content.decode()
    assert world.api("admin").post(reverse("billing-api:run-issue", args=[preview.pk])).status_code == 200
    settings = api.get(reverse("billing-api:profile")).json()
    assert settings["four_eyes"] is True and settings["change_warning_percent"] == 25


def test_a_credit_note_page_says_att_kreditera_and_why(world, preview):
    services.invoice_run_approve(acting_user=system_actor(), run=preview)
    services.invoice_run_issue(acting_user=system_actor(), run=preview)
    invoice = preview.invoices.first()
    note = services.credit_note_create(acting_user=world.users["economist"], invoice=invoice, reason="Fel antal")
    page = world.client("economist").get(reverse("billing:invoice-detail", args=[note.pk])).content.decode()
    assert "Att kreditera" in page and "Att betala" not in page and "Fel antal" in page
    original = world.client("economist").get(reverse("billing:invoice-detail", args=[invoice.pk])).content.decode()
    assert "Att betala" in original and "Att kreditera" not in original
