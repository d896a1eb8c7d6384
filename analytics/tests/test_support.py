"""Support to continue studies (issue 15) on the tiny lake of fixtures/support_lake.yaml, answers worked by hand:
early leaving, basic → secondary transitions, learners in special programmes, support staff per 100 learners,
and how a figure changed where support was added (analytics/support)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analytics.compile import default_catalogue
from analytics.engines import DuckDBEngine
from analytics.run import ComputeResult, compute
from analytics.support import MIN_INSTITUTIONS, support_effect
from analytics.tests.fixtures.lake import write_lake


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(tmp_path_factory.mktemp("support"), "support_lake.yaml")


@pytest.fixture(scope="module")
def results(lake: Path) -> dict[str, ComputeResult]:
    engine = DuckDBEngine(lake)
    return {y: compute(lake, y, engine, catalogue=default_catalogue()) for y in ("2023/2024", "2024/2025")}


def rows(result: ComputeResult, indicator: str, grain: str, unit: str) -> pd.DataFrame:
    v = result.values
    return v[(v.indicator == indicator) & (v.grain == grain) & (v.unit == unit)]


def one(result: ComputeResult, indicator: str, grain: str, unit: str, **keys: object) -> float:
    r = rows(result, indicator, grain, unit)
    for column, wanted in keys.items():
        r = r[r[column].isna()] if wanted is None else r[r[column] == wanted]
    assert len(r) == 1, r
    return float(r.iloc[0]["value"])


def test_early_leaving(results: dict[str, ComputeResult]) -> None:
    r = results["2023/2024"]
    # B1: 8 learners; b-05 ended on 1 February, is no graduate and is not enrolled in 2024/25. b-01..b-04 ended
    # too but graduated; b-06 ended but is enrolled again; b-07 and b-08 did not end.
    assert one(r, "early_leaving", "institution", "B1") == pytest.approx(100 * 1 / 8)
    # S1: s-01 graduated, s-02 left (ended 1 March, not found next year), s-03 stays: 1 of 3.
    assert one(r, "early_leaving", "institution", "S1") == pytest.approx(100 * 1 / 3)
    # Ogre (S1 only): 1 of 3; the nation: 2 of 11.
    assert one(r, "early_leaving", "municipality", "LV-067") == pytest.approx(100 / 3)
    assert one(r, "early_leaving", "nation", "LV") == pytest.approx(100 * 2 / 11)


def test_early_leaving_is_no_data_without_the_next_year(results: dict[str, ComputeResult]) -> None:
    # 2024/2025 is the last year held: nobody can be told to have left, so no value at all (not 0).
    r = results["2024/2025"]
    assert rows(r, "early_leaving", "institution", "B1").empty
    assert rows(r, "early_leaving", "nation", "LV").empty


def test_basic_to_secondary_transition(results: dict[str, ComputeResult]) -> None:
    r = results["2023/2024"]
    # B1's 4 basic graduates: b-01 general secondary (S1), b-04 general secondary (S1 and V1: general counts),
    # b-02 vocational (V1), b-03 not found. s-01 completed secondary: not counted.
    got = {c: one(r, "basic_to_secondary_transition", "institution", "B1", category=c)
           for c in ("general_secondary", "vocational", "not_found")}
    assert got == {"general_secondary": 50.0, "vocational": 25.0, "not_found": 25.0}
    assert rows(r, "basic_to_secondary_transition", "institution", "S1").empty
    assert rows(results["2024/2025"], "basic_to_secondary_transition", "nation", "LV").empty


def test_special_programme_learners_and_support_staff(results: dict[str, ComputeResult]) -> None:
    r = results["2023/2024"]
    assert one(r, "special_programme_learners", "institution", "B1") == pytest.approx(100 / 8)
    assert one(r, "special_programme_learners", "institution", "S1") == 0.0
    # Support staff per 100 learners: B1 0.5 FTE (the assistant starts on 1 September 2024) over 8 learners;
    # 2024/25: 1.5 FTE over 2 learners.
    assert one(r, "support_staff_per_100_learners", "institution", "B1") == pytest.approx(100 * 0.5 / 8)
    r2 = results["2024/2025"]
    assert one(r2, "support_staff_per_100_learners", "institution", "B1") == pytest.approx(100 * 1.5 / 2)


def test_support_effect_pools_both_groups() -> None:
    # Five schools added support (FTE rose), five did not (one fell, four kept it); "x" has no FTE for year a
    # and "y" no figure for year b: both are left out.
    fte = {f"a{i}": (1.0, 2.0) for i in range(5)} | {f"o{i}": (1.0, 1.0) for i in range(4)} | {
        "o4": (2.0, 1.0), "y": (0.0, 1.0)}
    figure = {f"a{i}": ((2.0, 100.0), (1.0, 100.0)) for i in range(5)} | {
        f"o{i}": ((1.0, 50.0), (1.0, 50.0)) for i in range(5)} | {"x": ((9.0, 10.0), (0.0, 10.0))}
    effect = support_effect(fte, figure)
    assert effect.added.institutions == 5
    assert (effect.added.before, effect.added.after) == (pytest.approx(2.0), pytest.approx(1.0))
    assert effect.added.change == pytest.approx(-1.0)
    assert effect.others.institutions == 5
    assert effect.others.change == pytest.approx(0.0)
    assert not effect.added.too_few


def test_support_effect_says_too_few_below_the_threshold() -> None:
    fte = {f"a{i}": (0.0, 1.0) for i in range(MIN_INSTITUTIONS - 1)}
    figure = {u: ((1.0, 10.0), (0.0, 10.0)) for u in fte}
    effect = support_effect(fte, figure)
    assert effect.added.institutions == MIN_INSTITUTIONS - 1
    assert effect.added.too_few and effect.added.change is None and effect.added.before is None
    assert effect.others.institutions == 0 and effect.others.too_few
    assert not math.isnan(effect.added.institutions)
