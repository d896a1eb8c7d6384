"""The staff positions an institution reported (lake dataset `staff`), counted per institution and position for
the cross-register checks. Staff ids are pseudonymous: a person can be counted, never named or matched with a
register entry."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from analytics.lake.schemas import SUPPORT_POSITIONS, partition_dir

DATASET = "staff"


@dataclass
class StaffCounts:
    """One school year's staff data: per institution, the pseudonymous ids reported in each position."""

    school_year: str
    by_institution: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def people(self, institution: str, position: str) -> int:
        return len(self.by_institution.get(institution, {}).get(position, ()))

    def support(self, institution: str) -> int:
        positions = self.by_institution.get(institution, {})
        return len(set().union(*(positions.get(p, set()) for p in SUPPORT_POSITIONS)))

    def distinct(self, position: str) -> int:
        """People in a position across the nation (one pseudonymous id counted once, however many institutions)."""
        return len(set().union(*(p.get(position, set()) for p in self.by_institution.values())))


def school_years(lake_root: Path) -> list[str]:
    """The school years with staff data in the lake, oldest first."""
    root = Path(lake_root) / DATASET
    years = [d.name.removeprefix("school_year=").replace("-", "/") for d in root.glob("school_year=*")
             if any(d.glob("*.parquet"))]
    return sorted(years)


def staff_counts(lake_root: Path, school_year: str) -> StaffCounts:
    """The staff ids per institution and position in a school year's partition (empty when none was received)."""
    import pyarrow.parquet as pq

    out = StaffCounts(school_year=school_year)
    by: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for part in sorted((Path(lake_root) / DATASET / partition_dir(school_year)).glob("*.parquet")):
        table = pq.read_table(part, columns=["staff_id", "institution", "position"])
        for staff_id, inst, position in zip(*(table.column(c).to_pylist()
                                              for c in ("staff_id", "institution", "position")), strict=True):
            by[str(inst)][str(position)].add(str(staff_id))
    out.by_institution = {k: dict(v) for k, v in by.items()}
    return out
