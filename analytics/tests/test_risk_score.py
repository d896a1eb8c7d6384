"""The school risk score: contributions add up to the score, thin data is "not scored", training is
deterministic, the back-test's metrics on hand-made examples, and the subgroup alarm with a biased toy model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.risk_score import backtest as bt
from analytics.risk_score.features import build_features, load_definition, size_band
from analytics.risk_score.model import (
    NOT_SCORED,
    SCORED,
    StaleModelError,
    factor_text,
    load,
    save,
    score,
    train,
)

DEF = load_definition()


def _frame(n: int, year: str = "2022/2023", seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """n basic schools with every feature, full coverage, and an outcome driven by two of the features."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"institution": [f"9{i:09d}" for i in range(n)], "school_year": year, "type": "basic",
                          "municipality": "LV-RIX", "municipality_kind": "state_city", "size_band": "medium",
                          "language": None, "learners": 200.0})
    for code in DEF.codes:
        frame[code] = rng.normal(size=n)
    frame["coverage"] = 1.0
    frame["complaints"] = np.nan  # no complaint register: missing, not 0
    logit = -1.5 - 1.2 * frame["wellbeing_pupils"] + 0.8 * frame["rule_weight"] + rng.normal(0, 0.5, n)
    return frame, pd.Series(logit > 0, index=frame.index)


def test_contributions_sum_to_the_score_logit() -> None:
    frame, outcome = _frame(120)
    model = train(frame, outcome)
    scored = score(model, frame)
    assert (scored["status"] == SCORED).all()
    total = scored["intercept"] + scored["contributions"].map(lambda c: sum(c.values()))
    assert np.allclose(total, scored["logit"], atol=1e-4)
    assert np.allclose(1 / (1 + np.exp(-scored["logit"])), scored["probability"])
    # the contribution is coefficient × standardised value; the missing complaints contribute nothing
    assert "complaints" in model.unused and "complaints" not in scored["contributions"][0]
    i = model.features.index("wellbeing_pupils")
    z = (frame["wellbeing_pupils"][0] - model.means[i]) / model.scales[i]
    assert scored["contributions"][0]["wellbeing_pupils"] == pytest.approx(model.coefficients[i] * z, abs=1e-6)
    assert model.coefficients[i] < 0  # better well-being, lower risk
    assert factor_text(DEF, "wellbeing_pupils", -0.3, "en") == "Pupils' well-being: lowers the risk"
    assert factor_text(DEF, "rule_weight", 0.4, "lv") == "Riska noteikumu signāli (svērti): paaugstina risku"


def test_too_little_data_is_not_scored_never_a_low_score() -> None:
    frame, outcome = _frame(60)
    model = train(frame, outcome)
    thin = frame.head(3).copy()
    thin.loc[0, "coverage"] = DEF.min_coverage - 0.01
    thin.loc[1, "type"] = "preschool"
    scored = score(model, thin)
    assert list(scored["status"]) == [NOT_SCORED, NOT_SCORED, SCORED]
    assert list(scored["reason"]) == ["coverage", "type", ""]
    assert scored["probability"][:2].isna().all() and scored["rank"][:2].isna().all()
    assert scored["rank"][2] == 1 and scored["percentile"][2] == 0


def test_coverage_counts_indicator_features_with_data() -> None:
    register = pd.DataFrame({"institution": ["1", "2"], "type": ["basic", "basic"], "municipality": ["LV-RIX"] * 2})
    values = pd.DataFrame({"indicator": ["learners_enrolled", "learners_enrolled", "wellbeing_pupil_index",
                                         "wellbeing_pupil_index"],
                           "grain": "institution", "unit": ["1", "2", "1", "1"], "value": [99.0, 500.0, 3.0, 4.0]})
    flags = pd.DataFrame({"rule": ["R2", "R7", "R7"], "institution": ["1", "1", "1"]})
    frame = build_features(school_year="2023/2024", register=register, values=values, flags=flags,
                           weights={"R2": 3, "R7": 1}, municipality_kinds={"LV-RIX": "state_city"})
    n = len(DEF.indicator_features)
    assert frame["coverage"].tolist() == pytest.approx([2 / n, 1 / n])
    assert frame["wellbeing_pupils"][0] == 3.5 and np.isnan(frame["wellbeing_pupils"][1])
    assert frame["rule_weight"].tolist() == [4.0, 0.0]  # R2 once (3) + R7 (1), duplicates counted once
    assert frame["complaints"].isna().all()  # no complaints partition: no data, not 0
    assert frame["size_band"].tolist() == ["small", "large"] and frame["language"].isna().all()
    assert size_band(float("nan"), DEF.size_bands) is None


