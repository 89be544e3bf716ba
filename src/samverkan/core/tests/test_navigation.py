"""The header menu, breadcrumbs and the one sub-menu on a sample of pages per role (issue 16)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from samverkan.core.templatetags.navigation import trail
from samverkan.core.tests.swedish_crawl import visible_text

# (role, page) pairs: a list, a page under a list, a module's sub-menu page, a detail page.
SAMPLE = [
    ("admin", "/medlemmar/"),
    ("admin", "/anvandare/ny/"),
    ("agent", "/portal/desk/"),
    ("agent", "/portal/standardtexter/"),
    ("economist", "/fakturering/fakturor/"),
    ("economist", "/fordelning/nycklar/"),
    ("economist", "/ekonomi/budgetar/"),
    ("member_contact", "/tjanstekatalog/bestallningar/"),
    ("orderer", "/tjanstekatalog/"),
    ("board", "/styrning/"),
]


def _breadcrumbs(html: str) -> list[str]:
    block = re.search(r'<nav class="breadcrumbs" aria-label="Brödsmulor">(.*?)</nav>', html, re.S)
    assert block, "no breadcrumbs"
    return [visible_text(item)[0].strip() for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


@pytest.mark.parametrize(("role", "url"), SAMPLE)
def test_pages_have_the_header_menu_and_breadcrumbs(world, role, url):
    response = world.client(role).get(url, follow=True)  # the queue redirects to its default filter
    assert response.status_code == 200, url
    html = response.content.decode()
    # The header's disclosure holds the account and the main menu; "Meny" is its button.
    assert '<details class="site-menu" id="site-menu">' in html
    assert re.search(r"<summary>.*Meny</summary>", html)
    assert '<nav class="main-nav" aria-label="Huvudmeny">' in html
    assert 'src="/static/samverkan/samverkan.js"' in html
    crumbs = _breadcrumbs(html)
    assert crumbs[0] == "Start" and len(crumbs) >= 2
    assert html.count('aria-current="page"') >= 1
    assert re.search(r'<span aria-current="page">[^<]+</span></li></ol>', html), "the last crumb is this page"


def test_breadcrumbs_walk_the_path_and_name_each_step(world):
    member = world.member
    html = world.client("admin").get(f"/medlemmar/{member.pk}/andra/").content.decode()
    crumbs = _breadcrumbs(html)
    # the member's own page (…/<id>/) has no name in the registry: Start › Medlemmar › this page
    assert crumbs[:2] == ["Start", "Medlemmar"] and len(crumbs) == 3
    assert f'href="{reverse("members:member-list")}"' in html


def test_breadcrumbs_leave_out_steps_the_user_may_not_open(world):
    request = RequestFactory().get("/tjanstekatalog/bestallningar/")
    request.user = world.users["orderer"]
    assert [str(c["label"]) for c in trail(request, "Beställningar")] == ["Start", "Tjänstekatalog", "Beställningar"]
    request = RequestFactory().get("/fakturering/fakturor/")
    request.user = AnonymousUser()  # may not open the invoice runs ("Fakturering"): no link to a 403
    assert [str(c["label"]) for c in trail(request, "")] == ["Start", "Fakturor"]


def test_start_page_has_no_breadcrumbs(world):
    assert 'class="breadcrumbs"' not in world.client("agent").get("/").content.decode()


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/fordelning/nycklar/", "Fördelningsnycklar"),
        ("/ekonomi/prognoser/", "Prognoser"),
        ("/telefoni/koer/", "Köer"),
    ],
)
def test_module_sub_menus_share_one_markup_and_mark_the_page(world, url, current):
    html = world.client("admin").get(url).content.decode()
    menus = re.findall(r'<nav class="subnav" aria-label="[^"]+"><ul>(.*?)</ul></nav>', html, re.S)
    assert menus, "no sub-menu"
    marked = re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', "".join(menus))
    assert marked == [current]
    assert 'class="actions">\n  <a' not in html  # the old button/link rows are gone


def test_section_menu_uses_the_same_component(world):
    html = world.client("economist").get("/fakturering/fakturor/").content.decode()
    assert '<div class="section-nav"><nav class="subnav" aria-label="Undermeny">' in html
    assert re.search(r'<li><a href="/fakturering/fakturor/" aria-current="page">Fakturor</a></li>', html)


def test_anonymous_pages_have_the_menu_button_and_a_login_link(client):
    html = client.get(reverse("login")).content.decode()
    assert '<details class="site-menu" id="site-menu">' in html and "Logga in" in html
