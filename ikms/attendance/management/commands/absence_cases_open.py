"""`python manage.py absence_cases_open --year 2024/2025`: open the absence hand-off cases of a school year from the
schools' records the lake holds (idempotent: one case per learner × institution × semester)."""

from django.core.management.base import BaseCommand, CommandError

from ikms.attendance.lake import absence_records
from ikms.attendance.services import cases_open_from_records


class Command(BaseCommand):
    help = "Open the long-term absence hand-off cases of a school year from the lake's records."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", required=True, help="School year, e.g. 2024/2025")

    def handle(self, *args, year: str, **options) -> None:
        try:
            records = absence_records(year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if records is None:
            raise CommandError(
                f"The lake holds no long-term absence records of {year}. / "
                f"Datu ezerā nav {year}. mācību gada ilgstošo kavējumu ierakstu."
            )
        try:
            counts = cases_open_from_records(actor=None, school_year=year, records=records)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for key, value in counts.items():
            self.stdout.write(f"{key}: {value}")
