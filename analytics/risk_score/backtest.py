"""Back-test of the school risk score: train on earlier years, evaluate on held-out later years.

For each held-out school year Y the score is trained on the years before Y and ranks the scorable
institutions of Y; the top 10 % and 20 % (within each year, as a year's visits would be chosen) are compared
with the **outcome** of the next year. The outcome is a parameter (``outcome_kind``):

* ``"latent"`` (synthetic data, the ground truth there): the institution's hidden latent quality in year Y+1
  is in the bottom ``bottom_quantile`` of the scorable institutions of Y (``latent_outcome``);
* ``"evaluation"`` (real data): any "Jāpilnveido"/"Nepietiekami" rating in the institution's next
  accreditation evaluation after Y (``evaluation_outcome``); institutions without a later evaluation have no
  outcome and are left out.

Figures, pooled over the held-out years: precision (share of the selected with the outcome), recall (share of
those with the outcome that were selected) and lift (precision over the base rate) of the top shares, each
with a seeded bootstrap 95 % interval (institutions resampled within each year); the same for two baselines,
the rule count (sum of rule weights, as the risk list ranks today; ties by registration number) and a
logistic regression on school size and type only; the paired difference of recall (score minus rule
baseline) with its interval; a calibration table (deciles of the predicted probability: mean predicted vs
observed share); and false-alarm and miss rates of the score's top 10 % by institution type, size band,
municipality kind and language of instruction, with an alarm where a dimension's rates differ by more than
the margin (``subgroup_table``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analytics.risk_score.features import Definition, load_definition
from analytics.risk_score.model import RiskModel, scorable, score, train

POOR_RATINGS = ("Jāpilnveido", "Nepietiekami")
SUBGROUP_DIMENSIONS = ("type", "size_band", "municipality_kind", "language")
SIZE_TYPE = ("school_size",)


# --- outcomes ------------------------------------------------------------------------------------------------

def latent_outcome(latent: pd.DataFrame, institutions: Sequence[str], *, steps_from_calibration: int,
                   bottom_quantile: float) -> pd.Series:
    """True where the latent quality ``latent_quality + latent_trend × steps`` (the generator's model; steps is
    the outcome year's index minus the calibration year's) is in the bottom quantile of ``institutions``."""
    table = latent.set_index(latent["institution"].astype(str))
    chosen = table.reindex([str(i) for i in institutions])
    quality = chosen["latent_quality"] + chosen["latent_trend"] * steps_from_calibration
    cut = quality.quantile(bottom_quantile)
    return (quality <= cut).where(quality.notna())


def evaluation_outcome(evaluations: pd.DataFrame, institutions: Sequence[str], *, after_year: str) -> pd.Series:
    """Per institution: True where its first evaluation of a school year after ``after_year`` has any rating
    in ``POOR_RATINGS``, False where it has none, missing (NaN) where it had no later evaluation.

    ``evaluations``: institution, school_year, rating (one row per rated criterion)."""
    later = evaluations[evaluations["school_year"].astype(str) > after_year].copy()
    later["institution"] = later["institution"].astype(str)
    first = later.groupby("institution")["school_year"].transform("min")
    nxt = later[later["school_year"] == first]
    poor = nxt.groupby("institution")["rating"].agg(lambda r: bool(set(r) & set(POOR_RATINGS)))
    return pd.Series([poor.get(str(i), np.nan) for i in institutions], index=list(institutions), dtype=object)


# --- metrics -------------------------------------------------------------------------------------------------

def top_k(n: int, share: float) -> int:
    """How many of ``n`` institutions the top ``share`` holds: ceil(share × n), at least 1 where n > 0."""
    return min(n, max(1, math.ceil(share * n - 1e-9))) if n else 0


def selected(scores: np.ndarray, keys: np.ndarray, share: float) -> np.ndarray:
    """Boolean mask of the top ``share`` by score (highest first, ties by key ascending)."""
    order = np.lexsort((keys, -scores))
    mask = np.zeros(len(scores), dtype=bool)
    mask[order[:top_k(len(scores), share)]] = True
    return mask


def rates(chosen: np.ndarray, outcome: np.ndarray) -> dict[str, float | int | None]:
    """Precision, recall and lift of a selection against an outcome (None where undefined)."""
    tp = int((chosen & outcome).sum())
    k, positives, n = int(chosen.sum()), int(outcome.sum()), len(outcome)
    precision = tp / k if k else None
    recall = tp / positives if positives else None
    base = positives / n if n else None
    lift = precision / base if precision is not None and base else None
    return {"selected": k, "true_positives": tp, "positives": positives, "n": n,
            "precision": precision, "recall": recall, "lift": lift}


def _pooled(groups: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], share: float) -> dict[str, Any]:
    chosen = np.concatenate([selected(s, k, share) for s, k, _ in groups]) if groups else np.array([], bool)
    outcome = np.concatenate([o for _, _, o in groups]) if groups else np.array([], bool)
    return rates(chosen, outcome)


def _interval(values: list[float]) -> list[float] | None:
    good = [v for v in values if v is not None and np.isfinite(v)]
    if not good:
        return None
    low, high = np.percentile(good, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def bootstrap(groups: Mapping[str, Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]], share: float, *,
              draws: int, seed: int) -> dict[str, dict[str, list[float] | None]]:
    """Seeded bootstrap 95 % intervals of precision, recall and lift for each ranking in ``groups`` (name ->
    per year (scores, keys, outcome), the years aligned across rankings), resampling institutions within each
    year with the same draw for every ranking, so that ``difference_recall`` (first ranking minus each other)
    is paired."""
    rng = np.random.default_rng(seed)
    names = list(groups)
    samples: dict[str, dict[str, list[float]]] = {n: {"precision": [], "recall": [], "lift": []} for n in names}
    diffs: dict[str, list[float]] = {n: [] for n in names[1:]}
    sizes = [len(o) for _, _, o in groups[names[0]]]
    for _ in range(draws):
        picks = [rng.integers(0, size, size) for size in sizes]
        recall_of = {}
        for name in names:
            resampled = [(s[p], k[p], o[p]) for (s, k, o), p in zip(groups[name], picks, strict=True)]
            r = _pooled(resampled, share)
            for key in ("precision", "recall", "lift"):
                samples[name][key].append(r[key] if r[key] is not None else np.nan)
            recall_of[name] = r["recall"]
        for name in names[1:]:
            a, b = recall_of[names[0]], recall_of[name]
            diffs[name].append(a - b if a is not None and b is not None else np.nan)
    out: dict[str, dict[str, list[float] | None]] = {
        name: {key: _interval(vals) for key, vals in samples[name].items()} for name in names}
    for name in names[1:]:
        out[name]["difference_recall"] = _interval(diffs[name])
    return out


def calibration_table(probability: np.ndarray, outcome: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    """Deciles (``bins`` equal-count groups by predicted probability, lowest first): n, mean predicted,
    observed share."""
    order = np.argsort(probability, kind="stable")
    rows = []
    for b, part in enumerate(np.array_split(order, bins), start=1):
        if len(part) == 0:
            continue
        rows.append({"bin": b, "n": len(part), "predicted": round(float(probability[part].mean()), 4),
                     "observed": round(float(outcome[part].mean()), 4)})
    return rows


def subgroup_table(frame: pd.DataFrame, *, chosen: str = "selected", outcome: str = "outcome",
                   dimensions: Sequence[str] = SUBGROUP_DIMENSIONS, margin_pp: float = 10.0,
                   min_n: int = 10) -> dict[str, Any]:
    """False-alarm rate (selected among those without the outcome) and miss rate (not selected among those
    with it) per group of each dimension, the largest gap between groups of a dimension (percentage points,
    over groups with at least ``min_n`` institutions behind the rate), and an alarm where a gap exceeds
    ``margin_pp``. A dimension with no values is reported "not held"."""
    dims: dict[str, Any] = {}
    max_fa, max_miss = 0.0, 0.0
    alarms = []
    for dim in dimensions:
        if dim not in frame.columns or frame[dim].isna().all():
            dims[dim] = {"held": False, "groups": [], "false_alarm_gap_pp": None, "miss_gap_pp": None,
                         "alarm": False}
            continue
        groups = []
        for value, part in frame[frame[dim].notna()].groupby(dim, sort=True):
            sel, out = part[chosen].astype(bool).to_numpy(), part[outcome].astype(bool).to_numpy()
            negatives, positives = int((~out).sum()), int(out.sum())
            groups.append({
                "group": str(value), "n": len(part), "negatives": negatives, "positives": positives,
                "false_alarm_rate": round(float((sel & ~out).sum() / negatives), 4) if negatives else None,
                "miss_rate": round(float((~sel & out).sum() / positives), 4) if positives else None,
            })

        fa_gap = _gap(groups, "false_alarm_rate", "negatives", min_n)
        miss_gap = _gap(groups, "miss_rate", "positives", min_n)
        alarm = any(g is not None and g > margin_pp for g in (fa_gap, miss_gap))
        if alarm:
            alarms.append(dim)
        max_fa = max(max_fa, fa_gap or 0.0)
        max_miss = max(max_miss, miss_gap or 0.0)
        dims[dim] = {"held": True, "groups": groups, "false_alarm_gap_pp": fa_gap, "miss_gap_pp": miss_gap,
                     "alarm": alarm}
    return {"dimensions": dims, "margin_pp": margin_pp, "min_n": min_n, "alarm": bool(alarms),
            "alarm_dimensions": alarms, "max_false_alarm_gap_pp": max_fa, "max_miss_gap_pp": max_miss}


def _gap(groups: list[dict[str, Any]], key: str, base: str, min_n: int) -> float | None:
    """The largest difference of a rate between groups with at least ``min_n`` behind it, in points."""
    vals = [g[key] for g in groups if g[key] is not None and g[base] >= min_n]
    return round((max(vals) - min(vals)) * 100, 1) if len(vals) >= 2 else None


# --- the back-test -------------------------------------------------------------------------------------------

def with_type_columns(frame: pd.DataFrame, types: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """The frame with one 0/1 column per institution type (the size-and-type baseline's features)."""
    frame = frame.copy()
    columns = []
    for t in types:
        column = f"type_is_{t}"
        frame[column] = (frame["type"] == t).astype(float)
        columns.append(column)
    return frame, columns


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def run_backtest(frames: Mapping[str, pd.DataFrame], outcomes: Mapping[str, pd.Series], *,
                 definition: Definition | None = None, outcome_kind: str = "latent",
                 trainer: Callable[..., RiskModel] = train) -> dict[str, Any]:
    """Back-test over the school years of ``frames`` (``build_features`` frames, one per year, in any order)
    with ``outcomes`` (per year, a boolean Series on the frame's index; NaN where unknown). Every year but the
    first is held out in turn, trained on the years before it. Returns a JSON-ready dict (see the module)."""
    d = definition or load_definition()
    years = sorted(frames)
    if len(years) < 2:
        raise ValueError("the back-test needs at least two school years")
    held_out = years[1:]
    types = sorted(set(d.applies_to))
    rankings: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {"score": [], "rules": [], "size": []}
    pooled_p, pooled_o, subgroup_rows, per_year = [], [], [], []
    models = {}
    for y in held_out:
        train_frame = pd.concat([frames[t] for t in years if t < y])
        train_outcome = pd.concat([outcomes[t].reindex(frames[t].index) for t in years if t < y])
        train_frame = train_frame.reset_index(drop=True)
        train_outcome = train_outcome.reset_index(drop=True)
        model = trainer(train_frame, train_outcome, definition=d)
        models[y] = model
        test = frames[y]
        ok, _ = scorable(test, d)
        known = outcomes[y].reindex(test.index).notna()
        rows = test[ok & known]
        outcome = outcomes[y].reindex(rows.index).astype(bool).to_numpy()
        keys = rows["institution"].astype(str).to_numpy()
        probability = score(model, rows, definition=d)["probability"].to_numpy(dtype=float)
        rankings["score"].append((probability, keys, outcome))
        rankings["rules"].append((rows["rule_weight"].to_numpy(dtype=float), keys, outcome))
        sized_train, type_columns = with_type_columns(train_frame, types)
        size_model = trainer(sized_train, train_outcome, definition=d, features=[*SIZE_TYPE, *type_columns])
        sized_rows, _ = with_type_columns(rows, types)
        size_p = score(size_model, sized_rows, definition=d)["probability"].to_numpy(dtype=float)
        rankings["size"].append((size_p, keys, outcome))
        pooled_p.append(probability)
        pooled_o.append(outcome)
        part = rows[["institution", *[c for c in SUBGROUP_DIMENSIONS if c in rows.columns]]].copy()
        part["selected"] = selected(probability, keys, d.top_shares[0])
        part["outcome"] = outcome
        subgroup_rows.append(part)
        per_year.append({"year": y, "trained_on": list(model.training_years), "n": len(rows),
                         "positives": int(outcome.sum()), "not_scored": int((~ok).sum()),
                         "model_version": model.version})
    result: dict[str, Any] = {"outcome_kind": outcome_kind, "held_out_years": held_out, "years": per_year,
                              "bottom_quantile": d.bottom_quantile, "top_shares": list(d.top_shares),
                              "bootstrap_draws": d.bootstrap_draws, "bootstrap_seed": d.bootstrap_seed,
                              "rankings": {}}
    for share in d.top_shares:
        intervals = bootstrap(rankings, share, draws=d.bootstrap_draws, seed=d.bootstrap_seed)
        for name, groups in rankings.items():
            point = _pooled(groups, share)
            entry = result["rankings"].setdefault(name, {})
            entry[f"top{round(share * 100)}"] = {
                **{k: point[k] for k in ("selected", "true_positives", "positives", "n")},
                **{k: _r(point[k]) for k in ("precision", "recall", "lift")},
                **{f"{k}_ci": v for k, v in intervals[name].items()},
            }
    probability_all, outcome_all = np.concatenate(pooled_p), np.concatenate(pooled_o)
    result["calibration"] = calibration_table(probability_all, outcome_all)
    result["base_rate"] = _r(float(outcome_all.mean()))
    result["subgroups"] = subgroup_table(pd.concat(subgroup_rows), margin_pp=d.subgroup_margin_pp,
                                         min_n=d.min_subgroup_n)
    last = models[held_out[-1]]
    result["coefficients"] = {f: round(c, 4) for f, c in zip(last.features, last.coefficients, strict=True)}
    return result


def summary(result: Mapping[str, Any]) -> dict[str, Any]:
    """The headline keys of ``benchmarks/results/risk_backtest.json``."""
    r = result["rankings"]
    return {
        "held_out_years": list(result["held_out_years"]),
        "top10_recall": r["score"]["top10"]["recall"],
        "top10_recall_ci": r["score"]["top10"]["recall_ci"],
        "top10_recall_rules_baseline": r["rules"]["top10"]["recall"],
        "top10_recall_size_baseline": r["size"]["top10"]["recall"],
        "top10_recall_minus_rules_ci": r["rules"]["top10"].get("difference_recall_ci"),
        "top20_recall": r["score"]["top20"]["recall"],
        "subgroup_max_false_alarm_gap_pp": result["subgroups"]["max_false_alarm_gap_pp"],
    }


def latent_outcomes(frames: Mapping[str, pd.DataFrame], latent: pd.DataFrame, *, years: Sequence[str],
                    calibration_year: str, definition: Definition | None = None) -> dict[str, pd.Series]:
    """The synthetic outcome of each frame's year Y (on the frame's index, NaN for rows not scorable): the
    latent quality of Y+1 in the bottom quantile of Y's scorable institutions. ``years``: the generator's
    school years (the latent trend counts from ``calibration_year``'s position among them)."""
    d = definition or load_definition()
    cal = list(years).index(calibration_year)
    out = {}
    for year, frame in frames.items():
        ok, _ = scorable(frame, d)
        steps = list(years).index(year) + 1 - cal
        flags = latent_outcome(latent, frame.loc[ok, "institution"].tolist(), steps_from_calibration=steps,
                               bottom_quantile=d.bottom_quantile)
        out[year] = pd.Series(flags.to_numpy(), index=frame.index[ok.to_numpy()]).reindex(frame.index)
    return out


def train_all(frames: Mapping[str, pd.DataFrame], outcomes: Mapping[str, pd.Series], *,
              definition: Definition | None = None, snapshot: Mapping[str, Any] | None = None) -> RiskModel:
    """The model for scoring: trained on every year with a known outcome."""
    years = [y for y in sorted(frames) if outcomes[y].notna().any()]
    frame = pd.concat([frames[y] for y in years]).reset_index(drop=True)
    outcome = pd.concat([outcomes[y].reindex(frames[y].index) for y in years]).reset_index(drop=True)
    return train(frame, outcome, definition=definition, snapshot=snapshot)
