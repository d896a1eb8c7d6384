"""`python manage.py restore ARCHIVE`: put a backup made by `manage.py backup` into an empty instance.

Every member's SHA-256 is checked before anything is written; a damaged, truncated or foreign
archive is refused. The instance must be empty (no users, institutions, decisions, … in the
database and no files in IKMS_LAKE_DIR): a restore never overwrites data. SQLite: the database
file is put in place of the configured NAME; PostgreSQL: pg_restore into the configured database
in one transaction. The lake is extracted beside IKMS_LAKE_DIR and renamed into place.
`--verify-only` checks an archive and writes nothing. See docs/howto/backup-and-restore.md."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from ikms.core.backup import BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = "Restore a backup archive into an empty instance (database and data lake), after checking every checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="Archive written by `manage.py backup`")
        parser.add_argument("--verify-only", action="store_true",
                            help="Only check the archive's checksums; write nothing")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)")

    def handle(self, *args: object, archive: Path, verify_only: bool, database: str, **options: object) -> None:
        try:
            if verify_only:
                manifest = verify_archive(archive.absolute())
                self._describe(manifest)
                self.stdout.write(self.style.SUCCESS(
                    f"Arhīvs ir vesels: {len(manifest['members'])} daļu kontrolsummas sakrīt. / "
                    f"The archive is intact: the checksums of {len(manifest['members'])} members match."))
                return
            result = restore_backup(archive, connection=connections[database])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self._describe(result.manifest)
        self.stdout.write(self.style.SUCCESS(
            f"Atjaunots / Restored: {result.tables} tabulas / tables, {result.lake_files} datu ezera faili / "
            "lake files"))
        if result.pending_migrations:
            self.stdout.write(self.style.WARNING(
                f"Šim kodam ir {len(result.pending_migrations)} jaunas migrācijas: palaidiet "
                "`python manage.py migrate`. / "
                f"This code has {len(result.pending_migrations)} newer migrations: run `python manage.py migrate`."))

    def _describe(self, manifest: dict) -> None:
        self.stdout.write(f"  izveidots / created: {manifest.get('created_at')}, versija / version: "
                          f"{manifest.get('app_version')}, datubāze / database: {manifest['database'].get('vendor')}")
