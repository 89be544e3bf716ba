import os
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from samverkan.billing.models import BilledTimeEntry
from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.governance.models import (
    Attendance,
    Body,
    BodyKind,
    DisposalLog,
    Meeting,
    RecordType,
    RetentionRule,
)
from samverkan.governance.services.records import (
    default_plan,
    personal_data_erase,
    personal_data_report,
    records_dispose,
    retention_plan,
    rule_update,
    validate_rule,
)
from samverkan.members.models import Contact
from samverkan.portal.models import Attachment, Comment, Status, Team, Ticket, TimeEntry
from samverkan.telephony.models import CallArchive, ImportBatch, Queue

TODAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def team(world):
    return Team.objects.create(federation=world.federation, code="it", name="IT-support")


def ticket(world, team, *, closed: datetime | None, federation=None, member=None, **extra):
    return Ticket.objects.create(
        federation=federation or world.federation,
        member=member or world.member,
        team=team,
        title=extra.pop("title", "Skrivaren"),
        status=Status.CLOSED if closed else Status.NEW,
        closed_at=closed,
        **extra,
    )


def attach(t, name="a.txt"):
    a = Attachment(ticket=t, original_name=name, content_type="text/plain", size=3, sha256="0" * 64)
    a.file.save(name, ContentFile(b"abc"), save=False)
    a.save()
    return a


def test_default_plan_cites_the_law_and_is_installed_once(world):
    rows = {r["record_type"]: r for r in default_plan()}
    assert set(rows) == set(RecordType.values)
    assert rows["invoices"]["keep_years"] == 7 and "7 kap. 2 §" in rows["invoices"]["legal_basis"]
    assert rows["minutes"]["keep_years"] is None and rows["minutes"]["dispose"] is False
    admin = world.users["admin"]
    assert len(retention_plan(acting_user=admin, federation=world.federation)) == len(RecordType.values)
    assert len(retention_plan(acting_user=admin, federation=world.federation)) == len(RecordType.values)
    assert RetentionRule.objects.filter(federation=world.federation).count() == len(RecordType.values)


def test_rule_refused_against_the_law(world):
    admin = world.users["admin"]
    rules = {r.record_type: r for r in retention_plan(acting_user=admin, federation=world.federation)}
    with pytest.raises(ValidationError):
        rule_update(acting_user=admin, rule=rules["invoices"], keep_years=5, dispose=True, legal_basis="")
    with pytest.raises(ValidationError):
        rule_update(acting_user=admin, rule=rules["orders"], keep_years=6, dispose=True, legal_basis="")
    with pytest.raises(ValidationError):
        rule_update(acting_user=admin, rule=rules["minutes"], keep_years=50, dispose=True, legal_basis="")
    with pytest.raises(ValidationError):
        rule_update(acting_user=admin, rule=rules["tickets"], keep_years=None, dispose=True, legal_basis="")
    rule = rule_update(acting_user=admin, rule=rules["invoices"], keep_years=10, dispose=True, legal_basis="BFL")
    assert rule.keep_years == 10
    rule = rule_update(acting_user=admin, rule=rules["tickets"], keep_years=3, dispose=True, legal_basis="x")
    assert rule.keep_years == 3
    for who in (world.users["secretary"], world.users["economist"], world.outsider):
        with pytest.raises(PermissionDenied):
            rule_update(acting_user=who, rule=rules["tickets"], keep_years=3, dispose=True, legal_basis="x")


