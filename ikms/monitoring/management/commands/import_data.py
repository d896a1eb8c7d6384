"""`python manage.py import_data SOURCE FILE --year 2023/2024`: a validated import into the data lake.

SOURCE is a lake dataset (learners, enrolments, absences, …; see docs/data/imports.md), or
`viis_register` for an export of the VIIS institution register (delegated to
ikms.registry.viis.import_viis_register, which takes register decisions as `--actor`).

Every row is checked before anything is written; with any error nothing is written, the row-level
report (Latvian and English, personal codes masked) is printed, written to `--report PATH` as CSV
when asked, and the command exits non-zero."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.imports import SOURCES, import_file
from analytics.imports.lake import remove_stale_tmp_all
from analytics.imports.report import ImportReport
from ikms.core.checks import DEVELOPMENT_PSEUDONYM_KEY
from ikms.core.exceptions import ApplicationError
from ikms.core.school_year import school_year_arg
from ikms.monitoring import tasks
from ikms.registry import viis, viis_programmes
from ikms.registry.choices import InstitutionStatus, LicenceStatus
from ikms.registry.models import Institution, Municipality, Programme

VIIS_SOURCE = "viis_register"
VIIS_PROGRAMMES_SOURCE = "viis_programmes"
#: The key config/django/base.py falls back to; acceptable only in development and tests.
DEVELOPMENT_KEY = DEVELOPMENT_PSEUDONYM_KEY


def lake_dir() -> Path:
    return Path(getattr(settings, "IKMS_LAKE_DIR", settings.BASE_DIR / "var" / "lake"))


def _is_production() -> bool:
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "") or getattr(settings, "SETTINGS_MODULE", "") or ""
    return not settings.DEBUG and module.endswith("production")


def pseudonym_key() -> bytes:
    """The key of the keyed hash that replaces personal codes: settings.IKMS_PSEUDONYM_KEY or the
    IKMS_PSEUDONYM_KEY environment variable. Production requires a real key; development and tests
    may use the fixed development key."""
    key = getattr(settings, "IKMS_PSEUDONYM_KEY", None) or os.environ.get("IKMS_PSEUDONYM_KEY")
    if _is_production() and (not key or key == DEVELOPMENT_KEY):
        raise CommandError("IKMS_PSEUDONYM_KEY is not set; in production it is required. / "
                           "Nav iestatīts IKMS_PSEUDONYM_KEY; produkcijas vidē tas ir obligāts.")
    return str(key or DEVELOPMENT_KEY).encode("utf-8")


def known_registers() -> tuple[set[str], set[str]]:
    """Registration numbers of registered (or since liquidated) institutions, and codes of programmes
    licensed now or earlier (lapsed), from the web database."""
    institutions = set(Institution.objects.filter(
        status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED]).values_list(
        "registration_number", flat=True))
    programmes = set(Programme.objects.filter(
        status__in=[LicenceStatus.LICENSED, LicenceStatus.LAPSED]).values_list("code", flat=True))
    return institutions, programmes


def known_names() -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    """(registration number, name, municipality code) of the institutions known_registers() knows, and each
    municipality's names, for files that name their institutions (analytics/imports/names.py)."""
    institutions = list(Institution.objects.filter(
        status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED]).values_list(
        "registration_number", "name", "municipality__code"))
    municipalities = {code: [lv, en] for code, lv, en in Municipality.objects.values_list("code", "name_lv", "name_en")}
    return institutions, municipalities


