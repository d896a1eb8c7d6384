"""The teaching profession (analytics/definitions/indicators/teaching.yaml) on the tiny tables of
fixtures/teaching_lake.yaml, with every answer worked out by hand.

School year 2024/2025 starts on 1 September 2024, so a teacher's age is 2024 − birth year and, with the
retirement age 65 and a 5-year horizon, a teacher is near retirement when birth year + 65 ≤ 2024 + 5 = 2029,
i.e. born in 1964 or before.

Teachers active in 2024/25 (position teacher, start ≤ 31 August 2025, end empty or ≥ 1 September 2024):
  A1: t1 (1959, age 65, qualified, MAT, 1.0 FTE), t2 (1964, age 60, qualified, MAT, 0.5 here + 0.5 at C1),
      t3 (1965, age 59, not qualified, PHY, 1.0), t4 (all unknown, 0.75), t5 (1999, age 25, qualified, LAT,
      teacher 1.0 + deputy head 0.25). t6 left on 30 June 2024 (not active); p1 is a psychologist (not a teacher).
  A2: t7 (1980, age 44, qualified, LAT, 1.0).
  C1: t2 (as above), t8 (1990, age 34, qualified, PRI, 0.6).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics.compile import default_catalogue
from analytics.engines import DuckDBEngine
from analytics.lake.schemas import DATASETS, SUBJECT_CODES
from analytics.run import ComputeResult, compute
from analytics.spec import Catalogue
from analytics.teaching import subject_names
from analytics.tests.fixtures.lake import write_lake

YEAR = "2024/2025"
OLD = "2023/2024"
CODES = (
    "teachers_age_bands",
    "teachers_near_retirement",
    "teachers_near_retirement_by_subject",
    "teachers_qualified",
    "teacher_workload",
    "subject_shortage",
    "teacher_vacancy_days",
    "teacher_vacancies_over_one_month_share",
    "teacher_vacancies_over_three_months_share",
    "open_teacher_vacancies_per_100_teachers",
)


def _drop_profile(lake: Path, year: str) -> None:
    """Rewrite the year's staff and vacancies files without the optional columns (files of the first format)."""
    for dataset in ("staff", "vacancies"):
        optional = [c.name for c in DATASETS[dataset].columns if c.optional]
        for part in (lake / dataset / f"school_year={year.replace('/', '-')}").glob("*.parquet"):
            pq.write_table(pq.read_table(part).drop_columns(optional), part)


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_lake(tmp_path_factory.mktemp("teaching"), "teaching_lake.yaml")
    _drop_profile(root, OLD)
    return root


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    full = default_catalogue()
    return dataclasses.replace(full, rules=(), indicators=tuple(i for i in full.indicators if i.code in CODES))


@pytest.fixture(scope="module")
def result(lake: Path, catalogue: Catalogue) -> ComputeResult:
    return compute(lake, YEAR, DuckDBEngine(lake), catalogue=catalogue)


def rows(result: ComputeResult, indicator: str, grain: str, unit: str) -> pd.DataFrame:
    v = result.values
    return v[(v.indicator == indicator) & (v.grain == grain) & (v.unit == unit)]


def value(result: ComputeResult, indicator: str, grain: str, unit: str, category: str | None = None) -> float:
    r = rows(result, indicator, grain, unit)
    r = r[r.category.isna()] if category is None else r[r.category == category]
    assert len(r) == 1, f"{indicator} {grain} {unit} {category}: {len(r)} rows"
    return float(r.iloc[0]["value"])


def denominator(result: ComputeResult, indicator: str, grain: str, unit: str, category: str | None = None) -> float:
    r = rows(result, indicator, grain, unit)
    r = r[r.category.isna()] if category is None else r[r.category == category]
    assert len(r) == 1, f"{indicator} {grain} {unit} {category}: {len(r)} rows"
    return float(r.iloc[0]["denominator"])


def test_every_indicator_is_in_the_catalogue(catalogue: Catalogue) -> None:
    assert {i.code for i in catalogue.indicators} == set(CODES)


def test_subject_list_matches_the_lake_schema() -> None:
    names = subject_names()
    assert tuple(names) == SUBJECT_CODES
    assert names["MAT"] == {"lv": "Matemātika", "en": "Mathematics"}


