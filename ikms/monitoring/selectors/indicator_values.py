"""Indicator values: the current values of a school year (through `runs.current`), the comparison columns, the
values a user may list (the API) and one indicator's trend and spread (the indicator page)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ikms.monitoring.labels import slice_label
from ikms.monitoring.models import Grain, IndicatorValue
from ikms.monitoring.selectors.definitions import indicators
from ikms.monitoring.selectors.runs import current, school_years
from ikms.monitoring.selectors.scope import NATION, value_unit_grain_for_user, value_units_visible_to
from ikms.registry.models import Institution

SliceKey = tuple[str, int | None, str, str]  # indicator, semester, level, category
#: The order of the grains in a list of values: the nation, then municipalities, then institutions.
GRAIN_ORDER = {Grain.NATION: 0, Grain.MUNICIPALITY: 1, Grain.INSTITUTION: 2}


@dataclass(frozen=True)
class Value:
    indicator: str
    unit: str
    semester: int | None
    level: str
    category: str
    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool

    @property
    def key(self) -> SliceKey:
        return (self.indicator, self.semester, self.level, self.category)

    @property
    def slice_label(self) -> str:
        return slice_label(self.semester, self.level, self.category)


VALUE_FIELDS = ("indicator", "unit", "semester", "level", "category", "value", "numerator", "denominator",
                "suppressed")


def values(*, year: str, grain: str, units: Iterable[str] | None = None,
           indicators_: Iterable[str] | None = None) -> list[Value]:
    """Current values of a school year at a grain (optionally only some units and indicators), in one query."""
    now = current(year)
    if now is None:
        return []
    unit_list = list(units) if units is not None else None
    qs = IndicatorValue.objects.filter(run_id__in=now.run_ids(unit_list), grain=grain)
    if unit_list is not None:
        qs = qs.filter(unit__in=unit_list)
    if indicators_ is not None:
        qs = qs.filter(indicator__in=list(indicators_))
    return [Value(*row) for run_id, *row in qs.values_list("run_id", *VALUE_FIELDS) if now.holds(run_id, row[1])]


def by_key(rows: Iterable[Value]) -> dict[SliceKey, Value]:
    """Values by their breakdown (indicator, semester, level, category)."""
    return {v.key: v for v in rows}


def comparison_values(year: str, institutions: Iterable[str], indicators_: Sequence[str] | None = None
                      ) -> dict[str, tuple[dict[SliceKey, Value], dict[SliceKey, Value]]]:
    """The comparison columns of institutions' dashboards: per registration number, its municipality's and
    the nation's current values of the same breakdowns (two queries, whatever the number of institutions)."""
    numbers = sorted(set(institutions))
    if not numbers:
        return {}
    municipality_of = dict(Institution.objects.filter(registration_number__in=numbers)
                           .values_list("registration_number", "municipality__code"))
    municipal: dict[str, dict[SliceKey, Value]] = defaultdict(dict)
    for v in values(year=year, grain=Grain.MUNICIPALITY, units=sorted(set(municipality_of.values())),
                    indicators_=indicators_):
        municipal[v.unit][v.key] = v
    national = by_key(values(year=year, grain=Grain.NATION, units=[NATION], indicators_=indicators_))
    return {n: (municipal.get(municipality_of.get(n, ""), {}), national) for n in numbers}


