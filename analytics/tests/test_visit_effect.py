"""The effect of visits (analytics/visits) on hand-made tables, answers worked by hand: the DiD, the groups'
means and sizes, missing values dropped (never 0), the comparison's window, cells without a comparison, "too few
to tell", the municipality's treated group, and an interval that holds a known effect."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from analytics.visits import (
    IMPROVED,
    NO_CHANGE,
    TOO_FEW,
    WORSENED,
    IndicatorSetting,
    Settings,
    institution_figures,
    load_settings,
    parse_settings,
    visit_effects,
)

Y1, Y2, Y3 = "2021/2022", "2022/2023", "2023/2024"
YEARS = [Y1, Y2, Y3]
SCORE = IndicatorSetting(code="score", name={"lv": "Rezultāts", "en": "Score"}, scale=1, higher_is_better=True,
                         max_width=100)


def settings(*indicators: IndicatorSetting, min_institutions: int = 2) -> Settings:
    return Settings(before=-1, after=1, min_institutions=min_institutions, bootstrap=400, seed=17,
                    indicators=indicators or (SCORE,))


def figures(values: Mapping[tuple[str, str], float], indicator: str = "score") -> pd.DataFrame:
    return pd.DataFrame([{"institution": i, "school_year": y, "indicator": indicator, "semester": None,
                          "level": "", "category": "", "numerator": v, "denominator": 1.0}
                         for (i, y), v in values.items()])


def table(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


#: A and B visited (accreditation) in Y2; C and D quiet; E visited without an after value; F quiet without a
#: before value; G visited (inspection) in Y1, so not a comparison for Y2; H visited in a group nobody compares.
VALUES = {("A", Y1): 50, ("A", Y3): 60, ("B", Y1): 40, ("B", Y3): 46, ("C", Y1): 50, ("C", Y3): 52,
          ("D", Y1): 30, ("D", Y3): 34, ("E", Y1): 70, ("F", Y3): 99, ("G", Y1): 10, ("G", Y3): 90,
          ("H", Y1): 20, ("H", Y3): 25}
VISITS = table([("A", Y2, "accreditation"), ("B", Y2, "accreditation"), ("E", Y2, "accreditation"),
                ("G", Y1, "inspection"), ("H", Y2, "accreditation")], ["institution", "school_year", "kind"])
INSTITUTIONS = table([(i, "lonely" if i == "H" else "g", "riga" if i in "AC" else "ogre") for i in "ABCDEFGH"],
                     ["institution", "group", "municipality"])


def test_did_worked_by_hand() -> None:
    """Treated A (50 → 60) and B (40 → 46): mean 45 → 53; comparison C (50 → 52) and D (30 → 34): 40 → 43;
    DiD = 8 − 3 = 5. E (no after value) and H (no comparison in its group) drop out, counted; F (no before value)
    and G (visited in Y1) are not in the comparison."""
    [e] = visit_effects(figures=figures(VALUES), visits=VISITS, institutions=INSTITUTIONS, years=YEARS,
                        settings=settings(), kinds=["accreditation"])
    assert (e.treated, e.comparison, e.treated_units) == (2, 2, 2)
    assert (e.dropped_missing, e.dropped_no_comparison) == (1, 1)
    assert (e.before_treated, e.after_treated, e.before_comparison, e.after_comparison) == (45, 53, 40, 43)
    assert e.did == pytest.approx(5.0)
    assert e.low is not None and e.did is not None and e.high is not None
    assert e.low <= e.did <= e.high


def test_missing_value_drops_out_never_zero() -> None:
    """Had E's missing after value counted as 0, the treated change would be (10 + 6 − 70) / 3; it stays 5."""
    with_e = visit_effects(figures=figures(VALUES), visits=VISITS, institutions=INSTITUTIONS, years=YEARS,
                           settings=settings(), kinds=["accreditation"])[0]
    without_e = visit_effects(figures=figures(VALUES), visits=VISITS[VISITS.institution != "E"],
                              institutions=INSTITUTIONS, years=YEARS, settings=settings(), kinds=["accreditation"])[0]
    assert with_e.did == without_e.did == pytest.approx(5.0)
    assert (with_e.dropped_missing, without_e.dropped_missing) == (1, 0)


def test_too_few_to_tell_below_the_minimum_and_when_the_interval_is_too_wide() -> None:
    [few] = visit_effects(figures=figures(VALUES), visits=VISITS, institutions=INSTITUTIONS, years=YEARS,
                          settings=settings(min_institutions=10), kinds=["accreditation"])
    assert few.verdict == TOO_FEW and few.too_few and few.did == pytest.approx(5.0)
    narrow = IndicatorSetting(**{**SCORE.__dict__, "max_width": 0.5})
    [wide] = visit_effects(figures=figures(VALUES), visits=VISITS, institutions=INSTITUTIONS, years=YEARS,
                           settings=settings(narrow), kinds=["accreditation"])
    assert wide.high is not None and wide.low is not None
    assert wide.high - wide.low > 0.5 and wide.verdict == TOO_FEW


