"""Missing is not zero: what the lake received decides what is computed, and a partial lake never crashes.

The tiny lake of fixtures/lake.yaml is written with every dataset and year recorded as received; the tests
take parts of it away (a dataset's files, a dataset's receipt for some institutions, a column) and check
that the run names what it skipped and leaves rules "not evaluated" instead of flagging or passing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from analytics.compile import default_catalogue
from analytics.engines.duckdb_engine import DuckDBEngine
from analytics.lake.coverage import MANIFEST, NATIONAL, Coverage, read_coverage
from analytics.run import ComputeResult, NoDataError, compute
from analytics.tests.fixtures.lake import write_lake

YEAR, PREVIOUS = "2023/2024", "2022/2023"


def run(root: Path) -> ComputeResult:
    return compute(root, YEAR, DuckDBEngine(root), catalogue=default_catalogue())


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> ComputeResult:
    root = write_lake(tmp_path_factory.mktemp("full"))
    return run(root)


def not_evaluated(result: ComputeResult, rule: str) -> dict[str, list[list[str]]]:
    ne = result.not_evaluated
    rows = ne[ne.rule == rule]
    return {str(i): list(m) for i, m in zip(rows["institution"], rows["missing"], strict=True)}


def flagged(result: ComputeResult, rule: str) -> set[str]:
    return set(result.flags[result.flags.rule == rule].institution)


def test_a_complete_lake_evaluates_every_rule(full: ComputeResult) -> None:
    assert full.not_evaluated.empty and full.skipped == []
    assert full.rule_counts["R3"] == {"evaluated": 5, "not_evaluated": 0, "flagged": 2}


def test_coverage_is_read_from_the_manifests(tmp_path: Path) -> None:
    root = write_lake(tmp_path)
    coverage = Coverage(read_coverage(root))
    assert coverage.covers("B1", "staff", YEAR) and coverage.covers("B3", "absences", PREVIOUS)
    assert coverage.covers("anybody", "out_of_school", YEAR)  # a national dataset
    assert set(read_coverage(root)[lambda f: f.source == "out_of_school"].institution) == {NATIONAL}
    assert not coverage.covers("XX", "staff", YEAR)


# Exams come in two grains that stand in for each other (analytics/tests/test_exam_results.py).
IN_FIXTURE = ("enrolments", "absences", "long_term_absences", "out_of_school", "grades", "classes", "staff",
              "vacancies", "graduates", "complaints")


@pytest.mark.parametrize("dataset", IN_FIXTURE)
def test_each_dataset_absent_in_turn(tmp_path: Path, dataset: str, full: ComputeResult) -> None:
    """No crash; the indicators reading the dataset are skipped by name; rules on it are not evaluated."""
    root = write_lake(tmp_path)
    shutil.rmtree(root / dataset)
    result = run(root)
    catalogue = default_catalogue()
    rules_on = {r.code for r in catalogue.rules if dataset in catalogue.indicator(r.left).sources}
    readers = {i.code for i in catalogue.indicators if dataset in i.sources and (
        i.type != "share_of_units" or i.rule in rules_on)}
    skipped = {s["code"] for s in result.skipped if s["kind"] == "indicator"}
    assert readers <= skipped
    assert all(s["datasets"] == [dataset] for s in result.skipped if s["reason"] == "not_received")
    assert not (set(result.values.indicator) & readers)
    for rule in catalogue.rules:
        if rule.code in rules_on:
            assert flagged(result, rule.code) == set(), rule.code
            gaps = not_evaluated(result, rule.code)
            assert gaps and all([dataset, YEAR] in missing for missing in gaps.values()), rule.code
            assert result.rule_counts[rule.code]["evaluated"] == 0
        elif dataset != "enrolments":  # without enrolments nobody is in any rule's population
            assert flagged(result, rule.code) == flagged(full, rule.code), rule.code


def test_no_support_staff_is_not_evaluated_without_staff_data(tmp_path: Path) -> None:
    """R3 reads "no staff rows" as 0 staff only where a staff list was received: G1 and S2 (received, no
    support staff) stay flagged; B1 and S1, whose staff lists never came, are not evaluated, not passed."""
    root = write_lake(tmp_path)
    manifest_path = root / "staff" / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        entry["covers"] = [c for c in entry["covers"] if c not in ("B1", "S1")]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = run(root)
    assert flagged(result, "R3") == {"G1", "S2"}
    assert not_evaluated(result, "R3") == {"B1": [["staff", PREVIOUS], ["staff", YEAR]],
                                           "S1": [["staff", PREVIOUS], ["staff", YEAR]]}
    values = result.values
    support = values[(values.indicator == "support_staff_active") & (values.grain == "institution")]
    assert not ({"B1", "S1"} & set(support.unit))  # no data, not 0
    # The national share of schools without support staff leaves the unevaluated ones out of the denominator.
    share = values[(values.indicator == "risk_no_support_staff_secondary") & (values.grain == "nation")].iloc[0]
    assert (share.numerator, share.denominator) == (2, 2)


def test_a_school_the_generator_marks_as_not_submitting_is_not_evaluated(tmp_path: Path,
                                                                         full: ComputeResult) -> None:
    """The generator's manifests leave out a school that did not submit a dataset for a year (`withheld`): R1
    cannot evaluate S2 without its 2023/24 classes, and the national share counts it in neither part."""
    root = write_lake(tmp_path, withheld={("classes", YEAR): ["S2"]})
    assert not Coverage.read(root).covers("S2", "classes", YEAR) and Coverage.read(root).covers("S1", "classes", YEAR)
    result = run(root)
    assert not_evaluated(result, "R1") == {"S2": [["classes", YEAR]]}
    assert "S2" not in flagged(result, "R1")

    def share(r: ComputeResult) -> tuple[float, float]:
        v = r.values
        row = v[(v.indicator == "risk_combined_classes_secondary") & (v.grain == "nation")].iloc[0]
        return row.numerator, row.denominator

    assert share(result) == (share(full)[0] - ("S2" in flagged(full, "R1")), share(full)[1] - 1)


def test_an_any_rule_flags_on_the_period_received(tmp_path: Path) -> None:
    """R4 for secondary schools is "previous or current": S1's vacancy of 2022/23 flags it even when the
    2023/24 vacancies were never received; B1 (basic: both years needed) is not evaluated."""
    root = write_lake(tmp_path)
    manifest_path = root / "vacancies" / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = [e for e in manifest["files"] if e["school_year"] != YEAR]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = run(root)
    assert "S1" in flagged(result, "R4") and "B1" not in flagged(result, "R4")
    assert not_evaluated(result, "R4")["B1"] == [["vacancies", YEAR]]


def test_a_missing_column_is_named_and_its_indicators_skipped(tmp_path: Path) -> None:
    root = write_lake(tmp_path)
    for part in (root / "classes").rglob("*.parquet"):
        pq.write_table(pq.read_table(part).drop_columns(["combined"]), part)
    result = run(root)
    skips = {s["code"]: s for s in result.skipped}
    assert skips["combined_classes"]["reason"] == "missing_columns"
    assert skips["combined_classes"]["columns"] == ["classes.combined"]
    assert skips["R1"]["kind"] == "rule" and "R1" not in set(result.flags.rule)
    assert "risk_combined_classes_basic" in skips


def test_a_year_without_data_is_refused(tmp_path: Path) -> None:
    root = write_lake(tmp_path)
    with pytest.raises(NoDataError, match="2030/2031"):
        compute(root, "2030/2031", DuckDBEngine(root))


def test_parts_without_a_receipt_count_for_nothing(tmp_path: Path) -> None:
    root = write_lake(tmp_path, received=False)
    with pytest.raises(NoDataError):
        run(root)
