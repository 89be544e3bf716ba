from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.core.actors import system_actor
from samverkan.governance.models import Agreement, AgreementKind
from samverkan.governance.services.agreements import agreement_create
from samverkan.testing import assert_roles

READ = {"admin", "secretary", "economist", "board"}
EDIT = {"admin", "secretary"}


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def agreement(world):
    return agreement_create(
        acting_user=system_actor(),
        federation=world.federation,
        kind=AgreementKind.SUPPLIER,
        title="Avtal för scanning-tjänster",
        counterparty="Skanningsbolaget AB",
        valid_from=date(2014, 1, 1),
        valid_to=date(2099, 12, 31),
        notice_months=3,
        responsible=world.users["secretary"],
    )


@pytest.fixture
def foreign(world):
    return agreement_create(
        acting_user=system_actor(),
        federation=world.other_federation,
        kind="other",
        title="Annat",
        valid_from=date(2020, 1, 1),
    )


def test_pages_roles(world, agreement):
    assert_roles(world, "get", reverse("governance:agreement_list"), READ)
    assert_roles(world, "get", reverse("governance:agreement_detail", args=[agreement.pk]), READ)
    assert_roles(world, "get", reverse("governance:agreement_create"), EDIT)
    assert_roles(world, "get", reverse("governance:agreement_edit", args=[agreement.pk]), EDIT)
    assert_roles(world, "get", reverse("governance:agreement_revision_add", args=[agreement.pk]), EDIT)


def test_api_roles(world, agreement):
    assert_roles(world, "get", reverse("governance-api:agreement-list"), READ, api=True)
    assert_roles(world, "get", reverse("governance-api:agreement-detail", args=[agreement.pk]), READ, api=True)
    assert_roles(world, "get", reverse("governance-api:agreement-revisions", args=[agreement.pk]), READ, api=True)


def test_other_federation_is_404(world, foreign):
    client = world.client("admin")
    assert client.get(reverse("governance:agreement_detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("governance:agreement_file", args=[foreign.pk])).status_code == 404
    assert world.api("admin").get(reverse("governance-api:agreement-detail", args=[foreign.pk])).status_code == 404
    assert "Annat" not in client.get(reverse("governance:agreement_list")).content.decode()


def test_list_highlights_upcoming_and_shows_deadline(world):
    agreement_create(
        acting_user=system_actor(),
        federation=world.federation,
        kind="cooperation",
        title="Samarbetsavtal",
        valid_from=date(2020, 1, 1),
        renewal="förlängs med ett år om det inte sägs upp senast den 30 december året innan avtalstidens utgång",
    )
    page = world.client("economist").get(reverse("governance:agreement_list")).content.decode()
    assert "Samarbetsavtal" in page
    assert "-12-30" in page


def test_create_edit_and_revision_through_pages(world):
    client = world.client("secretary")
    response = client.post(
        reverse("governance:agreement_create"),
        {
            "kind": "supplier",
            "title": "Scanning",
            "valid_from": "2014-01-01",
            "valid_to": "2015-12-31",
            "notice_months": "3",
            "host_member": world.member.pk,
            "upload": SimpleUploadedFile("avtal.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(title="Scanning")
    assert agreement.file
    download = world.client("board").get(reverse("governance:agreement_file", args=[agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    assert world.client("agent").get(reverse("governance:agreement_file", args=[agreement.pk])).status_code == 403

    response = client.post(
        reverse("governance:agreement_edit", args=[agreement.pk]),
        {"kind": "supplier", "title": "Scanning", "valid_from": "2014-01-01", "valid_to": "2013-12-31"},
    )
    assert response.status_code == 200  # refused: ends before it starts
    assert "före startdatum" in response.content.decode()

    response = client.post(
        reverse("governance:agreement_revision_add", args=[agreement.pk]),
        {"decided_on": "2020-06-17", "decided_by": "GSN", "paragraph_ref": "§ 19", "case_ref": "GSN 2020/30"},
    )
    assert response.status_code == 302
    assert agreement.revisions.count() == 1
    detail = client.get(reverse("governance:agreement_detail", args=[agreement.pk])).content.decode()
    assert "GSN 2020/30" in detail

    # a foreign host member is an unknown choice
    response = client.post(
        reverse("governance:agreement_create"),
        {"kind": "other", "title": "X", "valid_from": "2020-01-01", "host_member": world.foreign_member.pk},
    )
    assert response.status_code == 200
    assert not Agreement.objects.filter(title="X").exists()


def test_api_create_update_revision(world, agreement):
    api = world.api("admin")
    response = api.post(
        reverse("governance-api:agreement-list"),
        {
            "kind": "cooperation",
            "title": "Samarbetsavtal",
            "valid_from": "2020-01-01",
            "renewal": "förlängs med ett år om det inte sägs upp senast den 30 december året innan avtalstidens utgång",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["next_notice_deadline"].endswith("-12-30")
    pk = response.json()["id"]
    response = api.patch(reverse("governance-api:agreement-detail", args=[pk]), {"notice_months": 6}, format="json")
    assert response.status_code == 200 and response.json()["notice_months"] == 6
    response = api.patch(
        reverse("governance-api:agreement-detail", args=[pk]), {"valid_to": "2019-01-01"}, format="json"
    )
    assert response.status_code == 400
    response = api.post(
        reverse("governance-api:agreement-revisions", args=[pk]),
        {"decided_on": "2020-10-01", "decided_by": "GSN", "review_by": "2024-12-31"},
        format="json",
    )
    assert response.status_code == 201
    assert api.get(reverse("governance-api:agreement-detail", args=[pk])).json()["review_date"] == "2024-12-31"
    for role in ("economist", "board"):
        refused = world.api(role).patch(
            reverse("governance-api:agreement-detail", args=[pk]), {"title": "x"}, format="json"
        )
        assert refused.status_code == 403
    refused = world.api("outsider").patch(
        reverse("governance-api:agreement-detail", args=[pk]), {"title": "x"}, format="json"
    )
    assert refused.status_code in (403, 404)
    response = api.post(
        reverse("governance-api:agreement-list"),
        {"kind": "other", "title": "Y", "valid_from": "2020-01-01", "host_member": world.foreign_member.pk},
        format="json",
    )
    assert response.status_code == 400


def test_api_multipart_file_and_download(world):
    api = world.api("secretary")
    response = api.post(
        reverse("governance-api:agreement-list"),
        {
            "kind": "call_off",
            "title": "Avrop datorer",
            "valid_from": "2024-01-01",
            "valid_to": "2026-12-31",
            "file": SimpleUploadedFile("avrop.pdf", b"%PDF-avrop", content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["has_file"] is True
    pk = response.json()["id"]
    download = world.api("economist").get(reverse("governance-api:agreement-file", args=[pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-avrop"
    assert world.api("agent").get(reverse("governance-api:agreement-file", args=[pk])).status_code == 403
    assert world.api("outsider").get(reverse("governance-api:agreement-file", args=[pk])).status_code in (403, 404)
