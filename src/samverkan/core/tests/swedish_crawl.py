"""Crawl the pages a signed-in user is shown and find English words, raw codes and float notation.

Used by `test_swedish_pages.py` (on a rich test world) and runnable by hand on the demo database:

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python -m samverkan.core.tests.swedish_crawl

Only visible text counts: tag names, attribute values, `<script>`/`<style>` and the code-like
elements (`<code>`, `<pre>`, `<kbd>`, `<samp>`, where the CLI syntax is documented) are skipped.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

# English words the issue found on Swedish pages (whole words, case-sensitive as written).
DENY_WORDS = (
    "breached",
    "create",
    "created",
    "assign",
    "assigned",
    "imported",
    "update",
    "updated",
    "delete",
    "deleted",
    "Service",
    "ok",
    "None",
    "True",
    "False",
    "pending",
    "draft",
    "approved",
    "issued",
    "in_use",
    "Department",  # a foreign key without a verbose_name shows its field name
    "Member",
    "Federation",
)
RAW_CODES = ("QAN", "ANN", "MON", "HUR", "C62", "H87", "DAY", "WEE")
APPS = ("core", "members", "allocation", "catalogue", "billing", "portal", "assets", "telephony", "finance")
APPS += ("governance", "performance", "accounts", "auth")
CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("English word", re.compile(r"(?<![\w-])(" + "|".join(DENY_WORDS) + r")(?![\w-])")),
    ("raw unit code", re.compile(r"(?<![\w-])(" + "|".join(RAW_CODES) + r")(?![\w-])")),
    ("Python dict", re.compile(r"\{'")),
    ("model label", re.compile(r"(?<![\w.])(" + "|".join(APPS) + r")\.[A-Z][A-Za-z]+(?![\w.])")),
    ("snake_case code", re.compile(r"(?<![\w/.-])[a-z]+_[a-z_]+(?![\w/.-])")),
    ("float notation", re.compile(r"\d[Ee][+-]\d|\d,\d+[Ee]\d")),
    ("Django's empty choice", re.compile(r"-{9}")),  # "---------": say "Alla" or "–"
)
# Proper names that look like codes: the Asterisk file format.
ALLOWED = {"queue_log"}
SKIP_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "title"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/oidc/", "/static/", "/media/", "/konto/logga-ut/")
SKIP_SEGMENTS = re.compile(r"/(pdf|xlsx|csv|xml|sie|sie4|peppol|ladda-ner|nedladdning|export|download)(/|$)")
DOWNLOAD_QUERY = re.compile(r"(^|&)(format|export)=", re.IGNORECASE)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.chunks: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag in SKIP_TAGS:
            self.skipping.append(tag)
        elif tag not in VOID_TAGS:
            self.chunks.append(" ")

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        self.chunks.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.chunks)), parser.links


def offences(text: str) -> list[str]:
    """Each finding with the text around it, so a failure shows where it is."""
    found = []
    for name, pattern in CHECKS:
        for match in pattern.finditer(text):
            if match.group(0) in ALLOWED:
                continue
            start, end = max(0, match.start() - 60), match.end() + 60
            found.append(f"{name} {match.group(0)!r}: …{text[start:end]}…")
    return found


# A figure in a number column (`class="num"`) is grouped by `|num`/`|kr`: "1 530", not "1530".
# Four-digit years (1900–2099) stand as they are.
_NUM_CELL = re.compile(r'<t[dh]\b[^>]*\bclass="(?:[^"]*\s)?num(?:\s[^"]*)?"[^>]*>(.*?)</t[dh]>', re.S)
_UNGROUPED = re.compile(r"(?<![\d.,:/#-])\d{4,}(?![\d.,:/-])")


def unformatted_numbers(html: str) -> list[str]:
    """Number cells whose figure is not grouped in thousands."""
    found = []
    for cell in _NUM_CELL.findall(html):
        text = re.sub(r"<[^>]+>", " ", cell)
        for match in _UNGROUPED.finditer(text):
            figure = match.group(0)
            if not (len(figure) == 4 and figure[:2] in ("19", "20")):
                found.append(f"unformatted number {figure!r}: …{text.strip()[:80]}…")
    return found


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def _skip(path: str) -> bool:
    return path.lower().startswith(SKIP_PREFIXES) or bool(SKIP_SEGMENTS.search(path.lower()))


def argless_page_urls() -> list[str]:
    """Every page URL of the resolver that takes no arguments (the menu may not link them all)."""
    urls: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and "<" not in route and not re.search(r"[\^$\\(]", route):
                urls.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return [url for url in dict.fromkeys(urls) if not _skip(url)]


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def crawl(client, start: list[str], *, max_pages: int = 80, per_pattern: int = 1, deadline: float = 30.0) -> Crawl:
    """Breadth-first over `start` and the links each page shows; one page per URL pattern."""
    began = time.monotonic()
    result = Crawl()
    queue: deque[str] = deque()
    seen: set[str] = set()
    patterns: dict[str, int] = {}

    def push(target: str) -> None:
        path = urlsplit(target).path
        key = _pattern(path) + ("?" if urlsplit(target).query else "")
        if target in seen or _skip(path) or patterns.get(key, 0) >= per_pattern:
            return
        patterns[key] = patterns.get(key, 0) + 1
        seen.add(target)
        queue.append(target)

    for url in start:
        push(url)
    while queue and len(result.visited) < max_pages and time.monotonic() - began < deadline:
        path = queue.popleft()
        response = client.get(path)
        result.visited.append(path)
        if response.status_code >= 500:
            result.errors.append(f"{path}: HTTP {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        text, links = visible_text(html)
        result.findings += [f"{path}: {finding}" for finding in offences(text) + unformatted_numbers(html)]
        for href in links:
            absolute, _ = urldefrag(urljoin("http://testserver" + path, href))
            parts = urlsplit(absolute)
            if parts.netloc != "testserver" or DOWNLOAD_QUERY.search(parts.query):
                continue
            push(parts.path + (f"?{parts.query}" if parts.query else ""))
    result.seconds = time.monotonic() - began
    return result


if __name__ == "__main__":  # pragma: no cover - a hand tool on the demo database
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    from samverkan.core.models import User

    users = sys.argv[1:] or ["admin", "handlaggare", "ekonom", "kontakt.lycksele", "bestallare.lycksele", "ledamot"]
    for username in users:
        client = Client()
        client.force_login(User.objects.get(username=username))
        run = crawl(client, ["/", *argless_page_urls()], max_pages=400, per_pattern=2, deadline=900)
        print(f"== {username}: {len(run.visited)} pages in {run.seconds:.0f} s", flush=True)
        for line in run.errors + run.findings:
            print(line, flush=True)