def test_training_is_deterministic_and_a_stale_model_is_refused(tmp_path: Path) -> None:
    frame, outcome = _frame(80)
    first, second = train(frame, outcome, snapshot={"marks": {"files": 3}}), train(frame, outcome,
                                                                                  snapshot={"marks": {"files": 3}})
    assert first.version == second.version and first.coefficients == second.coefficients
    save(first, tmp_path / "risk.joblib")
    assert load(tmp_path / "risk.joblib").version == first.version
    save(dataclasses.replace(first, sklearn_version="0.1"), tmp_path / "old.joblib")
    with pytest.raises(StaleModelError):
        load(tmp_path / "old.joblib")


def test_top_share_metrics_worked_example() -> None:
    # 10 institutions ranked 10..1; the outcome at ranks 1, 3 and 9: base rate 0.3.
    scores = np.arange(10, 0, -1, dtype=float)
    outcome = np.array([1, 0, 1, 0, 0, 0, 0, 0, 1, 0], dtype=bool)
    keys = np.array([str(i) for i in range(10)])
    top10 = bt.rates(bt.selected(scores, keys, 0.1), outcome)
    assert (top10["selected"], top10["precision"], top10["recall"]) == (1, 1.0, pytest.approx(1 / 3))
    assert top10["lift"] == pytest.approx(1 / 0.3)
    top20 = bt.rates(bt.selected(scores, keys, 0.2), outcome)
    assert (top20["selected"], top20["precision"], top20["recall"]) == (2, 0.5, pytest.approx(1 / 3))
    assert top20["lift"] == pytest.approx(0.5 / 0.3)
    # ties go by key: with equal scores the first two keys are chosen
    assert bt.selected(np.zeros(4), np.array(["b", "a", "d", "c"]), 0.5).tolist() == [True, True, False, False]
    assert bt.top_k(25, 0.1) == 3 and bt.top_k(0, 0.1) == 0
    cal = bt.calibration_table(np.linspace(0.05, 0.95, 10), outcome, bins=5)
    assert [r["n"] for r in cal] == [2] * 5 and [r["observed"] for r in cal] == [0.5, 0.5, 0.0, 0.0, 0.5]


def test_bootstrap_is_seeded_and_pairs_the_rankings() -> None:
    scores = np.arange(10, 0, -1, dtype=float)
    outcome = np.array([1, 0, 1, 0, 0, 0, 0, 0, 1, 0], dtype=bool)
    keys = np.array([str(i) for i in range(10)])
    groups = {"score": [(scores, keys, outcome)], "same": [(scores.copy(), keys, outcome)]}
    a = bt.bootstrap(groups, 0.2, draws=200, seed=7)
    assert a == bt.bootstrap(groups, 0.2, draws=200, seed=7)
    assert a["same"]["difference_recall"] == [0.0, 0.0]  # the same ranking: the paired difference is 0


