"""The population import (parser, page and `samverkan import population`) fed every kind of bad
input: each is refused with a Swedish message naming the line, nothing is written, no 500 and
no traceback; and every encoding and line ending SCB or Excel writes reads the same."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from samverkan.core.models import AuditEvent
from samverkan.members.importers.scb_population import MAX_BYTES, ParseError, parse
from samverkan.members.models import MemberFigure

GOOD = (
    '"Folkmängden den 1 november efter region och år"\n'
    "\n"
    '"region";"2024"\n'
    '"00 Riket";10587710\n'
    '"2481 Lycksele";11980\n'
    '"2421 Storuman";5790\n'
    "\n"
    '"Källa: SCB, Befolkningsstatistik"\n'
)
EXPECTED = {("2481", date(2024, 11, 1)): 11980, ("2421", date(2024, 11, 1)): 5790}


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def _good_with(line: str) -> bytes:
    """GOOD with one more line just below the Storuman row."""
    return GOOD.replace('"2421 Storuman";5790\n', f'"2421 Storuman";5790\n{line}\n').encode()


# (what, file, the message it must give: a line where there is one)
BAD = [
    ("empty file", b"", "rad 1: hittar ingen rubrikrad"),
    ("only a line break", b"\n", "rad 1: hittar ingen rubrikrad"),
    ("header only", b'"region";"2024"\n', "filen innehåller inga kommunrader"),
    ("footnote-like row without value", _good_with('"2463 Åsele"'), "rad 7: raden har 1 fält men rubriken 2"),
    ("comma inside a semicolon file", _good_with('"2463 Åsele",2700'), "rad 7: text efter ett avslutande citattecken"),
    ("truncated last line", (GOOD.split('\n\n"Källa')[0] + '\n"2085 Ludv').encode(), "rad 7: ett citerat fält"),
    ("truncated last line unquoted", (GOOD.split('\n\n"Källa')[0] + "\n2085 Ludv").encode(), "rad 7: raden har 1 fält"),
    ("data after the footnotes", (GOOD + '"2463 Åsele";2760\n').encode(), "rad 9: raden står efter tabellens slut"),
    ("bare name without value", _good_with("Åsele"), "rad 7: raden har 1 fält"),
    ("25-digit value", _good_with('"2463 Åsele";' + "9" * 25), "rad 7: fältet 2024: högst 15 siffror"),
    (
        "5000-digit value",
        _good_with('"2463 Åsele";' + "9" * 5000),
        "rad 7: fältet 2024: är längre än 2\u00a0000 tecken",
    ),
    (
        "value above any municipality",
        _good_with('"2463 Åsele";100000000'),
        "rad 7: fältet 2024: måste vara mellan 0 och 99\u00a0999\u00a0999",
    ),
    ("negative value", _good_with('"2463 Åsele";-5'), "rad 7: fältet 2024: måste vara mellan 0 och"),
    ("decimal value", _good_with('"2463 Åsele";2760,5'), "rad 7: fältet 2024: måste vara ett heltal"),
    ("exponent", _good_with('"2463 Åsele";1e999999999'), "rad 7: fältet 2024: får inte skrivas med exponent"),
    ("nan", _good_with('"2463 Åsele";nan'), "rad 7: fältet 2024: «nan» är inte ett tal"),
    ("superscript two in Latin-1", _good_with('"2463 Åsele";2760²').decode().encode("latin-1"), "rad 7: fältet 2024"),
    ("Arabic-Indic digits", _good_with('"2463 Åsele";٢٧٦٠'), "rad 7: fältet 2024"),
    ("SCB's missing value", _good_with('"2463 Åsele";..'), "rad 7: fältet 2024: '..' är inget antal invånare"),
    ("1 MB field", _good_with('"2463 Åsele";"' + "1" * 1_000_000 + '"'), "rad 7: ett fält är längre än"),
    ("year 0000", GOOD.replace('"2024"', '"0000"').encode(), "rad 3: kolumnen '0000': året måste vara mellan"),
    ("month 13", GOOD.replace('"2024"', '"2024M13"').encode(), "rad 3: kolumnen '2024M13': månaden"),
    ("NUL in a field", _good_with('"2463 Å\x00sele";2760'), "rad 7: filen innehåller NUL-tecken"),
    ("binary junk", b"\x00\x01\x02\x03" * 100, "rad 1: filen innehåller NUL-tecken"),
    ("an XLSX", _xlsx(), "filen är en ZIP-fil"),
    ("a PDF", b"%PDF-1.7\n...", "filen är en PDF"),
    ("UTF-8 mixed with Latin-1", GOOD.encode() + '"2463 Åsele";2760\n'.encode("latin-1"), "rad 9: filen blandar UTF-8"),
    ("undecodable bytes", GOOD.encode("latin-1") + b'"2463 \x81sele";2760\n', "rad 9: filen är inte kodad som"),
    ("odd-length UTF-16", b"\xff\xfe" + 'region;2024\n"2481 Lycksele";11980\n'.encode("utf-16-le")[:-1], "UTF-16"),
    ("an asset register", b"inventarienummer;typ;anskaffningsdatum\nPC-1;pc;2024-01-01\n", "ingen rubrikrad"),
    ("a key table", b"member,population\nLycksele,11980\n", "rad 1: hittar ingen rubrikrad"),
    ("unknown code among good rows", _good_with('"9999 Påhittad";100'), "rad 7: fältet kommunkod: '9999'"),
    ("duplicate municipality", _good_with('"2481 Lycksele";11981'), "rad 7: fältet region: kommun 2481 förekommer"),
    ("too many fields", _good_with('"2463 Åsele";2760;12'), "rad 7: raden har 3 fält men rubriken bara 2"),
]
IDS = [what for what, _content, _message in BAD]


@pytest.mark.parametrize(("what", "content", "message"), BAD, ids=IDS)
def test_parser_refuses_with_the_line(what, content, message):
    with pytest.raises(ParseError) as info:
        parse(content)
    assert message in str(info.value)
    assert "Traceback" not in str(info.value) and "\n" not in str(info.value)


def test_oversize_file_is_refused_before_it_is_read():
    with pytest.raises(ParseError, match="filen är 10 MB; högst 10 MB tas emot"):
        parse(b"x" * (MAX_BYTES + 1))


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("utf-16-le"),
        lambda text: text.encode("utf-16-be"),
        lambda text: text.encode("utf-32"),
        lambda text: text.encode("cp1252"),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: text.replace("\n", "\r").encode(),
        lambda text: text.replace(";", "\t").encode(),
        lambda text: text.replace("\n", "\r\n").encode("utf-16"),
    ],
    ids=["utf-8", "bom", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "crlf", "cr", "tab", "excel-unicode"],
)
def test_every_encoding_and_line_ending_reads_the_same(encode):
    rows = parse(encode(GOOD))
    assert {(r.kommunkod, r.reference_date): r.value for r in rows} == EXPECTED


def test_footnotes_are_recognised_after_the_table():
    text = GOOD + '".. = uppgift saknas";;\n"Uppgifterna för 2024 är preliminära"\n'
    assert len(parse(text.encode())) == 2


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path  # uploads kept for the background job


@pytest.fixture
def snapshot_counts(world):
    return lambda: (MemberFigure.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize(("what", "content", "message"), BAD, ids=IDS)
def test_page_answers_with_the_message_and_writes_nothing(world, snapshot_counts, what, content, message):
    before = snapshot_counts()
    response = world.client("economist").post(
        reverse("members:population-import"), {"file": SimpleUploadedFile("scb.csv", content)}, follow=True
    )
    assert response.status_code == 200  # the background job's error, on the page that started it
    # Django's upload field itself refuses an empty file, before the importer sees it.
    assert (message if content else "Den skickade filen var tom") in html.unescape(response.content.decode())
    assert snapshot_counts() == before


def test_page_refuses_an_oversize_upload(world, snapshot_counts):
    before = snapshot_counts()
    response = world.client("economist").post(
        reverse("members:population-import"), {"file": SimpleUploadedFile("scb.csv", b"x" * (MAX_BYTES + 1))}
    )
    assert response.status_code == 200
    assert "högst 10,0\u00a0MB" in html.unescape(response.content.decode())
    assert snapshot_counts() == before
    assert "Högst 10,0\u00a0MB." in html.unescape(
        world.client("economist").get(reverse("members:population-import")).content.decode()
    )


@pytest.mark.parametrize(("what", "content", "message"), BAD, ids=IDS)
def test_cli_exits_1_with_one_line(world, snapshot_counts, tmp_path, what, content, message):
    path = tmp_path / "scb.csv"
    path.write_bytes(content)
    before = snapshot_counts()
    with pytest.raises(CommandError) as info:
        call_command("import", "population", str(path), "--federation", world.federation.slug)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert snapshot_counts() == before


def test_cli_refuses_oversize_directories_and_devices(world, snapshot_counts, tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (MAX_BYTES + 1))
    before = snapshot_counts()
    with pytest.raises(CommandError, match=r"big\.csv: filen är större än 10 MB"):
        call_command("import", "population", str(big))
    with pytest.raises(CommandError, match="det är en katalog"):
        call_command("import", "population", str(tmp_path))
    with pytest.raises(CommandError, match="filen är större än 10 MB"):
        call_command("import", "population", "/dev/zero")
    assert snapshot_counts() == before
