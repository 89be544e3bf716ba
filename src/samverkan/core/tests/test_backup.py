"""`samverkan backup` / `samverkan restore`: a round trip loses nothing, bad files are refused.

Runs on the test database of whichever engine DATABASE_URL selects; the PostgreSQL variant
(pg_dump/pg_restore of test_<name>) is marked `postgres` and needs the client tools.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from samverkan.core.models import AuditEvent, User
from samverkan.members import services
from samverkan.members.models import Federation, FigureKind, Member, MemberFigure
from samverkan.testing import make_world

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def snapshot_database() -> dict[str, tuple[int, list]]:
    """Row count plus the first and last rows of every model, all fields, for comparison."""
    result = {}
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        qs = model._default_manager.order_by("pk")
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = list(qs.values_list(*fields)[:3]) + list(qs.reverse().values_list(*fields)[:2])
        result[model._meta.label] = (qs.count(), rows)
    return result


def fill_and_backup(tmp_path, name):
    world = make_world()
    services.figures_store(
        acting_user=world.users["admin"],
        rows=[services.FigureRow(world.member, FigureKind.USERS, date(2024, 12, 31), 812, "test")],
    )
    services.member_update(member=world.member, acting_user=world.users["admin"], data={"city": "Lycksele"})
    before = snapshot_database()
    assert before["members.Member"][0] == 3 and before["core.AuditEvent"][0] >= 2
    path = tmp_path / name
    call_command("backup", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert path.stat().st_size > 0
    return world, before, path


def damage(world):
    MemberFigure.objects.filter(member=world.member).delete()
    Member.objects.filter(pk=world.other_member.pk).update(name="Fel namn")
    AuditEvent.objects.all().delete()
    User.objects.filter(pk=world.users["board"].pk).update(email="changed@x.se")
    Federation.objects.create(slug="ny", name="Nytt förbund", organisation_form="avtalssamverkan", orgnr="212000-2486")


def round_trip(tmp_path, name):
    world, before, path = fill_and_backup(tmp_path, name)
    damage(world)
    assert snapshot_database() != before
    call_command("restore", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    after = snapshot_database()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    # Spot checks through the ORM: money, dates, JSON and passwords came back as they were.
    member = Member.objects.get(pk=world.other_member.pk)
    assert member.name == "Storuman kommun"
    assert MemberFigure.objects.get(member=world.member, kind=FigureKind.USERS).value == 812
    assert AuditEvent.objects.filter(action="update", object_type="members.Member").get().after["city"] == "Lycksele"
    assert User.objects.get(pk=world.users["board"].pk).check_password("Test-losenord-2025!")
    assert not Federation.objects.filter(slug="ny").exists()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite variant")
def test_sqlite_round_trip(transactional_db, tmp_path):
    round_trip(tmp_path, "samverkan.sqlite3")


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://…")
def test_postgres_round_trip(transactional_db, tmp_path):
    assert connection.settings_dict["NAME"].startswith("test_")
    round_trip(tmp_path, "samverkan.dump")


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite file checks")
def test_restore_refuses_bad_files(transactional_db, tmp_path):
    world = make_world()
    count = Member.objects.count()
    with pytest.raises(CommandError, match="finns inte"):
        call_command("restore", str(tmp_path / "missing.sqlite3"))
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(CommandError, match="ingen Samverkan-säkerhetskopia"):
        call_command("restore", str(garbage))
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("create table t (x)")
    with pytest.raises(CommandError, match="ingen Samverkan-säkerhetskopia"):
        call_command("restore", str(other))
    assert Member.objects.count() == count and Member.objects.filter(pk=world.member.pk).exists()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite file checks")
def test_backup_refuses_a_missing_directory_and_keeps_an_old_file_on_failure(transactional_db, tmp_path):
    make_world()
    with pytest.raises(CommandError, match="finns inte"):
        call_command("backup", str(tmp_path / "no" / "such" / "dir" / "x.sqlite3"))
    target = tmp_path / "backup.sqlite3"
    call_command("backup", str(target), stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Overwriting an existing backup replaces it whole.
    Member.objects.filter(kommunkod="2421").update(name="Ändrad")
    call_command("backup", str(target), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with sqlite3.connect(target) as db:
        names = {row[0] for row in db.execute("select name from members_member")}
    assert "Ändrad" in names
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://…")
def test_postgres_restore_refuses_a_non_dump(transactional_db, tmp_path):
    make_world()
    bad = tmp_path / "bad.dump"
    bad.write_bytes(b"not a dump")
    with pytest.raises(CommandError, match="ingen Samverkan-säkerhetskopia"):
        call_command("restore", str(bad))
    assert Member.objects.count() == 3
