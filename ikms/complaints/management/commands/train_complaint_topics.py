"""`python manage.py train_complaint_topics`: train the offline topic classifier on the synthetic complaints and
save it to settings.IKMS_COMPLAINT_TOPIC_MODEL, where the complaint page reads its suggestions (never at import)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from analytics.complaints.topics import save, train
from analytics.synth.complaints import generate_complaints

TRAINING_TEXTS = 3000


class Command(BaseCommand):
    help = "Train the complaint topic classifier (synthetic texts, offline) and save it for the complaint pages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--n", type=int, default=TRAINING_TEXTS, help="synthetic training texts")
        parser.add_argument("--if-missing", action="store_true", help="do nothing when a model is saved already")

    def handle(self, *args, n: int, if_missing: bool, **options) -> None:
        path = Path(settings.IKMS_COMPLAINT_TOPIC_MODEL)
        if if_missing and path.exists():
            self.stdout.write(f"  complaint topic model already at {path}")
            return
        started = time.perf_counter()
        save(train(generate_complaints(n)), path)
        self.stdout.write(f"  complaint topic model trained on {n} texts in {time.perf_counter() - started:.1f} s")
