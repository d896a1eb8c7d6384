"""The complaints IKVD received, counted per institution and school year for the lake (dataset `complaints`,
analytics/lake/schemas.py), where the indicator "complaints per 1,000 learners" and risk rule R7 read them.

Missing is not zero (ADR 0013): a school year without a single complaint record (the complaint register was not
in use then) gets no partition, so the indicator has no data for it; a year with complaint records gets a row for
every institution of that year's register snapshot (`ikms.monitoring.lake.register_snapshot`), 0 where no
complaint concerned it. A complaint concerning several institutions counts at each; one concerning none counts
nowhere but still shows that the register was in use. Only counts leave the database: no submitter, text or
topic.

Written before every computation through the lake writers monitoring keeps (`ikms.monitoring.lake.lake_refresh`;
registered in `ComplaintsConfig.ready`), and by `manage.py lake_export_complaints`."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow as pa
from django.conf import settings
from django.db.models import Count

from analytics.lake.coverage import read_coverage
from analytics.lake.schemas import DATASETS
from analytics.spec.periods import SchoolYear
from ikms.complaints.choices import Outcome
from ikms.complaints.models import Complaint
from ikms.monitoring.lake import register_snapshot
from ikms.registry.models import Institution

DATASET = DATASETS["complaints"]
SOURCE_FILE = "IKMS complaint register"
#: The dataset's count columns by the outcome they count ("" = none recorded yet).
OUTCOME_COLUMNS = {
    Outcome.CONFIRMED: "confirmed",
    Outcome.NOT_CONFIRMED: "not_confirmed",
    Outcome.EXPLANATION: "explanation",
    Outcome.REFERRED_FOUNDER: "referred",
    Outcome.REFERRED_OTHER: "referred",
    "": "no_outcome",
}


def _received_in(year: SchoolYear):
    return Complaint.objects.filter(received_on__gte=year.start, received_on__lte=year.end)


def register_in_use(school_year: str) -> bool:
    """Whether IKMS holds any complaint received in the school year (1 September – 31 August)."""
    return _received_in(SchoolYear.parse(school_year)).exists()


def complaint_counts(school_year: str) -> dict[str, dict[str, int]]:
    """Registration number → the dataset's count columns, for the institutions some complaint received in the
    school year concerns."""
    year = SchoolYear.parse(school_year)
    through = Complaint.institutions.through
    rows = (
        through.objects.filter(complaint__received_on__gte=year.start, complaint__received_on__lte=year.end)
        .values_list("institution__registration_number", "complaint__outcome")
        .annotate(n=Count("complaint_id", distinct=True))
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_count_columns(), 0))
    for number, outcome, n in rows:
        counted = counts[number]
        counted["complaints"] += n
        counted[OUTCOME_COLUMNS.get(outcome or "", "no_outcome")] += n
    return dict(counts)


def _count_columns() -> list[str]:
    return [c.name for c in DATASET.columns if c.name != "institution"]


def complaints_partition(school_year: str) -> pa.Table | None:
    """The `complaints` partition of the school year: one row per institution of the year's register snapshot,
    or None when no complaint was received in the year (no partition: no data)."""
    if not register_in_use(school_year):
        return None
    institutions = register_snapshot(school_year).column("institution").to_pylist()
    counts = complaint_counts(school_year)
    zero = dict.fromkeys(_count_columns(), 0)
    columns: dict[str, list] = {"institution": institutions}
    for name in _count_columns():
        columns[name] = [counts.get(number, zero)[name] for number in institutions]
    return pa.table(columns, schema=DATASET.schema)


def lake_years_received(lake_root: Path) -> set[str]:
    """The school years for which the lake has received data of another source: the years a computation can
    run for. Complaints are written only for these, so that a year holding nothing but complaints never looks
    computable."""
    coverage = read_coverage(lake_root)
    return set(coverage.loc[coverage["source"] != DATASET.name, "school_year"].astype(str))


def lake_complaints_write(*, years: list[str] | None = None, lake_root: Path | None = None) -> dict[str, int]:
    """Bring the lake's `complaints` partitions up to date for the school years given (default: every year the
    lake has received data for) that the lake has received other data for: a year with complaint records gets
    its partition (replaced only when its counts or institutions changed), a year without any loses the one it
    had. Returns the rows of each partition written (0 for a partition withdrawn).

    An empty register (a lake loaded without the web register) writes nothing."""
    # The lake's file primitives live in analytics' import package, which loads DuckDB: only an export needs it.
    from analytics.imports.lake import replace_partition, withdraw_partition

    root = Path(lake_root or settings.IKMS_LAKE_DIR)
    written: dict[str, int] = {}
    if not Institution.objects.exists():
        return written
    received = lake_years_received(root)
    for year in sorted((set(years) if years is not None else received) & received):
        table = complaints_partition(year)
        if table is None:
            if withdraw_partition(root, DATASET.name, year):
                written[year] = 0
            continue
        if replace_partition(
            root, DATASET.name, year, table, covers=table.column("institution").to_pylist(), source_file=SOURCE_FILE
        ):
            written[year] = table.num_rows
    return written
