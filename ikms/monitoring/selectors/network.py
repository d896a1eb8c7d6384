"""The school network tool's reads (issue 15, item 1): the lake's latest school year per institution and
municipality (analytics/network), the learners per teacher of the computed results (the existing indicator,
not recomputed), the projections, each limited to what the user may see.

The lake is read once per change of its partitions (a memo keyed by the folders' modification times)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from analytics.network.data import (
    AreaProjection,
    InstitutionRow,
    NetworkData,
    area_projection,
    institution_rows,
    read_network,
)
from analytics.network.minimums import Minimums, load_minimums
from ikms.monitoring.selectors.indicator_values import values
from ikms.monitoring.selectors.scope import institutions_for_monitoring, municipalities_for_user

_DATASETS = ("enrolments", "institutions", "classes", "declared_children")
_memo: dict[str, tuple[tuple, NetworkData]] = {}
_lock = threading.Lock()


def _stamp(root: Path) -> tuple:
    stamp = []
    for name in _DATASETS:
        folder = root / name
        parts = sorted(folder.glob("school_year=*/*.parquet")) if folder.is_dir() else []
        stamp.append(tuple((str(p), p.stat().st_mtime_ns) for p in parts))
    return tuple(stamp)


def network_data(lake_root: Path | None = None) -> NetworkData:
    """The tool's inputs from the lake (memoised until a partition changes)."""
    root = Path(lake_root or settings.IKMS_LAKE_DIR)
    stamp = _stamp(root)
    with _lock:
        held = _memo.get(str(root))
        if held and held[0] == stamp:
            return held[1]
    data = read_network(root)
    with _lock:
        _memo[str(root)] = (stamp, data)
    return data


def network_minimums() -> Minimums:
    return load_minimums()


@dataclass
class AreaRow:
    """A municipality's line of the national table (or the nation's total)."""

    code: str
    name: str
    schools: int = 0
    learners: int = 0
    small_schools: int = 0
    learners_in_small: int = 0
    classes: int = 0
    combined: int = 0
    below_minimum: int = 0
    learners_with_capacity: int = 0
    capacity: int = 0
    schools_with_capacity: int = 0

    def add(self, row: InstitutionRow) -> None:
        self.schools += 1
        self.learners += row.learners
        self.small_schools += row.small
        self.learners_in_small += row.learners if row.small else 0
        self.classes += row.classes or 0
        self.combined += row.combined_classes or 0
        self.below_minimum += row.classes_below_minimum or 0
        if row.capacity:
            self.learners_with_capacity += row.learners
            self.capacity += row.capacity
            self.schools_with_capacity += 1

    @property
    def capacity_use(self) -> float | None:
        return round(100.0 * self.learners_with_capacity / self.capacity, 1) if self.capacity else None

    @property
    def small_share(self) -> float | None:
        return round(100.0 * self.learners_in_small / self.learners, 1) if self.learners else None


@dataclass
class NetworkView:
    year: str | None
    rows: list[InstitutionRow] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # municipality code → name
    per_teacher: dict[str, float | None] = field(default_factory=dict)  # institution → learners per teacher
    areas: list[AreaRow] = field(default_factory=list)
    total: AreaRow | None = None


def network_view(user, *, municipality: str | None) -> NetworkView:
    """The latest year's institutions the user may see (of one municipality, or all), with their municipalities'
    totals. Learners per teacher come from the computed indicator `learners_per_teacher` of that year."""
    data = network_data()
    visible = institutions_for_monitoring(user, municipality=municipality).select_related("municipality")
    names = {i.municipality.code: i.municipality.name for i in visible}
    numbers = {i.registration_number for i in visible}
    rows = [] if data.year is None else [r for r in _rows(data) if r.institution in numbers]
    view = NetworkView(data.year, rows, names)
    if data.year and rows:
        view.per_teacher = {v.unit: (None if v.suppressed else v.value) for v in values(
            year=data.year, grain="institution", units=[r.institution for r in rows],
            indicators_=["learners_per_teacher"]) if not v.semester and not v.level and not v.category}
    areas: dict[str, AreaRow] = {}
    total = AreaRow("LV", "")
    for r in rows:
        areas.setdefault(r.municipality, AreaRow(r.municipality, names.get(r.municipality, r.municipality))).add(r)
        total.add(r)
    view.areas = sorted(areas.values(), key=lambda a: a.name)
    view.total = total
    return view


_rows_memo: dict[int, tuple[NetworkData, list[InstitutionRow]]] = {}


def _rows(data: NetworkData) -> list[InstitutionRow]:
    """Every institution's row of the data (computed once per read of the lake)."""
    with _lock:
        held = _rows_memo.get(id(data))
        if held and held[0] is data:
            return held[1]
    rows = institution_rows(data, network_minimums())
    with _lock:
        _rows_memo.clear()
        _rows_memo[id(data)] = (data, rows)
    return rows


@dataclass(frozen=True)
class ProjectionSummary:
    """A municipality's line of the national projection table."""

    code: str
    name: str
    base_year: int | None
    learners_now: float | None
    learners_last: float | None  # in the last projected year (None: no projection)
    falling_under: int | None  # schools that fall under the minimums within the horizon (not already now)
    already_under: int | None  # None: no projection (no data, not 0)


def projection_summaries(user) -> list[ProjectionSummary]:
    """Every municipality the user may see: its learners now and in 5 years, and how many of its schools fall
    under the minimums (no projection where the declared children were not received)."""
    data = network_data()
    minimums = network_minimums()
    out = []
    for muni in municipalities_for_user(user):
        area = area_projection(data, muni.code, minimums)
        p = area.projection
        if p is None:
            out.append(ProjectionSummary(muni.code, muni.name, None, None, None, None, None))
            continue
        out.append(ProjectionSummary(
            muni.code, muni.name, p.base_year, p.total(p.base_year), p.total(p.years[-1]),
            sum(1 for u in area.under if u.year is not None and u.year > p.base_year),
            sum(1 for u in area.under if u.year == p.base_year)))
    return out


def projection_for(user, municipality: str) -> tuple[NetworkData, AreaProjection, dict[str, str]]:
    """A municipality's projection with only the schools the user may see (the municipality's own figures are the
    sum of all its schools: a founder sees its municipality). Returns the data, the projection and the names of
    the schools shown."""
    data = network_data()
    area = area_projection(data, municipality, network_minimums())
    visible = {i.registration_number: i.name
               for i in institutions_for_monitoring(user, municipality=municipality)}
    area.institutions = {k: v for k, v in area.institutions.items() if k in visible}
    area.under = [u for u in area.under if u.institution in visible]
    return data, area, visible
