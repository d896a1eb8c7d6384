"""The effect of visits (issue 17, item 4): an indicator before and after a visit at the institutions visited,
against comparable institutions not visited in that period — a difference-in-differences, with a 95 % interval
and the number of institutions behind it.

It generalises the before/after comparison of two groups of `analytics.support.effect` (issue 15: pooled
figures of "support added" against "the others", no interval) to matched comparison groups, an interval and a
verdict. Inputs are plain tables (the web application passes them in; nothing here knows Django):

* `figures`: one row per institution, school year and indicator slice — columns `institution`, `school_year`,
  `indicator`, `semester`, `level`, `category`, `numerator`, `denominator` (the engine's stored values).
  An institution's figure in a year is `scale` × Σ numerators / Σ denominators over the slices the settings
  keep; a row without a numerator or a positive denominator is no data (never 0).
* `visits`: `institution`, `school_year` (of the visit day), `kind` — every visit of any kind.
* `institutions`: `institution`, `group` (the comparison cell: type, size band, municipality kind — the same
  institutions the dashboards compare), `municipality`.

The rule, per indicator and visit year t (for each t whose years t + before and t + after are held):

* treated: institutions with a visit of the chosen kinds in t; comparison: institutions of the same group with no
  visit of any kind in t + before … t + after.
* each unit's change Δ = figure(t + after) − figure(t + before); a unit missing either year drops out of that
  indicator (counted in `dropped_missing`), and a treated unit whose cell (group, t) has no comparison unit with
  both years drops out too (`dropped_no_comparison`).
* DiD = mean over treated units of (Δ_i − mean Δ of the comparison units of its cell). The comparison's before and
  after means are weighted by how many treated units each cell holds, so that
  DiD = (after − before)treated − (after − before)comparison exactly.
* 95 % interval: a seeded bootstrap over institutions — treated units resampled together, comparison units within
  their cell — the 2.5th and 97.5th percentiles of the resampled DiD.
* "too few to tell": fewer than `min_institutions` distinct institutions in either group, or an interval wider
  than the indicator's `max_width`. Otherwise: "no measurable change" when the interval holds 0, else better or
  worse than comparable institutions by the indicator's direction.

Limits (the page says them): DiD assumes that without the visit the visited institutions would have changed as
the comparison did (parallel trends); visits are not random (a low result may prompt one), so a change back
towards the mean can look like an effect; an institution compared in several visit years counts in each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analytics.spec.loader import DEFINITIONS_ROOT

SETTINGS_PATH = DEFINITIONS_ROOT / "visit_effect.yaml"

#: A visit year t: (t, the year before, the year after, the treated institutions).
Cohort = tuple[str, str, str, list[str]]

NO_CHANGE, IMPROVED, WORSENED, TOO_FEW = "no_change", "improved", "worsened", "too_few"


@dataclass(frozen=True)
class IndicatorSetting:
    code: str
    name: dict[str, str]
    scale: float
    higher_is_better: bool
    max_width: float
    semester: int | None = None
    level: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Settings:
    before: int
    after: int
    min_institutions: int
    bootstrap: int
    seed: int
    indicators: tuple[IndicatorSetting, ...]


def parse_settings(doc: dict) -> Settings:
    """Settings from visit_effect.yaml's document; a wrong one is a ValueError naming what is wrong."""
    try:
        before, after = int(doc["before"]), int(doc["after"])
        if before >= 0 or after <= 0:
            raise ValueError("before must be negative and after positive (offsets from the visit's school year)")
        indicators = []
        for item in doc["indicators"]:
            if item["better"] not in ("higher", "lower"):
                raise ValueError(f"{item['code']}: better must be higher or lower")
            indicators.append(IndicatorSetting(
                code=str(item["code"]), name={k: str(v) for k, v in item["name"].items()},
                scale=float(item.get("scale", 1)), higher_is_better=item["better"] == "higher",
                max_width=float(item["max_width"]), semester=item.get("semester"), level=item.get("level"),
                category=item.get("category")))
        settings = Settings(before=before, after=after, min_institutions=int(doc["min_institutions"]),
                            bootstrap=int(doc["bootstrap"]), seed=int(doc["seed"]), indicators=tuple(indicators))
    except (KeyError, TypeError) as exc:
        raise ValueError(f"visit_effect.yaml: {exc!r}") from exc
    if settings.min_institutions < 2 or settings.bootstrap < 100:
        raise ValueError("visit_effect.yaml: min_institutions must be 2 or more and bootstrap 100 or more")
    return settings


