"""Each role's main job walked end to end in a real browser, as a person would do it: signed in on
the start page, then only links and buttons found by their accessible names (no typed URLs), at
desktop (1 280 px) and phone (390 px) width. axe-core runs on every page the walk passes and a
serious or critical finding fails it; every control the walk uses must lie within the viewport's
width, so a button that is only reachable by scrolling the page sideways fails too.

The walks are the "Done when" of issue 16: the economist runs, checks, confirms and issues a
quarter; the member contact approves a waiting order from the start page; the orderer orders from
the price list and follows the order; the agent answers an overdue ticket with a standard text and
resolves it in at most three actions.

SAMVERKAN_WALK_SCREENSHOTS=<directory> saves a full-page screenshot of every page walked
(<role>-<width>-<nn>.png), for looking at the pages as each role meets them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.billing import services as billing_services
from samverkan.billing.models import BillingProfile, InvoiceRun, RunStatus
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.models import Order, OrderStatus
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.core.tests.test_browser_a11y import BLOCKING_IMPACTS, browser  # noqa: F401 (fixture)
from samverkan.domain.billing_frequency import Frequency
from samverkan.domain.invoicing_gaps import last_ended
from samverkan.domain.periods import PeriodKind, period_containing
from samverkan.portal.models import Status, Team, Ticket
from samverkan.portal.services.standard_texts import standard_text_save
from samverkan.portal.services.tickets import ticket_assign, ticket_create
from samverkan.portal.usecases import place_order
from samverkan.testing import PASSWORD

pytestmark = [pytest.mark.browser]

WIDTHS = [1280, 390]
PHONE_HEIGHT = 844
SHOTS = os.environ.get("SAMVERKAN_WALK_SCREENSHOTS", "")  # a directory: save a screenshot of every page walked


@dataclass
class Walk:
    """One person's way through the site: checks every page it reaches and counts what they do."""

    page: object
    width: int
    name: str = "walk"
    axe: Axe = field(default_factory=Axe)
    pages: list[str] = field(default_factory=list)
    actions: int = 0

    def look(self) -> None:
        """axe on the page as it stands; serious and critical findings fail the walk."""
        self.page.wait_for_load_state()
        path = urlsplit(self.page.url).path
        found = [
            f"{path} at {self.width} px: {v['id']} ({v['impact']}) at "
            + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
            for v in self.axe.run(self.page).response["violations"]
            if v.get("impact") in BLOCKING_IMPACTS
        ]
        assert not found, "\n".join(found)
        # The page itself never needs sideways scrolling (wide tables scroll inside their own box).
        overflow = self.page.evaluate("document.documentElement.scrollWidth") - self.width
        assert overflow <= 1, f"{path} is {overflow} px wider than the window at {self.width} px"
        self.pages.append(path)
        if SHOTS:  # for looking at: every page of every walk, as the user saw it
            name = f"{self.name}-{self.width}-{len(self.pages):02d}.png"
            self.page.screenshot(path=str(Path(SHOTS) / name), full_page=True)

    def reach(self, locator):
        """The control is shown and lies within the viewport's width once scrolled to (vertically)."""
        locator.scroll_into_view_if_needed()
        box = locator.bounding_box()
        assert box is not None, f"{locator} is not shown at {self.width} px"
        left = box["x"] + self.page.evaluate("window.scrollX")
        assert left >= -1 and left + box["width"] <= self.width + 1, (
            f"{locator} lies off-screen at {self.width} px ({left:.0f}–{left + box['width']:.0f} px)"
        )
        return locator

    def act(self, locator, *, value: str | None = None, option: str | None = None, tick: bool = False) -> None:
        """One thing the user does without leaving the page: fill, choose, tick or click."""
        self.reach(locator)
        if value is not None:
            locator.fill(value)
        elif option is not None:
            locator.select_option(label=option)
        elif tick:
            locator.check()
        else:
            locator.click()
        self.actions += 1

    def follow(self, locator) -> None:
        """Click a link or a submit button that loads another page, then look at that page."""
        self.reach(locator)
        with self.page.expect_navigation():
            locator.click()
        self.actions += 1
        self.look()

    def main(self):
        return self.page.get_by_role("main")

    def said(self) -> str:
        """The messages the last request left (success or error)."""
        messages = self.page.get_by_role("main").locator(".messages")
        return messages.inner_text() if messages.count() else ""

    def menu(self, name: str) -> None:
        """A page of the main menu; on a phone the menu is folded behind its button first."""
        menu = self.page.get_by_role("banner").locator("details", has_text="Meny")
        if menu.get_attribute("open") is None:
            self.act(menu.locator("summary"))
        self.follow(self.page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True))


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def walk(request, live_server, browser):  # noqa: F811 (the fixture imported above)
    """A fresh browser window of the parametrised width; call `start(user)` to sign in."""
    width = request.param
    context = browser.new_context(
        viewport={"width": width, "height": PHONE_HEIGHT if width < 600 else 900}, locale="sv-SE"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    walk = Walk(page=page, width=width, name=request.node.originalname.split("_")[1])

    def start(user) -> Walk:
        """The one typed address: the login page; from there the start page."""
        page.goto(f"{live_server.url}/konto/logga-in/")
        walk.look()
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        walk.follow(walk.main().get_by_role("button", name="Logga in", exact=True))
        assert urlsplit(page.url).path == "/", page.url
        walk.actions = 0
        return walk

    yield start
    context.close()


# --- 1. The economist: run, check, confirm and issue a quarter ---------------------------------------


def _deliver(catalogue, department, quantity: int, day: date) -> None:
    order = catalogue_services.order_create(
        acting_user=system_actor(), item=catalogue.siths, department=department, quantity=Decimal(quantity)
    )
    catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=day)


