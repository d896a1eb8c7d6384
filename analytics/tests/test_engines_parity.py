"""The same Ibis expressions give the same answers on DuckDB and on Spark: the whole catalogue on the
tiny lake of fixtures/lake.yaml, values and flags compared after sorting and rounding floats to 9
places.

Everything that needs Spark is in one test, so that under pytest-xdist only one worker starts a JVM;
the session is still session-scoped and started once."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

from analytics.compile import default_catalogue, indicator_rows
from analytics.engines import DuckDBEngine, SparkEngine, local_session
from analytics.run import ComputeResult, compute
from analytics.spec import SchoolYear
from analytics.tests.fixtures.exam_lake import PUBLISHED, exam_catalogue, write_exam_lake
from analytics.tests.fixtures.lake import write_lake

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

YEAR = "2023/2024"
KEYS = ["indicator", "grain", "unit", "semester", "level", "category"]


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    assert shutil.which("java") is not None, "PySpark needs Java 17 (present on this machine kind)"
    session = local_session(cores=2)
    yield session
    session.stop()


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return None if pd.isna(value) else round(value, 9) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def normalised_values(result: ComputeResult) -> pd.DataFrame:
    values = result.values.sort_values(KEYS, na_position="first").reset_index(drop=True)
    for column in ("value", "numerator", "denominator"):
        values[column] = values[column].round(9) + 0.0
    return values


def normalised_flags(result: ComputeResult) -> list[tuple[str, str, str, str]]:
    return sorted(
        (str(row["rule"]), str(row["version"]), str(row["institution"]),
         json.dumps(_round(row["evidence"]), sort_keys=True))
        for row in result.flags.to_dict(orient="records")
    )


#: Indicators with no value until the next school year's enrolments are in (none on the main tiny lake).
NEXT_YEAR_INDICATORS = ("early_leaving", "basic_to_secondary_transition")
#: The EQAVET indicators (issue 16), on their own two-year lake (early leaving reads the next year).
EQAVET_INDICATORS = ("eqavet_vocational_learners", "eqavet_early_leaving", "eqavet_placement",
                     "eqavet_special_needs_learners")
ISSUE15_INDICATORS = ("graduate_study_fields", "graduate_programme_destinations", "special_programme_learners",
                      "support_staff_per_100_learners")


def test_duckdb_and_spark_agree_on_the_whole_catalogue(tmp_path: Path, spark: SparkSession) -> None:
    lake = write_lake(tmp_path / "lake")
    catalogue = default_catalogue()
    duck = compute(lake, YEAR, DuckDBEngine(lake), catalogue=catalogue)
    spark_engine = SparkEngine(lake, spark)
    sparked = compute(lake, YEAR, spark_engine, catalogue=catalogue)

    assert duck.engine == "duckdb" and sparked.engine == "spark"
    assert duck.catalogue_version == sparked.catalogue_version
    assert duck.snapshot == sparked.snapshot
    # Every indicator produced rows (those that need the next school year's enrolments, on the support lake
    # below), and both engines produced the same ones.
    assert set(duck.values.indicator) == ({i.code for i in catalogue.indicators} - set(NEXT_YEAR_INDICATORS)
                                          - {"eqavet_early_leaving"})
    pd.testing.assert_frame_equal(normalised_values(duck), normalised_values(sparked), check_exact=True)
    assert normalised_flags(duck) == normalised_flags(sparked)
    # 13 matches on the tiny lake, less the 4 resting on values their indicators suppress (R5 on 1-4 takers
    # at S1, G1 and S2; R2 on B2's 3 learners).
    assert len(duck.flags) == 9
    assert duck.not_evaluated.equals(sparked.not_evaluated) and duck.skipped == sparked.skipped

    # Exam means from both grains of results (per learner and as published per institution): the same on both.
    exams = write_exam_lake(tmp_path / "exam-lake", published=PUBLISHED)
    duck = compute(exams, YEAR, DuckDBEngine(exams), catalogue=exam_catalogue())
    sparked = compute(exams, YEAR, SparkEngine(exams, spark), catalogue=exam_catalogue())
    assert sorted(duck.flags.rule) == ["R5", "R5"]
    pd.testing.assert_frame_equal(normalised_values(duck), normalised_values(sparked), check_exact=True)
    assert normalised_flags(duck) == normalised_flags(sparked)
    assert duck.not_evaluated.equals(sparked.not_evaluated) and len(duck.not_evaluated) == 2

    # Issue 15's indicators on the two-year support lake (early leaving and transitions read the next year).
    support = write_lake(tmp_path / "support-lake", "support_lake.yaml")
    issue15 = dataclasses.replace(catalogue, indicators=tuple(
        i for i in catalogue.indicators if i.code in (*NEXT_YEAR_INDICATORS, *ISSUE15_INDICATORS)), rules=())
    duck = compute(support, YEAR, DuckDBEngine(support), catalogue=issue15)
    sparked = compute(support, YEAR, SparkEngine(support, spark), catalogue=issue15)
    assert set(duck.values.indicator) == {i.code for i in issue15.indicators}
    pd.testing.assert_frame_equal(normalised_values(duck), normalised_values(sparked), check_exact=True)

    # The EQAVET indicators on their two-year lake.
    eqavet_lake = write_lake(tmp_path / "eqavet-lake", "eqavet_lake.yaml")
    eqavet = dataclasses.replace(catalogue, indicators=tuple(
        i for i in catalogue.indicators if i.code in EQAVET_INDICATORS), rules=())
    duck = compute(eqavet_lake, YEAR, DuckDBEngine(eqavet_lake), catalogue=eqavet)
    sparked = compute(eqavet_lake, YEAR, SparkEngine(eqavet_lake, spark), catalogue=eqavet)
    assert set(duck.values.indicator) == set(EQAVET_INDICATORS)
    pd.testing.assert_frame_equal(normalised_values(duck), normalised_values(sparked), check_exact=True)

    # The Spark SQL of an expression is Spark's dialect (backticks), over the registered views.
    expr = indicator_rows(spark_engine, catalogue.indicator("learners_enrolled"), SchoolYear.parse(YEAR),
                          ["institution"])
    sql = spark_engine.to_sql(expr)
    assert "`enrolments`" in sql and "2023-2024" in sql