def load_settings(path: Path = SETTINGS_PATH) -> Settings:
    return parse_settings(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Effect:
    """One indicator's difference-in-differences; figures are None where there are no units at all."""

    indicator: str
    higher_is_better: bool
    treated: int  # distinct institutions behind the visited group's figures
    comparison: int  # distinct institutions behind the comparison's figures
    treated_units: int  # institution-visit years (an institution visited in two years counts twice)
    dropped_missing: int  # visited institution-years without a value before or after
    dropped_no_comparison: int  # visited institution-years whose cell has no comparison with both years
    before_treated: float | None = None
    after_treated: float | None = None
    before_comparison: float | None = None
    after_comparison: float | None = None
    did: float | None = None
    low: float | None = None
    high: float | None = None
    verdict: str = TOO_FEW

    @property
    def too_few(self) -> bool:
        return self.verdict == TOO_FEW


def institution_figures(figures: pd.DataFrame, setting: IndicatorSetting) -> pd.Series:
    """The indicator's figure per (institution, school year): scale × Σ numerators / Σ denominators over the
    slices kept; rows without a numerator or with no positive denominator are no data."""
    rows = figures[figures["indicator"] == setting.code]
    for column in ("semester", "level", "category"):
        wanted = getattr(setting, column)
        if wanted is not None:
            rows = rows[rows[column] == wanted]
    rows = rows[rows["numerator"].notna() & rows["denominator"].notna() & (rows["denominator"] > 0)]
    if rows.empty:
        return pd.Series(dtype=float)
    sums = rows.groupby(["institution", "school_year"])[["numerator", "denominator"]].sum()
    return setting.scale * sums["numerator"] / sums["denominator"]


def _shift(years: Sequence[str], year: str, offset: int) -> str | None:
    i = years.index(year) + offset
    return years[i] if 0 <= i < len(years) else None


def visit_effects(*, figures: pd.DataFrame, visits: pd.DataFrame, institutions: pd.DataFrame,
                  years: Sequence[str], settings: Settings, kinds: Iterable[str],
                  treated_in: Iterable[str] | None = None) -> list[Effect]:
    """Per indicator of the settings, the DiD of visits of `kinds`. `treated_in`: only visited institutions of
    these municipalities count as treated (a municipality's page); the comparison stays national."""
    years = list(years)
    kinds = set(kinds)
    group = dict(zip(institutions["institution"], institutions["group"], strict=True))
    municipality = dict(zip(institutions["institution"], institutions["municipality"], strict=True))
    areas = None if treated_in is None else set(treated_in)
    visited_years: dict[str, set[str]] = {}
    for inst, year in zip(visits["institution"], visits["school_year"], strict=True):
        visited_years.setdefault(inst, set()).add(year)
    cohorts: list[Cohort] = []
    for t in years:
        b, a = _shift(years, t, settings.before), _shift(years, t, settings.after)
        if b is None or a is None:
            continue
        chosen = visits[(visits["school_year"] == t) & visits["kind"].isin(kinds)]["institution"]
        treated = sorted({i for i in chosen if i in group and (areas is None or municipality.get(i) in areas)})
        cohorts.append((t, b, a, treated))
    window = {t: set(years[years.index(t) + settings.before: years.index(t) + settings.after + 1])
              for t, *_ in cohorts}
    out = []
    for setting in settings.indicators:
        value = institution_figures(figures, setting).to_dict()
        out.append(_effect(setting, settings, cohorts=cohorts, window=window, value=value, group=group,
                           visited_years=visited_years))
    return out


def _effect(setting: IndicatorSetting, settings: Settings, *, cohorts: list[Cohort], window: dict[str, set[str]],
            value: dict, group: dict,
            visited_years: dict[str, set[str]]) -> Effect:
    t_before: list[float] = []
    t_after: list[float] = []
    t_cell: list[int] = []
    t_inst: set[str] = set()
    c_changes: list[np.ndarray] = []  # per cell: the comparison units' changes
    c_means: list[tuple[float, float]] = []  # per cell: mean before, mean after
    c_inst: set[str] = set()
    dropped_missing = dropped_no_comparison = 0
    for t, b, a, treated in cohorts:
        quiet = {i: g for i, g in group.items() if not (visited_years.get(i, set()) & window[t])}
        by_cell: dict[str, list[tuple[str, float, float]]] = {}
        for inst, g in quiet.items():
            vb, va = value.get((inst, b)), value.get((inst, a))
            if vb is not None and va is not None:
                by_cell.setdefault(g, []).append((inst, vb, va))
        cell_index: dict[str, int] = {}
        for inst in treated:
            vb, va = value.get((inst, b)), value.get((inst, a))
            if vb is None or va is None:
                dropped_missing += 1
                continue
            g = group[inst]
            if g not in by_cell:
                dropped_no_comparison += 1
                continue
            if g not in cell_index:
                cell_index[g] = len(c_changes)
                units = by_cell[g]
                c_changes.append(np.array([u[2] - u[1] for u in units]))
                c_means.append((float(np.mean([u[1] for u in units])), float(np.mean([u[2] for u in units]))))
                c_inst.update(u[0] for u in units)
            t_before.append(vb)
            t_after.append(va)
            t_cell.append(cell_index[g])
            t_inst.add(inst)
    base = Effect(indicator=setting.code, higher_is_better=setting.higher_is_better, treated=len(t_inst),
                  comparison=len(c_inst), treated_units=len(t_before), dropped_missing=dropped_missing,
                  dropped_no_comparison=dropped_no_comparison)
    if not t_before:
        return base
    before, after, cell = np.array(t_before), np.array(t_after), np.array(t_cell)
    cmp_before = np.array([c_means[c][0] for c in cell])
    cmp_after = np.array([c_means[c][1] for c in cell])
    did = float(np.mean((after - before) - (cmp_after - cmp_before)))
    low, high = _interval(after - before, cell, c_changes, settings)
    few = len(t_inst) < settings.min_institutions or len(c_inst) < settings.min_institutions
    if few or high - low > setting.max_width:
        verdict = TOO_FEW
    elif low <= 0 <= high:
        verdict = NO_CHANGE
    else:
        verdict = IMPROVED if (did > 0) == setting.higher_is_better else WORSENED
    return replace(base, before_treated=float(before.mean()), after_treated=float(after.mean()),
                   before_comparison=float(cmp_before.mean()), after_comparison=float(cmp_after.mean()), did=did,
                   low=low, high=high, verdict=verdict)


def _interval(change: np.ndarray, cell: np.ndarray, c_changes: list[np.ndarray],
              settings: Settings) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of the DiD over bootstrap resamples: treated units resampled together,
    each cell's comparison units within the cell (seeded: the same data give the same interval)."""
    rng = np.random.default_rng(settings.seed)
    n_boot = settings.bootstrap
    cmp_mean = np.empty((len(c_changes), n_boot))
    for c, changes in enumerate(c_changes):
        draws = rng.integers(0, len(changes), size=(n_boot, len(changes)))
        cmp_mean[c] = changes[draws].mean(axis=1)
    pick = rng.integers(0, len(change), size=(n_boot, len(change)))
    boot = (change[pick] - cmp_mean[cell[pick], np.arange(n_boot)[:, None]]).mean(axis=1)
    low, high = np.percentile(boot, [2.5, 97.5])
    return float(low), float(high)