def values_visible_to(user, *, year: str | None, grain: str | None = None, unit: str | None = None,
                      indicator: str | None = None, level: str | None = None, semester: int | None = None,
                      category: str | None = None) -> list[tuple]:
    """The current values of a school year of the units the user may see (`value_units_visible_to`), optionally
    of one grain, one unit (Http404 if the user may not see it), one indicator and one breakdown; by grain, unit
    and catalogue order. Each row is (school year, grain, Value), an institution's with a fourth item: its
    municipality's and the nation's values of the same breakdowns (`comparison_values`). Nothing without a
    school year (None)."""
    grains = [grain] if grain else list(GRAIN_ORDER)
    scope = value_units_visible_to(user)
    if unit:
        unit_grain = value_unit_grain_for_user(user, unit)
        grains = [g for g in grains if g == unit_grain]
        scope = {unit_grain: {unit}}
    if year is None:
        return []
    indicators_ = [indicator] if indicator else None
    rows = []
    for g in grains:
        units = None if scope is None else sorted(scope.get(g, ()))
        if units == []:
            continue
        for v in values(year=year, grain=g, units=units, indicators_=indicators_):
            if level and v.level != level:
                continue
            if semester and v.semester != semester:
                continue
            if category and v.category != category:
                continue
            rows.append((year, g, v))
    compared = comparison_values(year, [r[2].unit for r in rows if r[1] == Grain.INSTITUTION], indicators_)
    rows = [(*r, compared[r[2].unit]) if r[1] == Grain.INSTITUTION else r for r in rows]
    order = {code: i.order for code, i in indicators().items()}
    rows.sort(key=lambda r: (GRAIN_ORDER[r[1]], r[2].unit, order.get(r[2].indicator, 10**9), r[2].indicator,
                             r[2].level, r[2].semester or 0, r[2].category))
    return rows


# --- one indicator (the indicator page) ----------------------------------------------------------------------


def indicator_distribution(*, year: str, indicator: str, units: Sequence[str] | None = None) -> list[Value]:
    """The institution values of one indicator (all slices), optionally only some institutions."""
    return values(year=year, grain=Grain.INSTITUTION, units=units, indicators_=[indicator])


def indicator_series(*, indicator: str, grain: str, unit: str) -> dict[str, dict[SliceKey, Value]]:
    """One indicator of one unit in every school year held: {year: {slice: value}}."""
    return {y: by_key(values(year=y, grain=grain, units=[unit], indicators_=[indicator])) for y in school_years()}


def indicator_trend(*, indicator: str, series: dict[str, dict[SliceKey, Value]], chosen: SliceKey,
                    compare: Sequence[tuple[str, str, str]], years: Sequence[str],
                    digits: int | None = 2) -> tuple[list[tuple], list[str]]:
    """One breakdown of an indicator over the school years: rows (school year, the unit's value, then each
    compared unit's), rounded to `digits` decimals (None: unrounded), and the labels of the compared units
    (`compare`: label, grain, unit). `series` is the unit's `indicator_series`."""
    others = {label: indicator_series(indicator=indicator, grain=g, unit=u) for label, g, u in compare}

    def pick(per_year, y):
        v = per_year.get(y, {}).get(chosen)
        return None if v is None or v.value is None else (v.value if digits is None else round(v.value, digits))

    return [(y, pick(series, y), *[pick(o, y) for o in others.values()]) for y in years], list(others)


def indicator_spread(*, year: str, indicator: str, chosen: SliceKey, grain: str, unit: str,
                     units: Sequence[str] | None, show_names: bool,
                     digits: int | None = 2) -> list[tuple[str, bool, float, float | None]]:
    """One breakdown of an indicator over institutions (`units`; None: all), lowest first: (name, whether it is
    the page's own unit, value rounded to `digits` decimals (None: unrounded), denominator). Names are shown to
    those who may see them all (`show_names`) and on a municipality's page; otherwise only the unit's own, the
    others are numbered."""
    dist = [v for v in indicator_distribution(year=year, indicator=indicator, units=units)
            if v.key == chosen and v.value is not None]
    dist.sort(key=lambda v: v.value)
    names = {}
    if show_names or grain == Grain.MUNICIPALITY:
        names = dict(Institution.objects.filter(registration_number__in=[v.unit for v in dist])
                     .values_list("registration_number", "name"))
    return [(names.get(v.unit, _("Institution %(n)s") % {"n": i + 1}) if (show_names or grain != Grain.INSTITUTION
                                                                        or v.unit == unit)
             else _("Institution %(n)s") % {"n": i + 1}, v.unit == unit,
             v.value if digits is None else round(v.value, digits), v.denominator)
            for i, v in enumerate(dist)]
