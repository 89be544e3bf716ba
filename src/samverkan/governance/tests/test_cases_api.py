"""The case register's API per role: cases, documents (multipart upload, download), links."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.members.models import HandOver
from samverkan.testing import assert_roles

from .cases_helpers import make_register, private_storage  # noqa: F401

READERS = {"admin", "secretary", "economist"}
BASE = "/api/v1/governance"


@pytest.fixture
def register(world, private_storage):  # noqa: F811
    return make_register(world)


def test_read_roles_and_other_federation(world, register):
    case, public_doc, _secret_doc, _secret_case, _agreement = register
    for url in (
        f"{BASE}/cases/",
        f"{BASE}/cases/{case.pk}/",
        f"{BASE}/cases/?q=lycksele",
        f"{BASE}/case-documents/",
        f"{BASE}/case-documents/{public_doc.pk}/",
        f"{BASE}/case-links/",
    ):
        assert_roles(world, "get", url, allowed=READERS, api=True)
    assert world.api("outsider").get(f"{BASE}/cases/{case.pk}/").status_code == 404
    assert world.api("outsider").get(f"{BASE}/case-documents/{public_doc.pk}/").status_code == 404
    assert world.api("outsider").get(f"{BASE}/cases/").json()["results"] == []
    found = world.api("economist").get(f"{BASE}/cases/", {"q": "brandvägg"}).json()["results"]
    assert [c["number"] for c in found] == [case.number]


def test_write_cases_documents_and_links(world, register):
    case, *_rest, agreement = register
    api = world.api("secretary")
    response = api.post(
        f"{BASE}/cases/", {"title": "Historiskt", "opened": "2013-10-01", "number": "2013-16"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == "2013-16"
    assert (
        api.post(
            f"{BASE}/cases/", {"title": "Igen", "opened": "2013-10-01", "number": "2013-16"}, format="json"
        ).status_code
        == 400
    )
    response = api.post(
        f"{BASE}/cases/", {"title": "Nytt", "opened": "2013-11-01", "officer": world.outsider.pk}, format="json"
    )
    assert response.status_code == 400  # another federation's user is no choice
    created = api.post(f"{BASE}/cases/", {"title": "Nytt", "opened": "2013-11-01"}, format="json").json()
    assert created["number"] == "2013-17"
    response = api.patch(f"{BASE}/cases/{created['id']}/", {"title": "Ändrat", "number": "2099-1"}, format="json")
    assert response.json()["title"] == "Ändrat" and response.json()["number"] == "2013-17"
    response = api.post(f"{BASE}/cases/{created['id']}/close/", {"closed": "2013-12-31"}, format="json")
    assert response.json()["status"] == "closed"
    # multipart upload, then download
    upload = SimpleUploadedFile("brev.pdf", b"%PDF-1.4 brev", content_type="application/pdf")
    response = api.post(
        f"{BASE}/case-documents/",
        {
            "case": case.pk,
            "kind": "incoming",
            "date": "2024-03-09",
            "title": "Brev",
            "secrecy": "OSL 21 kap. 7 §",
            "upload": upload,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    doc = response.json()
    assert doc["has_file"] and doc["sequence"] == 3
    download = world.api("economist").get(f"{BASE}/case-documents/{doc['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 brev"
    for role in ("board", "agent", "member_contact", "orderer", None):
        assert world.api(role).get(f"{BASE}/case-documents/{doc['id']}/download/").status_code in (401, 403)
    bad = SimpleUploadedFile("brev.pdf", b"not a pdf")
    response = api.post(
        f"{BASE}/case-documents/",
        {"case": case.pk, "kind": "incoming", "date": "2024-03-09", "title": "X", "upload": bad},
        format="multipart",
    )
    assert response.status_code == 400
    # links: scoped targets, 404 for another federation's, delete
    response = api.post(
        f"{BASE}/case-links/", {"case": case.pk, "type": "agreement", "target_id": agreement.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["label"] == "Samverkansavtal" and response.json()["type_label"] == "Avtal"
    foreign = HandOver.objects.create(member=world.foreign_member, service=world.service, start=date(2020, 1, 1))
    response = api.post(
        f"{BASE}/case-links/", {"case": case.pk, "type": "handover", "target_id": foreign.pk}, format="json"
    )
    assert response.status_code == 404
    linked = world.api("economist").get(f"{BASE}/cases/", {"link_type": "agreement", "link_id": agreement.pk}).json()
    assert [c["id"] for c in linked["results"]] == [case.pk]
    other = world.api("outsider").get(f"{BASE}/cases/", {"link_type": "agreement", "link_id": agreement.pk})
    assert other.status_code == 404
    link_id = world.api("economist").get(f"{BASE}/case-links/").json()["results"][0]["id"]
    assert world.api("economist").delete(f"{BASE}/case-links/{link_id}/").status_code == 403
    assert api.delete(f"{BASE}/case-links/{link_id}/").status_code == 204


def test_refused_writes(world, register):
    case, *_ = register
    for role in ("economist", "board", "agent", "member_contact", "orderer", None):
        api = world.api(role)
        assert api.post(f"{BASE}/cases/", {"title": "X", "opened": "2024-01-01"}, format="json").status_code in (
            401,
            403,
        )
        assert api.post(f"{BASE}/cases/{case.pk}/close/", {"closed": "2024-12-31"}, format="json").status_code in (
            401,
            403,
        )
    outsider = world.api("outsider")
    assert outsider.patch(f"{BASE}/cases/{case.pk}/", {"title": "X"}, format="json").status_code == 404
    response = outsider.post(
        f"{BASE}/case-documents/", {"case": case.pk, "kind": "memo", "date": "2024-01-01", "title": "X"}, format="json"
    )
    assert response.status_code == 400  # an unknown case for them
