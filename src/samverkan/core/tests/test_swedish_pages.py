"""Every page of every role speaks Swedish: no English words, raw codes, Python dicts or `4E+1`.

A rich test world (orders, subscriptions, an issued invoice run with several units, a ticket
that was assigned and changed status, an asset with a history, changed members) is crawled by
each role from "/" and every argument-free page of the URL resolver, following the links each
page shows (one page per URL pattern). `swedish_crawl` says what counts as visible text and what
is refused; a failure names the page and the text around the offence.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from samverkan.assets import services as asset_services
from samverkan.assets.models import Asset
from samverkan.billing import services as billing_services
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core import audit_display
from samverkan.core.actors import system_actor
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.models import AuditEvent
from samverkan.core.templatetags.samverkan import qty, qty_unit, unit
from samverkan.core.tests.swedish_crawl import argless_page_urls, crawl, offences, visible_text
from samverkan.members import services as member_services
from samverkan.portal.models import Team
from samverkan.portal.services.tickets import ticket_assign, ticket_create
from samverkan.portal.services.workflow import ticket_change_status

ROLES = ("admin", "agent", "economist", "member_contact", "orderer", "board")
PAGES_PER_ROLE = 70


@pytest.fixture
def rich(world):
    actor = system_actor()
    cat = make_catalogue(world.federation)
    for item, quantity in ((cat.siths, "40"), (cat.support, "1.5")):
        order = catalogue_services.order_create(
            acting_user=actor, item=item, department=world.department, quantity=Decimal(quantity)
        )
        catalogue_services.order_deliver(acting_user=actor, order=order, delivered_on=date(2025, 2, 2))
    for item in (cat.mobile, cat.licence):
        catalogue_services.subscription_create(
            acting_user=actor, item=item, department=world.department, start=date(2025, 1, 1), quantity=Decimal(3)
        )
    run = billing_services.invoice_run_execute(
        acting_user=actor, federation=world.federation, period="2025-Q1", approve=True
    )
    team = Team.objects.create(federation=world.federation, code="kundtjanst", name="Kundtjänst")
    ticket = ticket_create(
        acting_user=world.users["orderer"],
        member=world.member,
        department=world.department,
        team=team,
        title="Skrivaren fungerar inte",
        description="Den blinkar rött.",
    )
    ticket_assign(acting_user=world.users["agent"], ticket=ticket, assignee=world.users["agent"])
    ticket_change_status(acting_user=world.users["agent"], ticket=ticket, status="in_progress")
    asset = asset_services.asset_create(
        acting_user=world.users["agent"],
        federation=world.federation,
        inventory_number="INV-0001",
        asset_type="pc",
        description="Bärbar dator",
        purchase_date=date(2023, 1, 15),
        purchase_value=Decimal("12000.00"),
        depreciation_years=4,
        member=world.member,
        department=world.department,
        status="in_stock",
    )
    asset_services.asset_change_status(
        acting_user=world.users["agent"], asset=asset, status="in_use", reason="Utlämnad"
    )
    member_services.member_update(member=world.member, acting_user=world.users["admin"], data={"city": "Lycksele"})
    return {"run": run, "ticket": ticket, "asset": asset, "invoice": run.invoices.first()}


@pytest.mark.slow
def test_every_page_of_every_role_is_in_swedish(world, rich):
    detail = [
        f"/fakturering/fakturor/{rich['invoice'].pk}/",
        f"/portal/arenden/{rich['ticket'].pk}/",
        f"/inventarier/{rich['asset'].pk}/",
        f"/medlemmar/{world.member.pk}/",
        "/granskningslogg/",
    ]
    start = ["/", *detail, *argless_page_urls()]
    problems, visited = [], 0
    for role in ROLES:
        result = crawl(world.client(role), start, max_pages=PAGES_PER_ROLE, per_pattern=1, deadline=9)
        visited += len(result.visited)
        problems += [f"[{role}] {line}" for line in result.errors + result.findings]
    assert visited > 100
    assert not problems, "Not Swedish:\n" + "\n".join(problems[:40])


def test_the_checks_catch_what_the_issue_found():
    text, _links = visible_text(
        "<p>9,00 QAN – breached</p><td>create</td><p>{'status': [None, 'in_use']}</p>"
        "<p>catalogue.Order (4E+1 ANN)</p><code>samverkan allocate equal:50</code>"
    )
    found = " ".join(offences(text))
    for word in ("QAN", "breached", "create", "{'", "catalogue.Order", "4E+1", "ANN", "in_use", "None"):
        assert word in found, word
    assert "allocate" not in found  # code is for the CLI syntax
    assert offences("Status: I lager → I användning, 40 st, 3 månader, 1 530 arbetsminuter") == []


def test_quantities_and_units_read_like_amounts():
    assert qty(Decimal("40.0000")) == "40" and qty(Decimal("41.60")) == "41,6" and qty(Decimal("0.25")) == "0,25"
    assert qty(Decimal("4E+1")) == "40" and qty(Decimal("1234.5")) == "1\u00a0234,5" and qty(None) == ""
    assert qty_unit(Decimal("3"), "MON") == "3\u00a0månader" and qty_unit(Decimal("1"), "MON") == "1\u00a0månad"
    assert qty_unit(Decimal("40"), "C62") == "40\u00a0st" and qty_unit(Decimal("2"), "QAN") == "2\u00a0kvartal"
    assert qty_unit(Decimal("1.5"), "HUR") == "1,5\u00a0timmar" and unit("ANN", 30) == "licensår"
    assert unit("hour", 1) == "timme" and unit("XYZ") == "st" and qty_unit("", "MON") == ""


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_a_quantity_is_never_float_notation_and_reads_back(value):
    text = qty(value.normalize())  # normalize() is what turns 40 into 4E+1
    assert "E" not in text and "e" not in text and not text.endswith(",00")
    back = Decimal(text.replace("\u00a0", "").replace(",", "."))
    assert abs(back - value) <= Decimal("0.005")


def test_invoice_page_shows_swedish_units(world, rich):
    page = world.client("economist").get(f"/fakturering/fakturor/{rich['invoice'].pk}/").content.decode()
    text, _links = visible_text(page)
    # (visible_text folds the non-breaking space into a space)
    assert "40 st" in text and "1,5 timmar" in text and "(40 st)" in text and "9 månader" in text
    assert not [o for o in offences(text) if "unit" in o or "float" in o]


def test_invoice_pdf_shows_swedish_units(world, rich, monkeypatch):
    from samverkan.billing.exporters import adapters

    rendered = []

    class Html:  # the PDF's HTML, before WeasyPrint lays it out
        def __init__(self, string):
            rendered.append(string)

        def write_pdf(self):
            return b""

    monkeypatch.setattr("weasyprint.HTML", Html)
    adapters.invoice_pdf(rich["invoice"])
    text, _links = visible_text(rendered[0])
    assert "40 st" in text and "9 månader" in text and offences(text) == []


def test_history_sentences(world, rich):
    asset_page = world.client("agent").get(f"/inventarier/{rich['asset'].pk}/").content.decode()
    assert "ändrade status" in asset_page and "Status: I lager → I användning" in asset_page
    assert "(anledning: Utlämnad)" in asset_page and "{&#x27;" not in asset_page
    ticket_page = world.client("agent").get(f"/portal/arenden/{rich['ticket'].pk}/").content.decode()
    assert "tilldelade" in ticket_page and "ändrade status" in ticket_page
    assert "Handläggare: " in ticket_page  # the assignee by name, not by id
    member_page = world.client("admin").get(f"/medlemmar/{world.member.pk}/").content.decode()
    assert "ändrade" in member_page and "Ort: Lycksele" in member_page


def test_audit_entry_names_foreign_keys_choices_and_local_time(world, rich):
    asset = Asset.objects.get(pk=rich["asset"].pk)
    before = snapshot(asset)
    after = {**before, "status": "disposed", "department": world.other_department.pk}
    event = audit_record(actor=world.users["agent"], action="update", instance=asset, before=before, after=after)
    (entry,) = audit_display.describe_events([event])
    assert entry.action == "ändrade" and entry.object_type == "Inventarie"
    assert "Status: I användning → Utrangerad" in entry.changes
    assert any(line.endswith(f"→ {world.other_department}") for line in entry.changes), entry.changes
    assert entry.at == timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")
    assert audit_display.action_label("unknown_code") == "ändrade" and audit_display.type_label("x.Y") != "x.Y"


def test_audit_log_filters_pages_and_exports(world, rich):
    client = world.client("admin")
    page = client.get("/granskningslogg/").content.decode()
    assert "Inventarie" in page and "skapade" in page and "händelser" in page
    assert "Inventarie" in client.get("/granskningslogg/", {"typ": "assets.Asset"}).content.decode()
    only_status = client.get("/granskningslogg/", {"handelse": "status"}).content.decode()
    assert "ändrade status" in only_status and "skapade beställning" not in only_status
    today = timezone.localdate().isoformat()
    assert "Inga händelser." in client.get("/granskningslogg/", {"till": "2000-01-01"}).content.decode()
    assert "Inga händelser." not in client.get("/granskningslogg/", {"fran": today, "till": today}).content.decode()
    assert client.get("/granskningslogg/", {"fran": "inte-ett-datum"}).status_code == 200
    for _n in range(60):
        audit_record(actor=world.users["admin"], action="update", instance=world.department, before={}, after={})
    paged = client.get("/granskningslogg/").content.decode()
    assert "Sida 1 av" in paged and paged.count("<tr>") <= 51 + 1
    response = client.get("/granskningslogg/", {"format": "xlsx", "handelse": "status"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tid", "Användare", "Händelse")
    assert len(rows) - 1 == AuditEvent.objects.filter(action="status", federation=world.federation).count()
    assert all(row[2] == "ändrade status" and hasattr(row[0], "year") for row in rows[1:])
    for role in ("agent", "economist", "orderer", "member_contact", "board"):
        assert world.client(role).get("/granskningslogg/", {"format": "xlsx"}).status_code == 403, role
