"""Backup archives: the database and the private files in one self-describing zip, and a restore
that verifies everything before it touches the live database or files.

An archive holds

- ``db.sqlite3`` (SQLite: an online backup-API copy) or ``db.dump`` (PostgreSQL: ``pg_dump
  --format=custom``),
- ``private/…``: every file under ``settings.PRIVATE_STORAGE_ROOT`` (ticket attachments),
- ``manifest.json``: format version, Samverkan version, database vendor, the applied migrations
  per app, row counts per table (all read from the same snapshot as the dump) and the size and
  SHA-256 of every other member.

A restore refuses anything it cannot prove whole: it reads the manifest, checks that every member
is listed with its size and checksum and nothing else is there, that the code knows every
migration in the archive, that there is room to unpack, then unpacks into a scratch directory
beside the private files and checks every checksum. The database copy is then checked on its own
(SQLite: ``PRAGMA integrity_check`` and ``foreign_key_check`` on the scratch file; PostgreSQL:
``pg_restore`` into a scratch database), and its migrations and row counts must match the
manifest. Only then is anything replaced: the private files by two renames, the database by
SQLite's backup API into the live connection (one journaled write transaction, so concurrent
processes see the old or the new database, never a mix) or by ``pg_restore --single-transaction``
into the live PostgreSQL database (all or nothing; the dump has already loaded cleanly into the
scratch database). If the database step fails, the private files are renamed back.

Every refusal is a ``BackupError`` with one Swedish line naming what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "samverkan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
PRIVATE = "private"
DB_MEMBER = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
# Errors zipfile and zlib raise on a damaged archive (a flipped compression method gives
# NotImplementedError, a flipped flag "encrypted" RuntimeError, a bad length EOFError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError)


class BackupError(Exception):
    """A backup or restore refused: one Swedish line saying what is wrong."""


@dataclass(frozen=True)
class Written:
    files: int


@dataclass(frozen=True)
class Restored:
    files: int
    pending_migrations: int


def pg_env(dbname: str | None = None) -> dict[str, str]:
    """libpq environment for the current connection (NAME is test_<name> under pytest); the
    password goes through PGPASSWORD, never the command line, so it does not show in `ps`."""
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": dbname or s["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    return env


def _last_line(stderr: str, fallback: str) -> str:
    lines = [line.strip() for line in (stderr or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else fallback


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    tool = args[0]
    if not shutil.which(tool):
        raise BackupError(f"{tool} saknas: installera postgresql-client")
    return subprocess.run(args, capture_output=True, text=True, env=env)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_state(cursor: Any, tables_sql: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Applied migrations per app and row counts per table, through a DB-API cursor."""
    cursor.execute("SELECT app, name FROM django_migrations")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    cursor.execute(tables_sql)
    tables = sorted(row[0] for row in cursor.fetchall())
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return {app: sorted(names) for app, names in sorted(migrations.items())}, counts


SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"


# --- backup -------------------------------------------------------------------------------------


def _dump_sqlite(dest: Path) -> tuple[dict[str, list[str]], dict[str, int]]:
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        connection.connection.backup(copy)
        # The backup API copies free pages too (a database that has deleted much, e.g. the
        # demo's rebuilds, is mostly free pages). VACUUM leaves only pages in use: the archive
        # is smaller and restore's integrity check reads every byte of it.
        copy.execute("VACUUM")
        return _read_state(copy.cursor(), SQLITE_TABLES)
    except sqlite3.Error as exc:
        raise BackupError(f"Säkerhetskopian kunde inte skrivas: {exc}") from None
    finally:
        copy.close()


def _dump_postgres(dest: Path) -> tuple[dict[str, list[str]], dict[str, int]]:
    """pg_dump and the manifest's counts read the same exported snapshot, so they agree even
    while the site keeps writing."""
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        result = _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", str(dest)], pg_env()
        )
        if result.returncode:
            raise BackupError(f"pg_dump misslyckades: {_last_line(result.stderr, 'okänt fel')}")
        return _read_state(cursor, PG_TABLES)


