"""`python manage.py risk_scores_compute --year 2024/2025`: score every institution of a school year with the
trained risk model (`risk_model_train`) and store the scores with their factor contributions."""

from django.core.management.base import BaseCommand, CommandError

from ikms.core.exceptions import ApplicationError
from ikms.core.school_year import school_year_arg
from ikms.monitoring.services import risk_scores_compute


class Command(BaseCommand):
    help = "Compute the school risk scores of a school year with the trained model."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", required=True, type=school_year_arg, help="School year, e.g. 2024/2025")

    def handle(self, *args, year: str, **options) -> None:
        try:
            scored = risk_scores_compute(school_year=year)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"{year}: {scored} institutions scored"))
