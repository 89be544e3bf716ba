"""The asset register import (service, page and API) fed every kind of bad input: each is refused
with a message naming the line and field (page 200 with the message, API 400 or 413), nothing is
written, never a 500; every encoding, BOM and line ending reads the same; and what the import,
the form and the API accept is the same, so nothing stored can break a page or the API later."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook

from samverkan.assets import services
from samverkan.assets.importers.register import MAX_BYTES, MAX_ROWS
from samverkan.assets.models import Asset, AssetEvent
from samverkan.assets.validators import MAX_PURCHASE_VALUE
from samverkan.core.models import AuditEvent

HEADER = "inventarienummer;typ;beskrivning;anskaffningsdatum;anskaffningsvärde;avskrivningstid;kommunkod\n"
GOOD = HEADER + "PC-1;pc;Lenovo T14 åäö;2023-02-01;12 000,00;4;2481\nMOB-1;phone;iPhone;2023-03-01;8000;3;\n"
API = "/api/v1/assets/assets/import/"


def _row(**cells) -> bytes:
    """GOOD with a third row whose cells are the defaults changed by ``cells``."""
    row = {"nr": "X-1", "typ": "pc", "text": "Skärm", "datum": "2023-01-01", "värde": "100", "år": "3", "kod": ""}
    row.update(cells)
    return (GOOD + ";".join(row.values()) + "\n").encode()


def _xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(**files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


XLSX_HEADER = ["inventarienummer", "typ", "anskaffningsdatum", "anskaffningsvärde", "avskrivningstid"]
XLSX = _xlsx(XLSX_HEADER, ["SW-1", "network", date(2022, 5, 1), 45000, 6])

# (what, file, the message it must give)
BAD = [
    ("only a line break", b"\n", "Filen är tom."),
    ("header only", HEADER.encode(), "Filen har inga rader under rubrikraden (rad 1)."),
    ("value of 15 nines", _row(värde="999999999999999"), "Rad 4: anskaffningsvärde: måste vara mellan 0 och"),
    ("value of 26 digits", _row(värde="9" * 26), "Rad 4: anskaffningsvärde: högst 15 siffror"),
    ("value 1e26", _row(värde="1e26"), "Rad 4: anskaffningsvärde: får inte skrivas med exponent"),
    ("value 1e999999999", _row(värde="1e999999999"), "Rad 4: anskaffningsvärde: får inte skrivas med exponent"),
    ("negative value", _row(värde="-1"), "Rad 4: anskaffningsvärde: måste vara mellan 0 och"),
    ("value in tenths of öre", _row(värde="1,005"), "Rad 4: anskaffningsvärde: högst 2 decimaler"),
    ("value NaN", _row(värde="NaN"), "Rad 4: anskaffningsvärde: «NaN» är inte ett tal"),
    ("date 9999-12-31", _row(datum="9999-12-31"), "Rad 4: anskaffningsdatum: Ange ett anskaffningsdatum mellan 1900"),
    ("date 0001-01-01", _row(datum="0001-01-01"), "Rad 4: anskaffningsdatum: Ange ett anskaffningsdatum mellan 1900"),
    ("date 2023-02-30", _row(datum="2023-02-30"), "Rad 4: anskaffningsdatum: ogiltigt datum '2023-02-30'"),
    ("description too long", _row(text="x" * 201), "Rad 4: beskrivning: högst 200 tecken (här 201)"),
    ("200 KB field", _row(text="x" * 200_000), "Rad 4: ett fält är längre än 1\u00a0000 tecken"),
    ("NUL in a text", _row(text="Sk\x00ärm"), "Rad 4: filen innehåller NUL-tecken"),
    ("truncated last line", GOOD.encode() + b'X-1;pc;"Sk', "Rad 4: ett citerat fält tar aldrig slut"),
    ("stray quote", _row(text='"Skärm" 24"'), "Rad 4: text efter ett avslutande citattecken"),
    ("unknown type among good rows", _row(typ="kaffebryggare"), "Rad 4: okänd typ 'kaffebryggare'"),
    ("unknown member among good rows", _row(kod="9999"), "Rad 4: okänd kommunkod 9999"),
    ("duplicate number", _row(nr="PC-1"), "Rad 4: inventarienummer PC-1 finns redan på rad 2"),
    ("undecodable bytes", GOOD.encode("cp1252") + b"X-1;pc;\x81;2023-01-01;1;3;\n", "Rad 4: filen är inte kodad som"),
    (
        "UTF-8 mixed with Latin-1",
        GOOD.encode() + "X-1;pc;Skärm;2023-01-01;1;3;\n".encode("latin-1"),
        "Rad 4: filen blandar",
    ),
    ("binary junk", bytes(range(256)) * 4, "Rad 1: filen innehåller NUL-tecken"),
    ("a PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "Filen är en PDF"),
    ("an old XLS", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Filen är en äldre Office-fil"),
    ("a broken XLSX", XLSX[: len(XLSX) // 2], "Filen är en trasig ZIP- eller XLSX-fil."),
    ("a zip without [Content_Types].xml", _zip(**{"xl/workbook.xml": "<workbook/>"}), "[Content_Types].xml saknas"),
    ("a zip pretending to be XLSX", _zip(**{"[Content_Types].xml": "<Types/>"}), "Arbetsboken kan inte läsas"),
    ("an ODS", _zip(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "[Content_Types].xml saknas"),
    ("the SCB population format", b'"region";"2024"\n"2481 Lycksele";11980\n', "Rad 1: kolumner saknas"),
    ("a key table", b"member,population\nLycksele,11980\n", "Rad 1: kolumner saknas: inventarienummer"),
    ("too many rows", (HEADER + "X;pc;;2023-01-01;1;3;\n" * (MAX_ROWS + 1)).encode(), f"fler än {MAX_ROWS} rader"),
    (
        "XLSX with a bad value",
        _xlsx(
            XLSX_HEADER,
            ["SW-1", "network", date(2022, 5, 1), 1e26, 6],
        ),
        "Rad 2: anskaffningsvärde",
    ),
    (
        "XLSX with a date in year 9999",
        _xlsx(XLSX_HEADER, ["SW-1", "network", date(9999, 12, 31), 1, 6]),
        "Rad 2: anskaffningsdatum",
    ),
]
IDS = [what for what, _content, _message in BAD]


def _counts():
    return Asset.objects.count(), AssetEvent.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(("what", "content", "message"), BAD, ids=IDS)
def test_service_refuses_with_the_line_and_writes_nothing(world, what, content, message):
    before = _counts()
    with pytest.raises(ValidationError) as info:
        services.assets_import(acting_user=world.users["admin"], federation=world.federation, data=content)
    assert any(message in m for m in info.value.messages), info.value.messages
    assert _counts() == before


@pytest.mark.parametrize(("what", "content", "message"), BAD, ids=IDS)
def test_page_shows_the_message(world, what, content, message):
    before = _counts()
    response = world.client("admin").post(
        reverse("assets:asset-import"), {"file": SimpleUploadedFile("register.csv", content)}, follow=True
    )
    assert response.status_code == 200 and "Arbetet misslyckades" in response.content.decode()  # the job's error
    assert message in html.unescape(response.content.decode())
    assert _counts() == before


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path  # uploads kept for the background job


@pytest.mark.parametrize(("what", "content", "message"), BAD, ids=IDS)
def test_api_job_fails_with_the_message(world, what, content, message):
    before = _counts()
    response = world.api("admin").post(API, {"file": SimpleUploadedFile("register.xlsx", content)}, format="multipart")
    assert response.status_code == 202 and response.json()["status"] == "failed"
    assert message in response.json()["error"], response.json()
    assert _counts() == before


def test_oversize_file_is_413_in_the_api_and_a_message_on_the_page(world):
    big = (HEADER + "X;pc;;2023-01-01;1;3;\n" * (MAX_BYTES // 20)).encode()
    assert len(big) > MAX_BYTES
    before = _counts()
    response = world.api("admin").post(API, {"file": SimpleUploadedFile("r.csv", big)}, format="multipart")
    assert response.status_code == 413 and "högst 5,0\u00a0MB" in response.json()["detail"]
    page = world.client("admin").post(reverse("assets:asset-import"), {"file": SimpleUploadedFile("r.csv", big)})
    assert page.status_code == 200 and "högst 5,0\u00a0MB" in html.unescape(page.content.decode())
    assert _counts() == before
    form = html.unescape(world.client("admin").get(reverse("assets:asset-import")).content.decode())
    assert "Högst 5,0\u00a0MB." in form and "Högst 10\u00a0000 rader." in form
    with pytest.raises(ValidationError, match="Filen är 5,5 MB; högst 5 MB tas emot"):
        services.assets_import(acting_user=world.users["admin"], federation=world.federation, data=big)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("utf-16-le"),
        lambda text: text.encode("cp1252"),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: text.replace("\n", "\r").encode(),
        lambda text: text.replace(";", ",").replace("12 000,00", '"12 000,00"').encode(),
    ],
    ids=["utf-8", "bom", "utf-16", "utf-16-le-without-bom", "cp1252", "crlf", "cr-only", "comma"],
)
def test_every_encoding_and_line_ending_imports_the_same(world, encode):
    result = services.assets_import(acting_user=world.users["admin"], federation=world.federation, data=encode(GOOD))
    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    pc = Asset.objects.get(inventory_number="PC-1")
    assert (pc.description, pc.purchase_value, pc.member) == ("Lenovo T14 åäö", Decimal("12000.00"), world.member)


def test_the_file_is_known_by_its_content_not_its_name(world):
    """A CSV named .xlsx and a workbook named .csv (both answered 500 before)."""
    api = world.api("admin")
    response = api.post(API, {"file": SimpleUploadedFile("r.xlsx", GOOD.encode())}, format="multipart")
    assert response.status_code == 202 and response.json()["message"].startswith("Importen är klar: 2 nya")
    response = api.post(API, {"file": SimpleUploadedFile("r.csv", XLSX)}, format="multipart")
    assert response.status_code == 202 and response.json()["message"].startswith("Importen är klar: 1 nya")


def test_the_largest_value_and_latest_date_allowed_can_be_shown_everywhere(world):
    """An asset valued 999 999 999 999 999 was imported, and the asset list answered 500 for the
    whole federation; one dated 9999-12-31 was imported and its page answered 500."""
    content = (HEADER + f"BIG-1;pc;Stor;2200-12-31;{MAX_PURCHASE_VALUE};6;\n").encode()
    services.assets_import(acting_user=world.users["admin"], federation=world.federation, data=content)
    asset = Asset.objects.get(inventory_number="BIG-1")
    api = world.api("admin")
    listed = api.get("/api/v1/assets/assets/")
    assert listed.status_code == 200 and listed.json()["results"][0]["purchase_value"] == "9999999999999.99"
    for url in (f"/api/v1/assets/assets/{asset.pk}/", f"/api/v1/assets/assets/{asset.pk}/schedule/"):
        assert api.get(url).status_code == 200
    client = world.client("admin")
    assert client.get(reverse("assets:asset-detail", args=[asset.pk])).status_code == 200
    assert client.get(reverse("assets:asset-list")).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("purchase_value", "999999999999999", "purchase_value"),
        ("purchase_value", "1e26", "purchase_value"),
        ("purchase_date", "9999-12-31", "purchase_date"),
        ("description", "Sk\x00ärm", "description"),
    ],
)
def test_form_and_api_refuse_what_the_import_refuses(world, field, value, message):
    body = {
        "inventory_number": "X1",
        "asset_type": "pc",
        "description": "Dator",
        "purchase_date": "2023-01-01",
        "purchase_value": "1000.00",
        "depreciation_years": 4,
        field: value,
    }
    response = world.api("agent").post("/api/v1/assets/assets/", body, format="json")
    assert response.status_code == 400 and message in response.json()
    page = world.client("agent").post(reverse("assets:asset-create"), {**body, "member": "", "department": ""})
    assert page.status_code == 200 and not Asset.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"purchase_value": Decimal("10000000000000")},
        {"purchase_date": date(9999, 12, 31)},
        {"purchase_date": date(1899, 12, 31)},
    ],
)
def test_the_database_refuses_what_no_validation_let_through(world, change):
    services.assets_import(acting_user=world.users["admin"], federation=world.federation, data=GOOD.encode())
    with pytest.raises(IntegrityError), transaction.atomic():
        Asset.objects.filter(inventory_number="PC-1").update(**change)
