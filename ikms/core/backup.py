"""Backup and restore of a whole IKMS instance: the web database and the Parquet lake in one archive.

An archive is a tar file (plain, or compressed as the name says: ``.tar.gz``/``.tgz``, ``.tar.xz``,
``.tar.bz2``) with these members::

    database/db.sqlite3 | database/db.pgdump   the database (SQLite online backup / pg_dump custom format)
    lake/<dataset>/...                         every file of IKMS_LAKE_DIR except ``.tmp-*`` files
    ikms-backup.json                           the manifest (last member)

The manifest records the format, the date, the application version (git commit), the database
vendor, the applied migrations, the row count of every table, and the size and SHA-256 of every
other member; it carries a checksum of itself. A restore reads the whole archive once and checks
every member against the manifest before it writes anything, then extracts to temporary files
beside their targets and renames them into place. See docs/howto/backup-and-restore.md.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.cache import caches
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from analytics.imports import lake as lake_io

FORMAT = "ikms-backup"
FORMAT_VERSION = 1
MANIFEST = "ikms-backup.json"
LAKE_PREFIX = "lake/"
DB_MEMBERS = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
TMP_PREFIX = lake_io.TMP_PREFIX
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
#: Rows in these tables make an instance non-empty: a restore never overwrites them. (Classifier
#: tables, permissions and content types are filled by migrations, so they do not count.)
CONTENT_MODELS = {
    "accounts.User": ("lietotāji", "users"),
    "registry.Founder": ("dibinātāji", "founders"),
    "registry.Institution": ("iestādes", "institutions"),
    "registry.Programme": ("programmas", "programmes"),
    "registry.Decision": ("lēmumi", "decisions"),
    "core.AuditEvent": ("audita ieraksti", "audit events"),
    "monitoring.ComputationRun": ("aprēķini", "computation runs"),
    "accreditation.Case": ("akreditācijas lietas", "accreditation cases"),
}
_MODES = {".tar": "", ".tar.gz": "gz", ".tgz": "gz", ".tar.xz": "xz", ".txz": "xz", ".tar.bz2": "bz2", ".tbz2": "bz2"}
# What a damaged or foreign file raises while tarfile reads it.
_READ_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError, ValueError, UnicodeDecodeError)


class BackupError(Exception):
    """A refusal or failure, with a bilingual message ("Latvian / English")."""


# --- Small helpers -------------------------------------------------------------------------------


def lake_root() -> Path:
    return Path(settings.IKMS_LAKE_DIR).absolute()


def app_version() -> str:
    """The git commit of the running code, or "unknown" (no git, or not a checkout)."""
    try:
        out = subprocess.run(["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out if re.fullmatch(r"[0-9a-f]{40}", out) else "unknown"


def archive_mode(archive: Path) -> str:
    name = archive.name.lower()
    for suffix, mode in sorted(_MODES.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return mode
    raise BackupError(f"Arhīva nosaukumam jābeidzas ar {', '.join(_MODES)}. / "
                      f"The archive name must end in {', '.join(_MODES)}.")


def _fsync_dir(folder: Path) -> None:
    lake_io.fsync_dir(folder)


def _manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class _HashingReader:
    """Hashes what tarfile reads from a file (so every member is read exactly once)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.sha, self.size = fh, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha.update(data)
        self.size += len(data)
        return data


def _lake_files(lake: Path, folder: Path) -> Iterator[tuple[str, Path]]:
    """(member name, path) of every file under `folder` that readers or imports use: all but ``.tmp-*``."""
    for where, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(where) / name
            if not name.startswith(TMP_PREFIX) and path.is_file():
                yield LAKE_PREFIX + path.relative_to(lake).as_posix(), path


# --- The database side ---------------------------------------------------------------------------


def pg_tool(name: str) -> Path:
    """pg_dump or pg_restore: from IKMS_PG_BINDIR when set, else the newest Debian install
    (/usr/lib/postgresql/<major>/bin, which dumps servers up to its own major version), else PATH."""
    candidates: list[Path] = []
    if bindir := os.environ.get("IKMS_PG_BINDIR"):
        candidates.append(Path(bindir) / name)
    debian = Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
    candidates += sorted(debian, key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)] or [0],
                         reverse=True)
    if found := shutil.which(name):
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    raise BackupError(
        f"Nav atrasta programma {name} (PostgreSQL klienta rīki); instalējiet postgresql-client tās pašas vai "
        f"jaunākas galvenās versijas kā serveris vai norādiet mapi ar IKMS_PG_BINDIR. / "
        f"{name} (the PostgreSQL client tools) was not found; install postgresql-client of the server's major "
        f"version or newer, or name its folder in IKMS_PG_BINDIR.")


