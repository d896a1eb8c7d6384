"""`manage.py backup` and `manage.py restore`: a round trip into a fresh, empty instance gives back every
table row and every lake file; a damaged or foreign archive and a non-empty instance are refused
with nothing written.

The restores run in a subprocess with their own DATABASE_URL and IKMS_LAKE_DIR (a new SQLite file,
or a new PostgreSQL database on the test server), exactly as an operator runs them."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import load_backend

from analytics.tests.fixtures.lake import write_lake
from ikms.core import backup

REPO = Path(settings.BASE_DIR)


# --- Helpers ---------------------------------------------------------------------------------------


def checksums(root: Path) -> dict[str, str]:
    """Every file under root (relative path → SHA-256)."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def table_rows(conn: Any) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order; the shared cache's table (passing data, ADR 0021) left out."""
    out = {}
    with conn.cursor() as cursor:
        for table in sorted(set(conn.introspection.table_names(cursor)) - {"ikms_cache"}):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")  # noqa: S608
            rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]
            out[table] = sorted(rows, key=repr)
    return out


def sequences(conn: Any) -> list[tuple]:
    """Where the id sequences stand (sqlite_sequence / pg_sequences): restored ids must not be reused."""
    query = ("SELECT name, seq FROM sqlite_sequence" if conn.vendor == "sqlite"
             else "SELECT sequencename, last_value FROM pg_sequences")
    with conn.cursor() as cursor:
        cursor.execute(query)
        return sorted(cursor.fetchall())


def read_manifest(archive: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with tarfile.open(archive, "r:*") as tar:
        data = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    return json.loads(data.pop(backup.MANIFEST)), data


def rewrite(archive: Path, target: Path, change: Any) -> Path:
    """Copy a tar archive member by member; change(name, data) returns new data, or None to drop it."""
    with tarfile.open(archive, "r:*") as src, tarfile.open(target, "w") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())  # type: ignore[union-attr]
            if data is not None:
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
    return target


@dataclass
class Instance:
    """A fresh, empty IKMS instance: a database nobody has touched and a lake folder that does not exist."""

    url: str
    name: str
    lake: Path

    def env(self) -> dict[str, str]:
        # The settings an operator runs manage.py with, which take both places from the environment.
        return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.django.local", "DATABASE_URL": self.url,
                "IKMS_LAKE_DIR": str(self.lake)}

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=self.env(), capture_output=True,
                              text=True, timeout=600, check=False)

    @contextlib.contextmanager
    def db(self) -> Iterator[Any]:
        """A connection to the instance's database, through the same Django backend as the tests."""
        wrapper = load_backend(connection.settings_dict["ENGINE"]).DatabaseWrapper(
            {**connection.settings_dict, "NAME": self.name}, "restored")
        try:
            yield wrapper
        finally:
            wrapper.close()

    def has_tables(self) -> bool:
        if connection.vendor == "sqlite":
            return Path(self.name).exists()
        with self.db() as db, db.cursor() as cursor:
            return bool(db.introspection.table_names(cursor))


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Instance]:
    """An empty instance beside the test's: a new SQLite file, or a new database on the PostgreSQL server."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    if connection.vendor == "sqlite":
        path = folder / "ikms.sqlite3"
        yield Instance(url=f"sqlite:///{path}", name=str(path), lake=folder / "lake")
        return
    s = connection.settings_dict
    name = f"ikms_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    url = f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    try:
        yield Instance(url=url, name=name, lake=folder / "lake")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def source(world: dict[str, Any], settings: Any, tmp_path: Path) -> Path:
    """The test instance's lake: the analytics fixture lake plus a temp file a killed import left."""
    lake = write_lake(tmp_path / "lake")
    (lake / "enrolments" / "school_year=2023-2024" / ".tmp-killed-import").write_bytes(b"half a part")
    settings.IKMS_LAKE_DIR = lake
    return lake


def make_backup(tmp_path: Path, name: str = "ikms-backup.tar.gz") -> Path:
    folder = tmp_path / "backups"
    folder.mkdir(exist_ok=True)
    out = io.StringIO()
    call_command("backup", str(folder / name), stdout=out)
    assert "Backup written" in out.getvalue()
    return folder / name


