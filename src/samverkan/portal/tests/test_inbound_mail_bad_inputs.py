"""`portal import-mail` and the inbound-mail API fed mails that cannot be kept: each is set aside
with its reason (CLI) or refused with 400 (API), nothing is written for it, and the run goes on
with the next mail. The API's key comes from the environment (SAMVERKAN_INBOUND_MAIL_KEY)."""

from __future__ import annotations

import mailbox

import pytest
from django.core.management import call_command

from samverkan.portal.models import Comment
from samverkan.portal.notifications import subject_tag
from samverkan.portal.services import comments

KEY = "k" * 40
URL = "/api/v1/portal/inbound-mail/"


def _mail(ticket, *, body="Tack, det fungerar!", headers="") -> bytes:
    return (f"From: orderer@test.se\r\nSubject: SV: {subject_tag(ticket)}\r\n{headers}\r\n{body}\r\n").encode(
        "utf-8", "surrogateescape"
    )


UNREADABLE = [
    ("unknown charset", "Content-Type: text/plain; charset=x-klingon\r\n", "Tack", "okänd teckenkodning"),
    ("NUL, quoted-printable", "Content-Transfer-Encoding: quoted-printable\r\n", "Ta=00ck", "NUL-tecken"),
    ("NUL, raw", "", "Ta\x00ck", "NUL-tecken"),
    ("NUL, base64", "Content-Transfer-Encoding: base64\r\n", "VGEAY2s=", "NUL-tecken"),
    ("NUL in the sender's name", "", "Tack", "NUL-tecken"),
]


@pytest.mark.parametrize(("what", "headers", "body", "reason"), UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_import_mail_sets_unreadable_mail_aside_and_goes_on(
    world, make_ticket, tmp_path, capsys, what, headers, body, reason
):
    ticket = make_ticket()
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    bad = _mail(ticket, headers=headers, body=body)
    if what == "NUL in the sender's name":
        bad = bad.replace(b"From: orderer@test.se", b"From: =?utf-8?q?Anna=00?= <orderer@test.se>")
    bad_key = box.add(bad)
    box.add(_mail(ticket))
    call_command("portal", "import-mail", str(tmp_path / "inbox"))
    output = capsys.readouterr()
    assert Comment.objects.get(ticket=ticket).body == "Tack, det fungerar!"  # the good one after it
    assert len(box) == 0 and len(box.get_folder("Done")) == 1
    failed = tmp_path / "inbox" / "failed"
    assert (failed / bad_key).read_bytes() == bad
    assert reason in (failed / f"{bad_key}.reason.txt").read_text(encoding="utf-8")
    assert f"{bad_key}: " in output.err and reason in output.err and "Traceback" not in output.err
    assert "1 inlästa, 0 avvisade, 1 misslyckade" in output.out


def test_import_mail_sets_aside_a_mail_that_fails_while_storing(world, make_ticket, tmp_path, monkeypatch, capsys):
    """Any error while storing one mail (a database refusal on PostgreSQL, a full disk) stopped
    the run, and every later run stopped at the same mail again."""
    ticket = make_ticket()
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    first = box.add(_mail(ticket, body="Disk full"))
    original = comments.comment_add

    def fail_one(**kwargs):
        if kwargs["body"] == "Disk full":
            raise OSError("No space left on device")
        return original(**kwargs)

    monkeypatch.setattr("samverkan.portal.services.inbound_mail.comment_add", fail_one)
    box.add(_mail(ticket, body="Andra"))
    call_command("portal", "import-mail", str(tmp_path / "inbox"))
    output = capsys.readouterr()
    assert [c.body for c in Comment.objects.filter(ticket=ticket)] == ["Andra"]
    assert "oväntat fel (OSError" in (tmp_path / "inbox" / "failed" / f"{first}.reason.txt").read_text()
    assert "1 inlästa, 0 avvisade, 1 misslyckade" in output.out
    call_command("portal", "import-mail", str(tmp_path / "inbox"))  # nothing is left to stop a later run
    assert "0 inlästa, 0 avvisade, 0 misslyckade" in capsys.readouterr().out


@pytest.mark.parametrize(("what", "headers", "body", "reason"), UNREADABLE[:4], ids=[u[0] for u in UNREADABLE[:4]])
def test_api_refuses_unreadable_mail_with_400(world, make_ticket, monkeypatch, what, headers, body, reason):
    monkeypatch.setenv("SAMVERKAN_INBOUND_MAIL_KEY", KEY)
    ticket = make_ticket()
    response = world.api(None).post(
        URL, _mail(ticket, headers=headers, body=body), content_type="message/rfc822", HTTP_X_SAMVERKAN_INBOUND_KEY=KEY
    )
    assert response.status_code == 400 and reason in response.json()[0]
    assert not ticket.comments.exists()


@pytest.mark.parametrize(
    ("configured", "sent", "status"),
    [
        (None, KEY, 403),  # not configured: nobody gets in
        ("", "", 403),
        ("kort", "kort", 403),  # too short to be a key
        (KEY, "", 403),
        (KEY, "fel" * 14, 403),
        (KEY, "nyckel-å-ü-€", 403),  # any character in the header: a refusal, not a 500
        (KEY, KEY, 201),
    ],
)
def test_api_key_is_read_from_the_environment(world, make_ticket, monkeypatch, configured, sent, status):
    if configured is None:
        monkeypatch.delenv("SAMVERKAN_INBOUND_MAIL_KEY", raising=False)
    else:
        monkeypatch.setenv("SAMVERKAN_INBOUND_MAIL_KEY", configured)
    ticket = make_ticket()
    headers = {"HTTP_X_SAMVERKAN_INBOUND_KEY": sent} if sent else {}
    response = world.api(None).post(URL, _mail(ticket), content_type="message/rfc822", **headers)
    assert response.status_code == status
    assert ticket.comments.exists() == (status == 201)


def test_api_refuses_a_mail_over_the_request_limit_with_413(world, make_ticket, monkeypatch, settings):
    monkeypatch.setenv("SAMVERKAN_INBOUND_MAIL_KEY", KEY)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    ticket = make_ticket()
    response = world.api(None).post(
        URL, _mail(ticket, body="x" * 2000), content_type="message/rfc822", HTTP_X_SAMVERKAN_INBOUND_KEY=KEY
    )
    assert response.status_code == 413 and not ticket.comments.exists()
