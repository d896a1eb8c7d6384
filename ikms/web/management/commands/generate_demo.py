"""`python manage.py generate_demo --scale 1`: the deterministic national demo data set.

Steps run in order, each in its own app's `demo` module, so later issues add steps (record-level
monitoring data, accreditation cases) without touching the ones before. The command is in ikms.web, the top
layer, because it drives every app (ADR 0018)."""

import random
import time
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from analytics.lake.schemas import SCHOOL_YEARS
from analytics.synth import generate_lake
from ikms.accounts import demo as accounts_demo
from ikms.accreditation import demo as accreditation_demo
from ikms.attendance import demo as attendance_demo
from ikms.childcare import demo as childcare_demo
from ikms.complaints import demo as complaints_demo
from ikms.convictions import demo as convictions_demo
from ikms.courses import demo as courses_demo
from ikms.crosschecks import demo as crosschecks_demo
from ikms.inspections import demo as inspections_demo
from ikms.licensing import demo as licensing_demo
from ikms.monitoring.lake import institutions_frame, size_source
from ikms.monitoring.network_demo import demo_capacities
from ikms.monitoring.services import indicators_compute, visit_plan_propose
from ikms.monitoring.tasks import warming_deferred
from ikms.practice import demo as practice_demo
from ikms.psychologists import demo as psychologists_demo
from ikms.registry import demo as registry_demo
from ikms.registry.models import Institution
from ikms.registry.signals import register_changes_batched
from ikms.registry.tasks import notifications_suppressed
from ikms.reports import demo as reports_demo
from ikms.statements import demo as statements_demo

DEFAULT_SEED = 20240101


