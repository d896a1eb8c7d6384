"""The school risk score: an L2-regularised logistic regression on standardised features, with contributions.

Each institution's score is a probability ``1 / (1 + exp(-logit))`` where ``logit = intercept + Σ c_j`` and
``c_j = coefficient_j × z_j`` (``z_j`` the feature standardised with the training mean and spread; a missing
value takes the training mean, so z = 0 and it contributes nothing). The contributions are stored with the
score, so that a school that asks "why us?" reads which factors raised or lowered it, in log-odds that add up
to the score. Institutions of a type outside the model, or whose indicator coverage is below the definition's
minimum, are "not scored" (never a low score).

The saved model carries its version, training snapshot (the lake manifests or files read), feature list and
scikit-learn version; ``load`` refuses a model from another format or scikit-learn version (the pattern and
code of ``analytics.complaints.topics``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from analytics.complaints.topics import StaleModelError, load_checked, save
from analytics.risk_score.features import Definition, load_definition

MODEL_FORMAT = 1
SCORED, NOT_SCORED = "scored", "not_scored"
REASON_TYPE, REASON_COVERAGE = "type", "coverage"

__all__ = ["RiskModel", "StaleModelError", "load", "save", "scorable", "score", "train"]


@dataclass
class RiskModel:
    """A trained score: the standardisation, coefficients, and what is needed to trust it later."""

    version: str
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    training_years: tuple[str, ...]
    trained_on: int
    positives: int
    snapshot: dict[str, Any]
    definition_version: int
    min_coverage: float
    applies_to: tuple[str, ...]
    C: float
    random_state: int
    unused: tuple[str, ...] = ()  # features of the definition without any data in training
    format: int = MODEL_FORMAT
    sklearn_version: str = sklearn.__version__
    extra: dict[str, Any] = field(default_factory=dict)


def scorable(frame: pd.DataFrame, definition: Definition) -> tuple[pd.Series, pd.Series]:
    """Per row: whether it can be scored, and the reason where not ("type" outside the model, "coverage" too
    thin)."""
    in_type = frame["type"].isin(definition.applies_to)
    enough = frame["coverage"].fillna(0) >= definition.min_coverage
    reason = pd.Series(np.where(~in_type, REASON_TYPE, np.where(~enough, REASON_COVERAGE, "")), index=frame.index)
    return in_type & enough, reason


def _standardise(frame: pd.DataFrame, features: Sequence[str], means: np.ndarray, scales: np.ndarray) -> np.ndarray:
    x = frame[list(features)].to_numpy(dtype=float)
    z = (x - means) / scales
    return np.where(np.isnan(z), 0.0, z)


def train(frame: pd.DataFrame, outcome: pd.Series, *, definition: Definition | None = None,
          snapshot: Mapping[str, Any] | None = None, features: Sequence[str] | None = None) -> RiskModel:
    """Fit on the scorable rows of ``frame`` (``build_features`` rows of one or more years) against a boolean
    ``outcome`` (aligned on the index; missing outcomes are left out). Deterministic for the same input.

    ``features``: a subset of the definition's features (the "size and type only" baseline uses its own)."""
    d = definition or load_definition()
    ok, _ = scorable(frame, d)
    known = outcome.reindex(frame.index).notna()
    rows = frame[ok & known]
    y = outcome.reindex(rows.index).astype(bool).to_numpy()
    if len(rows) == 0 or y.all() or not y.any():
        raise ValueError("training needs scorable institutions with both outcomes")
    wanted = list(features) if features is not None else list(d.codes)
    used = [c for c in wanted if c in rows.columns and rows[c].notna().any()]
    unused = tuple(c for c in wanted if c not in used)
    x = rows[used].to_numpy(dtype=float)
    means = np.nanmean(x, axis=0)
    scales = np.nanstd(x, axis=0)
    scales = np.where(scales > 0, scales, 1.0)
    z = _standardise(rows, used, means, scales)
    # The default penalty is L2 (scikit-learn ≥ 1.8: l1_ratio 0); lbfgs is deterministic.
    classifier = LogisticRegression(C=d.C, solver="lbfgs", max_iter=5000, random_state=d.random_state)
    with threadpool_limits(1):
        classifier.fit(z, y)
    years = tuple(sorted(set(rows["school_year"].astype(str))))
    snap = dict(snapshot or {})
    digest = hashlib.sha256(json.dumps(
        {"features": used, "coef": [round(float(c), 10) for c in classifier.coef_[0]],
         "intercept": round(float(classifier.intercept_[0]), 10), "years": years, "snapshot": snap},
        sort_keys=True, default=str).encode()).hexdigest()[:10]
    return RiskModel(
        version=f"{d.version}.{digest}", features=tuple(used), means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in scales), coefficients=tuple(float(c) for c in classifier.coef_[0]),
        intercept=float(classifier.intercept_[0]), training_years=years, trained_on=len(rows),
        positives=int(y.sum()), snapshot=snap, definition_version=d.version, min_coverage=d.min_coverage,
        applies_to=d.applies_to, C=d.C, random_state=d.random_state, unused=unused)


