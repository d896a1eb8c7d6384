"""The effect of visits (issue 17, item 4): the institutions' stored values of visit_effect.yaml's indicators in
every school year held, the visits the registered providers know (ikms.monitoring.visits) and each institution's
comparison cell, handed to analytics.visits.visit_effects. The cell is the dashboards' comparison (same type and
size band, `comparator_group`) narrowed to the same kind of municipality (state city or novads); the size band is
taken from the institution's learners in the earliest school year held with a count, so that it is one cell in
every visit year."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
from django.core.cache import cache as django_cache

from analytics.visits import Effect, Settings, load_settings, visit_effects
from ikms.monitoring import visits as visit_providers
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.dashboards import size_band
from ikms.monitoring.selectors.indicator_values import values
from ikms.monitoring.selectors.runs import CACHE_SECONDS, state_key
from ikms.registry.models import Institution

FIGURE_COLUMNS = ["institution", "school_year", "indicator", "semester", "level", "category", "numerator",
                  "denominator"]
_SETTINGS: list[Settings] = []


def effect_settings() -> Settings:
    """visit_effect.yaml, read once."""
    if not _SETTINGS:
        _SETTINGS.append(load_settings())
    return _SETTINGS[0]


def _figures(years: Sequence[str], codes: list[str]) -> pd.DataFrame:
    rows = [(v.unit, year, v.indicator, v.semester, v.level, v.category, v.numerator, v.denominator)
            for year in years for v in values(year=year, grain=Grain.INSTITUTION, indicators_=codes)]
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def _institutions(years: Sequence[str]) -> pd.DataFrame:
    learners: dict[str, float] = {}
    for year in reversed(years):  # the earliest year's count wins
        for v in values(year=year, grain=Grain.INSTITUTION, indicators_=["learners_enrolled"]):
            if v.value is not None:
                learners[v.unit] = v.value
    rows = []
    for number, type_id, muni, kind in Institution.objects.values_list(
            "registration_number", "type_id", "municipality__code", "municipality__kind"):
        if number in learners:
            rows.append((number, f"{type_id}:{size_band(learners[number])[0]}:{kind}", muni))
    return pd.DataFrame(rows, columns=["institution", "group", "municipality"])


def _visits() -> pd.DataFrame:
    return pd.DataFrame([(v.institution, v.school_year, v.kind) for v in visit_providers.all_visits()],
                        columns=["institution", "school_year", "kind"])


def visit_effect(*, years: Sequence[str], kinds: Sequence[str], municipality: str | None = None) -> list[Effect]:
    """The DiD of visits of `kinds` per indicator of visit_effect.yaml, for the nation (`municipality` None) or
    the visited institutions of one municipality against the national comparison (cached by the results' state
    and the visits' stamp)."""
    parts = f"{state_key(*years)}:{','.join(sorted(kinds))}:{municipality or ''}:{visit_providers.stamp()}"
    key = f"ikms:visit-effect:{hashlib.sha1(parts.encode(), usedforsecurity=False).hexdigest()}"
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    settings = effect_settings()
    effects = visit_effects(figures=_figures(years, [s.code for s in settings.indicators]), visits=_visits(),
                            institutions=_institutions(years), years=years, settings=settings, kinds=kinds,
                            treated_in=None if municipality is None else [municipality])
    django_cache.set(key, effects, CACHE_SECONDS)
    return effects
