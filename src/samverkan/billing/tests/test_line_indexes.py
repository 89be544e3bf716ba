"""The lines table's indexes are shaped for million-line runs (migration 0009), and order lines are
found by their key, so a delivered order is billed once and an unpriced one is still named.

Run on both databases: ``bin/test-postgres src/samverkan/billing/tests/test_line_indexes.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from samverkan.billing import services
from samverkan.billing.models import InvoiceLine
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.models import PriceVersion
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="index methods and collations")
LINE = InvoiceLine._meta.db_table


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [LINE])
        return dict(cursor.fetchall())


@postgres_only
def test_run_lookups_use_a_block_range_index_and_keys_compare_bytewise():
    definitions = " | ".join(_indexes().values())
    assert "USING brin (run_id)" in definitions
    assert "USING btree (run_id)" not in definitions
    assert "varchar_pattern_ops" not in definitions  # nothing searches source_key with LIKE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, collname FROM pg_attribute JOIN pg_collation c ON c.oid = attcollation "
            "WHERE attrelid = %s::regclass AND attname IN ('source_key', 'source_type') ORDER BY attname",
            [LINE],
        )
        assert cursor.fetchall() == [("source_key", "C"), ("source_type", "C")]


@postgres_only
def test_the_source_index_leaves_order_lines_out():
    assert "WHERE (NOT ((source_type)::text = 'order'::text))" in _indexes()["line_source_idx"]


def _deliver(world, item, day):
    order = catalogue_services.order_create(
        acting_user=system_actor(), item=item, department=world.department, quantity=Decimal(2)
    )
    catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=day)
    return order


def test_an_order_billed_by_one_run_is_not_billed_by_the_next(world):
    cat = make_catalogue(world.federation)
    order = _deliver(world, cat.siths, date(2025, 1, 5))
    first = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    assert list(InvoiceLine.objects.filter(run=first).values_list("source_key", flat=True)) == [f"order:{order.pk}"]
    second = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q2")
    assert not InvoiceLine.objects.filter(run=second, source_type="order").exists()


def test_an_order_without_a_price_on_its_day_is_named_and_a_billed_one_is_not(world):
    cat = make_catalogue(world.federation)
    billed = _deliver(world, cat.siths, date(2025, 1, 5))
    services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    PriceVersion.objects.filter(item=cat.course).delete()
    unpriced = _deliver(world, cat.course, date(2025, 4, 7))
    run = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q2")
    assert unpriced.number in run.note
    assert billed.number not in run.note
