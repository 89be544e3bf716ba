"""core.listing: only declared columns reach ORDER BY, whatever the query says; header links
keep the filters; exports have typed cells and a limit; the audit log uses the same export."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from samverkan.core import listing
from samverkan.core.templatetags.listing import sort_th

COLUMNS = [
    listing.SortColumn("nummer", "Nummer", ("number",)),
    listing.SortColumn("belopp", "Belopp", ("total",)),
]


def _request(**params):
    request = RequestFactory().get("/lista/", params)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@given(st.text(max_size=40))
def test_any_sort_value_orders_by_declared_fields_only(raw):
    sorting = listing.Sorting(_request(ordning=raw), COLUMNS, default="-nummer")
    fields = {field.removeprefix("-") for field in sorting.order_by()}
    assert fields <= {"number", "total", "pk"}
    assert sorting.key in ("nummer", "belopp")


def test_descending_header_and_links_keep_filters():
    request = _request(medlem="4", sida="3", ordning="-belopp")
    sorting = listing.Sorting(request, COLUMNS, default="nummer")
    assert sorting.order_by() == ["-total", "-pk"]
    head = sorting.header("belopp")
    assert head["aria_sort"] == "descending" and head["arrow"] == "▼"
    assert head["url"] == "?medlem=4&ordning=belopp"  # no page number: a new order starts on page 1
    other = sorting.header("nummer")
    assert other["aria_sort"] == "" and other["url"] == "?medlem=4&ordning=nummer"
    html = sort_th(sorting, "belopp", "num")
    assert html.startswith('<th scope="col" class="num" aria-sort="descending"><a class="sort" href="?medlem=4&amp;')


def test_unknown_sort_gives_a_message_and_the_default():
    request = _request(ordning="password")
    sorting = listing.Sorting(request, COLUMNS, default="-nummer")
    assert sorting.order_by() == ["-number", "-pk"]
    assert [str(m) for m in get_messages(request)] == ["Okänd sortering; listan visas i standardordning."]


def test_fixed_order_ignores_the_query_and_shows_plain_headers():
    request = _request(ordning="belopp")
    sorting = listing.Sorting(request, COLUMNS, default="-nummer", fixed=True)
    assert sorting.order_by() == ["-number", "-pk"]
    assert sort_th(sorting, "belopp") == '<th scope="col">Belopp</th>'
    assert list(get_messages(request)) == []


def test_period_parses_dates_and_reports_bad_ones():
    assert listing.period_from(_request(fran="2025-01-01", till="2025-03-31")) == listing.Period(
        date(2025, 1, 1), date(2025, 3, 31)
    )
    request = _request(fran="2025-02-30", till="x")
    assert listing.period_from(request) == listing.Period(None, None)
    assert "ÅÅÅÅ-MM-DD" in str(next(iter(get_messages(request))))


def test_xlsx_cells_are_typed():
    moment = timezone.make_aware(datetime(2025, 6, 1, 12, 30))
    response = listing.xlsx_response(
        title="Lista",
        filename="lista.xlsx",
        columns=[
            listing.XlsxColumn("Text"),
            listing.XlsxColumn("Belopp", "money"),
            listing.XlsxColumn("Dag", "date"),
            listing.XlsxColumn("Tid", "datetime"),
            listing.XlsxColumn("Antal", "number"),
        ],
        rows=[("a", Decimal("1234.50"), date(2025, 1, 2), moment, Decimal("2.5")), ("b", None, None, None, None)],
    )
    assert response["Content-Disposition"] == 'attachment; filename="lista.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    first = list(sheet[2])
    assert first[1].value == 1234.5 and first[1].number_format == listing.MONEY_FORMAT
    assert first[2].is_date and first[3].value == datetime(2025, 6, 1, 12, 30)  # local time, no zone
    assert first[4].value == 2.5
    assert [cell.value for cell in sheet[3]] == ["b", None, None, None, None]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_export_limit_sends_back_to_the_list(monkeypatch):
    monkeypatch.setattr(listing, "XLSX_MAX_ROWS", 2)
    request = _request(format="xlsx", medlem="1")
    assert listing.refuse_large_export(request, [1, 2]) is None
    response = listing.refuse_large_export(request, [1, 2, 3])
    assert response.status_code == 302 and response["Location"] == "/lista/?medlem=1"
    assert "fler än 2 rader" in str(next(iter(get_messages(request))))


@pytest.mark.django_db
def test_audit_log_export_refuses_above_the_limit(world, monkeypatch):
    from samverkan.core.audit import audit_record

    for _n in range(3):
        audit_record(actor=world.users["admin"], action="update", instance=world.department, before={}, after={})
    monkeypatch.setattr(listing, "XLSX_MAX_ROWS", 2)
    response = world.client("admin").get("/granskningslogg/", {"format": "xlsx", "handelse": "update"})
    assert response.status_code == 302 and "format" not in response["Location"]
    monkeypatch.setattr(listing, "XLSX_MAX_ROWS", 1000)
    sheet = load_workbook(io.BytesIO(world.client("admin").get("/granskningslogg/", {"format": "xlsx"}).content)).active
    assert sheet["A1"].value == "Tid" and sheet.cell(row=2, column=1).is_date


@pytest.mark.django_db
def test_audit_log_sorts_by_user_and_refuses_unknown_orders_gently(world):
    from samverkan.core.audit import audit_record

    admin, economist = world.users["admin"], world.users["economist"]
    for user in (economist, admin):
        audit_record(actor=user, action="update", instance=world.department, before={}, after={})
    first, second = sorted((admin, economist), key=lambda user: user.username)  # sorted by the stored user name
    client = world.client("admin")

    def rows(order: str) -> str:
        page = client.get("/granskningslogg/", {"ordning": order, "handelse": "update"}).content.decode()
        return page.split("<tbody>", 1)[1]

    ascending, descending = rows("anvandare"), rows("-anvandare")
    name = lambda user: user.get_full_name() or user.username  # noqa: E731
    assert ascending.index(name(first)) < ascending.index(name(second))
    assert descending.index(name(second)) < descending.index(name(first))
    refused = client.get("/granskningslogg/", {"ordning": "object_repr; drop"}, follow=True)
    assert refused.status_code == 200 and "Okänd sortering" in refused.content.decode()