def test_dispose_dry_run_then_real(world, team, django_capture_on_commit_callbacks, settings):
    old = datetime(2024, 1, 1, tzinfo=UTC)
    due = ticket(world, team, closed=old)
    a = attach(due)
    Comment.objects.create(ticket=due, body="hej")
    TimeEntry.objects.create(ticket=due, user=world.users["agent"], day=date(2023, 12, 1), minutes=30)
    recent = ticket(world, team, closed=datetime(2025, 6, 1, tzinfo=UTC))
    still_open = ticket(world, team, closed=None, created_at=old)
    billed = ticket(world, team, closed=old)
    entry = TimeEntry.objects.create(ticket=billed, user=world.users["agent"], day=date(2023, 12, 1), minutes=30)
    BilledTimeEntry.objects.create(time_entry_id=entry.pk, line_id=1)
    foreign_team = Team.objects.create(federation=world.other_federation, code="it", name="IT")
    foreign = ticket(world, foreign_team, closed=old, federation=world.other_federation, member=world.foreign_member)
    queue = Queue.objects.create(federation=world.federation, name="vaxel")
    batch = ImportBatch.objects.create(federation=world.federation, file_name="a.log", sha256="a" * 64)
    CallArchive.objects.create(
        batch=batch,
        queue=queue,
        calls=1,
        first_entered=datetime(2025, 1, 1, tzinfo=UTC),
        last_entered=datetime(2025, 1, 2, tzinfo=UTC),
        data=b"x",
    )
    CallArchive.objects.create(
        batch=ImportBatch.objects.create(federation=world.federation, file_name="b.log", sha256="b" * 64),
        queue=queue,
        calls=1,
        first_entered=datetime(2026, 6, 1, tzinfo=UTC),
        last_entered=datetime(2026, 6, 2, tzinfo=UTC),
        data=b"x",
    )
    admin = world.users["admin"]

    dry = records_dispose(acting_user=admin, federation=world.federation, today=TODAY, dry_run=True)
    counts = {line.record_type: line.count for line in dry.lines}
    assert counts["tickets"] == 1 and counts["call_records"] == 1 and counts["invoices"] == 0
    assert Ticket.objects.filter(pk=due.pk).exists() and not DisposalLog.objects.exists()

    path = a.file.path
    with django_capture_on_commit_callbacks(execute=True):
        result = records_dispose(acting_user=admin, federation=world.federation, today=TODAY)
    counts = {line.record_type: line.count for line in result.lines}
    assert counts == {**counts, "tickets": 1, "call_records": 1}
    assert not Ticket.objects.filter(pk=due.pk).exists()
    assert not Attachment.objects.filter(pk=a.pk).exists()
    assert not os.path.exists(path)
    assert set(Ticket.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk, billed.pk, foreign.pk}
    assert CallArchive.objects.count() == 1
    logs = DisposalLog.objects.filter(federation=world.federation)
    assert {log.record_type: log.count for log in logs} == {"tickets": 1, "call_records": 1}
    assert AuditEvent.objects.filter(action="dispose").count() == 2
    # a second run finds nothing more
    again = records_dispose(acting_user=admin, federation=world.federation, today=TODAY)
    assert {line.count for line in again.lines} == {0}
    with pytest.raises(PermissionDenied):
        records_dispose(acting_user=world.users["secretary"], federation=world.federation, today=TODAY)
    with pytest.raises(PermissionDenied):
        records_dispose(acting_user=world.outsider, federation=world.federation, today=TODAY)


def test_dispose_command(world, team, capsys):
    ticket(world, team, closed=datetime(2020, 1, 1, tzinfo=UTC))
    call_command("records", "dispose", "--federation", world.federation.slug, "--dry-run", "--date", "2026-12-06")
    out = capsys.readouterr().out
    assert "Ärenden i portalen: 1 skulle gallras (före 2024-12-06)" in out
    assert Ticket.objects.count() == 1
    call_command("records", "dispose", "--federation", world.federation.slug, "--date", "2026-12-06")
    assert Ticket.objects.count() == 0
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("records", "dispose", "--federation", "finns-inte")
    with pytest.raises(CommandError):
        call_command("records", "dispose", "--user", world.users["economist"].username)


def person_world(world, team):
    anna = world.users["member_contact"]
    anna.first_name, anna.last_name = "Anna", "Andersson"
    anna.save()
    t1 = ticket(
        world,
        team,
        closed=None,
        requester=anna,
        requester_name="Anna Andersson",
        requester_email="member_contact@test.se",
        description="Ring Anna Andersson på 070-123 45 67",
    )
    t2 = ticket(world, team, closed=None, title="Annat")
    Comment.objects.create(ticket=t2, author_name="Anna Andersson", body="Tack, Anna Andersson")
    Contact.objects.create(member=world.member, name="Anna Andersson", email="anna@lycksele.se", phone="070-123 45 67")
    Contact.objects.create(member=world.member, name="Bo Berg")
    body = Body.objects.create(federation=world.federation, name="Direktionen", kind=BodyKind.BOARD)
    meeting = Meeting.objects.create(body=body, date=date(2013, 10, 21))
    Attendance.objects.create(meeting=meeting, name="Anna Andersson", kind="member")
    return anna, t1, t2


