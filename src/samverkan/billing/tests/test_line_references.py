"""A line's run and invoice must exist, checked once per statement on PostgreSQL (migration 0007).

The per-row deferred foreign keys of the lines table cost a million-line run more than all its
SQL; in their place statement-level triggers refuse a line onto a run or invoice that does not
exist and deleting a run or invoice that still has lines. On SQLite the foreign keys stay.

Run on both databases: ``bin/test-postgres src/samverkan/billing/tests/test_line_references.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from samverkan.billing import services
from samverkan.billing.models import Invoice, InvoiceLine, InvoiceRun
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="statement-level triggers: PostgreSQL")
LINE, INVOICE, RUN = InvoiceLine._meta.db_table, Invoice._meta.db_table, InvoiceRun._meta.db_table
MISSING = 10**9


@pytest.fixture
def draft(world):
    """A preview run with one draft invoice of two order lines."""
    cat = make_catalogue(world.federation)
    for item, day in ((cat.siths, date(2025, 1, 5)), (cat.course, date(2025, 2, 5))):
        order = catalogue_services.order_create(
            acting_user=system_actor(), item=item, department=world.department, quantity=Decimal(2)
        )
        catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=day)
    run = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    return run, run.invoices.get()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _copy_line_sql(run_column: str, invoice_column: str) -> str:
    columns = [f.column for f in InvoiceLine._meta.concrete_fields if not f.primary_key]
    values = [
        {"run_id": run_column, "invoice_id": invoice_column, "source_key": "source_key || ':copy'"}.get(c, c)
        for c in columns
    ]
    return f"INSERT INTO {LINE} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {LINE} WHERE run_id = %s"  # noqa: S608


@postgres_only
def test_the_lines_table_has_no_per_row_foreign_keys_left():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [LINE])
        assert cursor.fetchone() == (0,)


@postgres_only
@pytest.mark.parametrize(("run_column", "invoice_column"), [(str(MISSING), "invoice_id"), ("run_id", str(MISSING))])
def test_a_line_onto_a_missing_run_or_invoice_is_refused(draft, run_column, invoice_column):
    run, _invoice = draft
    with pytest.raises(IntegrityError, match="does not exist"), transaction.atomic():
        _raw(_copy_line_sql(run_column, invoice_column), [run.pk])
    assert _raw(_copy_line_sql("run_id", "invoice_id"), [run.pk]) == 2  # existing run and invoice: accepted


@postgres_only
def test_moving_lines_onto_a_missing_invoice_is_refused(draft):
    run, invoice = draft
    with pytest.raises(IntegrityError, match="does not exist"), transaction.atomic():
        _raw(f"UPDATE {LINE} SET invoice_id = %s WHERE run_id = %s", [MISSING, run.pk])  # noqa: S608
    assert set(InvoiceLine.objects.filter(run=run).values_list("invoice_id", flat=True)) == {invoice.pk}


@postgres_only
def test_a_run_or_invoice_that_still_has_lines_cannot_be_deleted(draft):
    run, invoice = draft
    with pytest.raises(IntegrityError, match="still has invoice lines"), transaction.atomic():
        _raw(f"DELETE FROM {INVOICE} WHERE id = %s", [invoice.pk])  # noqa: S608
    with pytest.raises(IntegrityError, match="still has invoice lines"), transaction.atomic():
        _raw(f"UPDATE {LINE} SET invoice_id = NULL WHERE run_id = %s", [run.pk])  # noqa: S608
        _raw(f"DELETE FROM {INVOICE} WHERE run_id = %s", [run.pk])  # noqa: S608
        _raw(f"DELETE FROM {RUN} WHERE id = %s", [run.pk])  # noqa: S608
    assert InvoiceLine.objects.filter(run=run, invoice=invoice).count() == 2


def test_the_orm_protects_on_both_databases_and_discard_still_works(draft):
    run, invoice = draft
    with pytest.raises(IntegrityError), transaction.atomic():  # ProtectedError is an IntegrityError too
        Invoice.objects.filter(pk=invoice.pk).delete()
    services.invoice_run_discard(acting_user=system_actor(), run=run)  # lines, then invoices, then the run
    assert not InvoiceRun.objects.filter(pk=run.pk).exists() and not InvoiceLine.objects.filter(run_id=run.pk).exists()
