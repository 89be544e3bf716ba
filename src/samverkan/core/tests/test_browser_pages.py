"""Error pages are ordinary, accessible pages: the crawl lands on them when a link is refused.

(Django client tests; they sit beside the browser tests because they serve the same pages.)
"""

from django.urls import reverse


def test_refused_page_has_the_layout_and_says_why(world):
    response = world.client("orderer").get(reverse("members:member-list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="sv">' in html and '<main id="main"' in html
    assert "<h1>Åtkomst nekad</h1>" in html
    assert 'class="skip-link"' in html


def test_missing_page_has_the_layout_in_the_users_language(world):
    client = world.client("admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/medlemmar/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html
    assert 'aria-label="Main menu"' in html
