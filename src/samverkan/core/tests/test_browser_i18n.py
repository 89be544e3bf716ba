"""English translation: Swedish by default, English through the language switch, and a catalogue
that covers every template string (msgids are the Swedish texts).

These tests use Django's test client, not a browser: the in-browser switch is tested in
test_browser_a11y.py. When they fail after new UI text was added, refresh the catalogue:

    cd src/samverkan && ../../.venv/bin/python ../../manage.py makemessages -l en --ignore='*/tests/*'
    # translate the new entries in locale/en/LC_MESSAGES/django.po, remove "fuzzy" flags, then
    ../../.venv/bin/python ../../manage.py compilemessages
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

import samverkan

PACKAGE = Path(samverkan.__file__).resolve().parent
LOCALE = PACKAGE / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# {% translate "..." %} / {% trans '...' %} with a literal (optionally followed by `as var` / context).
TEMPLATE_LITERAL = re.compile(r"""{%\s*trans(?:late)?\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)(?P<rest>[^%]*)%}""")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    field = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        starts_entry = line.startswith(("#", "msgctxt ", "msgid ")) and any(k.startswith("msgstr") for k in entry)
        if not line.strip() or starts_entry:
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {"flags": set()}, None
            if not line.strip():
                continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
            field = match.group(1)
            entry[field] = _unquote(match.group(2))
        elif line.startswith('"') and field:
            entry[field] += _unquote(line.strip()[1:-1])
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    po = LOCALE / "django.po"
    assert po.exists(), f"{po} is missing: run makemessages -l en"
    return [e for e in read_po(po) if e["msgid"]]


def test_swedish_is_the_default(world, client):
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Logga in" in html
    members = world.client("admin").get(reverse("members:member-list")).content.decode()
    assert "<h1>Medlemmar</h1>" in members


def test_language_switch_gives_english_and_back(world):
    client = world.client("admin")
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("members:member-list")})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:member-list")
    html = client.get(reverse("members:member-list")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Members</h1>" in html
    assert 'aria-label="Main menu"' in html
    assert "Log out" in html and "Logga ut" not in html
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert "<h1>Medlemmar</h1>" in client.get(reverse("members:member-list")).content.decode()


def test_anonymous_start_page_in_english(db, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Log in" in html and "Logga in" not in html
    assert "Skip to content" in html


def test_unknown_language_is_refused_and_swedish_stays(db, client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert "Logga in" in client.get("/").content.decode()


def test_every_entry_is_translated_and_keeps_its_placeholders(catalogue):
    problems = []
    for entry in catalogue:
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        strings = {k: v for k, v in entry.items() if k.startswith("msgstr")}
        if not strings or any(not v for v in strings.values()):
            problems.append(f"untranslated: {entry['msgid']!r}")
            continue
        wanted = set(PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"])))
        for value in strings.values():
            if set(PLACEHOLDER.findall(value)) != wanted:
                problems.append(f"placeholders differ: {entry['msgid']!r} -> {value!r}")
    assert len(catalogue) > 100
    assert not problems, "\n".join(problems)


def test_compiled_catalogue_matches_the_po_file(catalogue):
    mo = LOCALE / "django.mo"
    assert mo.exists(), "run compilemessages"
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    stale = [
        entry["msgid"]
        for entry in catalogue
        if "msgid_plural" not in entry
        and "msgctxt" not in entry
        and translations.gettext(entry["msgid"]) != entry["msgstr"]
    ]
    assert not stale, "django.mo is older than django.po; run compilemessages. Differs: " + ", ".join(stale[:10])


def test_every_template_string_has_an_english_translation(catalogue):
    known = {entry["msgid"] for entry in catalogue if "msgctxt" not in entry}
    missing = []
    for template in sorted(PACKAGE.glob("*/templates/**/*.html")):
        for match in TEMPLATE_LITERAL.finditer(template.read_text(encoding="utf-8")):
            if "context" in match.group("rest"):
                continue
            msgid = match.group("msgid")
            if msgid not in known:
                missing.append(f"{template.relative_to(PACKAGE)}: {msgid!r}")
    assert not missing, "Template strings without an English translation:\n" + "\n".join(missing)


def test_read_po_handles_plurals_flags_and_continuation_lines(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "En %(n)s "\n"rad"\nmsgstr "One %(n)s line"\n\n'
        'msgid "%(n)s år"\nmsgid_plural "%(n)s år"\nmsgstr[0] "%(n)s year"\nmsgstr[1] "%(n)s years"\n',
        encoding="utf-8",
    )
    header, fuzzy, plural = read_po(po)
    assert header["msgid"] == "" and "Language: en" in header["msgstr"]
    assert fuzzy["msgid"] == "En %(n)s rad" and fuzzy["flags"] == {"fuzzy", "python-format"}
    assert plural["msgstr[1]"] == "%(n)s years"
