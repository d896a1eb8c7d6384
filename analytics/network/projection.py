"""Learner-number projections for the next years: a transparent cohort (grade-progression) model.

Pure Python and pandas: no Django, no lake (analytics/network/data.py reads the inputs from the lake).

The model, per municipality (the learners of the schools located in it, grades 1-12):

* **Grade progression ratio** of grade g (2-12): the learners in grade g in year y+1 over the learners in grade
  g-1 in year y, summed over every pair of consecutive observed years (so it also carries moves in and out,
  repeating and, for grade 10, the share who continue to general secondary education in the municipality).
* **Entry rate**: the learners in grade 1 in year y over the children declared in the municipality born in
  y − 7 (they start school in the autumn of the year they turn 7), summed over the observed years whose birth
  cohort the population register count holds.
* **Projection**: grade 1 in year Y+k = entry rate × the children declared born in Y+k−7 (the latest count);
  grade g in year Y+k = ratio of g × grade g−1 in year Y+k−1. A ratio or rate without observations (a zero
  denominator) is not invented: that grade has no projection (None), and the totals say so.
* **Per institution**: the institution keeps its share of each grade of its municipality in the latest year
  (an assumption, stated with the results).

Every ratio is returned with the years it comes from so that the page can show the assumptions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analytics.network.minimums import Minimums

ENTRY_AGE = 7
GRADES = tuple(range(1, 13))
HORIZON = 5


@dataclass(frozen=True)
class Ratio:
    """A ratio of the model: value (None: no observations), and what it was computed from."""

    value: float | None
    numerator: float
    denominator: float
    years: tuple[int, ...]  # the autumn years of the observations in the numerator


@dataclass
class Projection:
    """One unit's projection: the observed latest year and the projected years' learners by grade."""

    unit: str
    base_year: int  # autumn year of the latest observed school year
    entry_rate: Ratio
    ratios: dict[int, Ratio]  # grade 2-12 → progression ratio
    learners: dict[int, dict[int, float | None]] = field(default_factory=dict)  # year → grade → learners

    def total(self, year: int, grades: Iterable[int] = GRADES) -> float | None:
        """Learners of the year in these grades; None when any of them has no projection."""
        values = [self.learners[year].get(g) for g in grades]
        return None if any(v is None for v in values) else float(sum(v for v in values if v is not None))

    @property
    def years(self) -> list[int]:
        return sorted(self.learners)


Counts = Mapping[tuple[int, int], float]  # (autumn year, grade) → learners


def progression_ratios(counts: Counts) -> dict[int, Ratio]:
    """Grade g's progression ratio (2-12) from every pair of consecutive years the counts hold."""
    years = sorted({y for y, _ in counts})
    out: dict[int, Ratio] = {}
    for g in GRADES[1:]:
        num = den = 0.0
        used: list[int] = []
        for y in years:
            if y + 1 not in years:
                continue
            d = counts.get((y, g - 1), 0.0)
            num += counts.get((y + 1, g), 0.0)
            den += d
            used.append(y + 1)
        out[g] = Ratio(num / den if den > 0 else None, num, den, tuple(used))
    return out


def entry_rate(counts: Counts, declared: Mapping[int, float]) -> Ratio:
    """Grade-1 learners over the children declared born `ENTRY_AGE` years before, over the observed years whose
    birth cohort is in `declared` (birth year → children)."""
    num = den = 0.0
    used: list[int] = []
    for y in sorted({y for y, _ in counts}):
        born = declared.get(y - ENTRY_AGE)
        if born is None:
            continue
        num += counts.get((y, 1), 0.0)
        den += born
        used.append(y)
    return Ratio(num / den if den > 0 else None, num, den, tuple(used))


def project(unit: str, counts: Counts, declared: Mapping[int, float], *, horizon: int = HORIZON) -> Projection:
    """The unit's learners by grade for the latest observed year (as observed) and the `horizon` years after."""
    base = max(y for y, _ in counts)
    ratios = progression_ratios(counts)
    rate = entry_rate(counts, declared)
    result = Projection(unit, base, rate, ratios)
    result.learners[base] = {g: float(counts.get((base, g), 0.0)) for g in GRADES}
    for k in range(1, horizon + 1):
        year, before = base + k, result.learners[base + k - 1]
        born = declared.get(year - ENTRY_AGE)
        row: dict[int, float | None] = {
            1: rate.value * born if rate.value is not None and born is not None else None}
        for g in GRADES[1:]:
            r, prev = ratios[g].value, before[g - 1]
            row[g] = r * prev if r is not None and prev is not None else None
        result.learners[year] = row
    return result


def institution_projection(institution: str, latest: Mapping[int, float], municipality: Projection) -> Projection:
    """An institution's projection as its latest share of each grade of its municipality (`latest`: grade →
    the institution's learners in the base year). A grade the municipality has no learners in gets share 0."""
    base_row = municipality.learners[municipality.base_year]
    share = {g: latest.get(g, 0.0) / n if (n := base_row[g]) else 0.0 for g in GRADES}
    out = Projection(institution, municipality.base_year, municipality.entry_rate, municipality.ratios)
    for year, row in municipality.learners.items():
        out.learners[year] = {g: (v * share[g] if v is not None else None) for g, v in row.items()}
    out.learners[municipality.base_year] = {g: float(latest.get(g, 0.0)) for g in GRADES}
    return out


@dataclass(frozen=True)
class UnderMinimum:
    """When a school first falls under the minimums in its projection, and why."""

    institution: str
    year: int | None  # first autumn year under a minimum (base year: already under); None: never in the horizon
    reasons: tuple[str, ...]  # "grades 1-6", "grades 10-12 stage", … of that year


def falls_under(projection: Projection, municipality: str, minimums: Minimums,
                taught: Iterable[int] | None = None) -> UnderMinimum:
    """The first year (base year included) in which the school falls under a minimum, assuming one class per
    grade: a band it teaches whose average learners per grade is below the band's class minimum, or, for a
    school teaching grades 10-12, fewer learners in the secondary stage than its minimum. `taught`: the grades
    the school teaches (default: those with learners in the base year). A year with a grade not projected is
    skipped (no data)."""
    base = projection.learners[projection.base_year]
    grades = sorted(set(taught) if taught is not None else {g for g, v in base.items() if v})
    for year in projection.years:
        row = projection.learners[year]
        if any(row.get(g) is None for g in grades):
            continue
        reasons: list[str] = []
        for band, per_area in minimums.class_minimums.items():
            in_band = [g for g in grades if band[0] <= g <= band[1]]
            if in_band:
                average = sum(row[g] or 0.0 for g in in_band) / len(in_band)
                if average < per_area[minimums.area(municipality)]:
                    reasons.append(f"{band[0]}-{band[1]}")
        if any(g >= 10 for g in grades):
            stage = sum(row[g] or 0.0 for g in grades if g >= 10)
            if stage < minimums.secondary_minimum(municipality):
                reasons.append("10-12 stage")
        if reasons:
            return UnderMinimum(projection.unit, year, tuple(reasons))
    return UnderMinimum(projection.unit, None, ())
