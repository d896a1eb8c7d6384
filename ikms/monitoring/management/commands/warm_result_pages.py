"""`python manage.py warm_result_pages`: render the key pages of the current results into the shared cache now (what a
completed computation does by itself; ikms.monitoring.warm), e.g. after the cache was emptied."""

import time

from django.core.management.base import BaseCommand

from ikms.monitoring.warm import warm_result_pages


class Command(BaseCommand):
    help = "Render the national dashboard, the risk list and the municipalities' dashboards into the cache."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        done = warm_result_pages()
        self.stdout.write(f"{sum(done.values())} pages cached in {time.perf_counter() - started:.1f} s "
                          f"(national {done['nation']}, risk list {done['risks']}, "
                          f"municipalities {done['municipality']}). / Lapas saglabātas kešatmiņā.")
