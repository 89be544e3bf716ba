"""Pages of the case register per role: list, search, create, documents (upload and download),
links, closing and the number pattern."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.governance.models import Case, CaseDocument, CaseLink
from samverkan.governance.services.cases import document_register
from samverkan.members.models import HandOver
from samverkan.testing import assert_roles

from .cases_helpers import SECRET_DOC, make_register, private_storage  # noqa: F401

READERS = {"admin", "secretary", "economist"}
EDITORS = {"admin", "secretary"}


@pytest.fixture
def register(world, private_storage):  # noqa: F811
    case, _public_doc, _secret_doc, secret_case, agreement = make_register(world)
    pdf = SimpleUploadedFile("yttrande.pdf", b"%PDF-1.4 hemligt", content_type="application/pdf")
    filed = document_register(
        acting_user=world.users["admin"],
        case=case,
        kind="incoming",
        date=date(2024, 3, 5),
        title="Yttrande",
        secrecy="OSL 21 kap. 7 §",
        upload=pdf,
    )
    return case, filed, secret_case, agreement


def test_page_roles(world, register):
    case, filed, _secret_case, _agreement = register
    assert_roles(world, "get", reverse("governance:case_list"), allowed=READERS)
    assert_roles(world, "get", reverse("governance:case_list") + "?q=lycksele", allowed=READERS)
    assert_roles(world, "get", reverse("governance:case_detail", args=[case.pk]), allowed=READERS)
    assert_roles(world, "get", reverse("governance:document_download", args=[filed.pk]), allowed=READERS)
    for name, args in (
        ("case_create", []),
        ("case_settings", []),
        ("case_edit", [case.pk]),
        ("document_create", [case.pk]),
        ("link_add", [case.pk]),
        ("document_edit", [filed.pk]),
    ):
        assert_roles(world, "get", reverse(f"governance:{name}", args=args), allowed=EDITORS)
    for url in (
        reverse("governance:case_detail", args=[case.pk]),
        reverse("governance:document_download", args=[filed.pk]),
    ):
        assert world.client("outsider").get(url).status_code == 404


def test_list_search_and_detail(world, register):
    case, filed, secret_case, _agreement = register
    client = world.client("economist")
    page = client.get(reverse("governance:case_list")).content.decode()
    assert case.number in page and secret_case.number in page
    page = client.get(reverse("governance:case_list"), {"q": "brandvägg"}).content.decode()
    assert case.number in page and secret_case.number not in page
    page = client.get(reverse("governance:case_detail", args=[case.pk])).content.decode()
    assert SECRET_DOC in page and "OSL 21 kap. 7 §" in page  # staff see everything
    response = client.get(reverse("governance:document_download", args=[filed.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 hemligt"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_register_through_pages(world, register, private_storage):  # noqa: F811
    _case, _filed, _secret_case, agreement = register
    client = world.client("secretary")
    response = client.post(
        reverse("governance:case_create"),
        {"title": "Skanningsavtal Storuman", "opened": "2013-10-14", "number": "2013-16"},
    )
    assert response.status_code == 302
    case = Case.objects.get(number="2013-16")
    response = client.post(
        reverse("governance:case_create"), {"title": "Dubblett", "opened": "2013-10-14", "number": "2013-16"}
    )
    assert response.status_code == 200 and "finns redan" in response.content.decode()
    upload = SimpleUploadedFile("avtal.pdf", b"%PDF-1.7", content_type="application/pdf")
    response = client.post(
        reverse("governance:document_create", args=[case.pk]),
        {
            "kind": "incoming",
            "date": "2013-10-15",
            "title": "Avtal",
            "counterparty": "Storumans kommun",
            "file": upload,
        },
    )
    assert response.status_code == 302
    assert CaseDocument.objects.get(case=case).file
    response = client.post(reverse("governance:link_add", args=[case.pk]), {"target": f"agreement:{agreement.pk}"})
    assert response.status_code == 302
    foreign = HandOver.objects.create(member=world.foreign_member, service=world.service, start=date(2020, 1, 1))
    response = client.post(reverse("governance:link_add", args=[case.pk]), {"target": f"handover:{foreign.pk}"})
    assert response.status_code == 200  # not among the choices
    link = CaseLink.objects.get(case=case)
    page = client.get(reverse("governance:case_detail", args=[case.pk])).content.decode()
    assert "Samverkansavtal" in page
    assert client.post(reverse("governance:link_remove", args=[link.pk])).status_code == 302
    assert not CaseLink.objects.filter(case=case).exists()
    response = client.post(reverse("governance:case_close", args=[case.pk]), {"closed": "2013-12-31"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    response = client.post(reverse("governance:case_settings"), {"case_number_pattern": "KS {year}/{n}"})
    assert response.status_code == 302
    client.post(reverse("governance:case_create"), {"title": "Nytt", "opened": "2019-01-10"})
    assert Case.objects.filter(number="KS 2019/1").exists()


def test_refused_writes(world, register):
    case, _filed, _secret_case, _agreement = register
    for role in ("economist", "board", "agent", "member_contact", "orderer"):
        client = world.client(role)
        assert (
            client.post(reverse("governance:case_close", args=[case.pk]), {"closed": "2024-12-31"}).status_code == 403
        )
        assert client.post(reverse("governance:case_create"), {"title": "X", "opened": "2024-01-01"}).status_code == 403
    assert (
        world.client(None).post(reverse("governance:case_close", args=[case.pk]), {"closed": "2024-12-31"}).status_code
        == 302
    )
    assert (
        world.client("outsider")
        .post(reverse("governance:case_close", args=[case.pk]), {"closed": "2024-12-31"})
        .status_code
        == 404
    )
    case.refresh_from_db()
    assert case.status == "open"
