"""The dashboards' rows: every indicator of an institution, a municipality or the nation with its comparisons
(municipality, nation, comparator group median or the spread over institutions) and its values in every school
year held; a municipality's institutions ranked by risk; the trends of some indicators of a few units. Runs never
change once done, so the distributions and comparator groups are cached by results state."""

from __future__ import annotations

import hashlib
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache as django_cache

from ikms.monitoring.models import Grain, RiskFlag, RuleNotEvaluated
from ikms.monitoring.selectors.definitions import IndicatorInfo, indicators
from ikms.monitoring.selectors.indicator_values import SliceKey, Value, by_key, comparison_values, values
from ikms.monitoring.selectors.risks import (
    risk_flags_visible_to,
    risk_rank_key,
    risk_score,
    rules_not_evaluated_visible_to,
)
from ikms.monitoring.selectors.runs import CACHE_SECONDS, run_state, school_years, state_key
from ikms.monitoring.selectors.scope import NATION
from ikms.registry.models import Institution

#: Comparator groups: institutions of the same type whose enrolment falls in the same band (learners).
SIZE_BANDS = (0, 100, 300, 600, 1000)


@dataclass
class DashboardRow:
    info: IndicatorInfo
    key: SliceKey
    label: str
    value: float | None = None
    suppressed: bool = False
    denominator: float | None = None
    municipality: float | None = None
    nation: float | None = None
    comparator: float | None = None
    comparator_n: int = 0
    history: dict[str, float | None] = field(default_factory=dict)
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    units: int = 0

    @property
    def trend(self) -> list[float | None]:
        return [self.history[y] for y in sorted(self.history)]

    @property
    def slice_param(self) -> str:
        return "|".join(map(str, self.key))

    @property
    def change(self) -> float | None:
        years = sorted(self.history)
        if len(years) < 2:
            return None
        last, before = self.history[years[-1]], self.history[years[-2]]
        return None if last is None or before is None else last - before


def _level_ok(key: SliceKey, level: str | None) -> bool:
    return not level or not key[2] or key[2] == level


def _ordered(keys: Iterable[SliceKey]) -> list[SliceKey]:
    info = indicators()

    def sort_key(k: SliceKey):
        i = info.get(k[0])
        return (i.order if i else 10**9, k[2], k[1] or 0, k[3])

    return sorted(keys, key=sort_key)


def size_band(learners: float | None) -> tuple[int, int | None]:
    n = learners or 0
    low = max(b for b in SIZE_BANDS if b <= n)
    higher = [b for b in SIZE_BANDS if b > low]
    return low, (higher[0] if higher else None)


def size_band_key(group: Sequence[str]) -> str:
    return hashlib.sha1(",".join(group).encode(), usedforsecurity=False).hexdigest()[:16]


def _type_bands(year: str, type_id: int) -> tuple[dict[str, float | None], dict[tuple, list[str]]]:
    """The learners of every institution of a type that has a value, and their registration numbers by size band
    (cached by results state): one register query and one value query per type."""
    key = f"ikms:cmp:{state_key(year)}:{type_id}"
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    same_type = list(Institution.objects.filter(type_id=type_id).values_list("registration_number", flat=True))
    sizes = {v.unit: v.value for v in values(year=year, grain=Grain.INSTITUTION, units=same_type,
                                             indicators_=["learners_enrolled"])}
    bands: dict[tuple, list[str]] = defaultdict(list)
    for unit, learners in sizes.items():
        bands[size_band(learners)].append(unit)
    out = (sizes, {band: sorted(units) for band, units in bands.items()})
    django_cache.set(key, out, CACHE_SECONDS)
    return out


def comparator_group(year: str, institution: Institution) -> list[str]:
    """Registration numbers of the institutions of the same type and size band (the institution included)."""
    run, _ = run_state(year)
    if run is None:
        return []
    sizes, bands = _type_bands(year, institution.type_id)
    return bands.get(size_band(sizes.get(institution.registration_number)), [])


def _spread(rows: Iterable) -> dict[SliceKey, tuple[float | None, int, float | None, float | None]]:
    """Per slice of the values given: (median, number of units with a value, 25th and 75th percentile)."""
    collected: dict[SliceKey, list[float]] = defaultdict(list)
    for v in rows:
        if v.value is not None and not v.suppressed:
            collected[v.key].append(v.value)
    out = {}
    for k, vals in collected.items():
        vals.sort()
        if len(vals) >= 4:
            q = statistics.quantiles(vals, n=4, method="inclusive")
            p25, p75 = q[0], q[2]
        else:
            p25 = p75 = None
        out[k] = (statistics.median(vals), len(vals), p25, p75)
    return out


