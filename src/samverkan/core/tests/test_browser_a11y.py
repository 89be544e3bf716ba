"""Accessibility of the whole demo in a real browser (Debian's Chromium driven by Playwright).

Each demo role logs in through the real login form and crawls the site breadth-first from
"/", following every same-origin link it is shown; axe-core runs on every HTML page. A page
with a serious or critical axe violation, or any 500, fails the test. Crawling what each
role is *shown* (rather than a fixed URL list) is the point: new modules are covered as soon
as they link their pages from the menu.
"""

from __future__ import annotations

import os
import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from samverkan.testing import PASSWORD

pytestmark = [pytest.mark.browser]

# Playwright's sync API runs an event loop in this thread; Django refuses DB work there otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SAMVERKAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "Samverkan-demo-2025"
MAX_PAGES = int(os.environ.get("SAMVERKAN_CRAWL_MAX_PAGES", "40"))
ROLES = [None, "admin", "handlaggare", "ekonom", "kontakt.lycksele", "bestallare.lycksele", "ledamot", "sekreterare"]
# (username, language, pages): every demo role in Swedish, and the admin's pages once more in English.
CRAWLS = [*((role, "sv", MAX_PAGES) for role in ROLES), ("admin", "en", 15)]
MAX_QUERY_PAGES = 4  # pagination/filter links are variations of a page already crawled
SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/oidc/", "/static/", "/media/", "/konto/logga-ut/")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".xls", ".csv", ".xml", ".sie", ".se", ".json", ".zip", ".txt", ".ics")
DOWNLOAD_QUERY = re.compile(r"(^|&)(format|typ|export)=(pdf|xlsx|csv|xml|sie|json|zip)(&|$)", re.IGNORECASE)
# Path segments that name downloads rather than pages (Swedish URL words used by the modules).
SKIP_SEGMENTS = re.compile(r"/(pdf|xlsx|csv|xml|sie|sie4|peppol|ladda-ner|nedladdning|export|download)(/|$)")
MAX_PER_PATTERN = 2  # visits of the same page template with other ids (see _pattern)
BLOCKING_IMPACTS = {"serious", "critical"}


def _pattern(path: str) -> str:
    """/portal/arenden/7744/ and /portal/arenden/10683/ are the same page with other data."""
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def _skip_path(path: str) -> bool:
    lowered = path.lower()
    return lowered.startswith(SKIP_PREFIXES) or lowered.endswith(SKIP_SUFFIXES) or bool(SKIP_SEGMENTS.search(lowered))


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db):
    """The full demo (every module's data), built once for the whole crawl: it takes 20–40 s."""
    call_command("demo", verbosity=0)


def login(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/konto/logga-in/" not in page.url, f"login as {username} failed: {page.url}"


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    advisories: list[str] = field(default_factory=list)  # moderate/minor axe findings: reported, not failed

    def slowest(self, n: int = 3) -> str:
        top = sorted(self.seconds.items(), key=lambda item: -item[1])[:n]
        return ", ".join(f"{path} {secs:.1f}s" for path, secs in top)


def crawl(page, base_url: str, axe, max_pages: int = MAX_PAGES, language: str = "sv") -> Crawl:
    """Breadth-first crawl from "/" over the links the signed-in user is shown."""
    origin = urlsplit(base_url).netloc
    queue: deque[str] = deque(["/"])
    seen = {"/"}
    patterns: dict[str, int] = {"/": 1}
    result = Crawl()
    visited, violations, errors, refused = result.visited, result.violations, result.errors, result.refused
    query_pages = 0
    while queue and len(visited) < max_pages:
        path = queue.popleft()
        started = time.monotonic()
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):
                raise
            # A file download behind a page-like URL: check only that it is served.
            response = page.request.get(base_url + path)
            result.downloads.append(path)
        result.seconds[path] = time.monotonic() - started
        visited.append(path)
        status = response.status if response else 0
        if status >= 500:
            errors.append(f"{path}: HTTP {status}")
            continue
        if status in (403, 404):
            refused.append(f"{path}: HTTP {status}")
        content_type = (response.headers.get("content-type", "") if response else "").lower()
        if "text/html" not in content_type or path in result.downloads:
            continue
        if page.locator("html").get_attribute("lang") != language:
            errors.append(f"{path}: not in the chosen language {language}")
        for violation in axe.run(page).response["violations"]:
            targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
            found = f"{path}: {violation['id']} ({violation['impact']}) at {targets}"
            (violations if violation.get("impact") in BLOCKING_IMPACTS else result.advisories).append(found)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            absolute, _ = urldefrag(urljoin(page.url, href))
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != origin or _skip_path(parts.path):
                continue
            if DOWNLOAD_QUERY.search(parts.query):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            pattern = _pattern(parts.path)
            if patterns.get(pattern, 0) >= MAX_PER_PATTERN or (parts.query and query_pages >= MAX_QUERY_PAGES):
                continue
            patterns[pattern] = patterns.get(pattern, 0) + 1
            query_pages += bool(parts.query)
            seen.add(target)
            queue.append(target)
    return result


