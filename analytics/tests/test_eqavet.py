"""EQAVET indicators on the tiny lake of fixtures/eqavet_lake.yaml (DuckDB), answers worked by hand: learners in
vocational programmes (3), early leavers (4), placement of graduates (5), learners with special needs (8); a
missing source gives no value, never 0; and the ten, each computable or saying which data it lacks."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analytics.compile import default_catalogue
from analytics.engines import DuckDBEngine
from analytics.eqavet import eqavet_indicators
from analytics.run import ComputeResult, compute
from analytics.tests.fixtures.lake import write_lake

CODES = ("eqavet_vocational_learners", "eqavet_early_leaving", "eqavet_placement", "eqavet_special_needs_learners")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ComputeResult]:
    lake = write_lake(tmp_path_factory.mktemp("eqavet"), "eqavet_lake.yaml")
    catalogue = default_catalogue()
    catalogue = dataclasses.replace(catalogue, indicators=tuple(i for i in catalogue.indicators if i.code in CODES),
                                    rules=())
    engine = DuckDBEngine(lake)
    return {y: compute(lake, y, engine, catalogue=catalogue) for y in ("2023/2024", "2024/2025")}


def rows(result: ComputeResult, indicator: str, grain: str, unit: str) -> pd.DataFrame:
    v = result.values
    return v[(v.indicator == indicator) & (v.grain == grain) & (v.unit == unit)]


def one(result: ComputeResult, indicator: str, grain: str, unit: str) -> float:
    r = rows(result, indicator, grain, unit)
    assert len(r) == 1, r
    return float(r.iloc[0]["value"])


def test_vocational_learners(results: dict[str, ComputeResult]) -> None:
    r = results["2023/2024"]
    # V1 4, V2 2; S1's learner is in a general programme and is not counted (S1 has no row at all).
    assert one(r, "eqavet_vocational_learners", "institution", "V1") == 4
    assert one(r, "eqavet_vocational_learners", "municipality", "LV-RIX") == 2
    assert one(r, "eqavet_vocational_learners", "nation", "LV") == 6
    assert rows(r, "eqavet_vocational_learners", "institution", "S1").empty
    assert one(results["2024/2025"], "eqavet_vocational_learners", "nation", "LV") == 3


def test_early_leavers_need_the_next_year(results: dict[str, ComputeResult]) -> None:
    r = results["2023/2024"]
    # V1: v-02 ended on 1 February, no graduate, not enrolled in 2024/25 (v-01 ended too but graduated): 1 of 4.
    assert one(r, "eqavet_early_leaving", "institution", "V1") == pytest.approx(25.0)
    assert one(r, "eqavet_early_leaving", "institution", "V2") == 0.0
    assert one(r, "eqavet_early_leaving", "nation", "LV") == pytest.approx(100 / 6)
    # 2024/25 is the last year held: no value (no data), not 0.
    assert rows(results["2024/2025"], "eqavet_early_leaving", "nation", "LV").empty


def test_placement_and_no_value_without_graduates(results: dict[str, ComputeResult]) -> None:
    r = results["2023/2024"]
    # V1: employment and higher education placed, abroad not: 2 of 3; V2: unknown, 0 of 1; s-09 is not vocational.
    assert one(r, "eqavet_placement", "institution", "V1") == pytest.approx(200 / 3)
    assert one(r, "eqavet_placement", "institution", "V2") == 0.0
    assert one(r, "eqavet_placement", "nation", "LV") == 50.0
    # No graduates received for 2024/25: no value, and the run says which source is missing.
    later = results["2024/2025"]
    assert rows(later, "eqavet_placement", "nation", "LV").empty
    assert {"kind": "indicator", "code": "eqavet_placement", "reason": "not_received", "datasets": ["graduates"],
            "school_year": "2024/2025"} in later.skipped


def test_special_needs_learners(results: dict[str, ComputeResult]) -> None:
    r = results["2023/2024"]
    assert one(r, "eqavet_special_needs_learners", "institution", "V1") == 25.0
    assert one(r, "eqavet_special_needs_learners", "institution", "V2") == 50.0
    assert one(r, "eqavet_special_needs_learners", "nation", "LV") == pytest.approx(100 / 3)


def test_the_ten_are_each_computed_or_say_what_they_lack() -> None:
    ten = eqavet_indicators()
    assert [i.number for i in ten] == list(range(1, 11))
    codes = {i.code for i in default_catalogue().indicators}
    assert {i.indicator for i in ten if i.indicator} == set(CODES) <= codes
    assert [i.number for i in ten if i.register] == [1]
    assert [i.number for i in ten if i.lacks] == [2, 6, 7, 9, 10]
    assert all(i.lacks["lv"] and i.lacks["en"] for i in ten if i.lacks)