def _add(archive: zipfile.ZipFile, name: str, source: Path, compress: bool) -> dict[str, Any]:
    """Stream one file into the archive, hashing what is written."""
    info = zipfile.ZipInfo.from_file(source, name)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, archive.open(info, "w", force_zip64=True) as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _private_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under the private root as (archive name, path), symlinks left out."""
    found = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append((f"{PRIVATE}/{path.relative_to(root).as_posix()}", path))
    return sorted(found)


def write_archive(target: Path) -> Written:
    """Write the archive to a temporary file beside ``target`` and rename it into place, so a
    failed backup never leaves half a file and an old backup stays until the new one is whole."""
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"Säkerhetskopiering stöds inte för {vendor}")
    if not target.parent.is_dir():
        raise BackupError(f"Katalogen {target.parent} finns inte")
    private_root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    if private_root in target.parents:
        raise BackupError(f"Säkerhetskopian kan inte skrivas bland filerna den kopierar ({private_root})")
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work:
        dump = Path(work) / DB_MEMBER[vendor]
        migrations, tables = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgres(dump)
        unfinished = Path(work) / "archive.zip"
        files: dict[str, Any] = {}
        private = _private_files(private_root)
        try:
            with zipfile.ZipFile(unfinished, "w") as archive:
                files[DB_MEMBER[vendor]] = _add(archive, DB_MEMBER[vendor], dump, compress=vendor == "sqlite")
                for name, path in private:
                    files[name] = _add(archive, name, path, compress=False)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "samverkan_version": version("samverkan"),
                    "created_at": timezone.now().isoformat(),
                    "database": {"vendor": vendor, "member": DB_MEMBER[vendor]},
                    "migrations": migrations,
                    "tables": tables,
                    "files": files,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False), zipfile.ZIP_DEFLATED)
            with unfinished.open("rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(unfinished, target)
        except OSError as exc:
            raise BackupError(f"Säkerhetskopian kunde inte skrivas: {exc.strerror or exc}") from None
    return Written(files=len(private))


# --- restore: reading and checking the archive ----------------------------------------------------


def _check_kind(path: Path) -> None:
    """Name what a file that is no backup archive is, before zipfile tries to make sense of it."""
    if not path.is_file():
        raise BackupError(f"Filen {path} finns inte")
    with path.open("rb") as handle:
        head = handle.read(16)
    if not head:
        raise BackupError(f"{path} är tom: ingen Samverkan-säkerhetskopia")
    if head.startswith(b"SQLite format 3\0"):
        raise BackupError(
            f"{path} är en SQLite-databas, ingen Samverkan-säkerhetskopia (ett arkiv från samverkan backup)"
        )
    if head.startswith(b"PGDMP"):
        raise BackupError(f"{path} är en pg_dump-fil, ingen Samverkan-säkerhetskopia (ett arkiv från samverkan backup)")
    if not head.startswith(b"PK\x03\x04"):
        raise BackupError(f"{path} är ingen Samverkan-säkerhetskopia (ett zip-arkiv från samverkan backup)")


def _damaged(detail: str) -> BackupError:
    return BackupError(f"Arkivet är skadat: {detail}")


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise BackupError(f"{path} är ingen Samverkan-säkerhetskopia: {MANIFEST} saknas") from None
    if info.file_size > MANIFEST_MAX_BYTES:
        raise _damaged(f"{MANIFEST} är orimligt stor ({info.file_size // (1024 * 1024)} MB)")
    try:
        with archive.open(info) as handle:
            raw = handle.read(MANIFEST_MAX_BYTES + 1)
    except ZIP_ERRORS as exc:
        raise _unpack_error(MANIFEST, exc) from None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged(f"{MANIFEST} är ingen läsbar JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} är ingen Samverkan-säkerhetskopia: {MANIFEST} är inte Samverkans")
    _check_manifest_shape(manifest)
    return manifest


def _check_manifest_shape(manifest: dict[str, Any]) -> None:
    fmt = manifest.get("format_version")
    if not isinstance(fmt, int) or isinstance(fmt, bool):
        raise _damaged(f"{MANIFEST} saknar formatversion")
    if fmt > FORMAT_VERSION:
        raise BackupError(
            f"Arkivet har formatversion {fmt}; den här versionen av Samverkan läser version {FORMAT_VERSION}: "
            "uppgradera Samverkan först"
        )
    database = manifest.get("database")
    migrations, tables, files = manifest.get("migrations"), manifest.get("tables"), manifest.get("files")
    well_formed = (
        isinstance(database, dict)
        and database.get("vendor") in DB_MEMBER
        and database.get("member") == DB_MEMBER[database["vendor"]]
        and isinstance(migrations, dict)
        and all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in migrations.values())
        and isinstance(tables, dict)
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in tables.values())
        and isinstance(files, dict)
        and all(
            isinstance(v, dict)
            and isinstance(v.get("size"), int)
            and not isinstance(v.get("size"), bool)
            and v["size"] >= 0
            and isinstance(v.get("sha256"), str)
            and SHA256.fullmatch(v["sha256"])
            for v in files.values()
        )
        and database["member"] in files
    )
    if not well_formed:
        raise _damaged(f"{MANIFEST} är ofullständig eller felaktig")


def _safe_private_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        len(parts) >= 2
        and parts[0] == PRIVATE
        and "\\" not in name
        and "\0" not in name
        and not name.endswith("/")
        and all(part not in ("", ".", "..") for part in parts)
    )


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Exactly the listed members, each once, under a safe name, with the listed size."""
    infos = archive.infolist()
    names = [info.filename for info in infos]
    if len(names) != len(set(names)):
        raise _damaged("en fil finns två gånger")
    listed = manifest["files"]
    db_member = manifest["database"]["member"]
    for info in infos:
        name = info.filename
        if name == MANIFEST:
            continue
        if name not in listed:
            raise _damaged(f"{name} finns inte i {MANIFEST}")
        if name != db_member and not _safe_private_name(name):
            raise _damaged(f"otillåtet filnamn {name!r}")
        if info.file_size != listed[name]["size"]:
            raise _damaged(f"storleken på {name} stämmer inte med {MANIFEST}")
    missing = sorted(set(listed) - set(names))
    if missing:
        raise _damaged(f"{missing[0]} saknas")


