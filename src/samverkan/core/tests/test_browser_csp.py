"""The Content-Security-Policy refuses nothing the pages themselves need (Chromium reports every
refusal on the console): the layout, HTMX, a ticket page with comments, and the API docs."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import sync_playwright

from samverkan.core.tests.test_browser_a11y import CHROMIUM, CHROMIUM_ARGS, login
from samverkan.portal.models import Team
from samverkan.portal.services.attachments import attachment_add
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.tickets import ticket_create
from samverkan.testing import PASSWORD

pytestmark = [pytest.mark.browser]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# ReDoc's bundle links Google Fonts and its own logo on a CDN; with no external assets allowed it
# falls back to the browser's fonts and no logo, as a production network without internet would.
EXPECTED = ("fonts.googleapis.com", "cdn.redoc.ly")


def test_pages_and_api_docs_load_without_policy_refusals(world, live_server, settings, tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    team = Team.objects.create(federation=world.federation, code="it", name="IT")
    agent = world.users["agent"]
    ticket = ticket_create(acting_user=agent, title="Skrivaren", team=team, member=world.member, description="a\nb")
    comment_add(acting_user=agent, ticket=ticket, body="Intern", internal=True)
    attachment_add(acting_user=agent, ticket=ticket, upload=SimpleUploadedFile("logg.txt", b"hej"))
    refusals: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on(
            "console",
            lambda message: (
                refusals.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text and not any(e in message.text for e in EXPECTED)
                else None
            ),
        )
        login(page, live_server.url, agent.username, PASSWORD)
        for path in ("/", f"/portal/arenden/{ticket.pk}/", "/medlemmar/", "/api/docs/", "/api/redoc/"):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("networkidle")
        page.locator("h1", has_text="Samverkan API").wait_for(timeout=90_000)  # ReDoc rendered the (large) schema
        page.goto(f"{live_server.url}/api/docs/")
        page.locator(".swagger-ui .info").wait_for(timeout=90_000)  # Swagger UI rendered the schema
        browser.close()
    assert not refusals, "\n".join(refusals)
