"""`python manage.py risk_model_train`: train the school risk score on the lake's school years, back-test it on
the held-out later years, write the model file (settings.IKMS_RISK_MODEL) and store its version and back-test."""

from django.core.management.base import BaseCommand, CommandError

from ikms.core.exceptions import ApplicationError
from ikms.monitoring.services import risk_model_train


class Command(BaseCommand):
    help = "Train and back-test the school risk score (the web never trains)."

    def handle(self, *args, **options) -> None:
        try:
            version = risk_model_train()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        score = version.backtest["rankings"]["score"]["top10"]
        rules = version.backtest["rankings"]["rules"]["top10"]
        self.stdout.write(self.style.SUCCESS(
            f"risk model {version.version}: trained on {', '.join(version.training_years)}; held out "
            f"{', '.join(version.backtest['held_out_years'])}: top 10 % recall {score['recall']} "
            f"{score['recall_ci']} (rule count {rules['recall']})"))