def _check_migrations_known(manifest: dict[str, Any]) -> None:
    """Every migration the archive has applied must be one this code has: otherwise the archive
    comes from a newer Samverkan whose schema this code cannot read."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, names in sorted(manifest["migrations"].items()):
        for name in names:
            if (app, name) not in known:
                archived, here = manifest.get("samverkan_version", "?"), version("samverkan")
                raise BackupError(
                    f"Arkivet är från en nyare version av Samverkan (arkivet: {archived}, här: {here}): "
                    f"migreringen {app}.{name} finns inte här; uppgradera Samverkan först"
                )


def _check_space(manifest: dict[str, Any], where: Path) -> None:
    needed = sum(entry["size"] for entry in manifest["files"].values())
    free = shutil.disk_usage(where).free
    if needed > free:
        mb = 1024 * 1024
        raise BackupError(
            f"Det finns inte plats att packa upp arkivet: det behövs {needed // mb} MB, "
            f"{free // mb} MB är ledigt i {where}"
        )


def _unpack_error(name: str, exc: BaseException) -> BackupError:
    """zipfile's own wording (CRC, zlib, header errors) says nothing to a user; name the member."""
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return _damaged(f"kontrollsumman för {name} stämmer inte")
    return _damaged(f"{name} kan inte packas upp")


def _read_chunk(source: BinaryIO, name: str) -> bytes:
    try:
        return source.read(CHUNK)
    except ZIP_ERRORS as exc:
        raise _unpack_error(name, exc) from None