class Command(BaseCommand):
    help = "Validate and import a data file into the lake (or a VIIS register export into the register)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=[*SOURCES, VIIS_SOURCE, VIIS_PROGRAMMES_SOURCE],
                            help="Data source (lake dataset)")
        parser.add_argument("file", type=Path, help="CSV, XLSX or Parquet file")
        parser.add_argument("--year", type=school_year_arg,
                            help="School year, e.g. 2023/2024 (required for lake sources)")
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None,
                            help="Date the data describe, YYYY-MM-DD (default: today)")
        parser.add_argument("--report", type=Path, default=None,
                            help="Write the row-level error report to this CSV file")
        parser.add_argument("--max-errors", type=int, default=1000, help="Errors listed at most (all are counted)")
        parser.add_argument("--progress", action="store_true", help="Show a progress bar")
        parser.add_argument("--actor", help="viis_register: username of the officer taking the register decisions")
        parser.add_argument("--dry-run", action="store_true", help="viis_register: validate and count only")
        parser.add_argument("--covers", default="rows",
                            help="Which institutions the file reports for: rows (those with rows in it; default), "
                                 "all (a complete national extract: an institution without rows had nothing to "
                                 "report) or comma-separated registration numbers")
        parser.add_argument("--recompute", action="store_true",
                            help="After a successful import, recompute the indicators of the institutions in the "
                                 "file (a background task), not the whole country")

    def handle(self, *args: object, source: str, file: Path, year: str | None, as_of: datetime.date | None,
               report: Path | None, max_errors: int, progress: bool, actor: str | None, dry_run: bool,
               recompute: bool = False, covers: str = "rows", **options: object) -> None:
        remove_stale_tmp_all(lake_dir())  # temp files of imports killed earlier, in any dataset
        if source in (VIIS_SOURCE, VIIS_PROGRAMMES_SOURCE):
            self._register_import(source, file, actor=actor, as_of=as_of, dry_run=dry_run)
            return
        if not year:
            raise CommandError("--year is required, e.g. --year 2023/2024. / "
                               "Jānorāda --year, piemēram, --year 2023/2024.")
        institutions, programmes = known_registers()
        names, municipalities = known_names()
        result = import_file(source, file, lake_root=lake_dir(), school_year=year,
                             institution_names=names, municipality_names=municipalities,
                             known_institutions=institutions, known_programmes=programmes,
                             pseudonym_key=pseudonym_key(), progress=progress,
                             as_of=as_of, max_errors=max_errors,
                             covers=covers if covers in ("rows", "all") else
                             [c.strip() for c in covers.split(",") if c.strip()])
        self._print(result, report)
        if recompute and result.status == "imported" and result.part:
            self._recompute(year, lake_dir() / result.part)

    def _recompute(self, year: str, part: Path) -> None:
        """Enqueue the recomputation of the institutions the imported part holds."""
        import duckdb


        con = duckdb.connect()
        columns = [c[0] for c in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(part)]).fetchall()]
        if "institution" not in columns:
            return
        institutions = sorted(r[0] for r in con.execute(
            "SELECT DISTINCT institution FROM read_parquet(?)", [str(part)]).fetchall())
        tasks.recompute_indicators.enqueue(year, institutions)
        self.stdout.write(f"Pārrēķins ieplānots / recomputation queued: {len(institutions)} iestādes / institutions")

    def _print(self, result: ImportReport, report_path: Path | None) -> None:
        if report_path is not None and (result.errors or result.warnings):
            result.to_csv(report_path)
        if result.status == "rejected":
            for line in result.summary_lines(max_issues=200):
                self.stderr.write(line)
            where = (f" Ziņojums / report: {report_path}." if report_path is not None else "")
            raise CommandError(
                f"Fails netika importēts: {result.error_count} kļūdas; nekas netika ierakstīts. / "
                f"The file was not imported: {result.error_count} errors; nothing was written.{where}")
        for line in result.summary_lines():
            self.stdout.write(line)
        if result.status == "imported":
            self.stdout.write(self.style.SUCCESS(
                f"{result.source}: {result.rows} rindas importētas / rows imported ({result.duration_s:.1f} s)"))
        else:
            self.stdout.write(self.style.WARNING(
                f"{result.source}: fails jau importēts / file already imported — nekas netika mainīts / "
                "nothing changed"))

    def _register_import(self, source: str, file: Path, *, actor: str | None, as_of: datetime.date | None,
                         dry_run: bool) -> None:
        """A VIIS register export (institutions or licensed programmes) into the registers, as decisions
        taken by the officer `actor` (ikms.registry.viis / viis_programmes)."""
        importer, what_en, what_lv = {
            VIIS_SOURCE: (viis.import_viis_register, "The VIIS file", "VIIS fails"),
            VIIS_PROGRAMMES_SOURCE: (viis_programmes.import_viis_programmes, "The VIIS programme file",
                                     "VIIS programmu fails"),
        }[source]
        if not actor:
            raise CommandError(f"{source} needs --actor USERNAME (the officer taking the register decisions). / "
                               f"{source} prasa --actor LIETOTĀJVĀRDS (amatpersona, kas pieņem lēmumus).")
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"No user “{actor}”. / Lietotājs „{actor}” nav atrasts.")
        kwargs: dict[str, object] = {"actor": user}
        if as_of is not None:
            kwargs["as_of"] = as_of
        if dry_run:
            kwargs["dry_run"] = True
        try:
            result = importer(file, **kwargs)
        except ApplicationError as exc:
            report = getattr(exc, "report", None)
            for line in _summary(report) if report is not None else [str(exc)]:
                self.stderr.write(line)
            raise CommandError(f"{what_en} was not imported; nothing was written. / "
                               f"{what_lv} netika importēts; nekas netika ierakstīts.") from exc
        for line in _summary(result):
            self.stdout.write(line)


def _summary(report: object) -> list[str]:
    lines = getattr(report, "summary_lines", None)
    return list(lines()) if callable(lines) else [str(report)]