def test_outcomes_latent_and_evaluation() -> None:
    latent = pd.DataFrame({"institution": ["a", "b", "c", "d", "e"], "latent_quality": [0.0, 1.0, -1.0, 2.0, 0.5],
                           "latent_trend": [0.0, 0.0, 0.0, -3.0, 0.0]})
    # one step on: d falls to -1.0; the bottom 40 % of 5 (quantile) holds c and d
    out = bt.latent_outcome(latent, ["a", "b", "c", "d", "e"], steps_from_calibration=1, bottom_quantile=0.4)
    assert out.tolist() == [False, False, True, True, False]
    evaluations = pd.DataFrame({"institution": ["a", "a", "b", "b", "c"],
                                "school_year": ["2021/2022", "2024/2025", "2024/2025", "2025/2026", "2025/2026"],
                                "rating": ["Nepietiekami", "Labi", "Labi", "Jāpilnveido", "Jāpilnveido"]})
    nxt = bt.evaluation_outcome(evaluations, ["a", "b", "c", "d"], after_year="2023/2024")
    assert nxt.tolist()[:3] == [False, False, True] and pd.isna(nxt["d"])


def test_subgroup_table_raises_the_alarm_for_a_biased_toy_model() -> None:
    # A toy "model" biased against rural schools: it adds 5 to every municipality school's score, so its top
    # picks are rural whatever their quality. 30 city + 30 rural schools, 6 with the outcome in each.
    rng = np.random.default_rng(3)
    kind = np.array(["state_city"] * 30 + ["municipality"] * 30)
    outcome = np.array(([True] * 6 + [False] * 24) * 2)
    toy = outcome * 1.0 + (kind == "municipality") * 5.0 + rng.uniform(0, 0.1, 60)
    frame = pd.DataFrame({"municipality_kind": kind, "type": "basic", "size_band": "medium", "language": None,
                          "outcome": outcome,
                          "selected": bt.selected(toy, np.array([f"{i:02d}" for i in range(60)]), 0.2)})
    table = bt.subgroup_table(frame, margin_pp=10, min_n=5)
    groups = {g["group"]: g for g in table["dimensions"]["municipality_kind"]["groups"]}
    # the 12 picks: the 6 rural schools with the outcome, then 6 of the 24 rural without: FA 6/24, city 0/24
    assert groups["municipality"]["false_alarm_rate"] == 0.25 and groups["state_city"]["false_alarm_rate"] == 0.0
    assert groups["municipality"]["miss_rate"] == 0.0 and groups["state_city"]["miss_rate"] == 1.0
    assert table["dimensions"]["municipality_kind"]["false_alarm_gap_pp"] == 25.0
    assert table["dimensions"]["municipality_kind"]["miss_gap_pp"] == 100.0
    assert table["alarm"] and table["alarm_dimensions"] == ["municipality_kind"]
    assert table["max_false_alarm_gap_pp"] == 25.0
    assert table["dimensions"]["language"]["held"] is False  # the register holds no language: "not held"
    fair = frame.assign(selected=bt.selected(outcome * 1.0, np.array([f"{i:02d}" for i in range(60)]), 0.2))
    assert not bt.subgroup_table(fair, margin_pp=10, min_n=5)["alarm"]


def test_backtest_holds_out_later_years_against_both_baselines() -> None:
    frames, outcomes = {}, {}
    for i, year in enumerate(("2022/2023", "2023/2024", "2024/2025")):
        frames[year], outcomes[year] = _frame(60, year, seed=10 + i)
    d = dataclasses.replace(DEF, bootstrap_draws=50)
    result = bt.run_backtest(frames, outcomes, definition=d)
    assert result["held_out_years"] == ["2023/2024", "2024/2025"]
    assert [y["trained_on"] for y in result["years"]] == [["2022/2023"], ["2022/2023", "2023/2024"]]
    head = bt.summary(result)
    assert set(head) >= {"top10_recall", "top10_recall_ci", "top10_recall_rules_baseline",
                         "top10_recall_size_baseline", "top20_recall", "subgroup_max_false_alarm_gap_pp"}
    positives = sum(int(outcomes[y].sum()) for y in result["held_out_years"])
    assert result["rankings"]["score"]["top10"]["positives"] == positives
    assert result["rankings"]["score"]["top10"]["selected"] == 2 * 6
    low, high = head["top10_recall_ci"]
    assert low <= head["top10_recall"] <= high
    assert len(result["calibration"]) == 10