def _extract(archive: zipfile.ZipFile, name: str, entry: dict[str, Any], dest: Path) -> None:
    """Unpack one member, never more than its listed size, and compare its SHA-256."""
    digest, size = hashlib.sha256(), 0
    try:
        source = archive.open(name)
    except ZIP_ERRORS as exc:
        raise _unpack_error(name, exc) from None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with source, dest.open("xb") as out:
            while chunk := _read_chunk(source, name):
                size += len(chunk)
                if size > entry["size"]:
                    raise _damaged(f"{name} är större än {MANIFEST} säger")
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:  # a name that collides with a directory, or a full disk
        raise BackupError(f"Arkivet kan inte packas upp: {name}: {exc.strerror or exc}") from None
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise _damaged(f"kontrollsumman för {name} stämmer inte")


def _compare_state(manifest: dict[str, Any], migrations: dict[str, list[str]], tables: dict[str, int]) -> None:
    if migrations != manifest["migrations"]:
        raise _damaged(f"migreringarna i databasen stämmer inte med {MANIFEST}")
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(tables)):
        if table not in tables:
            raise _damaged(f"tabellen {table} saknas i databasen")
        if table not in expected:
            raise _damaged(f"tabellen {table} finns inte i {MANIFEST}")
        if tables[table] != expected[table]:
            raise _damaged(f"tabellen {table} har {tables[table]} rader, {MANIFEST} säger {expected[table]}")


# --- restore: checking the database copy and swapping -----------------------------------------------


def _check_sqlite(copy: Path, manifest: dict[str, Any]) -> None:
    try:
        db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _damaged(f"databasen i arkivet kan inte öppnas ({exc})") from None
    try:
        problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchmany(5)]
        if problems != ["ok"]:
            raise _damaged(f"databasen i arkivet klarar inte integritetskontrollen ({problems[0]})")
        broken = db.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise _damaged(f"tabellen {broken[0]} pekar på rader som saknas i {broken[2]}")
        migrations, tables = _read_state(db.cursor(), SQLITE_TABLES)
    except sqlite3.DatabaseError as exc:
        raise _damaged(f"databasen i arkivet kan inte läsas ({exc})") from None
    finally:
        db.close()
    _compare_state(manifest, migrations, tables)


def _swap_sqlite(copy: Path) -> None:
    """SQLite's backup API copies the checked scratch file into the live database in one write
    transaction: other processes wait on the lock, and a failure or crash rolls back through the
    journal. (Renaming the file instead would leave running processes writing to the old one.)"""
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"Återställningen misslyckades och databasen är oförändrad: {exc}") from None
    finally:
        source.close()


def _pg_connect(dbname: str) -> psycopg.Connection[Any]:
    s = connection.settings_dict
    params = {"dbname": dbname, "host": s.get("HOST"), "port": s.get("PORT"), "user": s.get("USER")}
    params["password"] = s.get("PASSWORD")
    return psycopg.connect(**{k: str(v) for k, v in params.items() if v})


def _check_postgres(dump: Path, manifest: dict[str, Any]) -> None:
    """Load the dump into a scratch database and compare migrations and counts; the scratch
    database is dropped whatever happens."""
    live = connection.settings_dict["NAME"]
    scratch = f"{live[:40]}_restore_{secrets.token_hex(4)}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {_quote(scratch)} TEMPLATE template0")
    except DatabaseError as exc:
        raise BackupError(
            f"Återställningen behöver en tillfällig databas men kunde inte skapa den (rätten CREATEDB?): "
            f"{_last_line(str(exc), type(exc).__name__)}"
        ) from None
    try:
        result = _run(
            ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--dbname", scratch, str(dump)],
            pg_env(scratch),
        )
        if result.returncode:
            raise _damaged(f"databasdumpen kan inte läsas in ({_last_line(result.stderr, 'pg_restore misslyckades')})")
        try:
            with _pg_connect(scratch) as db, db.cursor() as cursor:
                migrations, tables = _read_state(cursor, PG_TABLES)
        except psycopg.Error as exc:
            raise _damaged(f"databasen i arkivet kan inte läsas ({_last_line(str(exc), type(exc).__name__)})") from None
        _compare_state(manifest, migrations, tables)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)} WITH (FORCE)")


