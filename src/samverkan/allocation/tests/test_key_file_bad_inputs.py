"""The calculator's file input (`samverkan allocate FILE` and the calculator page) fed every kind
of file: every encoding, BOM and line ending a spreadsheet writes reads the same, and everything
else is refused with a message naming the line (exit 1 or the form's error), never a traceback."""

from __future__ import annotations

import html
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

GOOD = "member;population\nÅsele;100\nLycksele;300\n"


def allocate(path) -> str:
    out = StringIO()
    call_command("allocate", str(path), "--total", "1000", "--key", "population", stdout=out)
    return out.getvalue()


def page(world, content: bytes) -> str:
    response = world.client("economist").post(
        reverse("allocation:calculator"),
        {"file": SimpleUploadedFile("k.csv", content), "total": "1000", "key": "population", "unit": "krona"},
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


ENCODINGS = {
    "utf-8": lambda text: text.encode(),
    "bom": lambda text: text.encode("utf-8-sig"),
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16-be": lambda text: text.encode("utf-16-be"),
    "utf-16-le-without-bom": lambda text: text.encode("utf-16-le"),
    "utf-32": lambda text: text.encode("utf-32"),
    "cp1252": lambda text: text.encode("cp1252"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode(),
    "cr-only": lambda text: text.replace("\n", "\r").encode(),
}


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_every_encoding_and_line_ending_reads_the_same(world, tmp_path, encode):
    path = tmp_path / "k.csv"
    path.write_bytes(encode(GOOD))
    output = allocate(path)
    assert "Åsele" in output and "250" in output and "750" in output
    shown = page(world, encode(GOOD))
    assert "Åsele" in shown and "750" in shown


BAD = [
    ("empty", b"", "rad 1: filen är tom"),
    ("only a line break", b"\n", "rad 1: filen är tom"),
    ("header only", b"member;population\n", "rad 1: filen har inga medlemsrader"),
    ("an XLSX", b"PK\x03\x04\x14\x00\x00\x00", "filen är en ZIP-fil"),
    ("a PDF", b"%PDF-1.7\n", "filen är en PDF"),
    ("binary with NUL", b"member;pop\x00ulation\n\x01\x02\x03\x00\xff\n", "rad 1: filen innehåller NUL-tecken"),
    ("200 KB field", GOOD.encode() + b"Dorotea;" + b"9" * 200_000 + b"\n", "rad 4: ett fält är för långt"),
    ("truncated inside quotes", GOOD.encode() + b'"Doro', "rad 4"),
    ("huge number", GOOD.encode() + b"Dorotea;" + b"9" * 40 + b"\n", "rad 4: population: högst 15 siffror"),
    ("exponent", GOOD.encode() + b"Dorotea;1e999999999\n", "rad 4: population: får inte skrivas med exponent"),
    ("one bad line among good ones", GOOD.encode() + b"Dorotea;abc\nStoruman;5\n", "rad 4: population: «abc»"),
    ("the SCB population format", b'"region";"2024"\n"2481 Lycksele";11980\n', "kolumnen 'member' saknas"),
]


@pytest.mark.parametrize(("what", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_cli_refuses_with_the_line(tmp_path, what, content, message):
    path = tmp_path / "k.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as info:
        allocate(path)
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(("what", "content", "message"), [b for b in BAD if b[1]], ids=[b[0] for b in BAD if b[1]])
def test_page_refuses_with_the_line(world, what, content, message):
    assert message in page(world, content)


def test_cli_names_a_directory(tmp_path):
    with pytest.raises(CommandError, match="det är en katalog"):
        allocate(tmp_path)
