"""The order list as a list (core.listing): sort, member and date filters, count, XLSX."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.catalogue import services
from samverkan.catalogue.models import Order
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor

pytestmark = pytest.mark.django_db
URL = "catalogue:order-list"


@pytest.fixture
def orders(world):
    cat = make_catalogue(world.federation)
    made = []
    for dept, item, qty in (
        (world.department, cat.siths, 3),
        (world.other_department, cat.course, 1),
        (world.other_member.departments.get(), cat.siths, 2),
    ):
        made.append(
            services.order_create(acting_user=system_actor(), item=item, department=dept, quantity=Decimal(qty))
        )
    return made


def _numbers(response) -> list[str]:
    return [o.number for o in response.context["orders"]]


def test_sorted_by_quantity_both_ways(world, orders):
    client = world.client("admin")
    by_qty = [o.number for o in sorted(orders, key=lambda o: o.quantity)]
    assert _numbers(client.get(reverse(URL), {"ordning": "antal"})) == by_qty
    down = client.get(reverse(URL), {"ordning": "-antal"})
    assert _numbers(down) == by_qty[::-1]
    assert 'aria-sort="descending"' in down.content.decode()
    assert _numbers(client.get(reverse(URL), {"ordning": "antal'"})) == [o.number for o in orders[::-1]]


def test_member_and_date_filter_with_count(world, orders):
    client = world.client("admin")
    response = client.get(reverse(URL), {"medlem": world.member.pk})
    assert sorted(_numbers(response)) == sorted(o.number for o in orders[:2])
    assert "2 beställningar" in response.content.decode()
    today = Order.objects.first().ordered_at.date().isoformat()
    assert len(_numbers(client.get(reverse(URL), {"fran": today, "till": today}))) == 3
    assert _numbers(client.get(reverse(URL), {"till": "2000-01-01"})) == []


def test_xlsx_numbers_dates_scoped(world, orders):
    response = world.client("member_contact").get(reverse(URL), {"format": "xlsx", "ordning": "antal"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [orders[1].number, orders[0].number]  # own member only, by quantity
    assert [row[4] for row in rows] == [1, 3] and sheet.cell(row=2, column=7).is_date
    assert world.client("member_contact").get(reverse(URL), {"medlem": world.other_member.pk}).status_code == 404
    outsider = world.client("outsider").get(reverse(URL), {"format": "xlsx"})
    assert list(load_workbook(io.BytesIO(outsider.content)).active.iter_rows(min_row=2)) == []


def test_an_ordered_quantity_counts_pieces_unless_the_price_is_per_hour():
    from samverkan.catalogue.models import CatalogueItem, Order, PriceUnit

    assert Order(item=CatalogueItem(price_unit=PriceUnit.MONTH)).quantity_unit == PriceUnit.ITEM
    assert Order(item=CatalogueItem(price_unit=PriceUnit.USER_YEAR)).quantity_unit == PriceUnit.ITEM
    assert Order(item=CatalogueItem(price_unit=PriceUnit.HOUR)).quantity_unit == PriceUnit.HOUR
