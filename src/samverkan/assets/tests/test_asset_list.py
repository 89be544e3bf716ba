"""The asset list as a list (core.listing): sort, member and date filters, count and sum, XLSX."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
URL = "assets:asset-list"


@pytest.fixture
def register(world, make_asset):
    """Three assets of the world's member (different values and dates), one of the other member."""
    make_asset(inventory_number="A-2", purchase_value=Decimal("9000.00"), purchase_date=date(2024, 3, 1))
    make_asset(inventory_number="A-1", purchase_value=Decimal("15000.50"), purchase_date=date(2023, 5, 2))
    make_asset(inventory_number="A-3", purchase_value=Decimal("1200.00"), purchase_date=date(2025, 1, 9))
    make_asset(
        inventory_number="B-1",
        member=world.other_member,
        department=world.other_member.departments.get(),
        purchase_value=Decimal("7000.00"),
    )


def _numbers(response) -> list[str]:
    return [asset.inventory_number for asset, _value in response.context["rows"]]


def test_sorted_by_value_both_ways(world, register):
    client = world.client("agent")
    assert _numbers(client.get(reverse(URL))) == ["A-1", "A-2", "A-3", "B-1"]  # default: number
    assert _numbers(client.get(reverse(URL), {"ordning": "varde"})) == ["A-3", "B-1", "A-2", "A-1"]
    down = client.get(reverse(URL), {"ordning": "-varde"})
    assert _numbers(down) == ["A-1", "A-2", "B-1", "A-3"]
    assert 'aria-sort="descending"' in down.content.decode()


def test_unknown_sort_is_ignored(world, register):
    response = world.client("agent").get(reverse(URL), {"ordning": "purchase_value__gt"})
    assert response.status_code == 200 and _numbers(response) == ["A-1", "A-2", "A-3", "B-1"]
    assert "Okänd sortering" in response.content.decode()


def test_member_and_date_filter_with_count_and_sum(world, register):
    response = world.client("agent").get(
        reverse(URL), {"medlem": world.member.pk, "fran": "2024-01-01", "ordning": "nummer"}
    )
    assert _numbers(response) == ["A-2", "A-3"]
    assert response.context["totals"] == {"count": 2, "purchase_value": Decimal("10200.00")}
    html = response.content.decode()
    assert "2 inventarier" in html and "10\u00a0200\u00a0kr" in html


def test_xlsx_numbers_dates_and_order(world, register):
    response = world.client("agent").get(reverse(URL), {"format": "xlsx", "ordning": "-varde"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["A-1", "A-2", "B-1", "A-3"]
    assert rows[0][9] == 15000.5 and isinstance(rows[0][10], int | float)
    assert sheet.cell(row=2, column=9).is_date and sheet.cell(row=2, column=10).number_format == "#,##0.00"


def test_xlsx_is_scoped(world, register):
    contact = world.client("member_contact")
    sheet = load_workbook(io.BytesIO(contact.get(reverse(URL), {"format": "xlsx"}).content)).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"A-1", "A-2", "A-3"}
    assert contact.get(reverse(URL), {"format": "xlsx", "medlem": world.other_member.pk}).status_code == 404
    outsider = world.client("outsider").get(reverse(URL), {"format": "xlsx"})
    assert list(load_workbook(io.BytesIO(outsider.content)).active.iter_rows(min_row=2)) == []
