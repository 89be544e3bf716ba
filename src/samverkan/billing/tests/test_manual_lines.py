"""Manual invoice lines: entered → approved by someone else (four eyes) → billed by the next run."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from samverkan.billing import services
from samverkan.billing.models import InvoiceLine, ManualLineStatus
from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent, User
from samverkan.testing import PASSWORD, assert_roles

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def second_economist(world):
    return User.objects.create_user(
        username="t-economist-2", password=PASSWORD, federation=world.federation, roles=["economist"]
    )


def enter(world, user=None, **extra):
    data = {
        "acting_user": user or world.users["economist"],
        "federation": world.federation,
        "member": world.member,
        "department": world.department,
        "description": "Konsulttimmar utöver avtal",
        "quantity": D("3"),
        "unit_price": D("950.00"),
        "vat_code": "25",
        "revenue_account": "3590",
        "activity": "81141",
        "period": "2025-03",
        **extra,
    }
    return services.manual_line_create(**data)


def test_four_eyes_approval_then_billed_once_by_the_next_run_of_its_period(world, second_economist):
    line = enter(world)
    assert line.status == ManualLineStatus.PENDING and (line.period_start.month, line.period_end.day) == (3, 31)
    before = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-03")
    assert not before.lines.exists()  # not approved: not billed
    services.invoice_run_discard(acting_user=system_actor(), run=before)

    with pytest.raises(ValidationError, match="fyraögonsprincipen"):
        services.manual_line_approve(acting_user=world.users["economist"], line=line)
    with pytest.raises(PermissionDenied):
        services.manual_line_approve(acting_user=world.users["board"], line=line)
    approved = services.manual_line_approve(acting_user=second_economist, line=line)
    assert approved.status == ManualLineStatus.APPROVED and approved.approved_by == second_economist
    assert AuditEvent.objects.filter(action="approve", object_id=str(line.pk)).exists()

    february = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-02")
    assert not february.lines.exists()  # its period has not ended by February's run
    run = services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-03", approve=True
    )
    billed = run.lines.get(source_type="manual")
    assert (billed.net, billed.invoice_reference, billed.revenue_account, billed.activity) == (
        D("2850.00"),
        "2481-SOC",
        "3590",
        "81141",
    )
    assert billed.invoice.issued and billed.invoice.vat == D("712.50")
    again = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-04")
    assert not again.lines.filter(source_type="manual").exists()

    with pytest.raises(ValidationError, match="ingår redan"):
        services.manual_line_withdraw(acting_user=world.users["economist"], line=line)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(pk=billed.pk).update(net=D("1"))  # issued lines never change


def test_an_approved_line_missed_by_its_run_is_billed_by_the_next(world):
    line = enter(world, period="2025-01")
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-01", approve=True
    )
    services.manual_line_approve(acting_user=world.users["admin"], line=line)
    run = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-02")
    assert run.lines.get().source_key == f"manual:{line.pk}"


def test_withdrawn_lines_are_never_billed_and_a_discarded_preview_frees_the_line(world):
    kept, withdrawn = enter(world), enter(world, description="Fel rad")
    services.manual_line_withdraw(acting_user=world.users["economist"], line=withdrawn)
    with pytest.raises(ValidationError):
        services.manual_line_approve(acting_user=world.users["admin"], line=withdrawn)
    services.manual_line_approve(acting_user=world.users["admin"], line=kept)
    preview = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-03")
    assert [ln.source_id for ln in preview.lines.all()] == [kept.pk]
    with pytest.raises(ValidationError, match="ingår redan"):
        services.manual_line_withdraw(acting_user=world.users["economist"], line=kept)
    services.invoice_run_discard(acting_user=system_actor(), run=preview)
    assert services.manual_line_withdraw(acting_user=world.users["economist"], line=kept).status == "withdrawn"


def test_manual_lines_refuse_bad_input_and_other_federations(world):
    with pytest.raises(ValidationError):
        enter(world, period="mars")
    with pytest.raises(ValidationError):
        enter(world, quantity=D(0))
    with pytest.raises(ValidationError):
        enter(world, member=world.other_member)  # the department belongs to another member
    with pytest.raises(ValidationError):
        enter(world, member=world.foreign_member, department=None)
    with pytest.raises(PermissionDenied):
        enter(world, user=world.users["board"])


def test_manual_line_pages(world, second_economist):
    assert_roles(world, "get", reverse("billing:manual-lines"), allowed={"admin", "economist"})
    assert_roles(world, "get", reverse("billing:manual-line-create"), allowed={"admin", "economist"})
    client = world.client("economist")
    response = client.post(
        reverse("billing:manual-line-create"),
        {
            "member": world.member.pk,
            "department": world.department.pk,
            "description": "Extra utbildningsdag",
            "quantity": "1",
            "unit_price": "12 500,00",
            "vat_code": "E",
            "revenue_account": "3591",
            "activity": "81141",
            "period": "2025-q2",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("billing:manual-lines")).content.decode()
    assert "Extra utbildningsdag" in page and "Att attestera" in page and "Attestera</button>" not in page
    from samverkan.billing.models import ManualLine

    line = ManualLine.objects.get(description="Extra utbildningsdag")
    assert line.period == "2025-Q2" and line.unit_price == D("12500.00")
    own = client.post(reverse("billing:manual-line-action", args=[line.pk, "attestera"]), follow=True)
    assert "fyraögonsprincipen" in own.content.decode()
    other = world.client("admin")
    assert "Attestera</button>" in other.get(reverse("billing:manual-lines")).content.decode()
    other.post(reverse("billing:manual-line-action", args=[line.pk, "attestera"]))
    line.refresh_from_db()
    assert line.status == "approved"
    board = world.client("board").post(reverse("billing:manual-line-action", args=[line.pk, "aterkalla"]))
    assert board.status_code == 403
    bad = client.post(reverse("billing:manual-line-create"), {"member": world.foreign_member.pk, "period": "x"})
    assert bad.status_code == 200 and "Ange en period" in bad.content.decode()


def test_manual_line_api(world, second_economist):
    assert_roles(world, "get", "/api/v1/billing/manual-lines/", allowed={"admin", "economist"}, api=True)
    body = {
        "member": world.member.pk,
        "description": "Licens utöver avtal",
        "quantity": "2",
        "unit_price": "100.50",
        "vat_code": "25",
        "revenue_account": "3590",
        "period": "2025-03",
    }
    api = world.api("economist")
    created = api.post("/api/v1/billing/manual-lines/", body, format="json")
    assert created.status_code == 201, created.data
    assert created.data["status"] == "pending" and created.data["invoiced"] is False
    pk = created.data["id"]
    own = api.post(f"/api/v1/billing/manual-lines/{pk}/approve/")
    assert own.status_code == 400 and "fyraögonsprincipen" in str(own.data)
    assert world.api("board").post(f"/api/v1/billing/manual-lines/{pk}/approve/").status_code == 403
    assert world.api("board").post("/api/v1/billing/manual-lines/", body, format="json").status_code == 403
    assert world.api("outsider").post(f"/api/v1/billing/manual-lines/{pk}/approve/").status_code == 404
    second = world.api(None)
    second.force_authenticate(second_economist)
    approved = second.post(f"/api/v1/billing/manual-lines/{pk}/approve/")
    assert approved.status_code == 200 and approved.data["status"] == "approved"
    services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-03")
    listed = api.get(f"/api/v1/billing/manual-lines/{pk}/").data
    assert listed["invoiced"] is True and listed["billed_run"]
    assert api.post(f"/api/v1/billing/manual-lines/{pk}/withdraw/").status_code == 400
    foreign = api.post("/api/v1/billing/manual-lines/", {**body, "member": world.foreign_member.pk}, format="json")
    assert foreign.status_code == 400
