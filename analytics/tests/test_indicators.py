"""Indicators and risk rules on the tiny lake of fixtures/lake.yaml (DuckDB), with every answer worked
out by hand. Institutions: LV-RIX has B1, B2 (basic), S2 (secondary), G1 (gymnasium); LV-067 has B3
(basic, no enrolments in 2023/24), S1 (secondary), P1 (preschool), V1 (vocational)."""

from __future__ import annotations

import dataclasses
import math
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analytics.compile import default_catalogue, indicator_rows
from analytics.engines import DuckDBEngine
from analytics.run import ComputeResult, NoDataError, compute
from analytics.spec import Catalogue, RiskRule, SchoolYear
from analytics.tests.fixtures.lake import write_lake

YEAR = "2023/2024"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(tmp_path_factory.mktemp("lake"))


@pytest.fixture(scope="module")
def engine(lake: Path) -> DuckDBEngine:
    return DuckDBEngine(lake)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The catalogue, with the minimum of R2's, R5's and R6's inputs lowered to 1: the tiny lake's schools have 1-8
    learners and 1-4 exam takers, and these tests work out the rules' logic on them. The minimums themselves
    are tested on the real catalogue (test_rules_never_fire_on_suppressed_values)."""
    return tiny(default_catalogue())


def tiny(catalogue: Catalogue) -> Catalogue:
    lowered = {"learners_over_unexcused_lessons_threshold", "exam_mean_shortfall_vs_national", "daily_vs_exam_abs_gap"}
    return dataclasses.replace(catalogue, indicators=tuple(
        dataclasses.replace(i, min_denominator=1) if i.code in lowered else i for i in catalogue.indicators))


@pytest.fixture(scope="module")
def result(lake: Path, engine: DuckDBEngine, catalogue: Catalogue) -> ComputeResult:
    return compute(lake, YEAR, engine, catalogue=catalogue)


def pick(result: ComputeResult, indicator: str, grain: str, unit: str, *, semester: int | None = None,
         level: str | None = None, category: str | None = None) -> pd.Series:
    """The one result row for these keys."""
    v = result.values
    mask = (v.indicator == indicator) & (v.grain == grain) & (v.unit == unit)
    for column, wanted in (("semester", semester), ("level", level), ("category", category)):
        mask &= v[column].isna() if wanted is None else (v[column] == wanted)
    rows = v[mask.fillna(False)]
    assert len(rows) == 1, f"{indicator} {grain} {unit} {semester} {level} {category}: {len(rows)} rows"
    return rows.iloc[0]


def value(result: ComputeResult, indicator: str, grain: str, unit: str, *, semester: int | None = None,
          level: str | None = None, category: str | None = None) -> float:
    return float(pick(result, indicator, grain, unit, semester=semester, level=level, category=category)["value"])


def units(result: ComputeResult, indicator: str, grain: str) -> set[str]:
    v = result.values
    return set(v[(v.indicator == indicator) & (v.grain == grain)].unit)


def flagged(result: ComputeResult, rule: str) -> set[str]:
    return set(result.flags[result.flags.rule == rule].institution)


def evidence(result: ComputeResult, rule: str, institution: str) -> dict[str, Any]:
    f = result.flags
    rows = f[(f.rule == rule) & (f.institution == institution)]
    assert len(rows) == 1
    found: dict[str, Any] = rows.iloc[0]["evidence"]
    return found


def with_rule(catalogue: Catalogue, rule: RiskRule) -> Catalogue:
    return dataclasses.replace(catalogue, rules=tuple(rule if r.code == rule.code else r for r in catalogue.rules))


def flags_of(engine: DuckDBEngine, catalogue: Catalogue, rule: RiskRule) -> set[str]:
    changed = dataclasses.replace(catalogue, rules=(rule,), indicators=tuple(
        i for i in catalogue.indicators if i.code == rule.left))
    return flagged(compute(engine.lake_root, YEAR, engine, catalogue=changed), rule.code)


# --- absences --------------------------------------------------------------------------------------------------


def test_table6_long_term_unexcused_absentees(result: ComputeResult) -> None:
    code = "long_term_unexcused_absentees"
    # B1 basic (non-special, latest enrolment): b1-01..b1-06 = 6 learners. S1: b1-01 has exactly 20
    # unexcused lessons (not > 20; its 10 lessons of 2022/23 are another partition), b1-02 has 21 -> 1.
    # S2: b1-03 21 and b1-06 22 (special until January, then not: the latest enrolment decides) -> 2.
    # b1-07 (special basic, 25 lessons) and x-99 (not enrolled) are not counted.
    assert (value(result, code, "institution", "B1", semester=1, level="basic"),
            value(result, code, "institution", "B1", semester=2, level="basic")) == (1, 2)
    assert pick(result, code, "institution", "B1", semester=1, level="basic")["denominator"] == 6
    # b1-p1 (preschool at B1): unexcused absences on 4 distinct days > 3.
    assert value(result, code, "institution", "B1", semester=1, level="preschool") == 1
    # p1-01: 3 days in S1 (not > 3), 4 days in S2.
    assert value(result, code, "institution", "P1", semester=1, level="preschool") == 0
    assert value(result, code, "institution", "P1", semester=2, level="preschool") == 1
    # Nation: basic S1 b1-02, b2-01 = 2; S2 b1-03, b1-06, s1-06 = 3 (of 6 + 3 + 1 = 10 learners);
    # preschool 1 / 1; secondary S1 s1-01 = 1 (of 11), S2 0; vocational S2 v1-01 = 1.
    expected = {(1, "basic"): 2, (2, "basic"): 3, (1, "preschool"): 1, (2, "preschool"): 1,
                (1, "secondary"): 1, (2, "secondary"): 0, (1, "vocational"): 0, (2, "vocational"): 1}
    for (semester, level), count in expected.items():
        assert value(result, code, "nation", "LV", semester=semester, level=level) == count, (semester, level)
    assert pick(result, code, "nation", "LV", semester=2, level="basic")["denominator"] == 10
    assert pick(result, code, "nation", "LV", semester=1, level="secondary")["denominator"] == 11
    # Municipalities: LV-RIX basic S1 = b1-02, b2-01; LV-067 basic S2 = s1-06.
    assert value(result, code, "municipality", "LV-RIX", semester=1, level="basic") == 2
    assert value(result, code, "municipality", "LV-067", semester=2, level="basic") == 1
    # Suppression: B2 has 3 basic learners (< 5), B1 has 6.
    assert pick(result, code, "institution", "B2", semester=1, level="basic")["suppressed"]
    assert not pick(result, code, "institution", "B1", semester=1, level="basic")["suppressed"]


def test_table6_threshold_is_a_parameter(engine: DuckDBEngine, catalogue: Catalogue) -> None:
    # Lowering the threshold to 19 lessons adds b1-01 (20 lessons) in B1's first semester.
    ind = catalogue.indicator("long_term_unexcused_absentees")
    lowered = dataclasses.replace(ind, params={**ind.params, "lessons_threshold": 19})
    rows = engine.execute(indicator_rows(engine, lowered, SchoolYear.parse(YEAR), ["institution"]))
    b1 = rows[(rows.unit == "B1") & (rows.semester == 1) & (rows.level == "basic")]
    assert b1["value"].tolist() == [2]


def test_r2_indicator_counts_special_programmes_but_not_preschool(result: ComputeResult) -> None:
    code = "learners_over_unexcused_lessons_threshold"
    # B1 S1: b1-02 (21) and b1-07 (25, special); b1-p1's preschool days do not count. 7 learners.
    assert value(result, code, "institution", "B1", semester=1) == 2
    assert pick(result, code, "institution", "B1", semester=1)["denominator"] == 7
    assert value(result, code, "institution", "B1", semester=2) == 2  # b1-03, b1-06
    assert value(result, code, "institution", "G1", semester=1) == 0  # g1-01: 5 lessons
    assert "P1" not in units(result, code, "institution")  # preschool only: no learners in scope
    assert value(result, code, "nation", "LV", semester=1) == 4  # b1-02, b1-07, b2-01, s1-01


def test_table7_learners_missing_lessons(result: ComputeResult) -> None:
    code = "learners_missing_lessons"
    b1 = {  # B1 basic incl. special: b1-01..b1-07 (b1-p1 is preschool: out of scope)
        (1, "justified"): 2,    # b1-03, b1-04 (b1-04 also ill the same day)
        (1, "illness"): 1,      # b1-04
        (1, "unjustified"): 3,  # b1-01, b1-02, b1-07 (x-99 is not enrolled)
        (2, "justified"): 0,
        (2, "illness"): 1,      # b1-04
        (2, "unjustified"): 3,  # b1-02, b1-03, b1-06
    }
    for (semester, reason), count in b1.items():
        assert value(result, code, "institution", "B1", semester=semester, level="basic",
                     category=reason) == count, (semester, reason)
    assert pick(result, code, "institution", "B1", semester=1, level="basic", category="illness")[
        "denominator"] == 7
    nation = {
        (1, "basic", "justified"): 3,    # + b2-02
        (1, "basic", "unjustified"): 4,  # + b2-01
        (2, "basic", "unjustified"): 4,  # + s1-06 (basic level at a secondary school)
        (1, "secondary", "unjustified"): 2,  # s1-01, g1-01
        (1, "secondary", "illness"): 1,      # g1-01
        (2, "secondary", "unjustified"): 0,
    }
    for (semester, level, reason), count in nation.items():
        assert value(result, code, "nation", "LV", semester=semester, level=level, category=reason) == count
    levels = set(result.values[result.values.indicator == code].level)
    assert levels == {"basic", "secondary"}


def test_long_term_absence_reasons(result: ComputeResult) -> None:
    code = "long_term_absence_reasons"
    assert value(result, code, "nation", "LV", semester=1, category="lack_of_motivation") == 2
    assert value(result, code, "nation", "LV", semester=2, category="family_circumstances") == 1
    assert value(result, code, "nation", "LV", semester=2, category="not_recorded") == 1  # reason empty
    assert value(result, code, "institution", "S1", semester=1, category="lack_of_motivation") == 1


def test_out_of_school_children_latest_snapshot(result: ComputeResult) -> None:
    # Snapshot 2024-06-30: LV-RIX c1, c4 no_information; LV-067 c3 family_left_country, c5 arrived.
    # c2 (only in March) and c9 (2022/23) are not counted; c3's March status is superseded.
    code = "out_of_school_children"
    assert value(result, code, "municipality", "LV-RIX", category="no_information") == 2
    assert value(result, code, "municipality", "LV-067", category="family_left_country") == 1
    assert value(result, code, "nation", "LV", category="arrived_from_another_country") == 1
    assert "long_term_ill" not in set(result.values[result.values.indicator == code].category)
    assert units(result, code, "institution") == set()
    total = "out_of_school_children_total"
    assert (value(result, total, "municipality", "LV-RIX"), value(result, total, "nation", "LV")) == (2, 4)


# --- marks and examinations ------------------------------------------------------------------------------------


def test_learners_average_7_or_more(result: ComputeResult) -> None:
    basic = "learners_average_7_or_more_basic"
    # B1 learners with marks: b1-01 7.0 and b1-02 7.0 (ties count), b1-03 6.5, b1-04 9.5, b1-06 5,
    # b1-07 8 -> 4 of 6; b1-05 has no mark this year (its 2022/23 mark is another partition).
    row = pick(result, basic, "institution", "B1")
    assert (row["numerator"], row["denominator"]) == (4, 6)
    assert math.isclose(row["value"], 400 / 6)
    # B2: b2-01 6.67 no, b2-02 8 yes -> 50 %, suppressed (2 learners). Nation 5 / 8.
    assert value(result, basic, "institution", "B2") == 50 and pick(result, basic, "institution", "B2")["suppressed"]
    assert value(result, basic, "nation", "LV") == 62.5
    # S1 is a secondary school: s1-06 (grade 9, mean 9) is in neither indicator.
    assert "S1" not in units(result, basic, "institution")
    assert units(result, basic, "municipality") == {"LV-RIX"}  # empty group LV-067: no row

    secondary = "learners_average_7_or_more_secondary"
    # S1 grades 10-12: s1-01 7.0 yes, s1-02 6 no, s1-03 7.0 yes, s1-04 5.5 no; s1-05 no marks -> 2 / 4.
    # G1: g1-01 9, g1-02 7, g1-04 7.0 yes; g1-03 6, g1-05 6.8 no -> 3 / 5. Nation 5 / 9.
    assert value(result, secondary, "institution", "S1") == 50
    assert value(result, secondary, "institution", "G1") == 60
    assert math.isclose(value(result, secondary, "nation", "LV"), 500 / 9)
    assert "S2" not in units(result, secondary, "institution")  # s2-01 has no marks


def test_learners_high_in_advanced_courses(result: ComputeResult) -> None:
    code = "learners_high_in_advanced_courses"
    # Advanced means: s1-01 7, s1-03 (8 + 6) / 2 = 7.0, g1-04 10, g1-05 6.5 -> S1 2/2, G1 1/2, nation 3/4.
    assert value(result, code, "institution", "S1") == 100
    assert value(result, code, "institution", "G1") == 50
    assert value(result, code, "nation", "LV") == 75
    assert pick(result, code, "nation", "LV")["suppressed"]  # 4 learners < 5


def test_daily_vs_exam(result: ComputeResult) -> None:
    differs = "learners_daily_vs_exam_differs"
    # B1 gaps: 20 (b1-01: not > 20), 21, -15, 30, -30 -> 3 of 5 differ; exactly 5 learners: not
    # suppressed. b1-05 (no marks) and b1-07 (optional exam only) are out.
    row = pick(result, differs, "institution", "B1")
    assert (row["numerator"], row["denominator"], row["value"], row["suppressed"]) == (3, 5, 60, False)
    # B2: 26.67 and 40 -> 2 of 2. Nation (basic schools only): 5 of 7.
    assert value(result, differs, "institution", "B2") == 100
    assert math.isclose(value(result, differs, "nation", "LV"), 500 / 7)
    assert "S1" not in units(result, differs, "institution")  # s1-06 sits grade-9 exams at a secondary school

    gap = "daily_vs_exam_gap"
    # Grade 12, secondary schools: S1 (20 + 10) / 2 = 15; G1 (35 - 5 + 18) / 3 = 16; nation 78 / 5.
    assert value(result, gap, "institution", "S1") == 15
    assert value(result, gap, "institution", "G1") == 16
    assert math.isclose(value(result, gap, "nation", "LV"), 15.6)

    abs_gap = "daily_vs_exam_abs_gap"
    # All mandatory exams: B1 (20 + 21 + 15 + 30 + 30) / 5 = 23.2; S1 (20 + 10 + 40) / 3;
    # nation (116 + 200/3 + 70 + 58) / 13.
    assert math.isclose(value(result, abs_gap, "institution", "B1"), 23.2)
    assert math.isclose(value(result, abs_gap, "institution", "S1"), 70 / 3)
    assert math.isclose(value(result, abs_gap, "nation", "LV"), (116 + 200 / 3 + 70 + 58) / 13)
    everyone = "learners_daily_vs_exam_differs_all_schools"
    # Differ: b1-02, b1-04, b1-06, b2-01, b2-02, s1-06, g1-03 -> 7 of 13.
    assert math.isclose(value(result, everyone, "nation", "LV"), 700 / 13)


def test_exam_means_against_the_nation(result: ComputeResult) -> None:
    # 2023/24 lv12: S1 60, 45; G1 30, 80, 50 -> national 265 / 5 = 53; S1 52.5; G1 53.33.
    assert value(result, "exam_mean_score", "nation", "LV", category="lv12") == 53
    assert value(result, "exam_mean_vs_national_difference", "institution", "S1", category="lv12") == -0.5
    assert math.isclose(value(result, "exam_mean_vs_national_ratio", "institution", "S1", category="lv12"),
                        52.5 / 53)
    assert math.isclose(value(result, "exam_mean_shortfall_vs_national", "institution", "S1", category="lv12"),
                        100 * 0.5 / 53)
    # Every mandatory exam code has its own national mean: lv9 = 519 / 9, and B1's 389 / 6 is above it.
    shortfall = result.values[result.values.indicator == "exam_mean_shortfall_vs_national"]
    assert set(shortfall.category) == {"lv9", "math9", "lv12", "math12"}
    assert "nation" not in set(shortfall.grain)
    assert math.isclose(value(result, "exam_mean_shortfall_vs_national", "institution", "B1", category="lv9"),
                        100 * (519 / 9 - 389 / 6) / (519 / 9))
    # The optional eng12 (90) is not in the mean.
    assert value(result, "exam_mean_score", "institution", "S1", category="lv12") == 52.5
    assert "eng12" not in set(result.values[result.values.indicator == "exam_mean_score"].category)


# --- graduates -------------------------------------------------------------------------------------------------


def test_graduates(result: ComputeResult) -> None:
    cont = "graduates_continue_general_secondary"
    # B1: 3 of 5 basic graduates to general secondary; B2 0 of 1; S1's basic graduate is not at a basic school.
    assert value(result, cont, "institution", "B1") == 60
    assert value(result, cont, "institution", "B2") == 0
    assert value(result, cont, "nation", "LV") == 50
    higher = "graduates_enter_higher_education"
    # S1 1 of 2, G1 2 of 3 -> 3 of 5.
    assert value(result, higher, "nation", "LV") == 60
    assert math.isclose(value(result, higher, "institution", "G1"), 200 / 3)
    dist = "graduate_destinations"
    # All basic-level graduates: 7, of which 4 general_secondary (incl. S1's); every destination has a row.
    assert math.isclose(value(result, dist, "nation", "LV", level="basic", category="general_secondary"), 400 / 7)
    assert value(result, dist, "nation", "LV", level="basic", category="higher_education") == 0
    assert value(result, dist, "nation", "LV", level="vocational", category="employment") == 100


# --- learners, classes, staff, vacancies ------------------------------------------------------------------------


def test_learners_and_classes(result: ComputeResult) -> None:
    # b1-06's two enrolments are one learner: B1 8, nation 26, LV-RIX 8 + 3 + 5 + 1 = 17.
    assert value(result, "learners_enrolled", "institution", "B1") == 8
    assert value(result, "learners_enrolled", "municipality", "LV-RIX") == 17
    assert value(result, "learners_enrolled", "nation", "LV") == 26
    # B1 classes 20, 12 (combined), 25: 3 classes, 1 combined, mean 19; nation 205 / 10.
    assert value(result, "classes_count", "institution", "B1") == 3
    assert value(result, "combined_classes", "institution", "B1") == 1
    assert math.isclose(value(result, "combined_classes_share", "institution", "B1"), 100 / 3)
    assert value(result, "average_class_size", "institution", "B1") == 19
    assert value(result, "average_class_size", "nation", "LV") == 20.5
    assert "S2" not in units(result, "classes_count", "institution")  # no class rows


def test_staff_ratios(result: ComputeResult) -> None:
    # B1 teachers active in 2023/24: 1.0 + 0.5 (t-3 left in June 2023) for 8 learners.
    assert math.isclose(value(result, "learners_per_teacher", "institution", "B1"), 8 / 1.5)
    # B2 has learners and no teacher: no value, and suppressed (denominator 0 < 1).
    b2 = pick(result, "learners_per_teacher", "institution", "B2")
    assert pd.isna(b2["value"]) and b2["denominator"] == 0 and b2["suppressed"]
    assert math.isclose(value(result, "learners_per_teacher", "nation", "LV"), 26 / 4.25)
    # Support FTE per 100 learners: B1 psychologist 0.5 (listed in two partitions, counted once) / 8.
    assert value(result, "support_staff_per_100_learners", "institution", "B1") == 6.25
    assert value(result, "support_staff_per_100_learners", "institution", "G1") == 0
    assert value(result, "support_staff_active", "institution", "B1") == 1
    assert value(result, "support_staff_active", "institution", "B2") == 1  # from 2024-08-31, the last day


def test_vacancies(result: ComputeResult) -> None:
    per_month = 30.4375
    # B1 v2 31 days; G1 v6 (psychologist, unfilled) 1 Sep 2023 - 31 Aug 2024 = 366 days; S2 v7 31 days.
    assert math.isclose(value(result, "vacancy_months", "institution", "B1", category="teacher"), 31 / per_month)
    assert math.isclose(value(result, "vacancy_months", "institution", "G1", category="psychologist"),
                        366 / per_month)
    assert math.isclose(value(result, "vacancy_months", "nation", "LV", category="teacher"),
                        (31 + 30 + 31) / per_month)
    long = "teacher_vacancies_over_one_month"
    # B1 v2 31 days > 30; B2 v3 exactly 30; S2 v7 unfilled, 30 days to 31 August.
    assert (value(result, long, "institution", "B1"), value(result, long, "institution", "B2"),
            value(result, long, "institution", "S2")) == (1, 0, 0)


# --- risk rules ------------------------------------------------------------------------------------------------


def test_rule_flags(result: ComputeResult) -> None:
    assert flagged(result, "R1") == {"B1", "S1"}  # B2's combined class was in 2022/23; B3 inactive; S2 no classes
    assert flagged(result, "R2") == {"B1", "B2", "S1"}  # G1's g1-01 missed 5; S2 none
    assert flagged(result, "R3") == {"G1", "S2"}  # S2's st-4 ended 2022-08-31, the day before 2022/23
    assert flagged(result, "R4") == {"B1", "S1"}  # B2 only in 2022/23 (and); S1 2022/23 suffices (or)
    # 2022/23 lv12: S1 10 %, G1 30 % below (bounds included); lv9: S2 18.2 % below.
    assert flagged(result, "R5") == {"S1", "G1", "S2"}
    assert flagged(result, "R6") == {"B1"}  # 23.2 > 20 with 5 learners; B2 33.3 with only 2
    assert not (set(result.flags.institution) & {"B3", "P1", "V1"})  # not in any rule's population


def test_rule_evidence(result: ComputeResult) -> None:
    r2 = evidence(result, "R2", "B1")
    assert r2["operator"] == ">=" and r2["threshold"] == 1 and r2["institution_type"] == "basic"
    assert r2["periods"] == {"2023/2024": [{"semester": 1, "value": 2.0, "denominator": 7.0},
                                           {"semester": 2, "value": 2.0, "denominator": 7.0}]}
    # Every parameter the rule's texts show, as evaluated: its own and its indicator's lessons.
    assert r2["params"] == {"threshold_learners": 1, "lessons_threshold": 20}
    r3 = evidence(result, "R3", "S2")
    assert r3["periods"] == {"2022/2023": [{"value": 0.0}], "2023/2024": [{"value": 0.0}]}
    r4 = evidence(result, "R4", "S1")
    assert r4["combine"] == "any" and r4["periods"] == {"2022/2023": [{"value": 1.0}]}
    assert r4["params"] == {"threshold_vacancies": 1, "min_open_days": 30}
    assert evidence(result, "R4", "B1")["combine"] == "all"
    r5 = evidence(result, "R5", "S1")
    assert r5["threshold"] == [10.0, 30.0]
    # lv12 2022/23: national (40 + 50 + 35 + 75) / 4 = 50, S1 90 / 2 = 45 -> 10 % below. math12 (S1 20
    # vs national 50: 60 % below) is outside the range and not evidence.
    [row] = r5["periods"]["2022/2023"]
    assert (row["category"], row["numerator"], row["denominator"]) == ("lv12", 90, 2)
    assert math.isclose(row["value"], 10)
    [g1] = evidence(result, "R5", "G1")["periods"]["2022/2023"]
    assert math.isclose(g1["value"], 30)
    [s2] = evidence(result, "R5", "S2")["periods"]["2022/2023"]
    assert s2["category"] == "lv9"
    assert math.isclose(s2["value"], 100 * 10 / 55)
    r6 = evidence(result, "R6", "B1")
    assert r6["periods"]["2023/2024"][0]["denominator"] == 5


def test_rule_threshold_edges(engine: DuckDBEngine, catalogue: Catalogue) -> None:
    r6 = catalogue.rule("R6")
    # B1's mean |gap| is 23.2: a threshold of exactly 23.2 is not exceeded.
    assert flags_of(engine, catalogue, dataclasses.replace(r6, params={**r6.params, "threshold_pp": 23.2})) == set()
    # With min_learners 2, B2 (33.3 with 2 learners) joins; S1 (23.3 with 3) too.
    loose = dataclasses.replace(r6, params={**r6.params, "min_learners": 2})
    assert flags_of(engine, catalogue, loose) == {"B1", "B2", "S1"}
    r5 = catalogue.rule("R5")
    # Narrowing the range to 11-29 % drops both bound cases (S1 10 %, G1 30 %), not S2 (18.2 %).
    narrow = dataclasses.replace(r5, params={"lower_pct": 11, "upper_pct": 29})
    assert flags_of(engine, catalogue, narrow) == {"S2"}
    r2 = catalogue.rule("R2")
    # Two long-term absentees in one semester: only B1 (2 in each semester).
    assert flags_of(engine, catalogue, dataclasses.replace(r2, params={"threshold_learners": 2})) == {"B1"}


def test_evidence_records_the_indicator_parameters_the_run_used(engine: DuckDBEngine, catalogue: Catalogue) -> None:
    """A flag keeps the thresholds it was computed with, including those of its indicator, so its sentences do
    not follow a later change of the YAML."""
    r2 = catalogue.rule("R2")
    left = catalogue.indicator(r2.left)
    changed = dataclasses.replace(catalogue, rules=(r2,), indicators=(
        dataclasses.replace(left, params={**left.params, "lessons_threshold": 19}),))
    result = compute(engine.lake_root, YEAR, engine, catalogue=changed)
    assert {e["params"]["lessons_threshold"] for e in result.flags.evidence} == {19}


def test_rule_period_combination(engine: DuckDBEngine, catalogue: Catalogue) -> None:
    r4 = catalogue.rule("R4")
    # "all" for every type: S1 (2022/23 only) drops out.
    assert flags_of(engine, catalogue, dataclasses.replace(r4, combine_by_type={})) == {"B1"}
    # "any" for every type: B2 (2022/23 only) joins.
    assert flags_of(engine, catalogue, dataclasses.replace(r4, combine="any", combine_by_type={})) == {
        "B1", "B2", "S1"}
    # Current year only: B1 (v2, 31 days).
    assert flags_of(engine, catalogue, dataclasses.replace(r4, periods=("current",), combine_by_type={})) == {"B1"}
    r3 = catalogue.rule("R3")
    # R3 on the current year alone also flags S1 (its speech therapist left on 2023-08-31).
    assert flags_of(engine, catalogue, dataclasses.replace(r3, periods=("current",))) == {"G1", "S1", "S2"}
    # Without missing_value, institutions with no rows in a year cannot match: G1 has learners and no
    # support staff in 2023/24 (0) but no rows at all in 2022/23.
    assert flags_of(engine, catalogue, dataclasses.replace(r3, missing_value=None)) == set()


def test_share_of_flagged_institutions(result: ComputeResult) -> None:
    # Basic schools with enrolments: B1, B2 (B3 has none). Secondary: S1 (LV-067), G1, S2 (LV-RIX).
    expected = {
        "risk_combined_classes_basic": 50, "risk_combined_classes_secondary": 100 / 3,
        "risk_long_term_unexcused_absence_basic": 100, "risk_long_term_unexcused_absence_secondary": 100 / 3,
        "risk_no_support_staff_basic": 0, "risk_no_support_staff_secondary": 200 / 3,
        "risk_teacher_vacancy_over_one_month_basic": 50, "risk_teacher_vacancy_over_one_month_secondary": 100 / 3,
        "risk_exam_10_to_30_below_national_secondary": 100,
        "risk_daily_vs_exam_divergence_basic": 50, "risk_daily_vs_exam_divergence_secondary": 0,
    }
    for code, share in expected.items():
        assert math.isclose(value(result, code, "nation", "LV"), share, abs_tol=1e-12), code
    row = pick(result, "risk_combined_classes_secondary", "municipality", "LV-067")
    assert (row["numerator"], row["denominator"], row["suppressed"]) == (1, 1, True)
    assert units(result, "risk_combined_classes_basic", "municipality") == {"LV-RIX"}
    assert units(result, "risk_combined_classes_basic", "institution") == set()


# --- runs ------------------------------------------------------------------------------------------------------


def test_one_institution_only(lake: Path, engine: DuckDBEngine, catalogue: Catalogue,
                              result: ComputeResult) -> None:
    single = compute(lake, YEAR, engine, institutions=["S1"], catalogue=catalogue)
    assert set(single.values.grain) == {"institution"} and set(single.values.unit) == {"S1"}
    assert not (set(single.values.indicator) & {"out_of_school_children", "risk_combined_classes_basic"})
    full = result.values[(result.values.grain == "institution") & (result.values.unit == "S1")]
    pd.testing.assert_frame_equal(single.values.reset_index(drop=True), full.reset_index(drop=True))
    # R5 still compares S1 with the whole country's mean.
    assert set(single.flags.rule) == {"R1", "R2", "R4", "R5"} and set(single.flags.institution) == {"S1"}
    assert single.flags.evidence.tolist() == result.flags[result.flags.institution == "S1"].evidence.tolist()
    none = compute(lake, YEAR, engine, institutions=[], catalogue=catalogue)
    assert none.values.empty and none.flags.empty


def test_snapshot_and_versions(lake: Path, result: ComputeResult, catalogue: Catalogue) -> None:
    assert result.catalogue_version == catalogue.version
    assert set(result.snapshot) >= {"absences", "enrolments", "institutions", "out_of_school", "staff"}
    stamps = result.snapshot["enrolments"]
    assert [s.path for s in stamps] == ["enrolments/school_year=2022-2023/part-0.parquet",
                                        "enrolments/school_year=2023-2024/part-0.parquet"]
    assert all((lake / s.path).stat().st_size == s.size and s.modified for s in stamps)
    versions = dict(zip(result.values.indicator, result.values.version, strict=False))
    assert versions["learners_enrolled"] == catalogue.indicator("learners_enrolled").version
    assert all(version == catalogue.rule(rule).version for rule, version in zip(result.flags.rule,
                                                                                 result.flags.version, strict=True))
    # Every rule flags in the tiny lake but R7, which needs 100 learners at a school (test_complaints.py).
    assert set(result.flags.rule) == {r.code for r in catalogue.rules} - {"R7"}
    assert list(result.values.columns) == ["indicator", "version", "grain", "unit", "semester", "level", "category",
                                           "value", "numerator", "denominator", "suppressed"]


def test_empty_lake_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    """A year without any data received is refused, not stored as a run with zero values."""
    with pytest.raises(NoDataError, match="2023/2024") as exc:
        compute(tmp_path, YEAR, DuckDBEngine(tmp_path), catalogue=catalogue)
    assert "nav saņemti nekādi dati" in str(exc.value) and "No data have been received" in str(exc.value)


def test_rules_never_fire_on_suppressed_values(engine: DuckDBEngine, lake: Path) -> None:
    """With the real minimums, R5 does not fire on exam means of 1-4 takers (the exam indicator suppresses
    them) and R2 not on B2's 3 learners; what fires says how many learners it rests on."""
    real = compute(lake, YEAR, engine, catalogue=default_catalogue())
    assert flagged(real, "R5") == set()
    assert flagged(real, "R2") == {"B1", "S1"}
    for period_rows in evidence(real, "R2", "B1")["periods"].values():
        assert all(row["denominator"] >= 5 for row in period_rows)


