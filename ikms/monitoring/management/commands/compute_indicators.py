"""`python manage.py compute_indicators --year 2023/2024`: every indicator and risk flag at institution,
municipality and national level, stored with the specification version and the data snapshot."""

from django.core.management.base import BaseCommand, CommandError

from ikms.monitoring.services import indicators_compute


class Command(BaseCommand):
    help = "Compute indicators and risk flags for a school year (DuckDB by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", required=True, help="School year, e.g. 2023/2024")
        parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
        parser.add_argument("--institution", action="append", default=[],
                            help="Recompute only this institution (registration number); repeatable")

    def handle(self, *args, year: str, engine: str, institution: list[str], **options) -> None:
        parts = year.split("/")
        if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts) or int(parts[1]) != int(parts[0]) + 1:
            raise CommandError(f"“{year}” is not a school year like 2023/2024. / "
                               f"“{year}” nav mācību gads formā 2023/2024.")
        try:
            run = indicators_compute(school_year=year, engine=engine, institutions=institution or None)
        except FileNotFoundError as exc:
            raise CommandError(f"The data lake has no data for {year}: {exc}. / "
                               f"Datu ezerā nav datu par {year}: {exc}.") from exc
        self.stdout.write(self.style.SUCCESS(
            f"{year}: {run.value_count} values, {run.flag_count} risk flags in {run.duration_s:.1f} s "
            f"(spec {run.catalogue_version[:12]}, engine {engine})"))
