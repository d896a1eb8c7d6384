"""`python manage.py backup ARCHIVE`: the web database and the Parquet lake in one archive file.

The archive (``.tar``, ``.tar.gz``/``.tgz``, ``.tar.xz`` or ``.tar.bz2``) holds a consistent copy
of the database (SQLite online backup API, or pg_dump in custom format for PostgreSQL), every lake
file, and a manifest with the SHA-256 of every member, the application version, the date and the
migration state. It is written to a temporary file beside ARCHIVE and renamed when complete.
See docs/howto/backup-and-restore.md."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from ikms.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and the data lake into one archive with SHA-256 checksums (see docs/howto)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="Archive to write: NAME.tar, NAME.tar.gz, NAME.tar.xz, …")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)")

    def handle(self, *args: object, archive: Path, database: str, **options: object) -> None:
        if archive.exists():
            raise CommandError(f"{archive} jau pastāv; rezerves kopija nepārraksta failus. / "
                               f"{archive} already exists; a backup never overwrites a file.")
        try:
            result = create_backup(archive, connection=connections[database])
        except BackupError as exc:
            raise CommandError(f"{exc}\nRezerves kopija netika izveidota. / No backup was written.") from None
        db = result.manifest["database"]
        self.stdout.write(self.style.SUCCESS(
            f"Rezerves kopija izveidota / Backup written: {result.archive} ({result.size / 1e6:.1f} MB)"))
        self.stdout.write(f"  datubāze / database: {db['vendor']}, {len(db['tables'])} tabulas / tables, "
                          f"{sum(db['tables'].values())} rindas / rows")
        self.stdout.write(f"  datu ezers / lake: {result.lake_files} faili / files")
        self.stdout.write(f"  versija / version: {result.manifest['app_version']}, "
                          f"{len(result.manifest['migrations'])} migrācijas / migrations")
