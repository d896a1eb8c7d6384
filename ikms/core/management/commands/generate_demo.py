"""`python manage.py generate_demo --scale 1`: the deterministic national demo data set.

Steps run in order, each in its own app's `demo` module, so later issues add steps (record-level
monitoring data, accreditation cases) without touching the ones before."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ikms.accounts import demo as accounts_demo
from ikms.registry import demo as registry_demo
from ikms.registry.models import Institution

DEFAULT_SEED = 20240101


class Command(BaseCommand):
    help = "Generate deterministic demo data (registers, users) at a scale (1 = Latvia)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale (about 1,400 institutions)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the register already has data")

    def handle(self, *args, scale: float, seed: int, if_empty: bool, **options) -> None:
        if scale <= 0 or scale > 10:
            raise CommandError("--scale must be in (0, 10] / --scale jābūt robežās (0, 10]")
        if Institution.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already present; nothing to do. / Demo dati jau ir.")
                return
            raise CommandError("The database already holds register data; use a fresh database. / "
                               "Datubāzē jau ir reģistra dati; izmantojiet tukšu datubāzi.")
        rng = random.Random(seed)
        started = time.perf_counter()
        with transaction.atomic():
            staff = accounts_demo.create_staff()
            summary = registry_demo.generate(rng=rng, scale=scale, officer=staff["registrs"],
                                             quality_expert=staff["kvalitate"])
            accounts_demo.create_scoped()
        elapsed = time.perf_counter() - started
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(self.style.SUCCESS(f"Demo data generated (scale {scale}, seed {seed}) in {elapsed:.1f} s"))