class Command(BaseCommand):
    help = "Generate deterministic demo data (registers, users) at a scale (1 = Latvia)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale (about 1,400 institutions)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the register already has data")
        parser.add_argument("--lake-scale", type=float, default=None,
                            help="Scale of the record-level lake (default: --scale); 1 = about 100 M rows a year")
        parser.add_argument("--no-lake", action="store_true", help="Only the registers: no lake, no indicators")

    def handle(self, *args, scale: float, seed: int, if_empty: bool, lake_scale: float | None, no_lake: bool,
               **options) -> None:
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
        with transaction.atomic(), notifications_suppressed(), register_changes_batched():
            staff = accounts_demo.create_staff()
            summary = registry_demo.generate(rng=rng, scale=scale, officer=staff["registrs"],
                                             quality_expert=staff["kvalitate"])
            registry_demo.create_scoped_accounts()
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        if not no_lake:
            self._lake(lake_scale if lake_scale is not None else scale, seed)
            self._capacities(seed, staff["registrs"])
        self._accreditation(rng, scale, staff["kvalitate"])
        self._complaints(rng, scale, staff["inspektors"])
        self._inspections(rng, staff["inspektors"])  # after complaints: an open inspection follows up one
        self._licensing(rng, staff["registrs"])
        if not no_lake:
            self._attendance(seed)
            # the complaints reach the lake (each computation writes them again, unchanged), then every year is
            # computed, complaints per 1,000 learners and R7 included
            call_command("lake_export_complaints", stdout=self.stdout)
            self._compute()
            self._reports()
        self._psychologists(rng, scale, staff["registrs"])
        self._convictions(rng, staff["sekretare"], staff["komisija"])
        self._childcare_and_practice(seed, scale, staff["registrs"])
        self._courses(seed, staff["kvalitate"])
        self._crosschecks(seed, scale, staff["inspektors"])
        if not no_lake:
            self._statements(staff["registrs"])
        self._international()
        if not no_lake:
            self._visit_plan(seed, staff["inspektors"])
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data generated (scale {scale}, seed {seed}) in {elapsed:.1f} s"))

    def _accreditation(self, rng, scale: float, ikvd) -> None:
        """Accreditation cases and tasks, after the lake so that low levels follow its latent quality."""
        started = time.perf_counter()
        with transaction.atomic(), notifications_suppressed(), register_changes_batched():
            summary = accreditation_demo.generate(rng=rng, scale=scale, ikvd=ikvd,
                                                  latent_path=settings.IKMS_LATENT_PATH)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  accreditation in {time.perf_counter() - started:.1f} s")

    def _inspections(self, rng, inspector) -> None:
        """Inspections: the 2023–2024 counts of the annual report and the inspector's open work."""
        started = time.perf_counter()
        with transaction.atomic(), notifications_suppressed(), register_changes_batched():
            summary = inspections_demo.generate(rng=rng, inspector=inspector)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  inspections in {time.perf_counter() - started:.1f} s")

    def _licensing(self, rng, officer) -> None:
        """Open licensing applications in every state, for the registry officer's work queue."""
        started = time.perf_counter()
        with transaction.atomic(), notifications_suppressed():
            summary = licensing_demo.generate(rng=rng, officer=officer)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  licensing in {time.perf_counter() - started:.1f} s")
    def _childcare_and_practice(self, seed: int, scale: float, officer) -> None:
        """The registers of child supervision providers and of teacher private-practice certificates (issue 14), each
        with a random stream of its own, so the steps before keep theirs."""
        started = time.perf_counter()
        with transaction.atomic():
            summary = {**childcare_demo.generate(rng=random.Random(seed + 4), scale=scale, officer=officer),
                       **practice_demo.generate(rng=random.Random(seed + 5), scale=scale, officer=officer)}
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  child supervision providers and private-practice certificates in "
                          f"{time.perf_counter() - started:.1f} s")

    def _courses(self, seed: int, ikvd) -> None:
        """IKVD's courses and events of 2024 with attendance and certificates, and two to come (issue 14 item 7);
        after accreditation, whose demo experts complete some of them. A random stream of its own."""
        started = time.perf_counter()
        with transaction.atomic():
            summary = courses_demo.generate(rng=random.Random(seed + 6), ikvd=ikvd)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  courses in {time.perf_counter() - started:.1f} s")

    def _crosschecks(self, seed: int, scale: float, inspector) -> None:
        """The 2024 adult-education offer lists imported and checked line by line (their totals are the offer-list
        programme checks of the calibration), then one run of the cross-register checks."""
        started = time.perf_counter()
        with transaction.atomic(), notifications_suppressed():
            summary = crosschecks_demo.generate(rng=random.Random(seed + 9), scale=scale, inspector=inspector)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  cross-register checks in {time.perf_counter() - started:.1f} s")

    def _attendance(self, seed: int) -> None:
        """The long-term absence hand-off cases of the latest school year, from the lake's records (issue 15 item
        8). A random stream of its own."""
        started = time.perf_counter()
        with transaction.atomic():
            summary = attendance_demo.generate(rng=random.Random(seed + 15), school_year=SCHOOL_YEARS[-1])
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  absence hand-off cases in {time.perf_counter() - started:.1f} s")

    def _complaints(self, rng, scale: float, inspector) -> None:
        """Complaints, consultations and survey answers (supervision), and the topic classifier they suggest with."""
        started = time.perf_counter()
        with transaction.atomic(), notifications_suppressed():
            summary = complaints_demo.generate(rng=rng, scale=scale, inspector=inspector)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  complaints in {time.perf_counter() - started:.1f} s")
        call_command("train_complaint_topics", if_missing=True, stdout=self.stdout)

    def _psychologists(self, rng, scale: float, officer) -> None:
        """The register of psychologists and the certification board's work (the 2024 figures at every scale)."""
        started = time.perf_counter()
        with transaction.atomic():
            summary = psychologists_demo.generate(rng=rng, scale=scale, officer=officer)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  psychologists in {time.perf_counter() - started:.1f} s")
    def _convictions(self, rng, secretary, member) -> None:
        """The spent-conviction commission's applications, meetings and decisions (the 2024 figures exactly)."""
        started = time.perf_counter()
        with transaction.atomic():
            summary = convictions_demo.generate(rng=rng, secretary=secretary, member=member)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  convictions in {time.perf_counter() - started:.1f} s")

    def _lake(self, scale: float, seed: int) -> None:
        """Write the record-level lake for three school years (computed by `_compute` once every app's demo data,
        the complaints among them, are written)."""
        started = time.perf_counter()
        counts = generate_lake(institutions_frame(), settings.IKMS_LAKE_DIR, scale=scale, seed=seed,
                               years=SCHOOL_YEARS, size_source=size_source(), latent_path=settings.IKMS_LATENT_PATH,
                               progress=False, named_persons=statements_demo.lake_codes(),
                               pseudonym_key=str(settings.IKMS_PSEUDONYM_KEY).encode("utf-8"))
        rows = sum(n for per_year in counts.values() for n in (per_year.values() if isinstance(per_year, dict)
                                                                 else [per_year]))
        self.stdout.write(f"  lake: {rows:,} rows (scale {scale}) in {time.perf_counter() - started:.1f} s")

    def _capacities(self, seed: int, officer) -> None:
        """Design capacities of the general education institutions, from the lake's learners (issue 15 item 1)."""
        started = time.perf_counter()
        with notifications_suppressed(), register_changes_batched():
            n = demo_capacities(lake_root=settings.IKMS_LAKE_DIR, seed=seed, officer=officer)
        self.stdout.write(f"  capacities: {n} in {time.perf_counter() - started:.1f} s")
    def _reports(self) -> None:
        """A municipality's published report narratives, for the years just computed (issue 16)."""
        started = time.perf_counter()
        summary = reports_demo.generate()
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value} in {time.perf_counter() - started:.2f} s")

    def _international(self) -> None:
        """International study results for the general overview (issue 15 item 7): the demo file's rows are
        demonstration values (source "IKMS demo data"), not published figures."""
        from ikms.monitoring.international import DEMO_FILE, import_international_results

        started = time.perf_counter()
        report = import_international_results(DEMO_FILE)
        self.stdout.write(f"  international study results (demo values): {report.written} in "
                          f"{time.perf_counter() - started:.1f} s")

    def _visit_plan(self, seed: int, inspector) -> None:
        """A proposed 2025/2026 visit plan under capacity (issue 17 item 3), from the 2024/2025 risk data: 240
        expert-days (about sixty visits), a tenth drawn at random with the demo's seed, left as a draft."""
        started = time.perf_counter()
        plan = visit_plan_propose(actor=inspector, year="2025/2026", capacity=240, random_share=Decimal("0.1"),
                                  seed=seed)
        self.stdout.write(f"  visit plan 2025/2026: {plan.entries.count()} visits proposed in "
                          f"{time.perf_counter() - started:.1f} s")

    def _statements(self, officer) -> None:
        """Other authorities' requests for statements of education history about the named demo persons the lake
        knows by their demo personal codes (and one it does not know), most of them issued (issue 14 item 8)."""
        started = time.perf_counter()
        with transaction.atomic():
            summary = statements_demo.generate(officer=officer)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  statements in {time.perf_counter() - started:.1f} s")

    def _compute(self) -> None:
        """Compute every indicator and risk flag of the three school years."""
        with warming_deferred():  # the result pages are warmed once, for the three years' results
            for year in SCHOOL_YEARS:
                run = indicators_compute(school_year=year)
                self.stdout.write(f"  indicators {year}: {run.value_count:,} values, {run.flag_count:,} risk flags "
                                  f"in {run.duration_s:.1f} s")
            computed = time.perf_counter()
        if settings.IKMS_WARM_RESULT_PAGES:
            self.stdout.write(f"  result pages cached in {time.perf_counter() - computed:.1f} s")
