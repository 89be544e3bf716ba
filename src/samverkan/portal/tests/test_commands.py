import mailbox

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.portal.models import Comment
from samverkan.portal.notifications import subject_tag


def test_import_mail_from_maildir(world, make_ticket, tmp_path):
    ticket = make_ticket()
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    box.add(f"From: orderer@test.se\nSubject: SV: {subject_tag(ticket)}\n\nTack, det fungerar!\n".encode())
    box.add(b"From: stranger@example.com\nSubject: spam\n\nkop nu\n")
    call_command("portal", "import-mail", str(tmp_path / "inbox"))
    assert Comment.objects.get(ticket=ticket).body == "Tack, det fungerar!"
    assert len(box) == 0
    assert len(box.get_folder("Done")) == 1 and len(box.get_folder("Rejected")) == 1
    call_command("portal", "import-mail", str(tmp_path / "inbox"))  # nothing left: no duplicate
    assert Comment.objects.filter(ticket=ticket).count() == 1
    with pytest.raises(CommandError):
        call_command("portal", "import-mail", str(tmp_path / "nope"))


def test_escalate_command(world, make_ticket, capsys):
    call_command("portal", "escalate")
    assert "0 ärenden" in capsys.readouterr().out
