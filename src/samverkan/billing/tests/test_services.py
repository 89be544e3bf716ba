"""Invoice runs end to end on the database: gather, group, totals, issue, credit, immutability."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Sum

from samverkan.billing import services, usecases
from samverkan.billing.exporters import adapters, sie
from samverkan.billing.models import Invoice, InvoiceLine, InvoiceRun, MemberBillingSetting, RunStatus
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(world):
    return make_catalogue(world.federation)


def deliver(world, item, quantity, day, department=None):
    order = catalogue_services.order_create(
        acting_user=system_actor(), item=item, department=department or world.department, quantity=D(quantity)
    )
    return catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=day)


def issue(world, period, **options):
    return services.invoice_run_execute(
        acting_user=world.users["economist"], federation=world.federation, period=period, approve=True, **options
    )


def test_quarter_run_bills_orders_and_subscriptions_and_reconciles(world, cat):
    deliver(world, cat.siths, 3, date(2025, 2, 10))
    deliver(world, cat.course, 1, date(2025, 3, 31))
    deliver(world, cat.siths, 1, date(2025, 4, 1))  # next quarter
    catalogue_services.subscription_create(
        acting_user=system_actor(), item=cat.mobile, department=world.department, start=date(2025, 2, 15), quantity=D(5)
    )
    catalogue_services.subscription_create(
        acting_user=system_actor(),
        item=cat.licence,
        department=world.other_department,
        start=date(2024, 1, 1),
        quantity=D(10),
    )
    run = issue(world, "2025-Q1")
    assert run.status == RunStatus.ISSUED
    [invoice] = run.invoices.all()  # one invoice per member, both departments on it
    lines = {ln.description.split(",")[0]: ln for ln in invoice.lines.all()}
    assert lines["SITHS-kort (e-tjänstekort)"].net == D("1050.00")
    assert lines["Utbildning"].net == D("1500.00")
    # 14/28 of February + all of March = 1.5 months × 5 phones = 7.5 × 199
    assert lines["Mobil som tjänst"].quantity == D("7.5") and lines["Mobil som tjänst"].net == D("1492.50")
    # a quarter of a yearly price: 10 users × 0.25 × 1200
    assert lines["Licens kontorsprogram"].net == D("3000.00")
    assert invoice.net == D("7042.50")
    assert invoice.vat == D("1385.63")  # 25 % of 5542.50 = 1385.625 -> 1385.63; the course is exempt
    assert invoice.total == D("8428.13")
    assert invoice.number == "F2025-00001"
    reconciliation = usecases.run_reconciliation(run)
    assert reconciliation.invoices_total == reconciliation.lines_total == reconciliation.sie_receivable == D("8428.13")
    assert reconciliation.balanced


def test_rerunning_a_period_never_bills_twice(world, cat):
    deliver(world, cat.siths, 1, date(2025, 1, 5))
    catalogue_services.subscription_create(
        acting_user=system_actor(), item=cat.mobile, department=world.department, start=date(2025, 1, 1)
    )
    first = issue(world, "2025-Q1")
    second = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    assert second.lines.count() == 0 and second.invoices.count() == 0
    # a late delivery in the same quarter is picked up by the next run, alone
    deliver(world, cat.siths, 2, date(2025, 3, 30))
    third = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    assert [ln.net for ln in third.lines.all()] == [D("700.00")]
    # switching to monthly runs cannot re-bill a month covered by the quarter
    monthly = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-03")
    assert not monthly.lines.filter(source_type="subscription").exists()
    april = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-04")
    assert april.lines.get(source_type="subscription").net == D("199.00")
    assert InvoiceLine.objects.filter(source_key__startswith="order:").count() == 2
    assert first.invoices.get().total == D("1183.75")  # (350 + 3 × 199) × 1.25


def test_discarded_preview_releases_lines_and_leaves_no_number_gap(world, cat):
    deliver(world, cat.siths, 1, date(2025, 1, 5))
    preview = services.invoice_run_create(
        acting_user=world.users["admin"], federation=world.federation, period="2025-Q1"
    )
    services.invoice_run_discard(acting_user=world.users["admin"], run=preview)
    assert not InvoiceRun.objects.filter(pk=preview.pk).exists()
    run = issue(world, "2025-Q1")
    deliver(world, cat.siths, 1, date(2025, 5, 5))
    run2 = issue(world, "2025-Q2")
    assert [i.number for i in Invoice.objects.order_by("number")] == ["F2025-00001", "F2025-00002"]
    assert run.invoices.get().number == "F2025-00001" and run2.invoices.get().number == "F2025-00002"


def test_one_invoice_per_reference_when_member_wants_it_and_outside_scope_apart(world, cat):
    MemberBillingSetting.objects.create(member=world.member, per_reference=True)
    deliver(world, cat.siths, 1, date(2025, 1, 5))
    deliver(world, cat.siths, 1, date(2025, 1, 5), department=world.other_department)
    catalogue_services.subscription_create(
        acting_user=system_actor(), item=cat.membership, department=world.department, start=date(2024, 1, 1)
    )
    run = issue(world, "2025-Q1")
    invoices = {(i.invoice_reference, i.vat_scope): i for i in run.invoices.all()}
    assert set(invoices) == {("2481-SOC", "V"), ("2481-KS", "V"), ("2481-SOC", "O")}
    assert invoices[("2481-SOC", "O")].total == D("3000.00") and invoices[("2481-SOC", "O")].vat == 0


def test_price_change_applies_from_its_date_only(world, cat):
    catalogue_services.price_version_create(
        acting_user=system_actor(), item=cat.mobile, valid_from=date(2025, 3, 1), unit_price=D("249.00")
    )
    sub = catalogue_services.subscription_create(
        acting_user=system_actor(), item=cat.mobile, department=world.department, start=date(2025, 1, 1)
    )
    run = issue(world, "2025-Q1")
    nets = sorted(ln.net for ln in run.lines.all())
    assert nets == [D("249.00"), D("398.00")]  # Jan–Feb at 199, March at 249
    assert cat.mobile.prices.get(valid_from=date(2025, 1, 1)).valid_to == date(2025, 2, 28)
    catalogue_services.subscription_end(acting_user=system_actor(), subscription=sub, end=date(2025, 4, 15))
    q2 = issue(world, "2025-Q2")
    assert q2.lines.get().net == D("124.50")  # 15/30 of April × 249


def test_whole_month_rule_and_in_advance_timing(world, cat):
    catalogue_services.subscription_create(
        acting_user=system_actor(), item=cat.mobile, department=world.department, start=date(2025, 2, 27)
    )
    unpriced = deliver(world, cat.siths, 1, date(2024, 12, 20))  # the price list starts 2025-01-01
    deliver(world, cat.siths, 1, date(2025, 1, 20))  # delivered during Q1: billed with Q2 in advance
    run = services.invoice_run_create(
        acting_user=system_actor(),
        federation=world.federation,
        period="2025-Q1",
        timing="advance",
        prorata_rule="whole_months",
    )
    assert run.issue_date == date(2025, 1, 1)
    assert run.lines.get(source_type="subscription").quantity == 2  # February and March, both started
    assert not run.lines.filter(source_type="order").exists()
    assert unpriced.number in run.note
    q2 = services.invoice_run_create(
        acting_user=system_actor(), federation=world.federation, period="2025-Q2", timing="advance"
    )
    assert q2.lines.get(source_type="order").period_start == date(2025, 1, 20)
    assert q2.lines.get(source_type="subscription").quantity == 3


def test_issued_invoice_is_immutable_in_services_and_database(world, cat):
    deliver(world, cat.siths, 2, date(2025, 1, 5))
    run = issue(world, "2025-Q1")
    invoice = run.invoices.get()
    with pytest.raises(ValidationError):
        services.invoice_run_discard(acting_user=system_actor(), run=run)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(total=D("1.00"), net=D("1.00"), vat=0)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        InvoiceLine.objects.filter(invoice=invoice).update(net=D("1.00"))
    invoice.refresh_from_db()
    assert invoice.total == D("875.00")


def test_credit_note_references_original_and_credits_each_line_once(world, cat):
    deliver(world, cat.siths, 4, date(2025, 1, 5))
    deliver(world, cat.course, 1, date(2025, 1, 6))
    invoice = issue(world, "2025-Q1").invoices.get()
    siths_line = invoice.lines.get(item=cat.siths)
    partial = services.credit_note_create(
        acting_user=world.users["economist"],
        invoice=invoice,
        quantities={siths_line.pk: D(1)},
        reason="Ett kort för mycket",
        issue_date=date(2025, 4, 15),
    )
    assert partial.kind == "381" and partial.credits == invoice and partial.number == "K2025-00001"
    assert partial.total == D("437.50")
    with pytest.raises(ValidationError):
        services.credit_note_create(acting_user=system_actor(), invoice=invoice, quantities={siths_line.pk: D(1)})
    with pytest.raises(ValidationError):
        services.credit_note_create(
            acting_user=system_actor(), invoice=invoice, quantities={invoice.lines.get(item=cat.course).pk: D(2)}
        )
    with pytest.raises(ValidationError):
        services.credit_note_create(acting_user=system_actor(), invoice=partial)
    rest = services.credit_note_create(
        acting_user=system_actor(), invoice=invoice, quantities={invoice.lines.get(item=cat.course).pk: D(1)}
    )
    assert rest.total == D("1500.00")
    # the ledger sees invoice minus credits
    net_receivable = sum(
        (
            t.amount
            for v in sie.vouchers_for_invoices(
                [adapters.ledger_invoice(i) for i in (invoice, partial, rest)],
                adapters.account_mapping(world.federation),
            )
            for t in v.transactions
            if t.account == "1510"
        ),
        D(0),
    )
    assert net_receivable == invoice.total - partial.total - rest.total


def test_only_economist_or_admin_may_run(world, cat):
    for role in ("agent", "member_contact", "orderer", "board"):
        with pytest.raises(PermissionDenied):
            services.invoice_run_create(acting_user=world.users[role], federation=world.federation, period="2025-Q1")
    with pytest.raises(PermissionDenied):
        services.invoice_run_create(acting_user=world.outsider, federation=world.federation, period="2025-Q1")
    with pytest.raises(PermissionDenied):
        services.invoice_run_create(acting_user=None, federation=world.federation, period="2025-Q1")
    with pytest.raises(ValidationError):
        services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q7")
    run = services.invoice_run_create(acting_user=world.users["economist"], federation=world.federation, period="2025")
    for refused in (world.users["board"], world.outsider):
        with pytest.raises(PermissionDenied):
            services.invoice_run_approve(acting_user=refused, run=run)
        with pytest.raises(PermissionDenied):
            services.invoice_run_discard(acting_user=refused, run=run)


def test_run_must_be_approved_before_issue(world, cat):
    deliver(world, cat.siths, 1, date(2025, 1, 5))
    run = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    with pytest.raises(ValidationError):
        services.invoice_run_issue(acting_user=system_actor(), run=run)
    run = services.invoice_run_approve(acting_user=system_actor(), run=run)
    with pytest.raises(ValidationError):
        services.invoice_run_approve(acting_user=system_actor(), run=run)
    empty = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q2")
    with pytest.raises(ValidationError):
        services.invoice_run_approve(acting_user=system_actor(), run=empty)


def test_number_allocation_is_consecutive_per_series_and_year(world):
    day = date(2025, 4, 1)
    assert services.allocate_numbers(world.federation, "F", day, 3) == ["F2025-00001", "F2025-00002", "F2025-00003"]
    assert services.allocate_numbers(world.federation, "F", day, 1) == ["F2025-00004"]
    assert services.allocate_numbers(world.federation, "F", date(2026, 1, 2), 1) == ["F2026-00001"]
    assert services.allocate_numbers(world.federation, "K", day, 1) == ["K2025-00001"]
    assert services.allocate_numbers(world.other_federation, "F", day, 1) == ["F2025-00001"]


def test_totals_reconcile_over_many_runs(world, cat):
    for month in range(1, 13):
        deliver(world, cat.siths, month % 3 + 1, date(2025, month, 10))
        deliver(world, cat.course, 1, date(2025, month, 11), department=world.other_department)
    catalogue_services.subscription_create(
        acting_user=system_actor(),
        item=cat.licence,
        department=world.department,
        start=date(2025, 3, 17),
        quantity=D(7),
    )
    for q in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        issue(world, q)
    invoiced = Invoice.objects.filter(issued=True).aggregate(s=Sum("total"))["s"]
    lines_net = InvoiceLine.objects.filter(invoice__issued=True).aggregate(s=Sum("net"))["s"]
    assert invoiced == lines_net + Invoice.objects.aggregate(s=Sum("vat"))["s"]
    # a year of the licence bills 7 users × (9 months + 15/31) / 12 × 1200 in four pieces
    licence = InvoiceLine.objects.filter(item=cat.licence).aggregate(s=Sum("net"))["s"]
    assert abs(licence - D(7) * (D(9) + D(15) / D(31)) / 12 * 1200) < D("0.10")
    for run in InvoiceRun.objects.all():
        rec = usecases.run_reconciliation(run)
        assert rec.balanced and rec.invoices_total == rec.sie_receivable


def test_credit_of_a_negative_true_up_line_keeps_its_sign(world):
    """A final allocation run below the preliminary one is billed as a negative line; its credit is negative too."""
    from samverkan.allocation import services as allocation
    from samverkan.allocation.models import KeyKind, PoolKind, RunKind

    def key(name, ours, theirs):
        made = allocation.key_create(
            acting_user=system_actor(), federation=world.federation, name=name, kind=KeyKind.DECIDED
        )
        allocation.key_values_set(
            acting_user=system_actor(), key=made, values={world.member: ours, world.other_member: theirs}
        )
        return made

    pool = allocation.pool_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Medlemsavgift 2025",
        kind=PoolKind.MEMBERSHIP,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        total=D(150000),
        key=key("Preliminär", D(100000), D(50000)),
    )
    allocation.run_approve(
        acting_user=system_actor(), run=allocation.run_create(acting_user=system_actor(), pool=pool, label="prel")
    )
    issue(world, "2025-Q1")
    final = allocation.run_create(
        acting_user=system_actor(), pool=pool, label="slut", kind=RunKind.FINAL, key=key("Slutlig", D(20000), D(130000))
    )
    allocation.run_approve(acting_user=system_actor(), run=final)
    invoice = issue(world, "2025-Q2").invoices.get(member=world.member)
    [line] = invoice.lines.all()
    assert (line.quantity, line.net) == (D(-1), D("-15000.00"))  # 10 000 due by Q2, 25 000 billed
    with pytest.raises(ValidationError):  # more than the line's one unit
        services.credit_note_create(acting_user=system_actor(), invoice=invoice, quantities={line.pk: D(2)})
    half = services.credit_note_create(acting_user=system_actor(), invoice=invoice, quantities={line.pk: D("0.5")})
    [credited] = half.lines.all()
    assert (credited.quantity, credited.net, half.total) == (D("-0.5"), D("-7500.00"), D("-7500.00"))