@pytest.fixture
def quarter_to_invoice(world):
    """Invoiced per quarter; the quarter before the last one issued, the last one not invoiced yet."""
    BillingProfile.objects.create(federation=world.federation, default_frequency="Q")
    last = period_containing(last_ended(Frequency.QUARTER, timezone.localdate()).start, PeriodKind.QUARTER)
    previous = last.previous()
    catalogue = make_catalogue(world.federation, valid_from=date(2020, 1, 1))
    departments = [world.department, world.other_member.departments.get()]
    for department in departments:
        _deliver(catalogue, department, 1, previous.start + timedelta(days=10))
    billing_services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period=str(previous), approve=True
    )
    for department, quantity in zip(departments, (3, 1), strict=True):
        _deliver(catalogue, department, quantity, last.start + timedelta(days=10))
    return last


def test_economist_runs_checks_confirms_and_issues_a_quarter(world, walk, quarter_to_invoice):
    last = quarter_to_invoice
    w = walk(world.users["economist"])
    page = w.page
    w.follow(w.main().get_by_role("link", name=re.compile(f"Ej fakturerat: {last.label_sv()}")))
    assert page.get_by_role("heading", level=1).inner_text() == "Fakturering"
    w.act(page.get_by_role("textbox", name="Period", exact=True), value=str(last))
    w.follow(page.get_by_role("button", name="Förhandsgranska"))
    # The preview is made in the background; its job page says when it is done and links to it.
    w.follow(page.get_by_role("link", name=re.compile("^(Till förhandsgranskningen|Visa resultatet)$")))
    # The preview: one row per member with the change since the previous quarter, and a totals row.
    table = page.get_by_role("table", name=re.compile("jämfört med förra körningen"))
    assert table.locator("tfoot").get_by_role("rowheader", name="Totalt").is_visible()
    lycksele = table.get_by_role("row", name=re.compile(world.member.name))
    # Two SITHS cards more than last quarter: 2 × 350 kr + 25 % VAT.
    assert lycksele.get_by_role("cell").last.inner_text().replace("\xa0", " ") == "875,00 kr"
    w.act(page.get_by_role("checkbox", name=re.compile(r"Godkänn 2 fakturor")), tick=True)
    w.follow(page.get_by_role("button", name="Godkänn", exact=True))
    assert "Körningen är godkänd." in page.content()
    w.act(page.get_by_role("checkbox", name=re.compile(r"Utfärda 2 fakturor, .* nummer ")), tick=True)
    w.follow(page.get_by_role("button", name="Utfärda och numrera fakturorna"))
    numbers = page.get_by_role("table", name="Fakturor i körningen").get_by_role("rowheader")
    numbers.first.wait_for()
    assert all(re.fullmatch(r"F\d{4}-\d{5}", n.strip()) for n in numbers.all_inner_texts()), numbers.all_inner_texts()
    assert InvoiceRun.objects.get(federation=world.federation, period=str(last)).status == RunStatus.ISSUED
    assert len(w.pages) >= 6, w.pages


# --- 2. The member contact: see a waiting order on the start page and approve it ---------------------


@pytest.fixture
def customer_service(world) -> Team:
    """The team that owns the catalogue's SITHS card: an order's ticket lands in its queue."""
    return Team.objects.create(federation=world.federation, code="kundtjanst", name="Kundtjänst", email="kt@test.se")


@pytest.fixture
def waiting_order(world, customer_service):
    catalogue = make_catalogue(world.federation, valid_from=date(2020, 1, 1))
    catalogue_services.item_update(acting_user=system_actor(), item=catalogue.siths, data={"requires_approval": True})
    catalogue.siths.refresh_from_db()
    placed = place_order(
        acting_user=world.users["orderer"], item=catalogue.siths, department=world.department, quantity=Decimal(2)
    )
    return placed.order


