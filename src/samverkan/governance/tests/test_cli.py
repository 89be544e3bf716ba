"""`samverkan governance …`: minutes-pdf and notice-board, their errors as one CommandError line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samverkan.governance.services import minutes as services
from samverkan.governance.tests.test_minutes_services import make_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(world):
    m = make_minutes(world)
    services.paragraph_add(acting_user=world.users["secretary"], minutes=m, title="Dagens ärenden")
    return m


def test_minutes_pdf_as_a_user(world, minutes, tmp_path):
    out = tmp_path / "p.pdf"
    stdout = StringIO()
    call_command(
        "governance", "minutes-pdf", str(minutes.meeting_id), "-o", str(out), "--user", "t-economist", stdout=stdout
    )
    assert out.read_bytes().startswith(b"%PDF") and "1 paragrafer" in stdout.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["999999"], "inget protokoll"),
        (["{meeting}", "--user", "t-agent"], "inget protokoll"),  # no VIEW_MEETINGS
        (["{meeting}", "--user", "t-outsider"], "inget protokoll"),  # another federation
        (["{meeting}", "--user", "nobody"], "finns inte"),
    ],
)
def test_minutes_pdf_errors(world, minutes, tmp_path, args, message):
    args = [a.format(meeting=minutes.meeting_id) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("governance", "minutes-pdf", *args, "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_minutes_pdf_unwritable(world, minutes, tmp_path):
    with pytest.raises(CommandError, match="kan inte skriva"):
        call_command("governance", "minutes-pdf", str(minutes.meeting_id), "-o", str(tmp_path / "no" / "x.pdf"))


def test_notice_board_errors(world):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("governance", "notice-board", "--federation", "nope", "--format", "json")
    with pytest.raises(CommandError, match="ogiltigt datum"):
        call_command("governance", "notice-board", "--date", "30/10/2013")
    out = StringIO()
    call_command("governance", "notice-board", "--federation", world.federation.slug, "--format", "json", stdout=out)
    assert '"current": []' in out.getvalue()
