"""The schools' records of long-term unexcused absence as the lake holds them (dataset `long_term_absences`, one
row per learner × institution × semester), each with the learner's declared municipality (dataset `learners`):
what `services.cases_open_from_records` opens the hand-off cases from. Reads Parquet only: no DuckDB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from analytics.lake.schemas import partition_dir


@dataclass(frozen=True)
class Record:
    learner: str
    institution: str  # registration number
    semester: int
    level: str
    reason: str  # "" when none was recorded
    action: str  # an action code, or "none_recorded"
    residence: str  # the declared municipality's code ("" when the lake does not know it)


def _read(root: Path, dataset: str, year: str, columns: list[str]):
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = sorted((root / dataset / partition_dir(year)).glob("*.parquet"))
    if not parts:
        return None
    return pa.concat_tables([pq.read_table(p, columns=columns) for p in parts])


def absence_records(school_year: str, *, lake_root: Path | None = None) -> list[Record] | None:
    """The school year's records with the learner's declared municipality; None when the lake holds none."""
    root = Path(lake_root or settings.IKMS_LAKE_DIR)
    absences = _read(
        root, "long_term_absences", school_year, ["learner_id", "institution", "semester", "level", "reason", "action"]
    )
    if absences is None:
        return None
    learners = _read(root, "learners", school_year, ["learner_id", "declared_municipality"])
    wanted = set(absences.column("learner_id").to_pylist())
    residence: dict[str, str] = {}
    if learners is not None:
        for lid, muni in zip(
            learners.column("learner_id").to_pylist(), learners.column("declared_municipality").to_pylist(), strict=True
        ):
            if lid in wanted:
                residence[lid] = muni or ""
    cols = {
        name: absences.column(name).to_pylist()
        for name in ("learner_id", "institution", "semester", "level", "reason", "action")
    }
    return [
        Record(
            learner=lid,
            institution=inst,
            semester=int(sem),
            level=level,
            reason=reason or "",
            action=action or "none_recorded",
            residence=residence.get(lid, ""),
        )
        for lid, inst, sem, level, reason, action in zip(*cols.values(), strict=True)
    ]