def test_personal_data_report(world, team):
    anna, t1, _t2 = person_world(world, team)
    report = personal_data_report(acting_user=world.users["admin"], federation=world.federation, query="Anna Andersson")
    sections = {s.key: s for s in report.sections}
    assert [r[0] for r in sections["users"].rows] == [anna.username]
    assert {r[0] for r in sections["tickets"].rows} == {t1.reference}
    assert len(sections["comments"].rows) == 1
    assert [r[1] for r in sections["contacts"].rows] == ["Anna Andersson"]
    assert len(sections["attendance"].rows) == 1
    data = report.as_dict()
    assert data["sections"][0]["rows"][0]["Användarnamn"] == anna.username
    by_phone = personal_data_report(acting_user=world.users["admin"], federation=world.federation, query="0701234567")
    assert [r[1] for r in {s.key: s for s in by_phone.sections}["contacts"].rows] == ["Anna Andersson"]
    assert AuditEvent.objects.filter(action="personal_data_report").count() == 2
    with pytest.raises(ValidationError):
        personal_data_report(acting_user=world.users["admin"], federation=world.federation, query="a")
    with pytest.raises(PermissionDenied):
        personal_data_report(acting_user=world.users["secretary"], federation=world.federation, query="Anna")
    with pytest.raises(PermissionDenied):
        personal_data_report(acting_user=world.outsider, federation=world.federation, query="Anna")


def test_pseudonymise_and_erase(world, team):
    _anna, t1, t2 = person_world(world, team)
    admin = world.users["admin"]
    result = personal_data_erase(acting_user=admin, federation=world.federation, person="Anna Andersson")
    assert result.replacement.startswith("Person ")
    t1.refresh_from_db()
    assert t1.requester_id is None and t1.requester_email == "" and t1.requester_name == result.replacement
    assert "Anna" not in t1.description
    comment = Comment.objects.get(ticket=t2)
    assert "Anna" not in comment.author_name + comment.body
    assert Contact.objects.get(name=result.replacement).email == ""
    assert Contact.objects.filter(name="Bo Berg").exists()
    assert Attendance.objects.get().name == "Anna Andersson"  # minutes kept
    assert any("Protokoll" in why for _, _, why in result.left)
    event = AuditEvent.objects.get(action="personal_data_pseudonymise")
    assert "Anna" not in str(event.after) + event.object_repr
    # the same person gives the same pseudonym
    assert personal_data_erase(acting_user=admin, federation=world.federation, person="anna andersson").replacement == (
        result.replacement
    )


def test_erase_mode_deletes_contacts_and_plan_can_forbid_tickets(world, team):
    person_world(world, team)
    admin = world.users["admin"]
    rules = {r.record_type: r for r in retention_plan(acting_user=admin, federation=world.federation)}
    rule_update(acting_user=admin, rule=rules["tickets"], keep_years=None, dispose=False, legal_basis="Bevaras")
    result = personal_data_erase(acting_user=admin, federation=world.federation, person="Anna Andersson", mode="erase")
    assert not Contact.objects.filter(name__icontains="Anna").exists()
    assert Ticket.objects.filter(requester_name="Anna Andersson").exists()  # kept by the plan
    assert any("bevarar ärenden" in why for _, _, why in result.left)
    with pytest.raises(ValidationError):
        personal_data_erase(acting_user=admin, federation=world.federation, person="Anna Andersson", mode="x")
    with pytest.raises(PermissionDenied):
        personal_data_erase(acting_user=world.users["secretary"], federation=world.federation, person="Anna Andersson")


def test_system_actor_may_dispose_any_federation(world):
    result = records_dispose(acting_user=system_actor(), federation=world.other_federation, today=TODAY, dry_run=True)
    assert result.federation == world.other_federation.slug


def test_dispose_is_bounded_and_says_more_remains(world, team, monkeypatch):
    from samverkan.governance.services import records

    monkeypatch.setattr(records, "BATCH", 2)
    monkeypatch.setattr(records, "MAX_PER_RUN", 3)
    for _ in range(5):
        ticket(world, team, closed=datetime(2020, 1, 1, tzinfo=UTC))
    result = records_dispose(acting_user=world.users["admin"], federation=world.federation, today=TODAY)
    line = next(line for line in result.lines if line.record_type == "tickets")
    assert line.count == 3 and line.note
    assert Ticket.objects.count() == 2
    records_dispose(acting_user=world.users["admin"], federation=world.federation, today=TODAY)
    assert Ticket.objects.count() == 0


@given(
    record_type=st.sampled_from(RecordType.values),
    keep_years=st.one_of(st.none(), st.integers(0, 100)),
    dispose=st.booleans(),
)
def test_no_rule_lets_go_of_what_the_law_keeps(record_type, keep_years, dispose):
    try:
        validate_rule(record_type, keep_years, dispose)
    except ValidationError:
        return
    if record_type == RecordType.MINUTES:
        assert not dispose and keep_years is None
    if record_type in (RecordType.INVOICES, RecordType.ORDERS) and dispose:
        assert keep_years >= 7
