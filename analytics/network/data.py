"""The school network tool's inputs read from the lake (DuckDB over the Parquet partitions), and the tables the
pages show: per institution and municipality for the latest school year, and the projections.

No Django. A dataset the lake has not received gives no rows: the tool then says "no data" (never 0)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analytics.lake.schemas import partition_dir
from analytics.network.minimums import Minimums, class_below_minimum
from analytics.network.projection import (
    GRADES,
    HORIZON,
    Projection,
    UnderMinimum,
    falls_under,
    institution_projection,
    project,
)


def _parts(root: Path, dataset: str, year: str | None = None) -> list[str]:
    folder = root / dataset
    pattern = f"{partition_dir(year)}/*.parquet" if year else "school_year=*/*.parquet"
    return sorted(str(p) for p in folder.glob(pattern)) if folder.is_dir() else []


def _autumn(partition: str) -> int:
    return int(str(partition)[:4])


@dataclass
class InstitutionRow:
    institution: str
    name: str
    municipality: str
    learners: int  # grades 1-12, basic and secondary levels, the latest year
    classes: int | None = None  # None: no classes data
    combined_classes: int | None = None
    classes_below_minimum: int | None = None
    average_class_size: float | None = None
    capacity: int | None = None
    small: bool = False

    @property
    def capacity_use(self) -> float | None:
        """learners / capacity × 100; None (no data) without a recorded capacity."""
        return round(100.0 * self.learners / self.capacity, 1) if self.capacity else None


@dataclass
class NetworkData:
    """What the lake holds for the tool: the latest school year with enrolments, and what the pages need."""

    year: str | None  # "2024/2025"; None: no enrolments at all
    years: list[str] = field(default_factory=list)  # school years whose enrolments the projection model uses
    counts: dict[str, dict[tuple[int, int], float]] = field(default_factory=dict)  # institution → (autumn, grade)
    register: dict[str, tuple[str, str, int | None]] = field(default_factory=dict)  # institution → name, muni, cap
    classes: list[tuple[str, str, bool, int]] = field(default_factory=list)  # institution, grades, combined, n
    declared: dict[str, dict[int, float]] = field(default_factory=dict)  # municipality → birth year → children
    declared_as_of: str | None = None  # date of the count used; None: not received

    @property
    def base_autumn(self) -> int | None:
        return _autumn(self.year) if self.year else None


_REGISTER_SQL = "SELECT institution, name, municipality, capacity FROM read_parquet(?)"


def read_network(lake_root: Path) -> NetworkData:
    """Read the tool's inputs: every year's enrolments by institution and grade (distinct learners of basic and
    secondary levels in grades 1-12), and the latest year's register snapshot, classes and declared children."""
    root = Path(lake_root)
    enrolments = _parts(root, "enrolments")
    if not enrolments:
        return NetworkData(year=None)
    con = duckdb.connect()
    rows = con.execute(
        "SELECT school_year, institution, grade, count(DISTINCT learner_id) FROM read_parquet(?, hive_partitioning=1) "
        "WHERE level IN ('basic', 'secondary') AND grade BETWEEN 1 AND 12 GROUP BY ALL", [enrolments]).fetchall()
    if not rows:
        return NetworkData(year=None)
    data = NetworkData(year=None)
    for school_year, institution, grade, n in rows:
        data.counts.setdefault(institution, {})[(_autumn(school_year), int(grade))] = float(n)
    partitions = sorted({str(r[0]) for r in rows})
    data.years = [p.replace("-", "/") for p in partitions]
    data.year = data.years[-1]
    register = _parts(root, "institutions", data.year)
    if register:
        # a snapshot written before the capacity column reads as no capacity (no data)
        columns = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [register]).fetchall()}
        query = (_REGISTER_SQL if "capacity" in columns
                 else _REGISTER_SQL.replace("capacity FROM", "NULL AS capacity FROM"))
        for institution, name, muni, cap in con.execute(query, [register]).fetchall():
            data.register[institution] = (name, muni, int(cap) if cap is not None and cap > 0 else None)
    classes = _parts(root, "classes", data.year)
    if classes:
        data.classes = [(i, g, bool(c), int(n)) for i, g, c, n in con.execute(
            "SELECT institution, grades, combined, learners FROM read_parquet(?)", [classes]).fetchall()]
    declared = _parts(root, "declared_children", data.year)
    if declared:
        latest = con.execute("SELECT max(as_of) FROM read_parquet(?)", [declared]).fetchone()
        if latest and latest[0] is not None:
            data.declared_as_of = latest[0].isoformat()
            for muni, born, n in con.execute(
                    "SELECT declared_municipality, birth_year, sum(children) FROM read_parquet(?) WHERE as_of = ? "
                    "GROUP BY ALL", [declared, latest[0]]).fetchall():
                data.declared.setdefault(muni, {})[int(born)] = float(n)
    return data