def test_age_bands_count_only_known_birth_years(result: ComputeResult) -> None:
    # Riga (A1, A2): known ages 65 (t1), 60 (t2), 59 (t3), 25 (t5), 44 (t7); t4 has no birth year: not young, not
    # counted. The bands are computed for municipalities and the nation only.
    bands = {r.category: r.value for r in rows(result, "teachers_age_bands", "municipality", "LV-RIX").itertuples()}
    assert bands == {"under_30": 20.0, "30_39": 0.0, "40_49": 20.0, "50_59": 20.0, "60_64": 20.0, "65_plus": 20.0}
    assert rows(result, "teachers_age_bands", "institution", "A1").empty
    # Age unknown: every teacher (the workload's denominator, 5) less those of known age (4).
    assert denominator(result, "teacher_workload", "institution", "A1") == 5
    assert denominator(result, "teachers_near_retirement", "institution", "A1") == 4
    # Nation: 7 teacher-institution rows of known age (t2 at A1 and at C1): 34 (t8) → 30_39, 44 (t7) → 40_49.
    assert value(result, "teachers_age_bands", "nation", "LV", "30_39") == pytest.approx(100 / 7)
    assert value(result, "teachers_age_bands", "nation", "LV", "60_64") == pytest.approx(200 / 7)


def test_retirement_horizon_worked_answers(result: ComputeResult) -> None:
    # Born ≤ 1964 (2024 + 5 − 65 = 1964): t1 (1959) and t2 (1964: 65 in 2029, exactly 5 years on) are; t3 (1965) is
    # not (65 in 2030). A1: 2 of 4 known; A2: t7 no, 0 of 1; C1: t2 yes, t8 no, 1 of 2.
    assert value(result, "teachers_near_retirement", "institution", "A1") == 50.0
    assert value(result, "teachers_near_retirement", "institution", "A2") == 0.0
    assert value(result, "teachers_near_retirement", "institution", "C1") == 50.0
    assert value(result, "teachers_near_retirement", "municipality", "LV-RIX") == 40.0  # 2 of 5
    assert value(result, "teachers_near_retirement", "nation", "LV") == pytest.approx(300 / 7)  # 3 of 7
    # By subject, nationally: MAT t1, t2@A1, t2@C1 all near; PHY t3 no; LAT t5, t7 no; PRI t8 no.
    by_subject = {r.category: r.value for r in rows(result, "teachers_near_retirement_by_subject", "nation",
                                                   "LV").itertuples()}
    assert by_subject == {"MAT": 100.0, "PHY": 0.0, "LAT": 0.0, "PRI": 0.0}


def test_retirement_age_and_horizon_are_parameters(lake: Path, catalogue: Catalogue) -> None:
    # Retirement at 64 with a 3-year horizon: born ≤ 2024 + 3 − 64 = 1963: only t1 at A1 (1 of 4).
    changed = dataclasses.replace(catalogue, indicators=tuple(
        dataclasses.replace(i, params={**i.params, "retirement_age": 64, "horizon_years": 3})
        for i in catalogue.indicators if i.code == "teachers_near_retirement"))
    r = compute(lake, YEAR, DuckDBEngine(lake), catalogue=changed)
    assert value(r, "teachers_near_retirement", "institution", "A1") == 25.0
    assert value(r, "teachers_near_retirement", "institution", "C1") == 0.0


def test_qualification(result: ComputeResult) -> None:
    # A1: qualification known for t1, t2, t3, t5; t3 lacks it: 3 of 4. t4 unknown: 1 of 5.
    assert value(result, "teachers_qualified", "institution", "A1") == 75.0
    assert denominator(result, "teachers_qualified", "institution", "A1") == 4  # t4's is unknown


def test_workload_sums_a_person_across_institutions(result: ComputeResult) -> None:
    # A1: t1 1.0, t2 0.5 + 0.5 (C1) = 1.0, t3 1.0, t4 0.75, t5 1.0 + 0.25 (deputy head) = 1.25: 5.0 / 5.
    assert value(result, "teacher_workload", "institution", "A1") == pytest.approx(1.0)
    # C1: t2 1.0, t8 0.6: 0.8. Nation: (5.0 + 1.0 + 1.6) / 8 = 0.95.
    assert value(result, "teacher_workload", "institution", "C1") == pytest.approx(0.8)
    assert value(result, "teacher_workload", "nation", "LV") == pytest.approx(0.95)


