"""Test helpers: a tiny lake of the schools' long-term absence records with the learners' declared municipality."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.lake.schemas import partition_dir


def write_records(root: Path, school_year: str, rows: list[dict]) -> Path:
    """Write `long_term_absences` and `learners` partitions of a school year: each row has learner, institution,
    semester, level, reason, action and residence (the learner's declared municipality)."""
    part = partition_dir(school_year)
    absences = root / "long_term_absences" / part
    learners = root / "learners" / part
    absences.mkdir(parents=True, exist_ok=True)
    learners.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.table(
            {
                "learner_id": [r["learner"] for r in rows],
                "institution": [r["institution"] for r in rows],
                "semester": pa.array([r["semester"] for r in rows], pa.int8()),
                "level": [r["level"] for r in rows],
                "reason": [r.get("reason") for r in rows],
                "action": [r["action"] for r in rows],
            }
        ),
        absences / "part-0.parquet",
    )
    seen: dict[str, str] = {}
    for r in rows:
        seen.setdefault(r["learner"], r["residence"])
    pq.write_table(
        pa.table({"learner_id": list(seen), "declared_municipality": list(seen.values())}), learners / "part-0.parquet"
    )
    return root
