import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.portal import selectors
from samverkan.portal.services.attachments import attachment_add


def test_attachments_checked_and_stored_safely(world, make_ticket, settings, tmp_path):
    settings.PORTAL_MAX_ATTACHMENT_BYTES = 100
    ticket = make_ticket()
    orderer = world.users["orderer"]
    ok = attachment_add(
        acting_user=orderer, ticket=ticket, upload=SimpleUploadedFile("../../etc/skärm.png", b"\x89PNG" + b"0" * 20)
    )
    assert ok.original_name == "skärm.png" and ok.content_type == "image/png"
    assert ok.file.name.startswith("portal/") and "skärm" not in ok.file.name and not ok.file.name.endswith(".png")
    for name, data in [("virus.exe", b"MZ"), ("fake.pdf", b"MZ...."), ("big.txt", b"x" * 101), ("tom.txt", b"")]:
        with pytest.raises(ValidationError):
            attachment_add(acting_user=orderer, ticket=ticket, upload=SimpleUploadedFile(name, data))
    with pytest.raises(PermissionDenied):
        attachment_add(acting_user=orderer, ticket=ticket, internal=True, upload=SimpleUploadedFile("a.txt", b"hej"))
    secret = attachment_add(
        acting_user=world.users["agent"], ticket=ticket, internal=True, upload=SimpleUploadedFile("a.txt", b"hej")
    )
    assert list(selectors.attachments_for(orderer, ticket)) == [ok]
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.attachment_get(orderer, secret.pk)
    assert selectors.attachment_get(world.users["agent"], secret.pk) == secret