def test_axe_crawl_of_every_role_has_no_serious_violations(demo, live_server, browser, subtests):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    summary = []
    for username, language, max_pages in CRAWLS:
        role = (username or "anonymous") + (f" ({language})" if language != "sv" else "")
        with subtests.test(role=role):
            context = browser.new_context(locale="sv-SE")
            page = context.new_page()
            page.set_default_timeout(60_000)  # a shared CI machine can be slow; pages are timed below
            try:
                if username:
                    login(page, live_server.url, username)
                if language != "sv":
                    switch_language(page, live_server.url, language)
                result = crawl(page, live_server.url, axe, max_pages=max_pages, language=language)
            finally:
                context.close()
            summary.append(
                f"{role}: {len(result.visited)} pages; slowest {result.slowest()}"
                + (f"; refused {result.refused}" if result.refused else "")
                + (f"; moderate/minor axe findings {result.advisories}" if result.advisories else "")
            )
            # Anonymous sees the start, login and public pages; every signed-in role has its modules.
            assert len(result.visited) >= (2 if username is None else 3), result.visited
            assert not result.errors, f"Server errors or wrong language for {role}:\n" + "\n".join(result.errors)
            assert not result.violations, f"Serious/critical axe violations for {role}:\n" + "\n".join(
                result.violations
            )
    print("\n" + "\n".join(summary))


def switch_language(page, base_url: str, language: str) -> None:
    """Through the header's plain form, as a user would."""
    page.goto(f"{base_url}/")
    page.locator("#language-select").select_option(language)
    page.locator("form.language button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(world, live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        login(page, live_server.url, world.users["admin"].username, PASSWORD)
        page.goto(f"{live_server.url}/medlemmar/")
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert focused == ["skip-link", "#main"]
        assert page.locator(".skip-link").is_visible(), "the skip link must become visible on focus"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        # The next Tab continues inside the main content, not back in the header, with a visible focus ring.
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('main')")
        ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert ring not in ("none", ""), ring
        # The menu marks where the user is.
        current = page.locator('nav.main-nav a[aria-current="page"]')
        assert current.count() == 1 and current.get_attribute("href") == "/medlemmar/"
    finally:
        context.close()


def test_language_switch_is_a_plain_form_that_works_without_javascript(world, live_server, browser):
    # A Swedish browser, no JavaScript: the switch is a plain form.
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == "sv"
        assert page.get_by_role("link", name="Logga in", exact=True).first.is_visible()
        select = page.get_by_label("Språk")
        select.focus()
        select.select_option("en")
        page.get_by_role("button", name="Byt språk").press("Enter")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("link", name="Log in", exact=True).first.is_visible()
        login(page, live_server.url, world.users["admin"].username, PASSWORD)
        page.goto(f"{live_server.url}/medlemmar/")
        assert page.get_by_role("heading", level=1).inner_text() == "Members"
        assert page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Members").is_visible()
    finally:
        context.close()
