"""Features of the school risk score per institution and school year, from the engine's computed values.

``build_features`` takes what ``analytics.run.compute`` returns for a school year (indicator values, rule
flags) with the register frame, and optionally the ``complaints`` dataset and an evaluation history, and gives
one row per institution: the features of ``analytics/definitions/risk_score.yaml``, the coverage (share of
the indicator features with data), and the descriptive columns the back-test breaks errors down by (type,
municipality kind, size band, language of instruction where the register holds it). A missing indicator stays
missing here (NaN): the model imputes the training mean, so that "no data" contributes nothing, never 0."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

DEFINITION_FILE = Path(__file__).resolve().parents[1] / "definitions" / "risk_score.yaml"
SOURCES = ("indicator", "rules", "complaints", "evaluations", "coverage")
WEIGHTS = {"high": 3, "medium": 2, "low": 1}
DESCRIPTIVE = ("institution", "school_year", "type", "municipality", "municipality_kind", "size_band", "language",
               "learners")


@dataclass(frozen=True)
class Feature:
    code: str
    source: str
    label: dict[str, str]
    indicator: str | None = None
    transform: str | None = None


@dataclass(frozen=True)
class Definition:
    """The score's definition file, read and checked."""

    version: int
    features: tuple[Feature, ...]
    applies_to: tuple[str, ...]
    min_coverage: float
    C: float
    random_state: int
    bottom_quantile: float
    top_shares: tuple[float, ...]
    bootstrap_draws: int
    bootstrap_seed: int
    subgroup_margin_pp: float
    min_subgroup_n: int
    size_bands: tuple[dict[str, Any], ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.features)

    @property
    def indicator_features(self) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.source == "indicator")

    def feature(self, code: str) -> Feature:
        return next(f for f in self.features if f.code == code)


def load_definition(path: Path = DEFINITION_FILE) -> Definition:
    """The definition file; features need a unique code, a known source and labels in lv and en."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    features = []
    for entry in doc["features"]:
        if entry["source"] not in SOURCES:
            raise ValueError(f"{Path(path).name}: feature {entry['code']!r} has unknown source {entry['source']!r}")
        if not all(str(entry["label"].get(lang) or "").strip() for lang in ("lv", "en")):
            raise ValueError(f"{Path(path).name}: feature {entry['code']!r} needs a label in lv and en")
        if entry["source"] == "indicator" and not entry.get("indicator"):
            raise ValueError(f"{Path(path).name}: feature {entry['code']!r} names no indicator")
        features.append(Feature(entry["code"], entry["source"], dict(entry["label"]), entry.get("indicator"),
                                entry.get("transform")))
    codes = [f.code for f in features]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{Path(path).name}: duplicate feature codes")
    back = doc["backtest"]
    return Definition(
        version=int(doc["version"]), features=tuple(features), applies_to=tuple(doc["applies_to"]),
        min_coverage=float(doc["min_coverage"]), C=float(doc["model"]["C"]),
        random_state=int(doc["model"]["random_state"]), bottom_quantile=float(doc["outcome"]["bottom_quantile"]),
        top_shares=tuple(float(s) for s in back["top_shares"]), bootstrap_draws=int(back["bootstrap_draws"]),
        bootstrap_seed=int(back["bootstrap_seed"]), subgroup_margin_pp=float(back["subgroup_margin_pp"]),
        min_subgroup_n=int(back["min_subgroup_n"]), size_bands=tuple(doc["size_bands"]))


def size_band(learners: float | None, bands: tuple[dict[str, Any], ...]) -> str | None:
    """The code of the size band of a number of learners; None where the number is unknown."""
    if learners is None or not np.isfinite(learners):
        return None
    for band in bands:
        if band["upto"] is None or learners <= band["upto"]:
            return str(band["code"])
    return None


def rule_weights(rules: Any) -> dict[str, int]:
    """Rule code -> weight by importance (high 3, medium 2, low 1), as the rule-ranked risk list weighs them."""
    return {r.code: WEIGHTS.get(r.importance, 1) for r in rules}


def build_features(
    *,
    school_year: str,
    register: pd.DataFrame,
    values: pd.DataFrame,
    flags: pd.DataFrame,
    weights: Mapping[str, int],
    complaints: pd.DataFrame | None = None,
    evaluations: pd.DataFrame | None = None,
    municipality_kinds: Mapping[str, str] | None = None,
    definition: Definition | None = None,
) -> pd.DataFrame:
    """One row per institution of the register (columns ``DESCRIPTIVE``, the feature codes, ``coverage``).

    ``register``: institution, type, municipality, optionally language. ``values``/``flags``: the frames of
    ``ComputeResult`` (institution values have grain "institution" and the institution in ``unit``).
    ``complaints``: the lake dataset (institution, complaints); None where the year has no partition (then the
    feature is missing, not 0). ``evaluations``: institution, school_year, poor (bool) — evaluations *before*
    this year count; None where no records exist. ``municipality_kinds``: municipality code -> kind
    (state_city / municipality)."""
    d = definition or load_definition()
    frame = pd.DataFrame({"institution": register["institution"].astype(str).to_numpy()})
    frame["school_year"] = school_year
    frame["type"] = register["type"].astype(str).to_numpy()
    frame["municipality"] = register["municipality"].astype(str).to_numpy()
    kinds = municipality_kinds or {}
    frame["municipality_kind"] = [kinds.get(m) for m in frame["municipality"]]
    frame["language"] = (register["language"].astype(str).to_numpy() if "language" in register.columns
                         else None)
    inst = values[values["grain"] == "institution"]
    means = inst.groupby(["indicator", "unit"])["value"].mean() if len(inst) else pd.Series(dtype=float)
    learners = means.get("learners_enrolled", pd.Series(dtype=float))
    frame["learners"] = frame["institution"].map(learners).astype(float)
    frame["size_band"] = [size_band(v, d.size_bands) for v in frame["learners"]]
    for f in d.indicator_features:
        series = means.get(f.indicator, pd.Series(dtype=float)) if f.indicator in means.index.get_level_values(0) \
            else pd.Series(dtype=float)
        column = frame["institution"].map(series).astype(float)
        frame[f.code] = np.log1p(column.clip(lower=0)) if f.transform == "log1p" else column
    indicator_codes = [f.code for f in d.indicator_features]
    frame["coverage"] = frame[indicator_codes].notna().mean(axis=1) if indicator_codes else 0.0
    for f in d.features:
        if f.source == "rules":
            flagged = flags.groupby("institution")["rule"].agg(lambda r: sum(weights.get(c, 1) for c in set(r)))
            frame[f.code] = frame["institution"].map(flagged).fillna(0).astype(float)
        elif f.source == "complaints":
            if complaints is None:
                frame[f.code] = np.nan
            else:
                counts = complaints.set_index(complaints["institution"].astype(str))["complaints"].astype(float)
                per_100 = frame["institution"].map(counts) / frame["learners"].where(frame["learners"] > 0) * 100
                frame[f.code] = per_100.astype(float)
        elif f.source == "evaluations":
            if evaluations is None or evaluations.empty:
                frame[f.code] = np.nan
            else:
                earlier = evaluations[evaluations["school_year"].astype(str) < school_year]
                poor = earlier.groupby(earlier["institution"].astype(str))["poor"].sum().astype(float)
                frame[f.code] = frame["institution"].map(poor).fillna(0.0)
    return frame
