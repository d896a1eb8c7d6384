"""`python manage.py compute_indicators --year 2023/2024`: every indicator and risk flag at institution,
municipality and national level, stored with the specification version and the data snapshot."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from ikms.core.school_year import school_year_arg
from ikms.monitoring.services import NoDataReceivedError, indicators_compute, runs_recover_interrupted


class Command(BaseCommand):
    help = "Compute indicators and risk flags for a school year (DuckDB by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", required=True, type=school_year_arg, help="School year, e.g. 2023/2024")
        parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
        parser.add_argument("--institution", action="append", default=[],
                            help="Recompute only this institution (registration number); repeatable")

    def handle(self, *args, year: str, engine: str, institution: list[str], **options) -> None:
        recovered = runs_recover_interrupted()
        if recovered:
            self.stderr.write(f"{recovered} interrupted run(s) marked failed. / "
                              f"{recovered} pārtraukts(-i) aprēķins(-i) atzīmēts(-i) kā neizdevies(-šies).")
        try:
            run = indicators_compute(school_year=year, engine=engine, institutions=institution or None)
        except NoDataReceivedError as exc:
            with override("lv"):
                lv = exc.text()
            with override("en"):
                en = exc.text()
            raise CommandError(f"{lv} / {en}") from exc
        except FileNotFoundError as exc:
            raise CommandError(f"The data lake has no data for {year}: {exc}. / "
                               f"Datu ezerā nav datu par {year}: {exc}.") from exc
        self.stdout.write(self.style.SUCCESS(
            f"{year}: {run.value_count} values, {run.flag_count} risk flags in {run.duration_s:.1f} s "
            f"(spec {run.catalogue_version[:12]}, engine {engine})"))
        for rule, counts in sorted(run.rule_counts.items()):
            if counts.get("not_evaluated"):
                self.stdout.write(self.style.WARNING(
                    f"  {rule}: {counts['not_evaluated']} iestādes nav novērtētas (dati nav saņemti) / "
                    f"institutions not evaluated (data not received); {counts['evaluated']} novērtētas / evaluated"))
        for skip in run.skipped:
            what = ", ".join(skip.get("datasets") or skip.get("columns") or [skip.get("rule") or ""])
            self.stdout.write(self.style.WARNING(
                f"  {skip['code']}: izlaists / skipped — "
                + {"not_received": "dati nav saņemti / data not received",
                   "missing_columns": "trūkst kolonnu / missing columns",
                   "rule_skipped": "noteikums izlaists / its rule was skipped"}.get(skip["reason"], skip["reason"])
                + (f": {what}" if what else "")))
