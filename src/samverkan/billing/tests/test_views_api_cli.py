"""Pages, API and CLI of billing on one small world: roles, scoping, files, JSON contract."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.billing import selectors, services
from samverkan.billing.exporters import sie
from samverkan.billing.models import Invoice, InvoiceRun
from samverkan.billing.peppol.validate import fatal, validate
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def issued(world):
    cat = make_catalogue(world.federation)
    for dept, item, qty in ((world.department, cat.siths, 3), (world.other_department, cat.course, 1)):
        order = catalogue_services.order_create(acting_user=system_actor(), item=item, department=dept, quantity=D(qty))
        catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=date(2025, 2, 2))
    other = catalogue_services.order_create(
        acting_user=system_actor(), item=cat.siths, department=world.other_member.departments.get(), quantity=D(2)
    )
    catalogue_services.order_deliver(acting_user=system_actor(), order=other, delivered_on=date(2025, 3, 3))
    catalogue_services.subscription_create(
        acting_user=system_actor(), item=cat.membership, department=world.department, start=date(2025, 1, 1)
    )
    run = services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    )
    return run


def out(*args) -> str:
    buffer = io.StringIO()
    call_command("billing", *args, stdout=buffer, stderr=io.StringIO())
    return buffer.getvalue()


def test_cli_invoices_json_contract_and_table(world, issued):
    rows = json.loads(out("invoices", "--period", "2025-Q1", "--format", "json", "--federation", "testforbund"))
    assert [set(r) for r in rows] == [{"number", "member", "issue_date", "net", "vat", "total"}] * 3
    lycksele = [r for r in rows if r["member"] == "Lycksele kommun"]
    assert {r["total"] for r in lycksele} == {"2812.50", "3000.00"}  # 3 × 350 × 1.25 + 1500 exempt; O apart
    assert all(r["issue_date"] == "2025-04-01" for r in rows)
    assert json.loads(out("invoices", "--period", "2025-Q2", "--format", "json", "--federation", "testforbund")) == []
    assert len(json.loads(out("invoices", "--period", "2025", "--format", "json", "--federation", "testforbund"))) == 3
    table = out("invoices", "--federation", "testforbund")
    assert "F2025-00001" in table and "3 fakturor" in table


def test_cli_run_again_finds_nothing_and_exports(world, issued, tmp_path):
    assert "Inget nytt att fakturera" in out("run", "--period", "2025-Q1", "--federation", "testforbund")
    assert InvoiceRun.objects.count() == 1
    number = Invoice.objects.filter(member=world.member, vat_scope="V").get().number
    xml = tmp_path / "f.xml"
    out("export-peppol", number, "-o", str(xml), "--federation", "testforbund")
    assert fatal(validate(xml.read_bytes())) == []
    se = tmp_path / "run.se"
    out("export-sie", str(issued.pk), "-o", str(se))
    parsed = sie.read(se.read_bytes())
    assert sum((t.amount for v in parsed.vouchers for t in v.transactions if t.account == "1510"), D(0)) == sum(
        (i.total for i in issued.invoices.all()), D(0)
    )
    with pytest.raises(CommandError, match="ingen utfärdad faktura"):
        out("export-peppol", "F1999-00001", "-o", str(xml))
    with pytest.raises(CommandError, match="ingen körning"):
        out("export-sie", "999", "-o", str(se))
    with pytest.raises(CommandError, match=r"period"):
        out("run", "--period", "2025-Q9", "--federation", "testforbund")


def test_every_issued_document_passes_peppol(world, issued):
    invoice = Invoice.objects.filter(member=world.member, vat_scope="V").get()
    credit = services.credit_note_create(
        acting_user=system_actor(),
        invoice=invoice,
        quantities={invoice.lines.first().pk: D(1)},
        reason="Fel antal",
        issue_date=date(2025, 4, 20),
    )
    from samverkan.billing.exporters import adapters

    for document in [*Invoice.objects.filter(issued=True)]:
        findings = fatal(validate(adapters.peppol_bytes(document)))
        assert findings == [], (document.number, findings)
    assert credit.number == "K2025-00001"


def test_page_roles_and_scoping(world, issued):
    assert_roles(world, "get", reverse("billing:run-list"), allowed={"admin", "economist"})
    assert_roles(world, "get", reverse("billing:run-detail", args=[issued.pk]), allowed={"admin", "economist"})
    assert_roles(
        world, "get", reverse("billing:invoice-list"), allowed={"admin", "economist", "board", "member_contact"}
    )
    theirs = Invoice.objects.get(member=world.other_member)
    ours = Invoice.objects.filter(member=world.member).first()
    contact = world.client("member_contact")
    assert contact.get(reverse("billing:invoice-detail", args=[theirs.pk])).status_code == 404
    assert contact.get(reverse("billing:invoice-detail", args=[ours.pk])).status_code == 200
    assert theirs.number not in contact.get(reverse("billing:invoice-list")).content.decode()
    assert world.client("outsider").get(reverse("billing:run-detail", args=[issued.pk])).status_code == 404
    pdf = contact.get(reverse("billing:invoice-pdf", args=[ours.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xml = contact.get(reverse("billing:invoice-peppol", args=[ours.pk]))
    assert xml.status_code == 200 and b"urn:fdc:peppol.eu:2017:poacc:billing:3.0" in xml.content


def test_full_cycle_from_the_pages(world, issued):
    client = world.client("economist")
    response = client.post(
        reverse("billing:run-list"), {"period": "2025-Q2", "timing": "arrears", "prorata_rule": "days"}
    )
    run = InvoiceRun.objects.get(period="2025-Q2")
    assert response.status_code == 302 and run.status == "preview"
    client.post(reverse("billing:run-action", args=[run.pk, "godkann"]), {"bekraftat": "on"})
    client.post(reverse("billing:run-action", args=[run.pk, "utfarda"]), {"bekraftat": "on"})
    run.refresh_from_db()
    assert run.status == "issued"
    page = client.get(reverse("billing:run-detail", args=[run.pk])).content.decode()
    assert "Avstämt" in page
    sie_file = client.get(reverse("billing:run-sie", args=[run.pk]))
    assert sie_file.content.startswith(b"#FLAGGA 0\r\n")
    xlsx = client.get(reverse("billing:run-xlsx", args=[run.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Per medlem"]
    assert sheet["A2"].value == "Medlem"
    bad = client.post(reverse("billing:run-list"), {"period": "Q2", "timing": "arrears", "prorata_rule": "days"})
    assert bad.status_code == 200 and InvoiceRun.objects.count() == 2
    # credit from the invoice page
    invoice = Invoice.objects.filter(member=world.member, vat_scope="V").get()
    line = invoice.lines.first()
    response = client.post(
        reverse("billing:invoice-detail", args=[invoice.pk]), {"reason": "Fel", f"line_{line.pk}": "1"}
    )
    assert response.status_code == 302 and Invoice.objects.filter(kind="381").count() == 1


def test_api(world, issued):
    assert_roles(world, "get", reverse("billing-api:run-list"), allowed={"admin", "economist"}, api=True)
    assert_roles(
        world,
        "get",
        reverse("billing-api:invoice-list"),
        allowed={"admin", "economist", "board", "member_contact"},
        api=True,
    )
    api = world.api("economist")
    rec = api.get(reverse("billing-api:run-reconciliation", args=[issued.pk])).json()
    assert rec["balanced"] is True and rec["invoices_total"] == rec["sie_receivable"]
    page_file = world.client("economist").get(reverse("billing:run-sie", args=[issued.pk]))
    api_file = api.get(reverse("billing-api:run-sie", args=[issued.pk]))
    assert api_file["Content-Disposition"] == page_file["Content-Disposition"]  # one file, one name
    assert api_file.content == page_file.content
    for refused in ("board", "member_contact", "agent"):  # a refused write is a 403, never a 400
        response = world.api(refused).post(reverse("billing-api:run-list"), {"period": "2025-Q2"}, format="json")
        assert response.status_code == 403
    assert world.api("board").post(reverse("billing-api:run-approve", args=[issued.pk])).status_code == 403
    created = api.post(reverse("billing-api:run-list"), {"period": "2025-Q2"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "preview"
    run_id = created.json()["id"]
    assert api.post(reverse("billing-api:run-issue", args=[run_id])).status_code == 400  # not approved
    assert api.delete(reverse("billing-api:run-detail", args=[run_id])).status_code == 204
    assert api.delete(reverse("billing-api:run-detail", args=[issued.pk])).status_code == 400
    invoice = Invoice.objects.filter(member=world.member, vat_scope="V").get()
    detail = world.api("member_contact").get(reverse("billing-api:invoice-detail", args=[invoice.pk])).json()
    assert len(detail["lines"]) == 2 and detail["total"] == "2812.50"
    assert (
        world.api("member_contact")
        .post(reverse("billing-api:invoice-credit", args=[invoice.pk]), {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    for bad_key in ("abc", "\uff11", "-1"):
        bad = api.post(
            reverse("billing-api:invoice-credit", args=[invoice.pk]),
            {"reason": "x", "lines": {bad_key: "1"}},
            format="json",
        )
        assert bad.status_code == 400 and "rad-id" in str(bad.json()["lines"])
    assert not Invoice.objects.filter(credits=invoice).exists()
    credit = api.post(
        reverse("billing-api:invoice-credit", args=[invoice.pk]), {"reason": "Hela fakturan"}, format="json"
    )
    assert credit.status_code == 201 and credit.json()["total"] == "2812.50" and credit.json()["credits"] == invoice.pk
    again = api.post(reverse("billing-api:invoice-credit", args=[invoice.pk]), {"reason": "igen"}, format="json")
    assert again.status_code == 400
    peppol = world.api("member_contact").get(reverse("billing-api:invoice-peppol", args=[invoice.pk]))
    assert peppol.status_code == 200 and peppol["Content-Type"] == "application/xml"


def test_settings_page_and_api(world, issued):
    assert_roles(world, "get", reverse("billing:settings"), allowed={"admin", "economist"})
    client = world.client("economist")
    url = reverse("billing:member-setting", args=[world.other_member.pk])
    client.post(url, {f"m{world.other_member.pk}-per_reference": "on", f"m{world.other_member.pk}-buyer_reference": ""})
    assert world.other_member.billing_setting.per_reference is True
    assert world.client("member_contact").post(url, {}).status_code == 403
    response = client.post(
        reverse("billing:settings"),
        {
            "profil-invoice_series": "LY",
            "profil-credit_series": "LK",
            "profil-payment_days": "20",
            "profil-receivable_account": "1511",
            "profil-vat_account_25": "2611",
            "profil-vat_account_12": "2621",
            "profil-vat_account_6": "2631",
            "profil-rounding_account": "3740",
            "profil-allocation_account": "3600",
            "profil-sie_series": "F",
            "profil-timing": "advance",
            "profil-advance_days": "45",
            "profil-four_eyes": "on",
            "profil-change_warning_percent": "10",
        },
    )
    assert response.status_code == 302
    profile = selectors.profile_for(world.federation)
    assert (profile.payment_days, profile.timing, profile.advance_days) == (20, "advance", 45)
    assert (profile.four_eyes, profile.change_warning_percent) == (True, 10)
    assert "två olika personer" in client.get(reverse("billing:settings")).content.decode()
    api = world.api("admin")
    created = api.post(
        reverse("billing-api:member-setting-list"),
        {"member": world.member.pk, "per_reference": True, "buyer_reference": "KS-EKONOMI"},
        format="json",
    )
    assert created.status_code == 201 and world.member.billing_setting.buyer_reference == "KS-EKONOMI"
    foreign = api.post(
        reverse("billing-api:member-setting-list"),
        {"member": world.foreign_member.pk, "per_reference": True},
        format="json",
    )
    assert foreign.status_code in (400, 404)
    assert_roles(world, "get", reverse("billing-api:member-setting-list"), allowed={"admin", "economist"}, api=True)


def test_member_setting_api_needs_per_reference(world):
    response = world.api("admin").post("/api/v1/billing/member-settings/", {"member": world.member.pk}, format="json")
    assert response.status_code == 400 and "per_reference" in response.json()


def test_invoice_list_for_one_member(world, issued):
    """The member page links to `?medlem=<id>`: only that member's invoices; a member outside the
    user's scope is a 404, not an empty list that would confirm the id exists."""
    theirs = Invoice.objects.get(member=world.other_member)
    ours = Invoice.objects.filter(member=world.member).first()
    url = reverse("billing:invoice-list")
    page = world.client("economist").get(url, {"medlem": world.member.pk}).content.decode()
    assert ours.number in page and theirs.number not in page and world.member.name in page
    assert world.client("member_contact").get(url, {"medlem": world.other_member.pk}).status_code == 404
    assert world.client("outsider").get(url, {"medlem": world.member.pk}).status_code == 404
    assert world.client("economist").get(url, {"medlem": "x"}).status_code == 404
