"""The member contact's main job in a real browser: see a waiting order on the start page and
approve it, at desktop and phone width, with axe finding nothing serious on the start page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.models import OrderStatus
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.core.tests.test_browser_a11y import BLOCKING_IMPACTS, browser, login  # noqa: F401 (fixture)
from samverkan.testing import PASSWORD

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("width", [1280, 390])
def test_contact_approves_a_waiting_order_from_the_start_page(world, live_server, browser, width):  # noqa: F811
    catalogue = make_catalogue(world.federation)
    catalogue_services.item_update(acting_user=system_actor(), item=catalogue.siths, data={"requires_approval": True})
    catalogue.siths.refresh_from_db()
    order = catalogue_services.order_create(
        acting_user=world.users["orderer"], item=catalogue.siths, department=world.department, quantity=Decimal(1)
    )
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        login(page, live_server.url, world.users["member_contact"].username, PASSWORD)
        page.goto(f"{live_server.url}/")
        serious = [v["id"] for v in Axe().run(page).response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        assert serious == []
        card = page.locator(".todo", has_text="Beställningar att godkänna")
        assert card.locator(".todo-count").inner_text() == "1"
        assert order.number in card.inner_text()
        card.locator("a").first.click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Godkänn").click()
        page.wait_for_load_state()
        assert "Beställningen är uppdaterad." in page.content()
        order.refresh_from_db()
        assert order.status == OrderStatus.APPROVED
        page.goto(f"{live_server.url}/")
        assert page.locator(".todo", has_text="Beställningar att godkänna").count() == 0
    finally:
        context.close()