def test_vacancy_duration(result: ComputeResult) -> None:
    # Teacher vacancies overlapping 2024/25: v1 60 days (20 Aug – 19 Oct), v2 unfilled, 10 Jan – 31 Aug 2025 = 233
    # days, v3 10 days, v6 (A2) 60 days; v5 was filled on 15 August 2024 (before the year); v4 is a psychologist's.
    assert value(result, "teacher_vacancy_days", "institution", "A1") == pytest.approx(101.0)  # 303 / 3
    assert value(result, "teacher_vacancies_over_one_month_share", "institution", "A1") == pytest.approx(200 / 3)
    assert value(result, "teacher_vacancies_over_three_months_share", "institution", "A1") == pytest.approx(100 / 3)
    assert value(result, "teacher_vacancy_days", "nation", "LV") == pytest.approx(90.75)  # 363 / 4
    assert value(result, "teacher_vacancies_over_one_month_share", "nation", "LV") == 75.0
    assert value(result, "teacher_vacancies_over_three_months_share", "nation", "LV") == 25.0
    assert rows(result, "teacher_vacancy_days", "institution", "C1").empty


def test_subject_shortage(result: ComputeResult) -> None:
    # Open teacher vacancies of a known subject per 100 teachers of it. Riga: MAT v1, v3 / t1, t2 = 100; PHY v2 / t3
    # = 100; LAT none / t5, t7 = 0. Nation: MAT 2 / 3 (t2 counts at A1 and C1); v6 has no subject.
    assert value(result, "subject_shortage", "municipality", "LV-RIX", "MAT") == 100.0
    assert value(result, "subject_shortage", "municipality", "LV-RIX", "PHY") == 100.0
    assert value(result, "subject_shortage", "municipality", "LV-RIX", "LAT") == 0.0
    # All subjects together: A1 3 vacancies (v1, v2, v3) / 4 teachers of known subject (t1, t2, t3, t5) = 75; A2 v6
    # has no subject: 0 / 1 (t7); nation 3 / 7.
    assert value(result, "open_teacher_vacancies_per_100_teachers", "institution", "A1") == 75.0
    assert value(result, "open_teacher_vacancies_per_100_teachers", "institution", "A2") == 0.0
    assert value(result, "open_teacher_vacancies_per_100_teachers", "nation", "LV") == pytest.approx(300 / 7)
    assert value(result, "subject_shortage", "nation", "LV", "MAT") == pytest.approx(200 / 3)
    # The teachers of a subject are the denominator.
    assert denominator(result, "subject_shortage", "nation", "LV", "LAT") == 2
    assert denominator(result, "subject_shortage", "nation", "LV", "MAT") == 3


def test_a_year_of_first_format_files_has_no_data_not_zero(lake: Path, catalogue: Catalogue) -> None:
    """2023/24's files have no birth_year, qualified or subject: the indicators over them have no rows (no data),
    and what needs none of them is still computed."""
    old = compute(lake, OLD, DuckDBEngine(lake), catalogue=catalogue)
    for code in ("teachers_age_bands", "teachers_near_retirement", "teachers_near_retirement_by_subject",
                 "teachers_qualified", "subject_shortage", "open_teacher_vacancies_per_100_teachers"):
        assert rows(old, code, "nation", "LV").empty, code
        assert rows(old, code, "municipality", "LV-RIX").empty, code
    assert value(old, "teacher_workload", "nation", "LV") == pytest.approx(2.5 / 3)  # t1 1.0, t3 1.0, t7 0.5


def test_a_lake_with_no_profile_column_at_all(lake: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    """No file has the columns: the indicators over them are left out of the run (missing columns: no data), and
    the workload is computed."""
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    _drop_profile(copy, YEAR)
    r = compute(copy, YEAR, DuckDBEngine(copy), catalogue=catalogue)
    skipped = {s["code"] for s in r.skipped if s["reason"] == "missing_columns"}
    assert skipped == set(CODES) - {"teacher_workload", "teacher_vacancy_days",
                                    "teacher_vacancies_over_one_month_share",
                                    "teacher_vacancies_over_three_months_share"}
    assert rows(r, "teachers_near_retirement", "nation", "LV").empty
    assert rows(r, "subject_shortage", "nation", "LV").empty
    assert value(r, "teacher_workload", "institution", "A1") == pytest.approx(1.0)