def test_to_sql(engine: DuckDBEngine, catalogue: Catalogue) -> None:
    expr = indicator_rows(engine, catalogue.indicator("learners_enrolled"), SchoolYear.parse(YEAR),
                          ["institution", "nation"])
    sql = engine.to_sql(expr)
    assert "SELECT" in sql and '"enrolments"' in sql and "2023-2024" in sql


def test_scoped_runs_replay_the_recorded_plan(lake: Path, catalogue: Catalogue, result: ComputeResult,
                                              monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The first institution-scoped run records its SQL; the next ones (other institutions, a new engine)
    replay it without building any expression, and still equal the national run's rows."""
    monkeypatch.setattr(DuckDBEngine, "_plans", type(DuckDBEngine._plans)())
    first = compute(lake, YEAR, DuckDBEngine(lake), institutions=["S1"], catalogue=catalogue)
    assert len(DuckDBEngine._plans) == 1

    import analytics.run as run_module

    def no_build(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a replayed run must not build expressions")

    monkeypatch.setattr(run_module, "compile_indicator", no_build)
    monkeypatch.setattr(run_module, "rule_matches", no_build)
    for chosen in (["S2"], ["B1", "G1"], ["S1"]):
        replayed = compute(lake, YEAR, DuckDBEngine(lake), institutions=chosen, catalogue=catalogue)
        full = result.values[(result.values.grain == "institution") & result.values.unit.isin(chosen)]
        full = full.sort_values(["indicator", "grain", "unit", "semester", "level", "category"], na_position="first")
        pd.testing.assert_frame_equal(replayed.values.reset_index(drop=True), full.reset_index(drop=True))
        expected_flags = result.flags[result.flags.institution.isin(chosen)].reset_index(drop=True)
        pd.testing.assert_frame_equal(replayed.flags, expected_flags)
    pd.testing.assert_frame_equal(replayed.values, first.values)
    # Another school year is another plan: built, not replayed.
    with pytest.raises(AssertionError, match="must not build"):
        compute(lake, "2022/2023", DuckDBEngine(lake), institutions=["S1"], catalogue=catalogue)
    # So is a lake where a dataset has no files yet (an empty table instead of a Parquet view).
    partial = tmp_path / "partial"
    shutil.copytree(lake, partial)
    shutil.rmtree(partial / "staff")
    with pytest.raises(AssertionError, match="must not build"):
        compute(partial, YEAR, DuckDBEngine(partial), institutions=["S1"], catalogue=catalogue)


def test_plan_template_keeps_only_safe_sql() -> None:
    from analytics.engines.duckdb_engine import _INSTITUTIONS, _in_list, _Step, _template

    listed = _in_list(["A1", "O'B"])
    assert listed == "IN ('A1', 'O''B')"
    where = "SELECT * FROM t WHERE institution "
    kept = _template([_Step(sql=where + listed)], ["A1", "O'B"])
    assert kept is not None and kept[0].sql == where + "IN (" + _INSTITUTIONS + ")"
    # The institution elsewhere than in the list (e.g. compared alone) cannot be replaced safely.
    alone = "SELECT 'A1' AS x FROM t WHERE institution "
    assert _template([_Step(sql=alone + listed)], ["A1", "O'B"]) is None
    assert _template([_Step(sql="SELECT * FROM ibis_pandas_memtable_x")], ["A1"]) is None
    assert _template([_Step(sql="SELECT 1")], []) is None


def test_in_list_is_what_ibis_compiles(engine: DuckDBEngine) -> None:
    from analytics.engines.duckdb_engine import _in_list

    t = engine.table("enrolments")
    sql = engine.con.compile(t.filter(t.institution.isin(["S1", "O'B"])))
    assert _in_list(["S1", "O'B"]) in sql


def test_saved_plans_round_trip_and_bad_files_are_ignored(lake: Path, catalogue: Catalogue, result: ComputeResult,
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    monkeypatch.setattr(DuckDBEngine, "_plans", type(DuckDBEngine._plans)())
    compute(lake, YEAR, DuckDBEngine(lake, plan_dir=plans), institutions=["S1"], catalogue=catalogue)
    saved = list(plans.glob("plan-*.json"))
    assert len(saved) == 1 and not list(plans.glob(".tmp-*"))
    in_memory = next(iter(DuckDBEngine._plans.values()))

    from analytics.engines.duckdb_engine import _load_plan

    key = next(iter(DuckDBEngine._plans))
    assert _load_plan(plans, key) == in_memory  # SQL, tables, dependencies and schemas survive the file
    monkeypatch.setattr(DuckDBEngine, "_plans", type(DuckDBEngine._plans)())
    replayed = compute(lake, YEAR, DuckDBEngine(lake, plan_dir=plans), institutions=["S2"], catalogue=catalogue)
    full = result.values[(result.values.grain == "institution") & (result.values.unit == "S2")]
    pd.testing.assert_frame_equal(replayed.values.reset_index(drop=True), full.reset_index(drop=True))
    # A damaged file is not used (the run is built and the plan saved again).
    saved[0].write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(DuckDBEngine, "_plans", type(DuckDBEngine._plans)())
    assert _load_plan(plans, key) is None
    again = compute(lake, YEAR, DuckDBEngine(lake, plan_dir=plans), institutions=["S2"], catalogue=catalogue)
    pd.testing.assert_frame_equal(again.values, replayed.values)
    assert _load_plan(plans, key) == in_memory