def _medians(year: str, units: Sequence[str], cache_key: str) -> dict[SliceKey, tuple[float | None, int, float | None,
                                                                                      float | None]]:
    """Per slice: (median, number of units with a value, 25th and 75th percentile) over the units."""
    cached = django_cache.get(cache_key)
    if cached is not None:
        return cached
    out = _spread(values(year=year, grain=Grain.INSTITUTION, units=units))
    django_cache.set(cache_key, out, CACHE_SECONDS)
    return out


def _history(*, grain: str, unit: str) -> dict[str, dict[SliceKey, float | None]]:
    out = {}
    for y in school_years():
        out[y] = {v.key: v.value for v in values(year=y, grain=grain, units=[unit])}
    return out


def _institution_rows(own: dict[SliceKey, Value], municipal: dict[SliceKey, Value], national: dict[SliceKey, Value],
                      medians: dict, *, history: dict[str, dict[SliceKey, float | None]],
                      level: str | None = None) -> list[DashboardRow]:
    """An institution's dashboard rows: each of its values beside its municipality's, the nation's and its
    comparator group's median."""
    rows = []
    info = indicators()
    for key in _ordered(k for k in own if _level_ok(k, level)):
        if key[0] not in info:
            continue
        v = own[key]
        med = medians.get(key)
        rows.append(DashboardRow(
            info=info[key[0]], key=key, label=v.slice_label, value=v.value, suppressed=v.suppressed,
            denominator=v.denominator,
            municipality=municipal[key].value if key in municipal else None,
            nation=national[key].value if key in national else None,
            comparator=med[0] if med else None, comparator_n=med[1] if med else 0,
            history={y: h.get(key) for y, h in history.items()}))
    return rows


def institution_dashboard(*, year: str, institution: Institution, level: str | None = None) -> list[DashboardRow]:
    """Every indicator of the institution with its municipality, the nation, the comparator group's median and
    the values of the school years held."""
    unit = institution.registration_number
    own = by_key(values(year=year, grain=Grain.INSTITUTION, units=[unit]))
    municipal, national = comparison_values(year, [unit]).get(unit, ({}, {}))
    run, _ = run_state(year)
    group = comparator_group(year, institution)
    medians = _medians(year, group, f"ikms:med:{state_key(year)}:{size_band_key(group)}") if run else {}
    return _institution_rows(own, municipal, national, medians, history=_history(grain=Grain.INSTITUTION, unit=unit),
                             level=level)


def institutions_against_groups(*, year: str, institutions: Sequence[Institution],
                                indicators_: Sequence[str] | None = None) -> dict[str, list[DashboardRow]]:
    """`institution_dashboard`'s rows of many institutions at once (of some indicators; without the history): per
    registration number, its values with its municipality's, the nation's and its comparator group's median — in a
    few queries whatever the number of institutions (its values, the comparison values, one pair per institution
    type for the groups, the values of the groups' members)."""
    units = [i.registration_number for i in institutions]
    own: dict[str, dict[SliceKey, Value]] = defaultdict(dict)
    for v in values(year=year, grain=Grain.INSTITUTION, units=units, indicators_=indicators_):
        own[v.unit][v.key] = v
    comparison = comparison_values(year, units, indicators_)
    groups = {i.registration_number: tuple(comparator_group(year, i)) for i in institutions}
    members: dict[str, list[Value]] = defaultdict(list)
    for v in values(year=year, grain=Grain.INSTITUTION, units=sorted(set().union(*groups.values())),
                    indicators_=indicators_):
        members[v.unit].append(v)
    spreads = {group: _spread(v for unit in group for v in members.get(unit, ())) for group in set(groups.values())}
    return {unit: _institution_rows(own.get(unit, {}), *comparison.get(unit, ({}, {})), spreads[groups[unit]],
                                    history={})
            for unit in units}


def area_dashboard(*, year: str, grain: str, unit: str, level: str | None = None,
                   institutions: Sequence[str] | None = None, nation_too: bool = True) -> list[DashboardRow]:
    """Every indicator of a municipality or of the nation with the nation's value, the trend, and the spread
    (quartiles) over the institutions given (those of a type, a municipality, or all)."""
    own = by_key(values(year=year, grain=grain, units=[unit]))
    national = by_key(values(year=year, grain=Grain.NATION, units=[NATION])) if nation_too else {}
    run, _ = run_state(year)
    spread = {}
    if run is not None and institutions is not None:
        spread = _medians(year, institutions, f"ikms:spread:{state_key(year)}:{size_band_key(institutions)}")
    history = _history(grain=grain, unit=unit)
    info = indicators()
    rows = []
    for key in _ordered(k for k in own if _level_ok(k, level)):
        if key[0] not in info:
            continue
        v = own[key]
        s = spread.get(key)
        rows.append(DashboardRow(
            info=info[key[0]], key=key, label=v.slice_label, value=v.value, suppressed=v.suppressed,
            denominator=v.denominator, nation=national[key].value if key in national else None,
            median=s[0] if s else None, units=s[1] if s else 0, p25=s[2] if s else None,
            p75=s[3] if s else None, history={y: h.get(key) for y, h in history.items()}))
    return rows


