"""`python manage.py crosschecks_run`: run the cross-register checks and store the findings (for cron)."""

from django.core.management.base import BaseCommand

from ikms.crosschecks import services
from ikms.crosschecks.choices import Check
from ikms.crosschecks.tasks import run_checks_task


class Command(BaseCommand):
    help = "Run the cross-register checks and store their findings. / Izpildīt reģistru savstarpējās pārbaudes."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Enqueue the background task instead of running now / ielikt uzdevumu rindā")

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = run_checks_task.enqueue()
            self.stdout.write(f"enqueued / ielikts rindā: {result.id}")
            return
        run = services.checks_run(actor=None)
        for check in Check:
            self.stdout.write(f"  {check.value}: {run.counts.get(check.value, 0)}")
        self.stdout.write(self.style.SUCCESS(f"Run {run.pk} stored / izpilde saglabāta"))
