"""Demo design capacities for the school network tool (issue 15 item 1), after the demo lake is written.

The register's institutions of the demo come from a register export, loaded without decisions; their design
capacity is set the same way (as if the export carried it), from the learners the lake holds for the latest
school year times a random spare margin, so that capacity use spreads from about half-empty to full. One
general education institution in ten has none (the pages show "no data" for it). A few capacities are then
changed by recorded amendment decisions, so that the register's history shows the attribute changing as any
other. Its own random stream: nothing else of the demo moves."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import duckdb
from django.db import transaction

from analytics.lake.schemas import SCHOOL_YEARS, partition_dir
from ikms.registry import services
from ikms.registry.choices import AmendmentReason, InstitutionStatus
from ikms.registry.models import Institution

#: Capacity = learners × a margin drawn from this range, rounded to 10 (at least 20).
MARGIN = (1.0, 1.9)
WITHOUT_CAPACITY = 0.1
DECIDED = 5  # capacities changed by a recorded decision
LEGAL_BASIS = "Izglītības likuma 24. pants"


def learners_by_institution(lake_root: Path, school_year: str = SCHOOL_YEARS[-1]) -> dict[str, int]:
    parts = sorted(str(p) for p in (Path(lake_root) / "enrolments" / partition_dir(school_year)).glob("*.parquet"))
    if not parts:
        return {}
    # the learners capacity use counts (basic and secondary levels): the capacity is of the school's premises
    rows = duckdb.connect().execute("SELECT institution, count(DISTINCT learner_id) FROM read_parquet(?) "
                                    "WHERE level IN ('basic', 'secondary') GROUP BY ALL", [parts]).fetchall()
    return {i: int(n) for i, n in rows}


def demo_capacities(*, lake_root: Path, seed: int, officer) -> int:
    """Set the demo institutions' design capacities; returns how many have one."""
    rng = random.Random(f"{seed}-capacity")
    learners = learners_by_institution(lake_root)
    schools = list(Institution.objects.filter(status=InstitutionStatus.REGISTERED, type__kind__code="general",
                                              registration_number__in=list(learners))
                   .order_by("registration_number"))
    changed = []
    for inst in schools:
        if rng.random() < WITHOUT_CAPACITY:
            continue
        inst.capacity = max(20, round(learners[inst.registration_number] * rng.uniform(*MARGIN) / 10) * 10)
        changed.append(inst)
    with transaction.atomic():
        Institution.objects.bulk_update(changed, ["capacity"], batch_size=500)
        day = datetime.date(2025, 6, 1)
        for n, inst in enumerate(rng.sample(changed, min(DECIDED, len(changed))), start=1):
            services.institution_amend(
                actor=officer, institution=inst, reason=AmendmentReason.CAPACITY,
                values={"capacity": inst.capacity + 10 * rng.randint(3, 12)},
                decision=services.DecisionInput(number=f"{day.year}/K-{n:05d}", date=day, legal_basis=LEGAL_BASIS,
                                                justification="Telpu pārbūve / premises rebuilt"))
    return len(changed)
