import io
from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.governance.models import AgreementKind, Body, BodyKind
from samverkan.governance.services.agreements import (
    agreement_create,
    agreement_reminders,
    agreement_update,
    revision_add,
)

GSN_RENEWAL = (
    "Avtalet förlängs därefter årligen med ett år i taget såvida avtalet inte uppsagts skriftligen "
    "senast den 30 december året innan avtalstidens utgång."
)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def cooperation(world, **extra):
    data = {
        "kind": AgreementKind.COOPERATION,
        "title": "Samarbetsavtal för den gemensamma servicenämnden",
        "parties": "Ludvika kommun\nSmedjebackens kommun",
        "host_member": world.member,
        "valid_from": date(2020, 1, 1),
        "renewal": GSN_RENEWAL,
        "responsible": world.users["secretary"],
    }
    data.update(extra)
    return agreement_create(acting_user=world.users["secretary"], federation=world.federation, **data)


def test_create_audits_and_refuses_other_roles(world):
    agreement = cooperation(world)
    assert AuditEvent.objects.filter(object_type="governance.Agreement", object_id=str(agreement.pk)).exists()
    for role in ("economist", "board", "agent"):
        with pytest.raises(PermissionDenied):
            agreement_create(
                acting_user=world.users[role],
                federation=world.federation,
                kind="other",
                title="x",
                valid_from=date(2020, 1, 1),
            )
    with pytest.raises(PermissionDenied):
        agreement_create(
            acting_user=world.outsider,
            federation=world.federation,
            kind="other",
            title="x",
            valid_from=date(2020, 1, 1),
        )


def test_create_refuses_bad_dates_renewal_and_foreign_refs(world):
    with pytest.raises(ValidationError) as exc:
        cooperation(world, valid_to=date(2019, 1, 1))
    assert "valid_to" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        cooperation(world, renewal="förlängs med ett år om det inte sägs upp senast den 31 november")
    assert "renewal" in exc.value.message_dict
    with pytest.raises(ValidationError):
        cooperation(world, host_member=world.foreign_member)
    with pytest.raises(ValidationError):
        cooperation(world, responsible=world.outsider)


def test_revision_table_of_seed_003(world):
    agreement = cooperation(world)
    body = Body.objects.create(federation=world.federation, name="GSN", kind=BodyKind.JOINT_COMMITTEE)
    revision = revision_add(
        acting_user=world.users["admin"],
        agreement=agreement,
        decided_on=date(2020, 6, 17),
        decided_by="GSN",
        paragraph_ref="§ 19",
        case_ref="GSN 2020/30",
        change="Fördelningsnyckeln för medlemsbidrag/grundbidraget",
        review_by=date(2024, 12, 31),
    )
    agreement.refresh_from_db()
    assert revision.paragraph_ref == "§ 19"
    assert agreement.review_by == date(2024, 12, 31)
    assert body.pk
    with pytest.raises(PermissionDenied):
        revision_add(
            acting_user=world.users["economist"], agreement=agreement, decided_on=date(2020, 1, 1), decided_by="x"
        )


def test_file_is_stored_privately_and_replaced(world, settings):
    agreement = cooperation(world, file=ContentFile(b"%PDF-1.4 avtal", name="avtal.pdf"))
    assert agreement.file.name.startswith(f"governance/agreements/{world.federation.pk}/")
    assert str(settings.PRIVATE_STORAGE_ROOT) in agreement.file.path


def test_reminders_90_and_30_days_once_each(world, django_capture_on_commit_callbacks):
    agreement = cooperation(world)  # next deadline 2026-12-30 for the term ending 2027-12-31
    actor = system_actor()

    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            return agreement_reminders(acting_user=actor, today=day)

    assert run(date(2026, 9, 30)) == []
    assert run(date(2026, 10, 1)) == [agreement]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["secretary@test.se"]
    assert "2026-12-30" in mail.outbox[0].body
    agreement.refresh_from_db()
    agreement.reminded_at = timezone.make_aware(datetime(2026, 10, 1, 8))
    agreement.save()
    assert run(date(2026, 10, 2)) == []  # same reminder day: no second e-mail
    agreement.reminded_at = timezone.make_aware(datetime(2026, 10, 1, 8))
    agreement.save()
    assert run(date(2026, 11, 30)) == [agreement]  # the 30-day reminder
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="remind", object_id=str(agreement.pk)).count() == 2


def test_reminder_for_review_date_and_updated_deadline_reminds_again(world, django_capture_on_commit_callbacks):
    agreement = cooperation(world, renewal="", valid_to=date(2027, 6, 30), notice_months=6, review_by=date(2027, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        agreement_reminders(acting_user=system_actor(), today=date(2026, 12, 1))  # review in 90 days, notice 30
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "2026-12-31" in body and "2027-03-01" in body
    agreement.refresh_from_db()
    agreement = agreement_update(acting_user=world.users["admin"], agreement=agreement, review_by=date(2027, 2, 1))
    assert agreement.reminded_at is None
    with django_capture_on_commit_callbacks(execute=True):
        agreement_reminders(acting_user=system_actor(), today=date(2026, 12, 2))
    assert len(mail.outbox) == 2


def test_reminders_scoped_and_refused(world):
    cooperation(world)
    assert agreement_reminders(acting_user=world.outsider, today=date(2026, 10, 1)) == []
    with pytest.raises(PermissionDenied):
        agreement_reminders(acting_user=world.users["economist"], today=date(2026, 10, 1))


def test_remind_command(world, capsys):
    cooperation(world)
    call_command("records", "remind", "--date", "2026-10-01")
    assert "1 påminnelser skickade" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # the worker closes a connection left in a transaction (PostgreSQL)
def test_reminder_mail_is_queued_for_a_worker_not_sent_in_the_call(world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    cooperation(world)
    with django_capture_on_commit_callbacks(execute=True):
        agreement_reminders(acting_user=system_actor(), today=date(2026, 10, 1))
    assert mail.outbox == []  # nothing sent while the service ran
    [queued] = DBTaskResult.objects.filter(status="READY")
    assert queued.task_path == "samverkan.core.jobs.deliver_mail"
    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["secretary@test.se"]]


def test_no_reminder_mail_when_the_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    cooperation(world)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        agreement_reminders(acting_user=system_actor(), today=date(2026, 10, 1))
        transaction.set_rollback(True)
    assert mail.outbox == []