def _check_live_postgres(manifest: dict[str, Any]) -> None:
    """pg_restore --clean replaces the archive's tables; a live table the archive lacks (from a
    migration newer than the archive) would stay and contradict the restored migration table."""
    with connection.cursor() as cursor:
        cursor.execute(PG_TABLES)
        extra = sorted({row[0] for row in cursor.fetchall()} - set(manifest["tables"]))
    if extra:
        raise BackupError(
            f"Databasen har tabeller som arkivet saknar ({', '.join(extra[:3])}): arkivet är från ett äldre schema; "
            "återställ till en tom databas"
        )


def _swap_postgres(dump: Path) -> None:
    """Replace the live database's tables in one transaction (pg_restore --single-transaction
    --exit-on-error: all or nothing). The database itself, its owner, grants and settings stay."""
    connection.close()
    result = _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ],
        pg_env(),
    )
    if result.returncode:
        raise BackupError(
            "Återställningen misslyckades och databasen är oförändrad: "
            f"{_last_line(result.stderr, 'pg_restore misslyckades')}"
        )


def _pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore_archive(path: Path) -> Restored:
    _check_kind(path)
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"Återställning stöds inte för {vendor}")
    try:
        archive = zipfile.ZipFile(path)
    except (*ZIP_ERRORS, OSError):
        raise BackupError(f"Arkivet är skadat eller ofullständigt: {path} kan inte läsas som zip-arkiv") from None
    private_root = Path(settings.PRIVATE_STORAGE_ROOT)
    private_root.parent.mkdir(parents=True, exist_ok=True)
    with archive:
        manifest = _read_manifest(archive, path)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"Arkivet är en säkerhetskopia av en {VENDOR_NAMES[manifest['database']['vendor']]}-databas, "
                f"men databasen här är {VENDOR_NAMES[vendor]}"
            )
        _check_members(archive, manifest)
        _check_migrations_known(manifest)
        if vendor == "postgresql":
            _check_live_postgres(manifest)
        _check_space(manifest, private_root.parent)
        try:
            scratch = Path(tempfile.mkdtemp(prefix=".restore-", dir=private_root.parent))
        except OSError as exc:
            raise BackupError(f"Ingen plats att packa upp arkivet i {private_root.parent}: {exc.strerror}") from None
        try:
            for name, entry in manifest["files"].items():
                _extract(archive, name, entry, scratch / name)
            (scratch / PRIVATE).mkdir(exist_ok=True)
            db_copy = scratch / manifest["database"]["member"]
            if vendor == "sqlite":
                _check_sqlite(db_copy, manifest)
                _swap(private_root, scratch, partial(_swap_sqlite, db_copy))
            else:
                _check_postgres(db_copy, manifest)
                _swap(private_root, scratch, partial(_swap_postgres, db_copy))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return Restored(files=len(manifest["files"]) - 1, pending_migrations=_pending_migrations())


def _swap(private_root: Path, scratch: Path, swap_database: Callable[[], None]) -> None:
    """Put the unpacked private files in place by renames (same file system: the scratch directory
    sits beside them), then the database; if the database step fails, rename the files back."""
    previous = scratch / "previous"
    had_files = private_root.exists()
    try:
        if had_files:
            os.rename(private_root, previous)
        os.rename(scratch / PRIVATE, private_root)
    except OSError as exc:
        if had_files and previous.exists() and not private_root.exists():
            os.rename(previous, private_root)
        raise BackupError(f"Filerna kunde inte bytas ut, inget är ändrat: {exc.strerror or exc}") from None
    try:
        swap_database()
    except BaseException:
        os.rename(private_root, scratch / "restored")
        if had_files:
            os.rename(previous, private_root)
        raise