def logits(model: RiskModel, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The per-feature contributions (rows × features, log-odds) and the logits (intercept + their sum)."""
    z = _standardise(frame, model.features, np.array(model.means), np.array(model.scales))
    contributions = z * np.array(model.coefficients)[None, :]
    return contributions, model.intercept + contributions.sum(axis=1)


def score(model: RiskModel, frame: pd.DataFrame, *, definition: Definition | None = None) -> pd.DataFrame:
    """One row per row of ``frame``: institution, school_year, status (scored / not_scored), reason,
    probability, logit, rank (1 = highest among the scored), percentile (share of the scored with a lower
    probability, 0–100), contributions ({feature: log-odds}, rounded to 6 places), intercept, values
    ({feature: the institution's value or None})."""
    d = definition or load_definition()
    d_model = Definition(**{**d.__dict__, "min_coverage": model.min_coverage, "applies_to": model.applies_to})
    ok, reason = scorable(frame, d_model)
    contributions, logit = logits(model, frame)
    probability = 1.0 / (1.0 + np.exp(-logit))
    ok_arr = ok.to_numpy()
    out = pd.DataFrame({
        "institution": frame["institution"].astype(str).to_numpy(),
        "school_year": frame["school_year"].astype(str).to_numpy(),
        "status": np.where(ok_arr, SCORED, NOT_SCORED),
        "reason": reason.to_numpy(),
        "probability": np.where(ok_arr, probability, np.nan),
        "logit": np.where(ok_arr, logit, np.nan),
    }, index=frame.index)
    scored_p = out.loc[ok, "probability"]
    out["rank"] = scored_p.rank(ascending=False, method="first").reindex(out.index)
    n = len(scored_p)
    out["percentile"] = (scored_p.rank(method="min") - 1).div(max(n, 1)).mul(100).reindex(out.index)
    features = list(model.features)
    out["contributions"] = pd.Series([
        {f: round(float(c), 6) for f, c in zip(features, row, strict=True)} if good else {}
        for row, good in zip(contributions, ok_arr, strict=True)], index=out.index, dtype=object)
    out["intercept"] = model.intercept
    out["values"] = pd.Series([
        {f: (None if pd.isna(v) else float(v)) for f, v in zip(features, row, strict=True)}
        for row in frame[features].to_numpy(dtype=float)], index=out.index, dtype=object)
    return out


def factor_text(definition: Definition, code: str, contribution: float, lang: str = "lv") -> str:
    """A factor in plain words: its label and whether it raised or lowered the risk."""
    label = definition.feature(code).label[lang]
    if abs(contribution) < 0.005:
        effect = {"lv": "gandrīz neietekmē risku", "en": "hardly affects the risk"}[lang]
    elif contribution > 0:
        effect = {"lv": "paaugstina risku", "en": "raises the risk"}[lang]
    else:
        effect = {"lv": "pazemina risku", "en": "lowers the risk"}[lang]
    return f"{label}: {effect}"


def load(path: Path) -> RiskModel:
    """A model written by ``save``; ``StaleModelError`` for another format or scikit-learn version."""
    model: RiskModel = load_checked(path, RiskModel, MODEL_FORMAT, "a risk score model")
    return model