def _pg_command(tool: str, settings_dict: dict[str, Any], options: list[str], *,
                dbname_flag: bool) -> tuple[list[str], dict[str, str]]:
    """A pg_dump/pg_restore command line and environment for the configured database (the password
    goes in the environment, never on the command line)."""
    from django.db.backends.postgresql.client import DatabaseClient

    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    conn = args[1:]
    dbname = settings_dict.get("NAME") or (None if settings_dict["OPTIONS"].get("service") else "postgres")
    if dbname:
        conn = conn[:-1]
    if dbname_flag:
        conn += ["--dbname", dbname or f"service={settings_dict['OPTIONS']['service']}"]
    elif dbname:
        conn += [dbname]
    return [str(pg_tool(tool)), *options, *conn], {**os.environ, **(env or {})}


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise BackupError(f"{what} neizdevās / {what} failed (exit {proc.returncode}):\n{detail}")


def _count_rows(cursor: Any, quote: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 -- table names from introspection
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations(cursor: Any, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations")
    return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


def _dump_sqlite(connection: BaseDatabaseWrapper, target: Path) -> dict[str, Any]:
    """SQLite's online backup API: a consistent copy while the server keeps running (WAL readers
    and writers are not blocked). The copy is a single file in rollback-journal mode."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("SQLite kopijas pārbaude neizdevās. / The SQLite copy failed its integrity check.")
        cursor = copy.cursor()
        tables = sorted(r[0] for r in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        info = {"tables": _count_rows(cursor, lambda t: '"' + t.replace('"', '""') + '"', tables),
                "migrations": _applied_migrations(cursor, tables)}
    finally:
        copy.close()
    return {"vendor": "sqlite", "sqlite_version": sqlite3.sqlite_version, **info}


def _dump_postgresql(connection: BaseDatabaseWrapper, target: Path) -> dict[str, Any]:
    """pg_dump (custom format) of a snapshot exported from a REPEATABLE READ transaction, so the row
    counts and migrations recorded in the manifest describe exactly the dumped data."""
    from django.db import transaction

    tool = pg_tool("pg_dump")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = sorted(connection.introspection.table_names(cursor))
        info = {"tables": _count_rows(cursor, connection.ops.quote_name, tables),
                "migrations": _applied_migrations(cursor, tables)}
        cmd, env = _pg_command("pg_dump", connection.settings_dict,
                               ["--format=custom", f"--file={target}", f"--snapshot={snapshot}"], dbname_flag=False)
        _run(cmd, env, "pg_dump")
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {"vendor": "postgresql", "server_version": connection.pg_version, "pg_dump": version, **info}


def dump_database(connection: BaseDatabaseWrapper, folder: Path) -> tuple[Path, dict[str, Any]]:
    if connection.vendor not in DB_MEMBERS:
        raise BackupError(f"Datubāze {connection.vendor} netiek atbalstīta. / "
                          f"Database {connection.vendor} is not supported.")
    target = folder / PurePosixPath(DB_MEMBERS[connection.vendor]).name
    dump = _dump_sqlite if connection.vendor == "sqlite" else _dump_postgresql
    return target, {**dump(connection, target), "member": DB_MEMBERS[connection.vendor]}


# --- Backup --------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    archive: Path
    manifest: dict[str, Any]

    @property
    def lake_files(self) -> int:
        return sum(1 for name in self.manifest["members"] if name.startswith(LAKE_PREFIX))

    @property
    def size(self) -> int:
        return self.archive.stat().st_size


def _add(tar: tarfile.TarFile, name: str, path: Path, members: dict[str, dict[str, Any]]) -> None:
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
    with path.open("rb") as fh:
        reader = _HashingReader(fh)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    members[name] = {"sha256": reader.sha.hexdigest(), "size": reader.size}


def create_backup(archive: Path, *, connection: BaseDatabaseWrapper, lake: Path | None = None) -> BackupResult:
    """Write the database and the lake to `archive` (a temp file beside it, renamed when complete)."""
    lake = (lake or lake_root()).absolute()
    archive = archive.absolute()
    mode = archive_mode(archive)
    if not archive.parent.is_dir():
        raise BackupError(f"Mape {archive.parent} nepastāv. / Folder {archive.parent} does not exist.")
    if archive.is_relative_to(lake):
        raise BackupError("Arhīvu nevar rakstīt datu ezera mapē. / The archive cannot be written inside the lake.")
    lake_io.remove_stale_tmp_all(lake)
    started = datetime.datetime.now(datetime.UTC)
    work = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}backup-", dir=archive.parent))
    tmp = archive.parent / f"{TMP_PREFIX}{archive.name}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        db_file, database = dump_database(connection, work)
        migrations = database.pop("migrations")
        members: dict[str, dict[str, Any]] = {}
        with tmp.open("wb") as fh:
            with tarfile.open(fileobj=fh, mode=f"w:{mode}" if mode else "w", format=tarfile.PAX_FORMAT,
                              **({"compresslevel": 6} if mode in ("gz", "bz2") else {})) as tar:
                _add(tar, database["member"], db_file, members)
                db_file.unlink()
                if lake.is_dir():
                    for path in sorted(p for p in lake.iterdir() if p.is_file() and not p.name.startswith(TMP_PREFIX)):
                        _add(tar, LAKE_PREFIX + path.name, path, members)
                    for dataset in sorted(p for p in lake.iterdir() if p.is_dir()):
                        with lake_io.dataset_lock(dataset):  # no import commits into it meanwhile
                            for name, path in _lake_files(lake, dataset):
                                _add(tar, name, path, members)
                manifest: dict[str, Any] = {
                    "format": FORMAT, "format_version": FORMAT_VERSION,
                    "created_at": started.isoformat(timespec="seconds"), "app_version": app_version(),
                    "database": database, "migrations": migrations, "lake_dir": str(lake), "members": members,
                }
                manifest["checksum"] = _manifest_checksum(manifest)
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(started.timestamp()), 0o644
                tar.addfile(info, io.BytesIO(data))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, archive)
        _fsync_dir(archive.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(archive=archive, manifest=manifest)


# --- Reading and verifying an archive ------------------------------------------------------------


def _refuse(lv: str, en: str) -> BackupError:
    return BackupError(f"{lv} / {en}")


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (not path.is_absolute() and ".." not in path.parts and "\\" not in name and name == path.as_posix()
            and (name == MANIFEST or name in DB_MEMBERS.values()
                 or (name.startswith(LAKE_PREFIX) and len(path.parts) > 1)))


def _members(archive: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes] | None]]:
    """Stream the members of an archive (any compression), refusing what no IKMS backup holds."""
    with tarfile.open(archive, mode="r|*") as tar:
        for member in tar:
            if not _safe_member(member.name) or not member.isreg():
                raise _refuse(f"Arhīvā ir sveša vai nedroša daļa „{member.name}”; tā nav IKMS rezerves kopija.",
                              f"The archive holds a foreign or unsafe member “{member.name}”; "
                              "it is not an IKMS backup.")
            yield member, tar.extractfile(member)


def _read_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        manifest = None
    if (not isinstance(manifest, dict) or manifest.get("format") != FORMAT
            or not isinstance(manifest.get("members"), dict) or not isinstance(manifest.get("database"), dict)):
        raise _refuse("Arhīva manifests ir bojāts vai svešs; tā nav IKMS rezerves kopija.",
                      "The archive's manifest is damaged or foreign; it is not an IKMS backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(f"Rezerves kopijas formāta versija {manifest.get('format_version')} netiek atbalstīta.",
                      f"Backup format version {manifest.get('format_version')} is not supported.")
    if manifest.get("checksum") != _manifest_checksum(manifest):
        raise _refuse("Arhīva manifesta kontrolsumma nesakrīt: arhīvs ir bojāts.",
                      "The archive manifest's checksum does not match: the archive is damaged.")
    return manifest


def verify_archive(archive: Path) -> dict[str, Any]:
    """Read the whole archive once and check every member against the manifest; return the
    manifest. Raises BackupError for a missing, damaged, incomplete or foreign archive."""
    if not archive.is_file():
        raise _refuse(f"Arhīvs {archive} nav atrasts.", f"Archive {archive} was not found.")
    seen: dict[str, dict[str, Any]] = {}
    manifest_data: bytes | None = None
    try:
        for member, fh in _members(archive):
            assert fh is not None
            if member.name == MANIFEST:
                if member.size > MANIFEST_MAX_BYTES or manifest_data is not None:
                    raise _refuse("Arhīva manifests ir bojāts.", "The archive's manifest is damaged.")
                manifest_data = fh.read()
                continue
            if member.name in seen:
                raise _refuse(f"Arhīvā daļa „{member.name}” ir divreiz.",
                              f"The archive holds “{member.name}” twice.")
            sha, size = hashlib.sha256(), 0
            while chunk := fh.read(CHUNK):
                sha.update(chunk)
                size += len(chunk)
            seen[member.name] = {"sha256": sha.hexdigest(), "size": size}
    except BackupError:
        raise
    except _READ_ERRORS as exc:
        raise _refuse(f"Arhīvu nevar nolasīt (bojāts, nepilnīgs vai nav tar arhīvs): {exc}.",
                      f"The archive cannot be read (damaged, truncated or not a tar archive): {exc}.") from None
    if manifest_data is None:
        raise _refuse("Arhīvā nav manifesta ikms-backup.json; tā nav IKMS rezerves kopija.",
                      "The archive has no ikms-backup.json manifest; it is not an IKMS backup.")
    manifest = _read_manifest(manifest_data)
    expected = manifest["members"]
    if missing := sorted(set(expected) - set(seen)):
        raise _refuse(f"Arhīvā trūkst {len(missing)} daļu (piemēram, {missing[0]}).",
                      f"The archive lacks {len(missing)} members (e.g. {missing[0]}).")
    if extra := sorted(set(seen) - set(expected)):
        raise _refuse(f"Arhīvā ir manifestā neminētas daļas (piemēram, {extra[0]}).",
                      f"The archive holds members its manifest does not list (e.g. {extra[0]}).")
    if bad := sorted(n for n in expected if seen[n] != {"sha256": expected[n].get("sha256"),
                                                          "size": expected[n].get("size")}):
        raise _refuse(f"SHA-256 kontrolsumma nesakrīt {len(bad)} daļām (piemēram, {bad[0]}): arhīvs ir bojāts.",
                      f"The SHA-256 checksum does not match for {len(bad)} members (e.g. {bad[0]}): "
                      "the archive is damaged.")
    db_member = manifest["database"].get("member")
    if db_member not in DB_MEMBERS.values() or db_member not in expected:
        raise _refuse("Arhīvā nav datubāzes.", "The archive holds no database.")
    return manifest


# --- Restore -------------------------------------------------------------------------------------


def database_content(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Rows of the content tables (users, institutions, …) the configured database holds."""
    from django.apps import apps

    if connection.vendor == "sqlite" and not _sqlite_in_memory(connection):
        name = Path(connection.settings_dict["NAME"])
        if not name.exists() or name.stat().st_size == 0:
            return {}
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        found = {}
        for label in CONTENT_MODELS:
            table = apps.get_model(label)._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                if n := int(cursor.fetchone()[0]):
                    found[label] = n
    return found


def lake_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()) if root.exists() else []


def _sqlite_in_memory(connection: BaseDatabaseWrapper) -> bool:
    return bool(connection.is_in_memory_db()) if hasattr(connection, "is_in_memory_db") else False


def _how_to_empty(connection: BaseDatabaseWrapper) -> tuple[str, str]:
    if connection.vendor == "sqlite":
        return ("Tukšu instanci iegūst, ja DATABASE_URL norāda uz jaunu SQLite failu (vai esošo failu pārvieto) un "
                "IKMS_LAKE_DIR uz jaunu vai tukšu mapi.",
                "For an empty instance point DATABASE_URL at a new SQLite file (or move the current one away) and "
                "IKMS_LAKE_DIR at a new or empty folder.")
    return ("Tukšu instanci iegūst, izveidojot jaunu datubāzi (createdb), uz kuru norāda DATABASE_URL, un "
            "IKMS_LAKE_DIR norādot uz jaunu vai tukšu mapi.",
            "For an empty instance create a new database (createdb), point DATABASE_URL at it, and point "
            "IKMS_LAKE_DIR at a new or empty folder.")


def check_target(manifest: dict[str, Any], connection: BaseDatabaseWrapper, lake: Path) -> None:
    """Refuse a restore that would overwrite data or that this code cannot use."""
    vendor = manifest["database"].get("vendor")
    if vendor != connection.vendor:
        raise _refuse(f"Arhīvā ir {vendor} datubāze, bet konfigurētā datubāze ir {connection.vendor}.",
                      f"The archive holds a {vendor} database, but the configured database is {connection.vendor}.")
    if unknown := sorted(set(manifest.get("migrations", [])) - _disk_migrations()):
        raise _refuse(f"Arhīvu izveidoja jaunāka IKMS versija ({manifest.get('app_version')}): šim kodam nav "
                      f"migrāciju {', '.join(unknown[:5])}. Atjaunojiet ar to pašu vai jaunāku versiju.",
                      f"The archive was made by a newer IKMS version ({manifest.get('app_version')}): this code "
                      f"lacks migrations {', '.join(unknown[:5])}. Restore with the same or a newer version.")
    lv_how, en_how = _how_to_empty(connection)
    if content := database_content(connection):
        lv = ", ".join(f"{n} {CONTENT_MODELS[label][0]}" for label, n in content.items())
        en = ", ".join(f"{n} {CONTENT_MODELS[label][1]}" for label, n in content.items())
        raise _refuse(f"Atjaunot var tikai tukšā instancē, bet datubāzē jau ir dati ({lv}). {lv_how}",
                      f"A backup is restored only into an empty instance, but the database holds data ({en}). "
                      f"{en_how}")
    if files := lake_files(lake):
        raise _refuse(f"Atjaunot var tikai tukšā instancē, bet datu ezera mapē {lake} ir {len(files)} faili. {lv_how}",
                      f"A backup is restored only into an empty instance, but the lake folder {lake} holds "
                      f"{len(files)} files. {en_how}")
    if connection.vendor == "sqlite" and _sqlite_in_memory(connection):
        raise _refuse("Konfigurētā SQLite datubāze ir atmiņā; atjaunot var tikai datubāzes failā.",
                      "The configured SQLite database is in memory; a restore needs a database file.")
    if connection.vendor == "postgresql":
        pg_tool("pg_restore")
        with connection.cursor() as cursor:
            # The shared cache's table (ADR 0021) holds nothing to restore; `migrate` makes it in a new instance.
            extra = sorted(set(connection.introspection.table_names(cursor)) - set(manifest["database"]["tables"])
                           - _cache_tables())
        if extra:
            raise _refuse(f"Datubāzē ir tabulas, kuru rezerves kopijā nav ({', '.join(extra[:5])}). {lv_how}",
                          f"The database has tables the backup does not ({', '.join(extra[:5])}). {en_how}")


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    lake_files: int
    tables: int
    pending_migrations: list[str] = field(default_factory=list)


def _extract(archive: Path, manifest: dict[str, Any], db_target: Path, lake_target: Path) -> None:
    """Second pass: write every member to its temporary place, checking each checksum again (the
    archive must not have changed since it was verified)."""
    expected = manifest["members"]
    written = set()
    try:
        for member, fh in _members(archive):
            assert fh is not None
            if member.name == MANIFEST:
                continue
            if member.name == manifest["database"]["member"]:
                target = db_target
            else:
                target = lake_target / member.name[len(LAKE_PREFIX):]
                target.parent.mkdir(parents=True, exist_ok=True)
            sha = hashlib.sha256()
            with target.open("xb") as out:
                while chunk := fh.read(CHUNK):
                    sha.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if sha.hexdigest() != expected.get(member.name, {}).get("sha256"):
                raise _refuse(f"Arhīvs mainījās atjaunošanas laikā („{member.name}”).",
                              f"The archive changed during the restore (“{member.name}”).")
            written.add(member.name)
    except BackupError:
        raise
    except _READ_ERRORS as exc:
        raise _refuse(f"Arhīvu nevar nolasīt: {exc}.", f"The archive cannot be read: {exc}.") from None
    if written != set(expected):
        raise _refuse("Arhīvs mainījās atjaunošanas laikā.", "The archive changed during the restore.")
    for folder, dirs, _files in os.walk(lake_target):
        for d in dirs:
            _fsync_dir(Path(folder) / d)
    if lake_target.exists():
        _fsync_dir(lake_target)


def _cache_tables() -> set[str]:
    """The shared cache's tables (ADR 0021): passing data, not compared between a backup and its restore."""
    return {t for t in (getattr(caches[alias], "_table", None) for alias in settings.CACHES) if t}


def _check_counts(counts: dict[str, int], expected: dict[str, int]) -> None:
    skip = _cache_tables()
    counts = {t: n for t, n in counts.items() if t not in skip}
    expected = {t: n for t, n in expected.items() if t not in skip}
    if counts != expected:
        diff = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(f"Datubāzes rindu skaits nesakrīt ar manifestu (tabulas {', '.join(diff[:5])}). / "
                          f"The database's row counts differ from the manifest (tables {', '.join(diff[:5])}).")


def _sqlite_counts(path: Path) -> dict[str, int]:
    copy = sqlite3.connect(path)
    try:
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise _refuse("Arhīva SQLite datubāze ir bojāta.", "The archive's SQLite database is damaged.")
        cursor = copy.cursor()
        tables = sorted(r[0] for r in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        return _count_rows(cursor, lambda t: '"' + t.replace('"', '""') + '"', tables)
    finally:
        copy.close()


def _replace_sqlite(connection: BaseDatabaseWrapper, db_tmp: Path) -> None:
    """Put the checked copy in place of the configured (empty) database file."""
    name = Path(connection.settings_dict["NAME"]).absolute()
    connection.close()
    for suffix in ("-wal", "-shm", "-journal"):  # of the empty database being replaced
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    os.replace(db_tmp, name)
    _fsync_dir(name.parent)


def _pg_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """pg_restore in one transaction (all or nothing), objects owned by the configured user; objects
    of the dump that an empty, migrated database already has are dropped first (--clean)."""
    cmd, env = _pg_command("pg_restore", connection.settings_dict,
                           ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                            "--exit-on-error", str(dump)], dbname_flag=True)
    connection.close()
    _run(cmd, env, "pg_restore")


def _pg_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        return _count_rows(cursor, connection.ops.quote_name, tables)


def _disk_migrations() -> set[str]:
    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


NOTHING_WRITTEN = "Nekas netika ierakstīts. / Nothing was written."


def restore_backup(archive: Path, *, connection: BaseDatabaseWrapper, lake: Path | None = None) -> RestoreResult:
    """Verify `archive` completely, check the instance is empty, then put the database and the lake
    in place. A refusal or failure before the database is in place leaves the instance as it was
    (its message then ends in NOTHING_WRITTEN)."""
    lake = (lake or lake_root()).absolute()
    archive = archive.absolute()
    written = False
    work: Path | None = None
    lake_tmp: Path | None = None
    db_tmp: Path | None = None
    try:
        manifest = verify_archive(archive)
        check_target(manifest, connection, lake)
        lake.parent.mkdir(parents=True, exist_ok=True)
        lake_tmp = lake.parent / f"{TMP_PREFIX}restore-{lake.name}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        if connection.vendor == "sqlite":
            name = Path(connection.settings_dict["NAME"]).absolute()
            name.parent.mkdir(parents=True, exist_ok=True)
            db_tmp = name.parent / f"{TMP_PREFIX}restore-{name.name}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        else:
            work = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}restore-db-", dir=lake.parent))
            db_tmp = work / "db.pgdump"
        lake_tmp.mkdir()
        _extract(archive, manifest, db_tmp, lake_tmp)
        if connection.vendor == "sqlite":
            _check_counts(_sqlite_counts(db_tmp), manifest["database"]["tables"])
            _replace_sqlite(connection, db_tmp)
            written = True
        else:
            _pg_restore(connection, db_tmp)
            written = True
            _check_counts(_pg_counts(connection), manifest["database"]["tables"])
        if lake.exists():
            shutil.rmtree(lake)  # checked above: no files, at most empty folders
        os.replace(lake_tmp, lake)
        _fsync_dir(lake.parent)
    except BackupError as exc:
        if written:
            raise
        raise BackupError(f"{exc}\n{NOTHING_WRITTEN}") from None
    finally:
        if lake_tmp is not None:
            shutil.rmtree(lake_tmp, ignore_errors=True)
        if db_tmp is not None:
            db_tmp.unlink(missing_ok=True)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return RestoreResult(manifest=manifest,
                         lake_files=sum(1 for n in manifest["members"] if n.startswith(LAKE_PREFIX)),
                         tables=len(manifest["database"]["tables"]),
                         pending_migrations=sorted(_disk_migrations() - set(manifest.get("migrations", []))))