def test_contact_approves_a_waiting_order_from_the_start_page(world, walk, waiting_order):
    w = walk(world.users["member_contact"])
    card = w.main().locator(".todo", has_text="Beställningar att godkänna")
    assert waiting_order.number in card.inner_text()
    w.follow(card.get_by_role("link", name=re.compile("Beställningar att godkänna")))
    assert waiting_order.number in w.page.get_by_role("heading", level=1).inner_text()
    w.follow(w.main().get_by_role("button", name="Godkänn", exact=True))
    assert "Beställningen är uppdaterad." in w.said()
    waiting_order.refresh_from_db()
    assert waiting_order.status == OrderStatus.APPROVED
    assert w.actions == 2, w.actions  # the card, the button
    ticket = Ticket.objects.get(order_reference=waiting_order.number)
    assert ticket.comments.filter(body__startswith="Beställningen är godkänd", internal=False).exists()
    # Back on the start page nothing waits any more.
    w.follow(w.page.get_by_role("banner").get_by_role("link", name="Samverkan"))
    assert w.main().locator(".todo", has_text="Beställningar att godkänna").count() == 0


# --- 3. The orderer: order from the price list, then follow the order and write to the desk ----------


def test_orderer_orders_from_the_price_list_and_follows_the_order(world, walk, customer_service):
    make_catalogue(world.federation, valid_from=date(2020, 1, 1))
    w = walk(world.users["orderer"])
    page = w.page
    w.follow(w.main().get_by_role("link", name="Tjänstekatalog", exact=True))
    w.follow(page.get_by_role("link", name="Beställ SITHS-kort (e-tjänstekort)"))
    w.act(page.get_by_role("spinbutton", name="Antal").or_(page.get_by_role("textbox", name="Antal")), value="2")
    expect(page.locator("#order-total")).to_contain_text("700,00")  # 2 × 350 kr, updated as the user types
    w.act(page.get_by_role("textbox", name="Meddelande"), value="Till två nya undersköterskor.")
    w.follow(page.get_by_role("button", name="Skicka beställning"))
    order = Order.objects.get(department=world.department)
    assert f"Beställning {order.number} är skickad." in w.said()
    assert order.quantity == 2
    # Later: from the start page through the menu to the user's tickets, and a question on the order.
    w.follow(page.get_by_role("banner").get_by_role("link", name="Samverkan"))
    w.menu("Mina ärenden")
    w.follow(w.main().get_by_role("row", name=re.compile(order.number)).get_by_role("link").first)
    assert order.number in page.get_by_role("heading", level=1).inner_text()
    w.act(page.get_by_role("textbox", name="Svar"), value="Kan de levereras före den 15:e?")
    w.follow(page.get_by_role("button", name="Skicka", exact=True))
    assert page.get_by_text("Kan de levereras före den 15:e?").is_visible()
    ticket = Ticket.objects.get(order_reference=order.number)
    assert ticket.comments.filter(body="Kan de levereras före den 15:e?", internal=False).exists()


# --- 4. The agent: an overdue ticket from the start page, answered with a standard text and resolved --


@pytest.fixture
def overdue_ticket(world):
    """A ticket reported a month ago and assigned to the agent: its SLA times have long passed."""
    team = Team.objects.create(federation=world.federation, code="it", name="IT-support", email="it@test.se")
    standard_text_save(
        acting_user=world.users["admin"],
        federation=world.federation,
        title="Skrivaren är lagad",
        body="Hej {namn}! Skrivaren fungerar nu igen. Hör av dig om något krånglar.",
    )
    ticket = ticket_create(
        acting_user=world.users["orderer"],
        member=world.member,
        department=world.department,
        team=team,
        title="Skrivaren blinkar rött",
        description="Den skriver inte ut.",
        created_at=timezone.now() - timedelta(days=30),
    )
    ticket_assign(acting_user=world.users["agent"], ticket=ticket, assignee=world.users["agent"])
    return ticket


def test_agent_answers_an_overdue_ticket_with_a_standard_text_and_resolves_it(world, walk, overdue_ticket):
    w = walk(world.users["agent"])
    page = w.page
    w.follow(w.main().get_by_role("link", name=re.compile("Mina försenade ärenden")))
    w.follow(w.main().get_by_role("row", name=re.compile("Skrivaren blinkar rött")).get_by_role("link").first)
    w.actions = 0  # on the ticket: from here the answer and the resolution count
    reply = page.get_by_role("textbox", name="Svar")
    w.act(page.get_by_role("combobox", name="Standardtext"), option="Skrivaren är lagad")
    # Choosing the text puts it into the reply at once (no reload, nothing typed is lost) and says so.
    expect(reply).to_have_value(re.compile("Hej t-orderer! Skrivaren fungerar nu igen."))
    expect(page.locator("#reply-live")).to_have_text("Standardtexten är infogad i svaret.")
    w.act(page.get_by_role("combobox", name="Status", exact=True), option="Löst")
    w.follow(page.get_by_role("button", name="Skicka", exact=True))
    assert "Svaret är skickat." in w.said()
    overdue_ticket.refresh_from_db()
    assert overdue_ticket.status == Status.RESOLVED
    assert overdue_ticket.comments.filter(body__contains="Skrivaren fungerar nu igen", internal=False).exists()
    assert w.actions <= 3, f"{w.actions} actions to answer with a standard text and resolve"
