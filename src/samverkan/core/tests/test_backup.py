"""`samverkan backup` / `samverkan restore`: a round trip loses nothing (database and attachments),
and every damaged or foreign file is refused with one line while the live database and files stay
exactly as they were.

Runs on the test database of whichever engine DATABASE_URL selects; the PostgreSQL variants
(pg_dump/pg_restore of test_<name>) are marked `postgres` and need the client tools.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from samverkan.core import backup
from samverkan.core.models import AuditEvent, User
from samverkan.members import services
from samverkan.members.models import Federation, FigureKind, Member, MemberFigure
from samverkan.portal.models import Team
from samverkan.portal.services.attachments import attachment_add
from samverkan.portal.services.tickets import ticket_create
from samverkan.testing import make_world

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite variant")
DB_MEMBER = "db.dump" if ON_POSTGRES else "db.sqlite3"
PDF = b"%PDF-1.4 protokoll fr\xc3\xa5n direktionen\n" * 50


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def quiet():
    return open(os.devnull, "w")


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


def private_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def live_state(root: Path):
    """Everything a refused restore must leave alone: rows, database health, private files."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            health = cursor.fetchall()
        else:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            health = cursor.fetchall()
    return snapshot_database(), health, private_files(root)


def fill(world):
    services.figures_store(
        acting_user=world.users["admin"],
        rows=[services.FigureRow(world.member, FigureKind.USERS, date(2024, 12, 31), 812, "test")],
    )
    services.member_update(member=world.member, acting_user=world.users["admin"], data={"city": "Lycksele"})
    team = Team.objects.create(federation=world.federation, code="it", name="IT-support", email="it@test.se")
    ticket = ticket_create(
        acting_user=world.users["orderer"],
        member=world.member,
        department=world.department,
        team=team,
        title="Protokollet",
        description="Bifogat.",
    )
    return attachment_add(
        acting_user=world.users["orderer"],
        ticket=ticket,
        upload=SimpleUploadedFile("protokoll.pdf", PDF, content_type="application/pdf"),
    )


def fill_and_backup(tmp_path, name="samverkan.zip"):
    world = make_world()
    attachment = fill(world)
    before = snapshot_database()
    assert before["members.Member"][0] == 3 and before["core.AuditEvent"][0] >= 2
    path = tmp_path / name
    call_command("backup", str(path), stdout=quiet())
    assert path.stat().st_size > 0
    return world, attachment, before, path


def damage(world, attachment, private_root):
    MemberFigure.objects.filter(member=world.member).delete()
    Member.objects.filter(pk=world.other_member.pk).update(name="Fel namn")
    AuditEvent.objects.all().delete()
    User.objects.filter(pk=world.users["board"].pk).update(email="changed@x.se")
    Federation.objects.create(slug="ny", name="Nytt förbund", organisation_form="avtalssamverkan", orgnr="212000-2486")
    (private_root / attachment.file.name).unlink()
    (private_root / "portal" / "stray.txt").write_text("uploaded after the backup")


