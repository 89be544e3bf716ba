"""The start page per role: what needs doing first (core.todos cards from every app), scoped,
cheap (query counts pinned), and the member page's links with counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.accounts import views as accounts_views
from samverkan.allocation import services as allocation_services
from samverkan.allocation.models import KeyKind, PoolKind, RunKind
from samverkan.billing.models import BillingProfile, Invoice, InvoiceRun, ManualLine
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.core.models import User
from samverkan.core.roles import MEMBER_CONTACT
from samverkan.domain.billing_frequency import Frequency
from samverkan.domain.invoicing_gaps import last_ended
from samverkan.domain.periods import PeriodKind, period_containing
from samverkan.governance.models import Body, BodyKind, Meeting
from samverkan.portal.models import Status, Team, Ticket
from samverkan.portal.services.tickets import ticket_create


def _cards(response) -> dict[str, object]:
    return {str(card.title): card for card in response.context["cards"]}


@pytest.fixture
def backlog(world):
    """Something to do for every role of world.federation, and the same for the other federation."""
    actor = system_actor()
    today = timezone.localdate()
    # Orders: two waiting for the contact's approval (the older one first), one for another member.
    catalogue = make_catalogue(world.federation, valid_from=date(2020, 1, 1))
    catalogue_services.item_update(acting_user=actor, item=catalogue.siths, data={"requires_approval": True})
    catalogue.siths.refresh_from_db()
    orders = [
        catalogue_services.order_create(
            acting_user=world.users["orderer"], item=catalogue.siths, department=world.department, quantity=Decimal(1)
        )
        for _ in range(2)
    ]
    other_department = world.other_member.departments.get()
    catalogue_services.order_create(
        acting_user=actor, item=catalogue.siths, department=other_department, quantity=Decimal(1)
    )
    # Tickets: one late and assigned to the agent, one new without an agent, one of the other member.
    team = Team.objects.create(federation=world.federation, code="it", name="IT-support", email="it@test.se")
    late = ticket_create(
        acting_user=world.users["orderer"], member=world.member, department=world.department, team=team, title="Sen"
    )
    Ticket.objects.filter(pk=late.pk).update(
        assignee=world.users["agent"], status=Status.ASSIGNED, resolution_due_at=timezone.now() - timedelta(hours=1)
    )
    ticket_create(
        acting_user=world.users["orderer"], member=world.member, department=world.department, team=team, title="Ny"
    )
    ticket_create(acting_user=actor, member=world.other_member, department=other_department, team=team, title="Annan")
    # Billing (per quarter): the quarter before last issued with 3 invoices, the last quarter previewed with 2.
    BillingProfile.objects.create(federation=world.federation, default_frequency="Q")
    last_quarter = period_containing(last_ended(Frequency.QUARTER, today).start, PeriodKind.QUARTER)
    previous = last_quarter.previous()
    for period, status, count in ((previous, "issued", 3), (last_quarter, "preview", 2)):
        run = InvoiceRun.objects.create(
            federation=world.federation,
            period=str(period),
            timing="arrears",
            prorata_rule="days",
            status=status,
            issue_date=period.end + timedelta(days=1),
            due_date=period.end + timedelta(days=31),
        )
        for number in range(count):
            Invoice.objects.create(
                federation=world.federation,
                run=run,
                member=world.member,
                issue_date=run.issue_date,
                due_date=run.due_date,
                issued=status == "issued",
                number=f"{period}-{number}" if status == "issued" else None,
                invoice_reference=f"ref-{number}",
            )
    ManualLine.objects.create(
        federation=world.federation,
        member=world.member,
        description="Konsulttimmar",
        quantity=Decimal(2),
        unit_price=Decimal(900),
        vat_code="25",
        revenue_account="3510",
        period=str(last_quarter),
        period_start=last_quarter.start,
        period_end=last_quarter.end,
        created_by=world.users["admin"],
    )
    # Allocation: last year's membership fee pool, none this year; a draft run of it.
    key = allocation_services.key_create(
        acting_user=actor, federation=world.federation, name="Lika", kind=KeyKind.EQUAL
    )
    pool = allocation_services.pool_create(
        acting_user=actor,
        federation=world.federation,
        name=f"Medlemsavgift {today.year - 1}",
        kind=PoolKind.MEMBERSHIP,
        period_start=date(today.year - 1, 1, 1),
        period_end=date(today.year - 1, 12, 31),
        total=Decimal(1000),
        key=key,
    )
    run = allocation_services.run_create(acting_user=actor, pool=pool, label=pool.name, kind=RunKind.PRELIMINARY)
    # Governance: the next meeting of the board.
    body = Body.objects.create(federation=world.federation, name="Direktionen", kind=BodyKind.JOINT_COMMITTEE)
    meeting = Meeting.objects.create(body=body, date=today + timedelta(days=10), place="Lycksele")
    return {"orders": orders, "late": late, "team": team, "pool": pool, "run": run, "meeting": meeting}


def test_member_contact_sees_orders_to_approve_and_open_tickets(world, backlog):
    response = world.client("member_contact").get(reverse("home"))
    assert response.status_code == 200
    cards = _cards(response)
    approve = cards["Beställningar att godkänna"]
    assert approve.count == 2  # not the other member's
    oldest = backlog["orders"][0]
    assert approve.url == reverse("catalogue:order-detail", args=[oldest.pk])
    assert oldest.number in approve.text
    assert cards["Öppna ärenden"].count == 2
    assert not {"Mina försenade ärenden", "Fakturakörningar att slutföra", "Direktionens sida"} & set(cards)
    # The oldest order is one click away and approving it is one more.
    page = world.client("member_contact").get(approve.url)
    assert reverse("portal:order-action", args=[oldest.pk, "godkann"]) in page.content.decode()
    assert response.content.decode().count('class="todo ') == len(cards)


def test_contact_of_another_member_sees_nothing_of_this_one(world, backlog):
    contact = User.objects.create_user(
        username="t-contact2", federation=world.federation, roles=[MEMBER_CONTACT], member=world.other_member
    )
    client = world.client(None)
    client.force_login(contact)
    cards = _cards(client.get(reverse("home")))
    assert cards["Beställningar att godkänna"].count == 1
    assert backlog["orders"][0].number not in cards["Beställningar att godkänna"].text
    assert cards["Öppna ärenden"].count == 1


def test_outsider_sees_nothing_of_this_federation(world, backlog):
    cards = _cards(world.client("outsider").get(reverse("home")))
    assert "Beställningar att godkänna" not in cards
    assert "Mina försenade ärenden" not in cards
    assert "Färre fakturor än förra körningen" not in cards
    assert "Nästa sammanträde" not in cards


def test_agent_sees_own_late_tickets_first(world, backlog):
    cards = world.client("agent").get(reverse("home")).context["cards"]
    titles = [str(card.title) for card in cards]
    assert titles[0] == "Mina försenade ärenden"
    assert cards[0].count == 1
    assert cards[0].severity == "danger"
    by_title = {str(card.title): card for card in cards}
    assert by_title["Nya ärenden utan handläggare"].count == 2
    assert "Försenade ärenden hos andra" not in by_title  # none: the count is zero
    assert "Beställningar att godkänna" not in by_title
    desk = world.client("agent").get(cards[0].url)
    assert desk.status_code == 200
    assert "Sen" in desk.content.decode()


def test_economist_sees_billing_and_allocation_warnings(world, backlog):
    today = timezone.localdate()
    cards = _cards(world.client("economist").get(reverse("home")))
    last_quarter = last_ended(Frequency.QUARTER, today)
    gap = cards[f"Ej fakturerat: {last_quarter.label_sv()}"]
    assert gap.severity == "danger"
    drop = cards["Färre fakturor än förra körningen"]
    assert drop.count == 1
    assert "gav 2 fakturor" in drop.text and "gav 3" in drop.text
    assert cards["Fakturakörningar att slutföra"].count == 1
    assert cards["Manuella rader att attestera"].count == 1
    missing = cards[f"Pooler saknas för {today.year}"]
    assert missing.count == 1 and backlog["pool"].name in missing.text
    drafts = cards["Fördelningar att godkänna"]
    assert drafts.count == 1 and drafts.url == reverse("allocation:run-detail", args=[backlog["run"].pk])
    assert "Beställningar att godkänna" not in cards
    for card in cards.values():
        assert world.client("economist").get(card.url).status_code == 200, card.url


def test_issued_run_for_the_last_quarter_clears_the_gap(world, backlog):
    today = timezone.localdate()
    InvoiceRun.objects.filter(federation=world.federation, status="preview").update(status="issued")
    cards = _cards(world.client("economist").get(reverse("home")))
    assert f"Ej fakturerat: {last_ended(Frequency.QUARTER, today).label_sv()}" not in cards


def test_board_and_secretary_see_the_board_page_and_next_meeting(world, backlog):
    for role in ("board", "secretary"):
        cards = _cards(world.client(role).get(reverse("home")))
        assert cards["Direktionens sida"].url == reverse("performance:board")
        if role == "secretary":  # a board member sees only the bodies they sit in (none here)
            meeting = cards["Nästa sammanträde"]
            assert meeting.url == reverse("governance:meeting_detail", args=[backlog["meeting"].pk])
            assert "Direktionen" in meeting.text
        assert "Beställningar att godkänna" not in cards


def test_admin_sees_the_union(world, backlog):
    cards = _cards(world.client("admin").get(reverse("home")))
    for title in (
        "Beställningar att godkänna",
        "Nya ärenden utan handläggare",
        "Fakturakörningar att slutföra",
        "Direktionens sida",
        "Nästa sammanträde",
    ):
        assert title in cards
    assert "Manuella rader att attestera" not in cards  # the admin wrote the only one


def test_nothing_to_do_and_anonymous(world):
    response = world.client("orderer").get(reverse("home"))
    assert response.context["cards"] == []
    assert "Inget väntar på dig just nu." in response.content.decode()
    anonymous = world.client(None).get(reverse("home"))
    assert anonymous.status_code == 200
    assert "cards" not in anonymous.context


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 11), ("agent", 1), ("economist", 8), ("member_contact", 3), ("board", 1)],
)
def test_query_counts_are_pinned_and_do_not_grow(world, backlog, role, expected, monkeypatch):
    """What the cards cost on top of the page itself (session, user, menu: measured without cards)."""
    client = world.client(role)
    _queries(client)  # warm the caches of the session
    with monkeypatch.context() as patched:
        patched.setattr(accounts_views, "todos_for", lambda user: [])
        patched.setattr(accounts_views, "_board_cards", lambda user: [])
        page = _queries(client)
    assert _queries(client) - page == expected
    for _ in range(3):  # more of everything: the same number of queries
        catalogue_services.order_create(
            acting_user=world.users["orderer"],
            item=backlog["orders"][0].item,
            department=world.department,
            quantity=Decimal(1),
        )
        ticket_create(
            acting_user=world.users["orderer"],
            member=world.member,
            department=world.department,
            team=backlog["team"],
            title="Till",
        )
        allocation_services.run_create(acting_user=system_actor(), pool=backlog["pool"], label="Omräkning")
    assert _queries(client) - page == expected


# --- The member's page links to the member's rows in the other apps, with counts


def test_member_page_links_with_counts(world, backlog):
    response = world.client("admin").get(reverse("members:member-detail", args=[world.member.pk]))
    links = {str(link.label): link for link in response.context["links"]}
    assert links["Beställningar"].count == 2
    assert links["Öppna ärenden"].count == 2
    assert links["Fakturor"].count == 5
    assert links["Kostnadsfördelning (godkända rader)"].count == 0
    assert links["Inventarier"].count == 0
    for label in ("Beställningar", "Öppna ärenden", "Inventarier", "Kostnadsfördelning (godkända rader)"):
        page = world.client("admin").get(links[label].url)
        assert page.status_code == 200, label


def test_member_contact_member_page_counts_only_its_own(world, backlog):
    response = world.client("member_contact").get(reverse("members:member-detail", args=[world.member.pk]))
    links = {str(link.label): link for link in response.context["links"]}
    assert links["Beställningar"].count == 2
    assert links["Fakturor"].count == 3  # issued only
    assert "Inventarier" not in links or links["Inventarier"].count == 0


def test_member_filter_on_lists(world, backlog):
    admin = world.client("admin")
    orders = admin.get(reverse("catalogue:order-list"), {"medlem": world.member.pk})
    assert len(orders.context["orders"]) == 2
    assert orders.context["member"] == world.member
    assert "Visar bara Lycksele kommun." in orders.content.decode()
    tickets = admin.get(reverse("portal:ticket-list"), {"medlem": world.other_member.pk})
    assert [row["title"] for row in tickets.context["rows"]] == ["Annan"]
    assets = admin.get(reverse("assets:asset-list"), {"medlem": world.member.pk})
    assert assets.status_code == 200 and assets.context["member"] == world.member


@pytest.mark.parametrize(
    "url", ["catalogue:order-list", "portal:ticket-list", "assets:asset-list"], ids=["orders", "tickets", "assets"]
)
def test_member_filter_refuses_ids_outside_the_scope(world, backlog, url):
    # Another federation's member, another member for a contact, garbage: 404.
    assert world.client("admin").get(reverse(url), {"medlem": world.foreign_member.pk}).status_code == 404
    assert world.client("admin").get(reverse(url), {"medlem": "x1"}).status_code == 404
    if url != "assets:asset-list":  # a member contact does not see the asset register
        contact = world.client("member_contact")
        assert contact.get(reverse(url), {"medlem": world.other_member.pk}).status_code == 404
        assert contact.get(reverse(url), {"medlem": world.member.pk}).status_code == 200


# --- Run names


def test_allocation_run_names_say_what_they_are(world, backlog):
    run = backlog["run"]
    year = timezone.localdate().year - 1
    assert run.display_name == f"Medlemsavgift {year} – preliminär, utkast"
    assert str(run) == run.display_name
    other = allocation_services.run_create(acting_user=system_actor(), pool=backlog["pool"], label="Omräkning")
    assert other.display_name == f"Medlemsavgift {year} – ordinarie, utkast"
    backlog["pool"].name = "Medlemsavgift"
    assert other.display_name == f"Medlemsavgift {year} – ordinarie, utkast"
    page = world.client("economist").get(reverse("allocation:run-compare"))
    assert run.display_name in page.content.decode()


def test_invoice_run_names_say_what_they_are(world, backlog):
    run = InvoiceRun.objects.filter(federation=world.federation, status="issued").get()
    assert run.display_name == f"Fakturakörning {run.period} – i efterskott, utfärdad"