def test_no_visit_of_the_kind_gives_no_figures() -> None:
    [e] = visit_effects(figures=figures(VALUES), visits=VISITS, institutions=INSTITUTIONS, years=YEARS,
                        settings=settings(), kinds=["follow_up"])
    assert (e.treated, e.did, e.verdict) == (0, None, TOO_FEW)


def test_a_municipality_counts_only_its_visited_institutions_against_the_national_comparison() -> None:
    """Riga's treated: A only (change 10); comparison C and D (change 3): DiD 7."""
    [e] = visit_effects(figures=figures(VALUES), visits=VISITS, institutions=INSTITUTIONS, years=YEARS,
                        settings=settings(), kinds=["accreditation"], treated_in=["riga"])
    assert (e.treated, e.comparison, e.did) == (1, 2, pytest.approx(7.0))


def test_slices_are_pooled_by_numerator_and_denominator() -> None:
    """Two semesters: 3 of 100 and 5 of 100 learners → 4 %; a row with no denominator is no data."""
    rows = pd.DataFrame([
        {"institution": "A", "school_year": Y1, "indicator": "absent", "semester": 1, "level": "", "category": "",
         "numerator": 3.0, "denominator": 100.0},
        {"institution": "A", "school_year": Y1, "indicator": "absent", "semester": 2, "level": "", "category": "",
         "numerator": 5.0, "denominator": 100.0},
        {"institution": "B", "school_year": Y1, "indicator": "absent", "semester": 1, "level": "", "category": "",
         "numerator": 2.0, "denominator": None},
    ])
    setting = IndicatorSetting(code="absent", name={}, scale=100, higher_is_better=False, max_width=5)
    assert institution_figures(rows, setting).to_dict() == {("A", Y1): pytest.approx(4.0)}
    second = IndicatorSetting(**{**setting.__dict__, "semester": 2})
    assert institution_figures(rows, second).to_dict() == {("A", Y1): pytest.approx(5.0)}


def _simulated(effect: float, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """60 visited and 60 quiet institutions in two groups (levels 40 and 60), a common trend of +2 with noise,
    and `effect` added to the visited ones' after values."""
    rng = np.random.default_rng(seed)
    values, visits, insts = {}, [], []
    for k in range(120):
        inst, grp = f"I{k:03d}", "low" if k % 2 else "high"
        base = (40 if grp == "low" else 60) + rng.normal(0, 5)
        visited = k < 60
        values[(inst, Y1)] = base
        values[(inst, Y3)] = base + 2 + rng.normal(0, 1) + (effect if visited else 0)
        insts.append((inst, grp, "m"))
        if visited:
            visits.append((inst, Y2, "accreditation"))
    return (figures(values), table(visits, ["institution", "school_year", "kind"]),
            table(insts, ["institution", "group", "municipality"]))


def test_the_interval_holds_a_known_effect_and_the_verdict_follows_the_direction() -> None:
    fig, vis, inst = _simulated(effect=3.0)
    better = visit_effects(figures=fig, visits=vis, institutions=inst, years=YEARS, settings=settings(),
                           kinds=["accreditation"])[0]
    assert (better.treated, better.comparison) == (60, 60)
    assert better.low is not None and better.high is not None
    assert better.low < 3.0 < better.high and better.high - better.low < 1.5
    assert better.verdict == IMPROVED
    lower = IndicatorSetting(**{**SCORE.__dict__, "higher_is_better": False})
    assert visit_effects(figures=fig, visits=vis, institutions=inst, years=YEARS, settings=settings(lower),
                         kinds=["accreditation"])[0].verdict == WORSENED
    fig0, vis0, inst0 = _simulated(effect=0.0)
    none = visit_effects(figures=fig0, visits=vis0, institutions=inst0, years=YEARS, settings=settings(),
                         kinds=["accreditation"])[0]
    assert none.low is not None and none.high is not None
    assert none.low <= 0 <= none.high and none.verdict == NO_CHANGE


def test_the_interval_is_reproducible() -> None:
    fig, vis, inst = _simulated(effect=1.0)
    runs = [visit_effects(figures=fig, visits=vis, institutions=inst, years=YEARS, settings=settings(),
                          kinds=["accreditation"])[0] for _ in range(2)]
    assert (runs[0].low, runs[0].high) == (runs[1].low, runs[1].high)


def test_settings_file_loads_and_a_wrong_one_is_refused() -> None:
    loaded = load_settings()
    assert loaded.before == -1 and loaded.after == 1 and loaded.min_institutions == 10
    assert {s.code for s in loaded.indicators} >= {"exam_mean_score", "learners_over_unexcused_lessons_threshold"}
    with pytest.raises(ValueError, match="better"):
        parse_settings({"before": -1, "after": 1, "min_institutions": 10, "bootstrap": 400, "seed": 1,
                        "indicators": [{"code": "x", "name": {}, "better": "up", "max_width": 1}]})
    with pytest.raises(ValueError, match="before"):
        parse_settings({"before": 0, "after": 1, "min_institutions": 10, "bootstrap": 400, "seed": 1,
                        "indicators": []})