@dataclass
class InstitutionRisk:
    """One institution of a municipality's ranking: its learners, the flags it is triggered by and the rules
    that could not evaluate it (data not received: neither a flag nor a pass), its risk score and its place in
    the ranking (None when no rule is triggered)."""

    institution: Institution
    learners: float | None
    flags: list[RiskFlag]
    not_evaluated: list[RuleNotEvaluated]
    score: int
    rank: int | None = None

    @property
    def rule_codes(self) -> list[str]:
        return sorted({f.rule for f in self.flags})

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)


#: The columns a municipality's ranking sorts by, each with the direction a first click sorts in (True:
#: descending). The score's descending order is the ranking.
RISK_SORTS = {"score": True, "name": False, "type": False, "learners": True}


def municipality_risk_rows(*, user, year: str, institutions: Sequence[Institution], rule: str | None = None,
                           min_score: int = 0, at_risk_only: bool = False) -> list[InstitutionRisk]:
    """A municipality's institutions (`institutions`, already scoped and narrowed by type) ranked by risk as the
    national risk list ranks (`risk_score`, `risk_rank_key`), each with its learners, its flags and its rules
    not evaluated, as far as the user may see flags (`risk_flags_visible_to`). Filters: a rule triggered, a
    minimum score, only institutions with a triggered rule. Institutions without one follow, by name."""
    units = [i.registration_number for i in institutions]
    flags: dict[str, list[RiskFlag]] = defaultdict(list)
    for f in risk_flags_visible_to(user, year, units):
        flags[f.institution].append(f)
    unevaluated: dict[str, list[RuleNotEvaluated]] = defaultdict(list)
    for r in rules_not_evaluated_visible_to(user, year, units):
        unevaluated[r.institution].append(r)
    learners = {v.unit: v.value for v in values(year=year, grain=Grain.INSTITUTION, units=units,
                                                indicators_=["learners_enrolled"])}
    rows = []
    for inst in institutions:
        own = sorted(flags.get(inst.registration_number, []), key=lambda f: f.rule)
        score = risk_score(f.rule for f in own)
        if (rule and rule not in {f.rule for f in own}) or score < min_score or (at_risk_only and not own):
            continue
        rows.append(InstitutionRisk(institution=inst, learners=learners.get(inst.registration_number), flags=own,
                                    not_evaluated=sorted(unevaluated.get(inst.registration_number, []),
                                                         key=lambda r: r.rule), score=score))
    rows.sort(key=lambda r: risk_rank_key(score=r.score, flags=len(r.flags), name=r.institution.name))
    for place, row in enumerate((r for r in rows if r.at_risk), start=1):
        row.rank = place
    return rows


def sort_risk_rows(rows: Sequence[InstitutionRisk], *, by: str, descending: bool) -> list[InstitutionRisk]:
    """The ranking (`municipality_risk_rows`) in the order of a column (`RISK_SORTS`); equal values, and missing
    learners (always last), stay in the ranking's order."""
    ranked = list(rows)
    if by == "score":
        return ranked if descending else [r for r in ranked if not r.at_risk] + [r for r in ranked if r.at_risk][::-1]
    if by == "learners":
        known = sorted((r for r in ranked if r.learners is not None), key=lambda r: r.learners, reverse=descending)
        return known + [r for r in ranked if r.learners is None]
    if by == "type":
        return sorted(ranked, key=lambda r: _alphabetical(r.institution.type.name), reverse=descending)
    return sorted(ranked, key=lambda r: _alphabetical(r.institution.name), reverse=descending)


def _alphabetical(text: str) -> list[tuple[str, int]]:
    """A sort key in Latvian alphabetical order: case ignored, a letter with a diacritic (ā, č, ģ ...) right
    after the letter itself."""
    out = []
    for char in text.casefold():
        base = unicodedata.normalize("NFD", char)
        out.append((base[0], len(base) - 1))
    return out


def unit_trends(*, units: Sequence[tuple[str, str]], indicators_: Sequence[str], years: Sequence[str]
                ) -> dict[SliceKey, list[list[float | None]]]:
    """Some indicators of some units (grain, unit) over the school years: per breakdown, one list per unit of its
    values in `years` (None where there is none); the breakdowns of the first unit only (one query per unit and
    school year)."""
    held: dict[tuple[str, str], dict[str, dict[SliceKey, float | None]]] = {}
    for grain, unit in units:
        held[(grain, unit)] = {y: {v.key: v.value for v in values(year=y, grain=grain, units=[unit],
                                                                 indicators_=indicators_)} for y in years}
    first = held[units[0]] if units else {}
    keys = _ordered({k for per_year in first.values() for k in per_year})
    return {k: [[held[u][y].get(k) for y in years] for u in units] for k in keys}