def institution_rows(data: NetworkData, minimums: Minimums,
                     institutions: set[str] | None = None) -> list[InstitutionRow]:
    """The latest year's row of every institution with learners in grades 1-12 (only `institutions` if given)."""
    base = data.base_autumn
    per_class: dict[str, list[tuple[str, bool, int]]] = {}
    for i, grades, combined, n in data.classes:
        per_class.setdefault(i, []).append((grades, combined, n))
    out = []
    for inst, counts in data.counts.items():
        learners = int(sum(n for (y, _g), n in counts.items() if y == base))
        if not learners or inst not in data.register or (institutions is not None and inst not in institutions):
            continue
        name, muni, capacity = data.register[inst]
        row = InstitutionRow(inst, name, muni, learners, capacity=capacity,
                             small=learners < minimums.small_school_below)
        school = [c for c in per_class.get(inst, []) if any(g.strip() not in ("", "0") for g in c[0].split(","))]
        if school:
            row.classes = len(school)
            row.combined_classes = sum(1 for _g, c, _n in school if c)
            below = [class_below_minimum(minimums, muni, g, n) for g, _c, n in school]
            row.classes_below_minimum = sum(1 for b in below if b)
            row.average_class_size = round(sum(n for _g, _c, n in school) / len(school), 1)
        out.append(row)
    return sorted(out, key=lambda r: (r.municipality, r.name))


@dataclass
class AreaProjection:
    """The projections of one municipality and its institutions, and which schools fall under the minimums."""

    municipality: str
    projection: Projection | None  # None: no declared children received for the municipality
    institutions: dict[str, Projection] = field(default_factory=dict)
    under: list[UnderMinimum] = field(default_factory=list)


def municipality_counts(data: NetworkData, municipality: str) -> dict[tuple[int, int], float]:
    total: dict[tuple[int, int], float] = {}
    for inst, counts in data.counts.items():
        if data.register.get(inst, ("", "", None))[1] == municipality:
            for key, n in counts.items():
                total[key] = total.get(key, 0.0) + n
    return total


def area_projection(data: NetworkData, municipality: str, minimums: Minimums, *,
                    horizon: int = HORIZON) -> AreaProjection:
    """The municipality's projection (from its schools' enrolments and the children declared there), each of its
    schools' projection as its share, and the schools' first year under the minimums."""
    declared = data.declared.get(municipality)
    counts = municipality_counts(data, municipality)
    if not declared or not counts or data.base_autumn not in {y for y, _ in counts}:
        return AreaProjection(municipality, None)
    muni = project(municipality, counts, declared, horizon=horizon)
    result = AreaProjection(municipality, muni)
    for inst, inst_counts in sorted(data.counts.items()):
        if data.register.get(inst, ("", "", None))[1] != municipality:
            continue
        latest = {g: n for (y, g), n in inst_counts.items() if y == data.base_autumn}
        if not sum(latest.values()):
            continue
        p = institution_projection(inst, latest, muni)
        result.institutions[inst] = p
        result.under.append(falls_under(p, municipality, minimums))
    return result


def grade_totals(projection: Projection) -> list[tuple[int, float | None, float | None, float | None, float | None]]:
    """Per year: learners in grades 1-6, 7-9, 10-12 and 1-12 (None where a grade has no projection)."""
    return [(y, projection.total(y, range(1, 7)), projection.total(y, range(7, 10)),
             projection.total(y, range(10, 13)), projection.total(y, GRADES)) for y in projection.years]
