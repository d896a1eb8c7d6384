"""Exam results at the grain sources publish them (`exam_results`: per institution and exam) as well as per learner
(`exams`): imports by registration number or by name, the same exam indicators and R5 flags from either grain
(never counting a result twice), and per-learner indicators (daily vs exam, R6) that still need `exams` itself.
The lake is fixtures/exam_lake.py; its docstring works out R5 and R6 by hand."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics.engines import DuckDBEngine
from analytics.imports import ImportReport, import_file
from analytics.imports.names import InstitutionNames, normalise
from analytics.lake.coverage import Coverage, read_coverage
from analytics.run import ComputeResult, compute
from analytics.tests.fixtures.exam_lake import (
    CURRENT,
    KEY,
    MUNICIPALITIES,
    NAMES,
    PREVIOUS,
    PUBLISHED,
    REGISTER,
    A,
    B,
    C,
    D,
    E,
    exam_catalogue,
    published_rows,
    write_csv,
    write_exam_lake,
)

#: The exam_scores indicators (means and their comparison with the nation); R5 reads the last one.
EXAM_MEANS = ("exam_mean_score", "exam_mean_vs_national_difference", "exam_mean_vs_national_ratio",
              "exam_mean_shortfall_vs_national")
KEYS = ["indicator", "grain", "unit", "semester", "level", "category"]
def run_lake(root: Path) -> ComputeResult:
    return compute(root, CURRENT, DuckDBEngine(root), catalogue=exam_catalogue())


@pytest.fixture(scope="module")
def per_learner(tmp_path_factory: pytest.TempPathFactory) -> ComputeResult:
    return run_lake(write_exam_lake(tmp_path_factory.mktemp("learners") / "lake"))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> ComputeResult:
    return run_lake(write_exam_lake(tmp_path_factory.mktemp("mixed") / "lake", published=PUBLISHED))


def exam_values(result: ComputeResult) -> pd.DataFrame:
    v = result.values[result.values.indicator.isin(EXAM_MEANS)]
    v = v.sort_values(KEYS, na_position="first").reset_index(drop=True)
    for column in ("value", "numerator", "denominator"):
        v[column] = v[column].round(9) + 0.0
    return v


def rule_flags(result: ComputeResult, rule: str) -> list[tuple[str, str]]:
    f = result.flags[result.flags.rule == rule]
    return sorted((str(i), json.dumps(e, sort_keys=True)) for i, e in zip(f.institution, f.evidence, strict=True))


def flagged(result: ComputeResult, rule: str) -> set[str]:
    return {i for i, _ in rule_flags(result, rule)}


def not_evaluated(result: ComputeResult, rule: str) -> dict[str, list[list[str]]]:
    n = result.not_evaluated
    return {str(i): list(m) for i, m in zip(n[n.rule == rule].institution, n[n.rule == rule].missing, strict=True)}


def pick(result: ComputeResult, indicator: str, unit: str, category: str | None = None,
         grain: str = "institution") -> pd.Series:
    v = result.values
    rows = v[(v.indicator == indicator) & (v.grain == grain) & (v.unit == unit)
             & (v.category == category if category else v.category.isna())]
    assert len(rows) == 1, (indicator, unit, category, len(rows))
    return rows.iloc[0]


# --- The two grains give the same answers ----------------------------------------------------------------------


def test_both_grains_give_the_same_exam_indicators_and_r5_flags(per_learner: ComputeResult,
                                                                 mixed: ComputeResult) -> None:
    pd.testing.assert_frame_equal(exam_values(per_learner), exam_values(mixed), check_exact=True)
    assert rule_flags(per_learner, "R5") == rule_flags(mixed, "R5")
    # Not a trivial agreement: every institution and mandatory exam has its mean, and R5 flags B (lv12 25 % below
    # the national 60) and C (math12 40 against 1065 / 21): see fixtures/exam_lake.py.
    assert flagged(mixed, "R5") == {B, C}
    assert pick(mixed, "exam_mean_score", "LV", "lv12", grain="nation")["value"] == 58.125  # 1162.5 / 20
    assert pick(mixed, "exam_mean_score", D, "lv12")[["numerator", "denominator"]].tolist() == [362.5, 5]
    assert pick(mixed, "exam_mean_score", A, "math12")["value"] == 48
    # The optional eng12 is filtered out at both grains (exams.mandatory and exam_results.mandatory).
    assert "eng12" not in set(exam_values(mixed).category)
    assert not not_evaluated(mixed, "R5")


def test_r5_from_per_institution_results(mixed: ComputeResult) -> None:
    """B's results exist only as published per-institution rows, in both years; R5 flags it with the evidence
    of those rows: a mean of 45 over 5 takers, 25 % below the national lv12 mean of 60."""
    [(_, evidence)] = [f for f in rule_flags(mixed, "R5") if f[0] == B]
    rows = json.loads(evidence)["periods"][PREVIOUS]
    assert rows == [{"category": "lv12", "denominator": 5.0, "numerator": 225.0, "value": 25.0}]


def test_per_learner_rows_win_and_are_never_counted_twice(tmp_path: Path, per_learner: ComputeResult) -> None:
    """Every result at both grains, and one published mean that disagrees with its learners' rows: the answers
    are those of the per-learner rows alone."""
    both = run_lake(write_exam_lake(tmp_path / "lake", both=True,
                                    conflicting={(CURRENT, C, "lv12"): 99.0, (PREVIOUS, B, "lv12"): 70.0}))
    pd.testing.assert_frame_equal(exam_values(per_learner), exam_values(both), check_exact=True)
    assert rule_flags(per_learner, "R5") == rule_flags(both, "R5")
    assert pick(both, "exam_mean_score", C, "lv12")[["value", "denominator"]].tolist() == [47.5, 5]


# --- Coverage: either grain counts for the exam means; per-learner indicators need exams --------------------------


def test_an_institution_with_only_published_results_is_received_for_the_exam_means(mixed: ComputeResult) -> None:
    for institution in (B, D):
        assert pick(mixed, "exam_mean_score", institution, "lv12")["denominator"] == 5
        assert pick(mixed, "exam_mean_shortfall_vs_national", institution, "math12")["denominator"] == 5


def test_daily_vs_exam_and_r6_need_per_learner_exams(per_learner: ComputeResult, mixed: ComputeResult) -> None:
    """With per-learner rows, B's learners (daily 90 %, exams about 55 %) make R6 flag it. With only B's published
    results, daily-vs-exam has no data for B and R6 leaves it not evaluated: neither a flag nor a pass."""
    assert flagged(per_learner, "R6") == {B}
    assert not not_evaluated(per_learner, "R6")
    assert B in set(per_learner.values[per_learner.values.indicator == "daily_vs_exam_abs_gap"].unit)

    gap = mixed.values[(mixed.values.indicator == "daily_vs_exam_abs_gap") & (mixed.values.grain == "institution")]
    assert set(gap.unit) == {A, C, E}  # B and D: no data
    assert flagged(mixed, "R6") == set()
    assert not_evaluated(mixed, "R6") == {B: [["exams", CURRENT]], D: [["exams", CURRENT]]}
    assert mixed.rule_counts["R6"] == {"evaluated": 3, "not_evaluated": 2, "flagged": 0}  # A, C, E evaluated


def test_an_institution_with_neither_grain_is_not_evaluated(tmp_path: Path) -> None:
    """D's results are absent at both grains (nothing published, no learners' rows): the exam means have no row
    for it and R5 lists both sources as not received for the previous year."""
    root = write_exam_lake(tmp_path / "lake", published=PUBLISHED, withheld={D})
    coverage = Coverage(read_coverage(root))
    assert coverage.missing(D, [("exams", "exam_results")], PREVIOUS) == ["exams", "exam_results"]
    assert coverage.missing(B, [("exams", "exam_results")], PREVIOUS) == []
    assert coverage.missing(B, ["exams", "grades"], CURRENT) == ["exams"]
    result = run_lake(root)
    assert D not in set(result.values[result.values.indicator == "exam_mean_score"].unit)
    assert not_evaluated(result, "R5") == {D: [["exams", PREVIOUS], ["exam_results", PREVIOUS]]}
    assert flagged(result, "R5") == {B, C}


# --- Imports ---------------------------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run_import(path: Path, lake: Path, **kw: Any) -> ImportReport:
    kw.setdefault("institution_names", NAMES)
    kw.setdefault("municipality_names", MUNICIPALITIES)
    return import_file("exam_results", path, lake_root=lake, school_year=kw.pop("school_year", CURRENT),
                       known_institutions={r[0] for r in REGISTER}, known_programmes=set(), pseudonym_key=KEY, **kw)


def codes(report: ImportReport) -> set[tuple[int | None, str | None, str]]:
    return {(e.row, e.column, e.code) for e in report.errors}


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


HEADER = ["exam", "mandatory", "grade", "takers", "mean_score_pct"]


def test_import_by_registration_number(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    rows = published_rows(CURRENT, [(A, "lv12"), (B, "eng12"), (E, "math9")])
    report = run_import(write_csv(tmp_path / "r.csv", rows), lake)
    assert report.status == "imported", report.summary_lines()
    table = pq.read_table(lake / report.part).to_pylist()  # type: ignore[operator]
    assert table == [
        {"institution": A, "exam": "lv12", "mandatory": True, "grade": 12, "takers": 5, "mean_score_pct": 60.0},
        {"institution": B, "exam": "eng12", "mandatory": False, "grade": 12, "takers": 2, "mean_score_pct": 90.0},
        {"institution": E, "exam": "math9", "mandatory": True, "grade": 9, "takers": 5, "mean_score_pct": 66.0},
    ]
    # A receipt for the institutions in the file (no personal codes: nothing to pseudonymise).
    assert report.covered == 3
    assert Coverage(read_coverage(lake)).institutions("exam_results", CURRENT) == {A, B, E}


def test_import_by_name_and_municipality(tmp_path: Path) -> None:
    """Names match exactly after NFC, whitespace and case normalisation; the municipality (code or name, Latvian
    or English) picks one of the two "Centra vidusskola"; a unique name needs none."""
    decomposed = unicodedata.normalize("NFD", "rīgas  1.\u00a0VIDUSSKOLA ")
    assert decomposed != "Rīgas 1. vidusskola" and normalise(decomposed) == normalise("Rīgas 1. vidusskola")
    lake = tmp_path / "lake"
    path = write(tmp_path / "n.csv", ["institution_name", "municipality", *HEADER], [
        [decomposed, "", "lv12", "true", "12", "5", "60"],
        ["Centra vidusskola", "lv-rix", "lv12", "true", "12", "5", "47.5"],
        ["Centra vidusskola", "Ogre Municipality", "lv12", "true", "12", "5", "72.5"],
        ["Rīgas 5. pamatskola", "Rīga", "lv9", "true", "9", "5", "70"],
    ])
    report = run_import(path, lake)
    assert report.status == "imported", report.summary_lines()
    table = pq.read_table(lake / report.part)  # type: ignore[operator]
    assert table.schema.names == ["institution", "exam", "mandatory", "grade", "takers", "mean_score_pct"]
    assert table.column("institution").to_pylist() == [A, C, D, E]
    # Without a municipality column too.
    path = write(tmp_path / "m.csv", ["institution_name", *HEADER], [["Ogres 1. vidusskola", "lv12", "1", "12", "5",
                                                                       "52.5"]])
    report = run_import(path, lake)
    assert report.status == "imported", report.summary_lines()
    assert pq.read_table(lake / report.part).to_pylist()[0]["institution"] == B  # type: ignore[operator]


def test_unmatched_and_ambiguous_names_are_reported_row_by_row_and_nothing_is_written(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    assert run_import(write_csv(tmp_path / "seed.csv", published_rows(CURRENT, [(A, "lv12")])), lake).ok
    before = snapshot(lake)
    path = write(tmp_path / "bad.csv", ["institution_name", "municipality", *HEADER], [
        ["Rīgas 1. vidusskola", "", "math12", "true", "12", "5", "48"],  # fine
        ["Centra vidusskola", "", "lv12", "true", "12", "5", "47.5"],  # two institutions have this name
        ["Rīgas 1. vidusskol", "", "lv12", "true", "12", "5", "60"],  # no such name
        ["Centra vidusskola", "LV-XXX", "lv12", "true", "12", "5", "47.5"],  # no such municipality
        ["Ogres 1. vidusskola", "LV-RIX", "lv12", "true", "12", "5", "52.5"],  # not in that municipality
        ["Rīgas 1. vidusskola", "", "lv12", "true", "12", "5", "60"],  # already in the lake (matched by name)
        ["", "", "lv9", "true", "9", "5", "70"],  # no name
        [" ", "", "math9", "true", "9", "5", "66"],  # a blank name
    ])
    report = run_import(path, lake)
    assert report.status == "rejected"
    assert codes(report) == {
        (2, "institution_name", "ambiguous_institution_name"),
        (3, "institution_name", "unknown_institution_name"),
        (4, "municipality", "unknown_municipality"),
        (5, "institution_name", "unknown_institution_name"),
        (6, "institution_name", "duplicate_in_lake"),
        (7, "institution_name", "required"),
        (8, "institution_name", "required"),
    }
    ambiguous = next(e for e in report.errors if e.code == "ambiguous_institution_name")
    assert ambiguous.value == "Centra vidusskola"
    assert f"{C}, {D}" in ambiguous.message_lv and f"{C}, {D}" in ambiguous.message_en
    assert "municipality" in ambiguous.message_en and "pašvaldību" in ambiguous.message_lv
    unknown = next(e for e in report.errors if e.row == 3)
    assert "no institution with this name" in unknown.message_en and "nav iestādes ar šādu nosaukumu" in \
        unknown.message_lv
    assert snapshot(lake) == before


def test_naming_needs_the_register_and_one_way_of_identifying(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    named = write(tmp_path / "n.csv", ["institution_name", *HEADER], [["Ogres 1. vidusskola", "lv12", "1", "12", "5",
                                                                       "52.5"]])
    assert codes(run_import(named, lake, institution_names=None)) == {(None, None, "names_not_available")}
    both = write(tmp_path / "b.csv", ["institution", "institution_name", *HEADER],
                 [[B, "Ogres 1. vidusskola", "lv12", "1", "12", "5", "52.5"]])
    assert codes(run_import(both, lake)) == {(None, None, "institution_and_name")}
    # A municipality without a name is just an unexpected column.
    numbered = write(tmp_path / "c.csv", ["institution", "municipality", *HEADER], [[B, "LV-067", "lv12", "1", "12",
                                                                                    "5", "52.5"]])
    assert codes(run_import(numbered, lake)) == {(None, None, "extra_columns")}
    # Only known institutions are matched (a name of an institution outside the register given is unknown).
    assert codes(run_import(named, lake, institution_names=[*NAMES, ("9999999999", "Nezināmā skola", "LV-RIX")],
                            school_year=PREVIOUS)) == set()
    unknown = write(tmp_path / "u.csv", ["institution_name", *HEADER], [["Nezināmā skola", "lv12", "1", "12", "5",
                                                                         "52.5"]])
    assert codes(run_import(unknown, lake, institution_names=[*NAMES, ("9999999999", "Nezināmā skola", "LV-RIX")])) \
        == {(1, "institution_name", "unknown_institution_name")}
    assert not (lake / "exam_results" / "school_year=2023-2024").exists()


def test_exam_results_values_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path / "v.csv", ["institution", *HEADER], [
        [A, "lv12", "true", "12", "0", "60"],  # no takers
        [B, "lv12", "true", "10", "5", "60"],  # grade 10
        [C, "lv12", "yes", "12", "5", "100.5"],  # not a boolean, mean over 100
        [D, "lv12", "true", "12", "5.5", "60"],  # takers not whole
        [D, "lv12", "true", "12", "5", "60"],  # the key (institution, exam) again
        ["4000000099", "lv12", "true", "12", "5", "60"],  # not in the register
    ])
    report = run_import(path, tmp_path / "lake")
    assert codes(report) == {(1, "takers", "out_of_range"), (2, "grade", "not_allowed"),
                             (3, "mandatory", "not_boolean"), (3, "mean_score_pct", "out_of_range"),
                             (4, "takers", "not_integer"), (5, "institution", "duplicate_in_file"),
                             (6, "institution", "unknown_institution")}
    assert not (tmp_path / "lake").exists()


def test_name_matching_rules() -> None:
    names = InstitutionNames([(A, "Rīgas 1. vidusskola", "LV-RIX"), (C, "Centra vidusskola", "LV-RIX"),
                              (D, "Centra  Vidusskola", "lv-067")], {"LV-067": ["Ogres novads"]})
    assert names.match("RĪGAS 1. VIDUSSKOLA").registration_number == A
    assert names.match("Rīgas 1 vidusskola").status == "unmatched"  # punctuation is not forgiven
    assert names.match("Centra vidusskola").candidates == (C, D)
    assert names.match("centra vidusskola", "ogres novads").registration_number == D
    assert names.match("Centra vidusskola", "LV-067").registration_number == D
    assert names.match("Centra vidusskola", "Rīga").status == "unknown_municipality"  # no names given for LV-RIX
    assert names.match("Centra vidusskola", "LV-RIX").registration_number == C
    assert names.match("Centra vidusskola", "  ").status == "ambiguous"  # blank: not given