def round_trip(tmp_path, private_root):
    world, attachment, before, path = fill_and_backup(tmp_path)
    files_before = private_files(private_root)
    assert len(files_before) == 1
    damage(world, attachment, private_root)
    assert snapshot_database() != before
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    assert out.getvalue().startswith(f"Databasen återställd från {path} (1 fil)")
    after = snapshot_database()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert private_files(private_root) == files_before
    # Spot checks through the ORM: money, dates, JSON and passwords came back as they were.
    assert Member.objects.get(pk=world.other_member.pk).name == "Storuman kommun"
    assert MemberFigure.objects.get(member=world.member, kind=FigureKind.USERS).value == 812
    assert AuditEvent.objects.filter(action="update", object_type="members.Member").get().after["city"] == "Lycksele"
    assert User.objects.get(pk=world.users["board"].pk).check_password("Test-losenord-2025!")
    assert not Federation.objects.filter(slug="ny").exists()
    # The attachment downloads again, byte for byte.
    response = world.client("orderer").get(reverse("portal:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert not [p for p in private_root.parent.iterdir() if p.name.startswith((".restore-", ".backup-"))]


def read_archive(path: Path) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(members.pop("manifest.json")), members


def write_archive(path: Path, manifest: dict, members: dict[str, bytes], *, fix_checksums: bool) -> Path:
    """Build an archive by hand: with fix_checksums the manifest agrees with the members, so
    only the deeper checks (integrity, migrations, counts) can catch what is wrong."""
    if fix_checksums:
        manifest["files"] = {
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in members.items()
        }
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        archive.writestr("manifest.json", json.dumps(manifest))
    return path


def data_offset(path: Path, name: str) -> tuple[int, int]:
    """Where a member's (compressed) bytes start in the archive, and how many there are."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    with path.open("rb") as handle:
        handle.seek(info.header_offset + 26)
        name_len, extra_len = int.from_bytes(handle.read(2), "little"), int.from_bytes(handle.read(2), "little")
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def overwrite(data: bytes, at: int, length: int = 64 * 1024) -> bytes:
    length = min(length, len(data) - at)
    return data[:at] + bytes((b ^ 0xA5) for b in data[at : at + length]) + data[at + length :]


def assert_refused(path: Path, match: str, private_root: Path) -> str:
    before = live_state(private_root)
    with pytest.raises(CommandError, match=match) as refused:
        call_command("restore", str(path), stdout=quiet())
    message = str(refused.value)
    assert "\n" not in message and "Traceback" not in message
    after = live_state(private_root)
    assert after == before
    if connection.vendor == "sqlite":
        assert after[1] == [("ok",)]
    assert not [p for p in private_root.parent.iterdir() if p.name.startswith(".restore-")]
    return message


def damaged_family(tmp_path, path: Path, private_root: Path) -> None:
    """Damaged copies of a good archive, each refused with a line naming the damage."""
    good = path.read_bytes()
    manifest, members = read_archive(path)

    middle = tmp_path / "middle.zip"
    middle.write_bytes(overwrite(good, len(good) // 2))
    assert_refused(middle, "Arkivet är skadat", private_root)

    start, size = data_offset(path, DB_MEMBER)
    in_db = tmp_path / "in-db.zip"
    in_db.write_bytes(overwrite(good, start + size // 2, 16))
    assert_refused(
        in_db, f"Arkivet är skadat: (kontrollsumman för {DB_MEMBER} stämmer inte|{DB_MEMBER} kan inte)", private_root
    )

    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good[: len(good) // 2])
    assert_refused(truncated, "Arkivet är skadat eller ofullständigt", private_root)
    cut_end = tmp_path / "cut-end.zip"
    cut_end.write_bytes(good[:-10])
    assert_refused(cut_end, "Arkivet är skadat", private_root)

    # A member swapped behind the manifest's back: the zip is sound, the SHA-256 is not.
    db = members[DB_MEMBER]
    swapped = write_archive(
        tmp_path / "swapped.zip",
        dict(manifest),
        {**members, DB_MEMBER: overwrite(db, len(db) // 2)},
        fix_checksums=False,
    )
    assert_refused(swapped, f"Arkivet är skadat: kontrollsumman för {DB_MEMBER} stämmer inte", private_root)
    attachment = next(name for name in members if name.startswith("private/"))
    swapped_file = write_archive(
        tmp_path / "swapped-file.zip", dict(manifest), {**members, attachment: b"%PDF-1.4 annat"}, fix_checksums=False
    )
    assert_refused(swapped_file, f"Arkivet är skadat: storleken på {attachment}", private_root)
    missing = write_archive(
        tmp_path / "missing.zip",
        dict(manifest),
        {k: v for k, v in members.items() if k != attachment},
        fix_checksums=False,
    )
    assert_refused(missing, f"Arkivet är skadat: {attachment} saknas", private_root)
    extra = write_archive(tmp_path / "extra.zip", dict(manifest), {**members, "evil.sh": b"rm"}, fix_checksums=False)
    assert_refused(extra, "Arkivet är skadat: evil.sh finns inte i manifest.json", private_root)
    escape = write_archive(
        tmp_path / "escape.zip", dict(manifest), {**members, "private/../../evil": b"x"}, fix_checksums=True
    )
    assert_refused(escape, "otillåtet filnamn", private_root)

    collide = write_archive(
        tmp_path / "collide.zip",
        dict(manifest),
        {**members, "private/x": b"1", "private/x/y": b"2"},
        fix_checksums=True,
    )
    assert_refused(collide, "Arkivet kan inte packas upp: private/x/y", private_root)
    # A bomb with an honest manifest: 50 MB of zeros as the database, unpacked within its
    # listed size and then found to be no database.
    zeros = write_archive(
        tmp_path / "zeros.zip", dict(manifest), {**members, DB_MEMBER: bytes(50 * 1024 * 1024)}, fix_checksums=True
    )
    assert zeros.stat().st_size < 1024 * 1024
    assert_refused(zeros, "Arkivet är skadat: databas(en i arkivet|dumpen)", private_root)

    # Counts that disagree with the database in the archive.
    counts = json.loads(json.dumps(manifest))
    counts["tables"]["members_member"] += 1
    assert_refused(
        write_archive(tmp_path / "counts.zip", counts, dict(members), fix_checksums=True),
        "Arkivet är skadat: tabellen members_member har 3 rader, manifest.json säger 4",
        private_root,
    )

    # From a newer Samverkan: a migration this code does not have.
    newer = json.loads(json.dumps(manifest))
    newer["migrations"]["members"].append("9999_from_the_future")
    assert_refused(
        write_archive(tmp_path / "newer.zip", newer, dict(members), fix_checksums=True),
        "Arkivet är från en nyare version av Samverkan .*migreringen members.9999_from_the_future finns inte här",
        private_root,
    )
    future_format = json.loads(json.dumps(manifest))
    future_format["format_version"] = 2
    assert_refused(
        write_archive(tmp_path / "format2.zip", future_format, dict(members), fix_checksums=True),
        "Arkivet har formatversion 2",
        private_root,
    )
    other_vendor = json.loads(json.dumps(manifest))
    other_member = "db.sqlite3" if ON_POSTGRES else "db.dump"
    other_vendor["database"] = {"vendor": "sqlite" if ON_POSTGRES else "postgresql", "member": other_member}
    renamed = {(other_member if name == DB_MEMBER else name): data for name, data in members.items()}
    assert_refused(
        write_archive(tmp_path / "vendor.zip", other_vendor, renamed, fix_checksums=True),
        "Arkivet är en säkerhetskopia av en .*-databas, men databasen här är",
        private_root,
    )


def foreign_family(tmp_path, private_root: Path) -> None:
    """Files that are no Samverkan archive at all."""
    assert_refused(tmp_path / "missing.zip", "finns inte", private_root)
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    assert_refused(empty, "är tom", private_root)
    text = tmp_path / "notes.txt"
    text.write_text("kommunkod;namn\n2421;Storuman\n", encoding="utf-8")
    assert_refused(text, "är ingen Samverkan-säkerhetskopia", private_root)
    # The defect: a two-row SQLite file with a django_migrations row for members replaced everything.
    two_rows = tmp_path / "two-rows.sqlite3"
    with sqlite3.connect(two_rows) as db:
        db.execute("create table django_migrations (id integer primary key, app, name, applied)")
        db.execute("insert into django_migrations (app, name, applied) values ('members', '0001_initial', '')")
        db.execute("insert into django_migrations (app, name, applied) values ('core', '0001_initial', '')")
    db.close()
    assert_refused(two_rows, "är en SQLite-databas, ingen Samverkan-säkerhetskopia", private_root)
    pg_dump = tmp_path / "old.dump"
    pg_dump.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(200))
    assert_refused(pg_dump, "är en pg_dump-fil, ingen Samverkan-säkerhetskopia", private_root)
    other_zip = tmp_path / "book.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert_refused(other_zip, "ingen Samverkan-säkerhetskopia: manifest.json saknas", private_root)
    # A zip bomb: a manifest that inflates to 100 MB.
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("manifest.json", "w") as out:
        for _ in range(100):
            out.write(bytes(1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    assert_refused(bomb, "Arkivet är skadat: manifest.json är orimligt stor", private_root)
    foreign_manifest = tmp_path / "foreign-manifest.zip"
    with zipfile.ZipFile(foreign_manifest, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"name": "något annat", "version": 3}))
    assert_refused(foreign_manifest, "ingen Samverkan-säkerhetskopia: manifest.json är inte Samverkans", private_root)
    broken_json = tmp_path / "broken-json.zip"
    with zipfile.ZipFile(broken_json, "w") as archive:
        archive.writestr("manifest.json", b'{"format": "samverkan-backup", \xff')
    assert_refused(broken_json, "Arkivet är skadat: manifest.json är ingen läsbar JSON", private_root)


# --- SQLite --------------------------------------------------------------------------------------


@sqlite_only
def test_sqlite_round_trip_with_an_attachment(transactional_db, tmp_path, private_root):
    round_trip(tmp_path, private_root)


@sqlite_only
def test_sqlite_restore_refuses_damaged_archives(transactional_db, tmp_path, private_root):
    _world, _attachment, _before, path = fill_and_backup(tmp_path)
    damaged_family(tmp_path, path, private_root)


@sqlite_only
def test_sqlite_restore_refuses_a_consistent_archive_with_a_corrupt_database(transactional_db, tmp_path, private_root):
    """The reported defect: 64 KiB overwritten in the middle of the database, checksums made to
    match, so only PRAGMA integrity_check on the scratch copy can tell."""
    _world, _attachment, _before, path = fill_and_backup(tmp_path)
    manifest, members = read_archive(path)
    db = members["db.sqlite3"]
    corrupt = write_archive(
        tmp_path / "corrupt-db.zip",
        manifest,
        {**members, "db.sqlite3": overwrite(db, len(db) // 2)},
        fix_checksums=True,
    )
    message = assert_refused(corrupt, "Arkivet är skadat: databasen i arkivet", private_root)
    assert "integritetskontrollen" in message or "kan inte läsas" in message
    not_a_db = write_archive(
        tmp_path / "text-db.zip", manifest, {**members, "db.sqlite3": b"inte en databas" * 400}, fix_checksums=True
    )
    assert_refused(not_a_db, "Arkivet är skadat: databasen i arkivet", private_root)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchall() == [("ok",)]


@sqlite_only
def test_sqlite_restore_refuses_foreign_files(transactional_db, tmp_path, private_root):
    make_world()
    foreign_family(tmp_path, private_root)
    assert Member.objects.count() == 3


def test_restore_refuses_an_archive_larger_than_the_free_space(transactional_db, tmp_path, private_root, monkeypatch):
    _world, _attachment, _before, path = fill_and_backup(tmp_path)

    class Usage:
        free = 1024

    monkeypatch.setattr(backup.shutil, "disk_usage", lambda where: Usage)
    assert_refused(path, "Det finns inte plats att packa upp arkivet", private_root)


def test_a_failed_database_swap_puts_the_files_back(transactional_db, tmp_path, private_root, monkeypatch):
    world, attachment, _before, path = fill_and_backup(tmp_path)
    damage(world, attachment, private_root)
    files = private_files(private_root)

    def fail(copy):
        raise backup.BackupError("Återställningen misslyckades och databasen är oförändrad: disk I/O error")

    monkeypatch.setattr(backup, "_swap_postgres" if ON_POSTGRES else "_swap_sqlite", fail)
    with pytest.raises(CommandError, match="databasen är oförändrad"):
        call_command("restore", str(path), stdout=quiet())
    assert private_files(private_root) == files and "portal/stray.txt" in files


@sqlite_only
def test_restore_of_an_older_archive_says_migrations_remain(transactional_db, tmp_path, private_root):
    _world, _attachment, _before, path = fill_and_backup(tmp_path)
    manifest, members = read_archive(path)
    app = next(app for app, names in manifest["migrations"].items() if len(names) > 1)
    last = manifest["migrations"][app].pop()
    copy = tmp_path / "older.sqlite3"
    copy.write_bytes(members["db.sqlite3"])
    with sqlite3.connect(copy) as db:
        db.execute("delete from django_migrations where app = ? and name = ?", (app, last))
    db.close()
    manifest["tables"]["django_migrations"] -= 1
    older = write_archive(
        tmp_path / "older.zip", manifest, {**members, "db.sqlite3": copy.read_bytes()}, fix_checksums=True
    )
    out = io.StringIO()
    call_command("restore", str(older), stdout=out)
    assert re.search(r"; [1-9]\d* migreringar återstår: kör samverkan migrate$", out.getvalue().strip())
    call_command("migrate", fake=True, verbosity=0)  # the schema is whole; only the row was taken out


@sqlite_only
def test_backup_refuses_a_missing_directory_and_keeps_an_old_file_on_failure(transactional_db, tmp_path, private_root):
    make_world()
    with pytest.raises(CommandError, match="finns inte"):
        call_command("backup", str(tmp_path / "no" / "such" / "dir" / "x.zip"))
    (private_root / "portal").mkdir(parents=True)
    with pytest.raises(CommandError, match="kan inte skrivas bland filerna den kopierar"):
        call_command("backup", str(private_root / "portal" / "x.zip"))
    target = tmp_path / "backup.zip"
    call_command("backup", str(target), stdout=quiet())
    # Overwriting an existing backup replaces it whole.
    Member.objects.filter(kommunkod="2421").update(name="Ändrad")
    call_command("backup", str(target), stdout=quiet())
    manifest, members = read_archive(target)
    assert manifest["format"] == "samverkan-backup" and manifest["database"]["vendor"] == "sqlite"
    assert manifest["tables"]["members_member"] == 3 and "0001_initial" in manifest["migrations"]["members"]
    for name, data in members.items():
        assert manifest["files"][name] == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(members["db.sqlite3"])
    with sqlite3.connect(copy) as db:
        names = {row[0] for row in db.execute("select name from members_member")}
    db.close()
    assert "Ändrad" in names
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://…")
def test_postgres_round_trip_with_an_attachment(transactional_db, tmp_path, private_root):
    assert connection.settings_dict["NAME"].startswith("test_")
    round_trip(tmp_path, private_root)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%\\_restore\\_%"])
        assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://…")
def test_postgres_restore_refuses_damaged_archives(transactional_db, tmp_path, private_root):
    _world, _attachment, _before, path = fill_and_backup(tmp_path)
    damaged_family(tmp_path, path, private_root)
    # A damaged dump whose checksums were made to match: pg_restore into the scratch database
    # fails (today's "out of memory"), the live database is not touched.
    manifest, members = read_archive(path)
    dump = members["db.dump"]
    corrupt = write_archive(
        tmp_path / "corrupt-dump.zip",
        manifest,
        {**members, "db.dump": overwrite(dump, len(dump) // 2)},
        fix_checksums=True,
    )
    assert_refused(corrupt, "Arkivet är skadat: databasdumpen kan inte läsas in", private_root)
    cut = write_archive(
        tmp_path / "cut-dump.zip", manifest, {**members, "db.dump": dump[: len(dump) // 2]}, fix_checksums=True
    )
    assert_refused(cut, "Arkivet är skadat: databasdumpen kan inte läsas in", private_root)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%\\_restore\\_%"])
        assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://…")
def test_postgres_restore_refuses_foreign_files(transactional_db, tmp_path, private_root):
    make_world()
    foreign_family(tmp_path, private_root)
    assert Member.objects.count() == 3