# --- Round trip -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_instance_gives_back_everything(source: Path, fresh: Instance,
                                                                         tmp_path: Path) -> None:
    archive = make_backup(tmp_path)
    assert os.listdir(archive.parent) == [archive.name]  # written atomically: no temp file left beside it
    assert not list(source.rglob(".tmp-*"))  # the backup removed the killed import's temp file first
    lake_before = checksums(source)
    rows_before = table_rows(connection)
    assert len(rows_before["accounts_user"]) == 13 and len(rows_before["registry_institution"]) == 3

    manifest, members = read_manifest(archive)
    assert manifest["format"] == "ikms-backup" and manifest["database"]["vendor"] == connection.vendor
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", manifest["app_version"])
    assert manifest["created_at"].startswith("20")
    assert "registry.0002_load_classifiers" in manifest["migrations"]
    assert manifest["database"]["tables"] == {t: len(r) for t, r in rows_before.items()}
    assert set(members) == set(manifest["members"])
    for name, data in members.items():  # a SHA-256 for every member
        assert manifest["members"][name] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert {n.removeprefix("lake/") for n in members if n.startswith("lake/")} == set(lake_before)

    verify = io.StringIO()
    call_command("restore", str(archive), "--verify-only", stdout=verify)
    assert "The archive is intact" in verify.getvalue()

    proc = fresh.manage("restore", str(archive))
    assert proc.returncode == 0, proc.stderr
    assert "Restored" in proc.stdout
    assert checksums(fresh.lake) == lake_before  # every Parquet part and manifest, byte for byte
    assert not [p for p in fresh.lake.parent.iterdir() if p.name.startswith(".tmp-")]
    with fresh.db() as db:
        assert table_rows(db) == rows_before  # every table, every row
        assert sequences(db) == sequences(connection) and sequences(db)


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_leaves_no_file(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_add, calls = backup._add, []

    def add(*args: Any) -> None:
        calls.append(args[1])
        if len(calls) == 3:
            raise OSError("disk full")
        real_add(*args)

    monkeypatch.setattr(backup, "_add", add)
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(OSError, match="disk full"):
        call_command("backup", str(folder / "b.tar"))
    assert os.listdir(folder) == []
    with pytest.raises(CommandError, match="must end in"):
        call_command("backup", str(folder / "b.zip"))


# --- Refusals ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_tampered_archive_is_refused_and_nothing_is_written(source: Path, fresh: Instance, tmp_path: Path) -> None:
    archive = make_backup(tmp_path, "good.tar")
    part = next(n for n in read_manifest(archive)[1] if n.endswith(".parquet"))

    def flip(name: str, data: bytes) -> bytes:
        return data[:100] + bytes([data[100] ^ 1]) + data[101:] if name == part else data

    tampered = rewrite(archive, tmp_path / "tampered.tar", flip)
    proc = fresh.manage("restore", str(tampered))
    assert proc.returncode != 0
    assert "SHA-256" in proc.stderr and part in proc.stderr
    assert "Nekas netika ierakstīts" in proc.stderr and "Nothing was written" in proc.stderr
    assert not fresh.lake.exists() and not fresh.has_tables()
    assert sorted(p.name for p in fresh.lake.parent.iterdir()) == []  # no temp files either

    # The untouched archive still restores into the same instance.
    proc = fresh.manage("restore", str(archive))
    assert proc.returncode == 0, proc.stderr
    assert checksums(fresh.lake) == checksums(source)


@pytest.mark.django_db(transaction=True)
def test_damaged_and_foreign_archives_are_refused(source: Path, settings: Any, tmp_path: Path) -> None:
    archive = make_backup(tmp_path, "good.tar")
    members = read_manifest(archive)[1]
    settings.IKMS_LAKE_DIR = tmp_path / "new-lake"
    lake_part = next(n for n in members if n.startswith("lake/"))

    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    no_manifest = rewrite(archive, tmp_path / "no-manifest.tar", lambda n, d: None if n == backup.MANIFEST else d)
    missing = rewrite(archive, tmp_path / "missing.tar", lambda n, d: None if n == lake_part else d)
    truncated = tmp_path / "truncated.tar.gz"
    data = make_backup(tmp_path, "whole.tar.gz").read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    not_tar = tmp_path / "not-a-tar.tar"
    not_tar.write_bytes(b"\x00\x01 this is not an archive" * 100)

    def edit_manifest(name: str, data: bytes) -> bytes:
        if name != backup.MANIFEST:
            return data
        doc = json.loads(data)
        doc["members"][lake_part]["sha256"] = "0" * 64  # a manifest edited without its own checksum
        return json.dumps(doc).encode()

    edited = rewrite(archive, tmp_path / "edited.tar", edit_manifest)
    cases = {foreign: "not an IKMS backup", no_manifest: "no ikms-backup.json manifest",
             missing: "lacks 1 members", truncated: "cannot be read", not_tar: "cannot be read",
             edited: "manifest's checksum does not match", tmp_path / "absent.tar": "was not found"}
    users = table_rows(connection)["accounts_user"]
    for path, message in cases.items():
        with pytest.raises(CommandError) as exc:
            call_command("restore", str(path))
        assert message in str(exc.value), path
        assert "Nothing was written" in str(exc.value) and " / " in str(exc.value)
        with pytest.raises(CommandError):
            call_command("restore", str(path), "--verify-only")
    assert not (tmp_path / "new-lake").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    assert table_rows(connection)["accounts_user"] == users


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_non_empty_instance_is_refused(source: Path, fresh: Instance, settings: Any,
                                                     tmp_path: Path) -> None:
    archive = make_backup(tmp_path)
    # The test instance itself: its database holds users and institutions.
    settings.IKMS_LAKE_DIR = tmp_path / "other-lake"
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(archive))
    message = str(exc.value)
    assert "tukšā instancē" in message and "empty instance" in message
    assert "13 users" in message and "3 institutions" in message
    assert "Nothing was written" in message
    assert not (tmp_path / "other-lake").exists()

    # A fresh database, but a lake folder that already holds a file.
    fresh.lake.mkdir()
    (fresh.lake / "notes.txt").write_text("keep me", encoding="utf-8")
    proc = fresh.manage("restore", str(archive))
    assert proc.returncode != 0
    assert "lake folder" in proc.stderr and "Nothing was written" in proc.stderr
    assert checksums(fresh.lake) == {"notes.txt": hashlib.sha256(b"keep me").hexdigest()}
    assert not fresh.has_tables()


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_migrated_empty_database(source: Path, fresh: Instance, tmp_path: Path) -> None:
    """An instance set up with `migrate` (classifiers loaded, nobody in it) counts as empty."""
    archive = make_backup(tmp_path)
    proc = fresh.manage("migrate", "--no-input")
    assert proc.returncode == 0, proc.stderr
    proc = fresh.manage("restore", str(archive))
    assert proc.returncode == 0, proc.stderr
    with fresh.db() as db:
        assert table_rows(db) == table_rows(connection)
    again = fresh.manage("restore", str(archive))  # now it holds data: refused
    assert again.returncode != 0 and "empty instance" in again.stderr
