"""The invoice list as a list (core.listing): sort, member and date filters, count and sums, XLSX."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.billing import services
from samverkan.billing.models import DocumentKind, Invoice
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor

pytestmark = pytest.mark.django_db
URL = "billing:invoice-list"


@pytest.fixture
def issued(world):
    """Invoices of 2025-Q1 for the world's member and the other member."""
    cat = make_catalogue(world.federation)
    for dept, item, qty in (
        (world.department, cat.siths, 3),
        (world.other_department, cat.course, 1),
        (world.other_member.departments.get(), cat.siths, 2),
    ):
        order = catalogue_services.order_create(
            acting_user=system_actor(), item=item, department=dept, quantity=Decimal(qty)
        )
        catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=date(2025, 2, 2))
    return services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    )


def _numbers(response) -> list[str]:
    return [i.number for i in response.context["invoices"]]


def test_sorted_by_amount_both_ways_and_by_member(world, issued):
    client = world.client("economist")
    by_total = sorted(Invoice.objects.filter(kind=DocumentKind.INVOICE), key=lambda i: (i.total, i.pk))
    up = client.get(reverse(URL), {"ordning": "belopp"})
    assert _numbers(up) == [i.number for i in by_total]
    down = client.get(reverse(URL), {"ordning": "-belopp"})
    assert _numbers(down) == [i.number for i in reversed(by_total)]
    html = down.content.decode()
    assert 'aria-sort="descending"' in html and "▼" in html
    assert "ordning=belopp" in html  # the active column's link turns the order round
    by_member = client.get(reverse(URL), {"ordning": "medlem", "medlem": world.member.pk})
    assert 'aria-sort="ascending"' in by_member.content.decode()
    # the header links keep the member filter
    assert f'href="?ordning=-medlem&amp;medlem={world.member.pk}"' in by_member.content.decode()


def test_unknown_sort_is_ignored_with_a_message(world, issued):
    response = world.client("economist").get(reverse(URL), {"ordning": "-total; drop table"}, follow=True)
    assert response.status_code == 200
    assert len(_numbers(response)) == Invoice.objects.count()
    assert "Okänd sortering" in response.content.decode()


def test_count_and_sums_of_the_whole_selection(world, issued):
    response = world.client("economist").get(reverse(URL), {"medlem": world.member.pk})
    ours = Invoice.objects.filter(member=world.member, kind=DocumentKind.INVOICE)
    totals = response.context["totals"]
    assert totals["count"] == ours.count() >= 1
    assert totals["total"] == sum((i.total for i in ours), Decimal(0))
    assert isinstance(totals["total"], Decimal)
    html = response.content.decode()
    assert f"{ours.count()} faktur" in html and "<tfoot>" in html


def test_date_filter(world, issued):
    client = world.client("economist")
    assert _numbers(client.get(reverse(URL), {"fran": "2025-04-01", "till": "2025-04-01"})) != []
    assert _numbers(client.get(reverse(URL), {"till": "2025-03-31"})) == []
    bad = client.get(reverse(URL), {"fran": "2025-02-30"})
    assert (
        bad.status_code == 200
        and len(_numbers(bad)) == Invoice.objects.count()
        and "ÅÅÅÅ-MM-DD" in bad.content.decode()
    )


def test_xlsx_has_numbers_dates_and_the_same_order(world, issued):
    response = world.client("economist").get(reverse(URL), {"format": "xlsx", "ordning": "-belopp"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nummer" and len(rows) == 1 + Invoice.objects.count()
    totals = [row[7] for row in rows[1:]]
    assert all(isinstance(t, int | float) for t in totals) and totals == sorted(totals, reverse=True)
    assert sheet.cell(row=2, column=4).is_date and sheet.cell(row=2, column=8).number_format == "#,##0.00"


def test_xlsx_is_scoped_like_the_page(world, issued):
    contact = world.client("member_contact")
    sheet = load_workbook(io.BytesIO(contact.get(reverse(URL), {"format": "xlsx"}).content)).active
    members = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert members == {world.member.name}
    assert contact.get(reverse(URL), {"format": "xlsx", "medlem": world.other_member.pk}).status_code == 404
    outsider = world.client("outsider").get(reverse(URL), {"format": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(outsider.content)).active.iter_rows())) == 1  # header only


def test_xlsx_refuses_more_rows_than_the_limit(world, issued, monkeypatch):
    from samverkan.core import listing

    monkeypatch.setattr(listing, "XLSX_MAX_ROWS", 1)
    response = world.client("economist").get(reverse(URL), {"format": "xlsx", "ordning": "nummer"})
    assert response.status_code == 302 and "format" not in response["Location"]
    assert "ordning=nummer" in response["Location"]
    page = world.client("economist").get(reverse(URL), {"format": "xlsx"}, follow=True)
    assert "fler än 1 rader" in page.content.decode()
