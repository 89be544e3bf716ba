"""Issued means issued, on SQLite as on PostgreSQL: every way to change or delete an issued
invoice, credit note or one of their lines is refused by the database itself (migrations 0002
and 0003), while drafts stay free to change and ``flush`` can still empty the database.

Run on both databases: ``bin/test-postgres src/samverkan/billing/tests/test_immutability.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from samverkan.billing import services
from samverkan.billing.models import Invoice, InvoiceLine, InvoiceRun, RunStatus
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.testing import make_world

pytestmark = pytest.mark.django_db
D = Decimal
INVOICE, LINE = Invoice._meta.db_table, InvoiceLine._meta.db_table


def _deliver(world, item, quantity, day):
    order = catalogue_services.order_create(
        acting_user=system_actor(), item=item, department=world.department, quantity=D(quantity)
    )
    catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=day)


@pytest.fixture
def documents(world):
    return _documents(world)


def _documents(world):
    """An issued invoice with two lines, a credit note of one of them, and a draft of the next quarter."""
    cat = make_catalogue(world.federation)
    _deliver(world, cat.siths, 2, date(2025, 1, 5))
    _deliver(world, cat.course, 1, date(2025, 2, 5))
    run = services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    )
    invoice = run.invoices.get()
    note = services.credit_note_create(
        acting_user=system_actor(),
        invoice=invoice,
        quantities={invoice.lines.get(item=cat.course).pk: D(1)},
        reason="Kursen ställdes in",
    )
    _deliver(world, cat.siths, 1, date(2025, 4, 5))
    draft = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q2")
    return invoice, note, draft


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# Every way to change or delete a document or its lines: the ORM (instance and queryset), raw SQL.
CHANGES = {
    "invoice.save()": lambda doc: (setattr(doc, "note", "ändrad"), doc.save()),
    "invoice.delete()": lambda doc: doc.delete(),
    "Invoice queryset update": lambda doc: Invoice.objects.filter(pk=doc.pk).update(due_date=date(2030, 1, 1)),
    "Invoice queryset update of the flag": lambda doc: Invoice.objects.filter(pk=doc.pk).update(issued=False),
    "Invoice queryset delete": lambda doc: Invoice.objects.filter(pk=doc.pk).delete(),
    "SQL UPDATE invoice": lambda doc: _raw(f"UPDATE {INVOICE} SET note = %s WHERE id = %s", ["x", doc.pk]),  # noqa: S608
    "SQL DELETE invoice": lambda doc: _raw(f"DELETE FROM {INVOICE} WHERE id = %s", [doc.pk]),  # noqa: S608
    "line.save()": lambda doc: (line := doc.lines.first(), setattr(line, "net", D("1.00")), line.save()),
    "line.delete()": lambda doc: doc.lines.first().delete(),
    "InvoiceLine queryset update": lambda doc: InvoiceLine.objects.filter(invoice=doc).update(description="x"),
    "InvoiceLine queryset update moves it": lambda doc: InvoiceLine.objects.filter(invoice=doc).update(invoice=None),
    "InvoiceLine queryset delete": lambda doc: InvoiceLine.objects.filter(invoice=doc).delete(),
    "SQL UPDATE line": lambda doc: _raw(f"UPDATE {LINE} SET net = 0 WHERE invoice_id = %s", [doc.pk]),  # noqa: S608
    "SQL DELETE line": lambda doc: _raw(f"DELETE FROM {LINE} WHERE invoice_id = %s", [doc.pk]),  # noqa: S608
}


def _state(doc):
    return (
        Invoice.objects.filter(pk=doc.pk).values_list("note", "due_date", "total", "issued").get(),
        sorted(InvoiceLine.objects.filter(invoice=doc).values_list("pk", "description", "net")),
    )


@pytest.mark.parametrize("kind", ["invoice", "credit note"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_issued_documents_and_their_lines_never_change(documents, kind, change):
    invoice, note, _draft = documents
    doc = Invoice.objects.get(pk=(invoice if kind == "invoice" else note).pk)
    before = _state(doc)
    with pytest.raises(IntegrityError), transaction.atomic():  # ProtectedError is an IntegrityError too
        CHANGES[change](doc)
    assert _state(doc) == before


def _copy_of_a_line(doc):
    line = doc.lines.first()
    line.pk, line.source_key = None, f"{line.source_key}:copy"
    return line


@pytest.mark.parametrize("kind", ["invoice", "credit note"])
def test_no_line_is_added_to_an_issued_document(documents, kind):
    """A new line, or a draft's line moved over, would change an issued document too (migration 0004)."""
    invoice, note, draft = documents
    doc = Invoice.objects.get(pk=(invoice if kind == "invoice" else note).pk)
    before = _state(doc)
    draft_line = InvoiceLine.objects.filter(invoice__run=draft).first()
    for add in (
        lambda: _copy_of_a_line(doc).save(),
        lambda: InvoiceLine.objects.bulk_create([_copy_of_a_line(doc)]),
        lambda: InvoiceLine.objects.filter(pk=draft_line.pk).update(invoice=doc),
        lambda: _raw(f"UPDATE {LINE} SET invoice_id = %s WHERE id = %s", [doc.pk, draft_line.pk]),  # noqa: S608
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            add()
    assert _state(doc) == before
    assert InvoiceLine.objects.filter(pk=draft_line.pk, invoice__run=draft).exists()


def test_the_database_refuses_even_where_the_orm_would_not_look(documents):
    """An invoice without lines is not PROTECTed by any foreign key: the trigger alone refuses."""
    invoice, _note, _draft = documents
    lonely = Invoice.objects.create(
        federation=invoice.federation,
        member=invoice.member,
        number="F2025-99999",
        issued=False,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
    )
    Invoice.objects.filter(pk=lonely.pk).update(issued=True)  # issuing a draft is allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        lonely.delete()
    assert Invoice.objects.filter(pk=lonely.pk, issued=True).exists()


def test_drafts_stay_free_to_change_and_discard(documents):
    _invoice, _note, draft = documents
    invoice = draft.invoices.get()
    Invoice.objects.filter(pk=invoice.pk).update(note="utkast")
    InvoiceLine.objects.filter(invoice=invoice).update(description="ändrad rad")
    services.invoice_run_discard(acting_user=system_actor(), run=draft)
    assert not InvoiceRun.objects.filter(pk=draft.pk).exists()
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_users_meet_a_clear_message_never_the_database_error(world, documents):
    invoice, _note, _draft = documents
    run = invoice.run
    assert run.status == RunStatus.ISSUED
    api = world.api("admin")
    refused = api.delete(reverse("billing-api:run-detail", args=[run.pk]))
    assert refused.status_code == 400 and "kreditera" in str(refused.json())
    for method in (api.delete, api.patch, api.put):
        assert method(reverse("billing-api:invoice-detail", args=[invoice.pk]), {}, format="json").status_code == 405
    page = world.client("admin").post(reverse("billing:run-action", args=[run.pk, "ta-bort"]), follow=True)
    assert page.status_code == 200 and "kreditera i stället" in page.content.decode()
    assert Invoice.objects.filter(pk=invoice.pk, issued=True).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_leaves_the_guard_on():
    """``samverkan demo`` and the test framework flush (committed data, as they do); on SQLite the
    guard stands aside for that flush only, on PostgreSQL flush is a TRUNCATE."""
    invoice, _note, _draft = _documents(make_world())
    call_command("flush", interactive=False, verbosity=0)
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM billing_guard_off")
            assert cursor.fetchone() == (0,)
    invoice, _note, _draft = _documents(make_world())  # and the guard holds again
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(f"DELETE FROM {LINE} WHERE invoice_id = %s", [invoice.pk])  # noqa: S608
    assert invoice.lines.count() == 2
