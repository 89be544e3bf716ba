"""Attachment downloads (page and API) are inert: a policy that allows nothing, in a sandbox."""

from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.portal.services.attachments import attachment_add


def test_attachment_downloads_send_a_sandboxing_policy(world, make_ticket):
    attachment = attachment_add(
        acting_user=world.users["orderer"],
        ticket=make_ticket(),
        upload=SimpleUploadedFile("anteckning.txt", b"<script>alert(1)</script>"),
    )
    for client, url in (
        (world.client("orderer"), f"/portal/bilagor/{attachment.pk}/"),
        (world.api("orderer"), f"/api/v1/portal/attachments/{attachment.pk}/download/"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
