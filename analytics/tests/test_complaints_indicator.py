"""Complaints per 1,000 learners (indicators/complaints.yaml, measure `learners_and_complaints`) and risk rule R7
on the tiny lake of fixtures/lake.yaml: the complaints of 2023/24 are there for every institution of the register
(0 where none came), 2022/23 has no complaints partition (the register was not in use), and B3 has complaints but
no learners. Missing is not zero: no partition gives no value, no learners gives no value, a row of 0 gives 0."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from analytics.compile import default_catalogue
from analytics.engines import DuckDBEngine
from analytics.imports.lake import replace_partition, withdraw_partition
from analytics.lake.coverage import MANIFEST, Coverage, read_coverage
from analytics.lake.schemas import DATASETS
from analytics.run import ComputeResult, compute
from analytics.spec import Catalogue, RiskRule
from analytics.spec.loader import _canonical, content_hash
from analytics.tests.fixtures.lake import write_lake

YEAR, PREVIOUS = "2023/2024", "2022/2023"
CODE = "complaints_per_1000"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(tmp_path_factory.mktemp("lake"))


def with_r7(catalogue: Catalogue, **params: float) -> Catalogue:
    """The catalogue with R7's parameters changed (the tiny lake's schools have 1-8 learners)."""
    rule = catalogue.rule("R7")
    changed = dataclasses.replace(rule, params={**rule.params, **params})
    return dataclasses.replace(catalogue, rules=tuple(changed if r.code == "R7" else r for r in catalogue.rules))


def run(lake: Path, year: str = YEAR, catalogue: Catalogue | None = None) -> ComputeResult:
    return compute(lake, year, DuckDBEngine(lake), catalogue=catalogue or default_catalogue())


def rows(result: ComputeResult, grain: str) -> dict[str, Any]:
    """The indicator's rows at a grain, by unit (named tuples: value, numerator, denominator, suppressed ...)."""
    v = result.values
    picked = v[(v.indicator == CODE) & (v.grain == grain)]
    return {str(r.unit): r for r in picked.itertuples(index=False)}


@pytest.fixture(scope="module")
def current(lake: Path) -> ComputeResult:
    return run(lake)


def test_per_1000_learners_at_every_grain(current: ComputeResult) -> None:
    institutions = rows(current, "institution")
    assert (institutions["B1"].numerator, institutions["B1"].denominator) == (2, 8)
    assert institutions["B1"].value == pytest.approx(250)
    assert institutions["S1"].value == pytest.approx(1000 / 6)
    # A true zero: complaints received for G1's year, none about it.
    assert (institutions["G1"].value, institutions["G1"].denominator, institutions["G1"].suppressed) == (0, 5, False)
    assert institutions["B2"].value == 0 and institutions["B2"].suppressed  # 3 learners
    # B3 had a complaint but no learners: no value, not 0 (and not infinite).
    assert "B3" not in institutions
    assert set(institutions) == {"B1", "B2", "S1", "S2", "G1", "P1", "V1"}
    municipalities = rows(current, "municipality")
    assert (municipalities["LV-RIX"].numerator, municipalities["LV-RIX"].denominator) == (2, 17)
    assert (municipalities["LV-067"].numerator, municipalities["LV-067"].denominator) == (1, 9)  # not B3's
    nation = rows(current, "nation")["LV"]
    assert (nation.numerator, nation.denominator) == (3, 26)
    assert nation.value == pytest.approx(3000 / 26)


def test_a_year_without_complaint_records_has_no_data(lake: Path) -> None:
    """2022/23 has no complaints partition: the indicator is skipped as not received (never 0), and R7 (if it
    read the previous year) could not evaluate anyone."""
    result = run(lake, PREVIOUS)
    assert CODE not in set(result.values.indicator)
    skip = next(s for s in result.skipped if s["code"] == CODE)
    assert (skip["reason"], skip["datasets"]) == ("not_received", ["complaints"])
    r7 = result.not_evaluated[result.not_evaluated.rule == "R7"]
    assert len(r7) and all(["complaints", PREVIOUS] in missing for missing in r7.missing)
    assert "R7" not in set(result.flags.rule)


def test_an_institution_whose_complaints_were_not_received_has_no_value(tmp_path: Path) -> None:
    """Complaints received for every institution but S1: S1 has no value and counts in no sum, and R7 leaves it
    not evaluated (not passed)."""
    root = write_lake(tmp_path)
    path = root / "complaints" / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        entry["covers"] = [c for c in entry["covers"] if c != "S1"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    result = run(root, catalogue=with_r7(default_catalogue(), min_learners=1, min_complaints=1))
    assert "S1" not in rows(result, "institution")
    nation = rows(result, "nation")["LV"]
    assert (nation.numerator, nation.denominator) == (2, 20)
    r7 = result.not_evaluated[result.not_evaluated.rule == "R7"]
    assert dict(zip(r7.institution, r7.missing, strict=True)) == {"S1": [["complaints", YEAR]]}


def test_r7_needs_enough_learners_and_complaints(lake: Path, current: ComputeResult) -> None:
    # The shipped thresholds (100 learners, 3 complaints): no school of the tiny lake is decided on, none flagged,
    # and every one is evaluated (its complaints were received).
    assert "R7" not in set(current.flags.rule)
    assert current.rule_counts["R7"]["not_evaluated"] == 0 and current.rule_counts["R7"]["evaluated"] > 0
    # Thresholds a tiny school reaches: B1 (2 complaints, 250 per 1,000) flags; S1 (1 complaint) does not, until
    # one complaint is enough; G1's true 0 never does.
    two = run(lake, catalogue=with_r7(default_catalogue(), threshold_per_1000=100, min_learners=5, min_complaints=2))
    assert set(two.flags[two.flags.rule == "R7"].institution) == {"B1"}
    [evidence] = two.flags[(two.flags.rule == "R7") & (two.flags.institution == "B1")].evidence
    assert evidence["periods"] == {YEAR: [{"value": 250.0, "numerator": 2.0, "denominator": 8.0}]}
    assert evidence["params"] == {"threshold_per_1000": 100, "min_learners": 5, "min_complaints": 2}
    one = run(lake, catalogue=with_r7(default_catalogue(), threshold_per_1000=100, min_learners=5, min_complaints=1))
    assert set(one.flags[one.flags.rule == "R7"].institution) == {"B1", "S1"}
    # Fewer learners than the minimum: S1's 6 learners are not enough for 7.
    seven = run(lake, catalogue=with_r7(default_catalogue(), threshold_per_1000=100, min_learners=7, min_complaints=1))
    assert set(seven.flags[seven.flags.rule == "R7"].institution) == {"B1"}


def test_min_numerator_enters_only_the_versions_of_rules_that_set_it() -> None:
    """A key added after rules were versioned: a rule without it hashes as it did before the key existed (R1-R6
    keep their versions); R7's version depends on its minimum."""
    catalogue = default_catalogue()
    r6 = catalogue.rule("R6")
    assert r6.min_numerator is None
    canonical = _canonical(r6)
    assert isinstance(canonical, dict) and "min_numerator" not in canonical and "min_denominator" in canonical
    r7: RiskRule = catalogue.rule("R7")
    assert r7.min_numerator is not None and r7.min_numerator.param == "min_complaints"
    assert content_hash(r7) != content_hash(dataclasses.replace(r7, min_numerator=None))


def test_whole_partitions_are_replaced_and_withdrawn_with_their_receipt(tmp_path: Path) -> None:
    """The web application's partitions (analytics.imports.lake): one receipt per school year, rewritten only when
    the table or the institutions covered change, and withdrawn receipt first when the data are gone."""
    schema = DATASETS["complaints"].schema

    def table(b1: int) -> pa.Table:
        return pa.table({"institution": ["B1", "B2"], "complaints": [b1, 0], "confirmed": [0, 0],
                         "not_confirmed": [0, 0], "explanation": [0, 0], "referred": [0, 0],
                         "no_outcome": [b1, 0]}, schema=schema)

    def write(year: str, b1: int, at: str) -> bool:
        return replace_partition(tmp_path, "complaints", year, table(b1), covers=["B1", "B2"], source_file="web",
                                 received_at=at)

    assert write(YEAR, 1, "2024-09-10T00:00:00") and write(PREVIOUS, 2, "2024-09-10T00:00:00")
    assert not write(YEAR, 1, "2024-09-11T00:00:00")  # the same: nothing written
    assert write(YEAR, 3, "2024-10-01T00:00:00")
    manifest = json.loads((tmp_path / "complaints" / MANIFEST).read_text(encoding="utf-8"))
    entry = next(e for e in manifest["files"] if e["school_year"] == YEAR)
    assert (entry["imported_at"], entry["first_received_at"], entry["covers"]) == (
        "2024-10-01T00:00:00", "2024-09-10T00:00:00", ["B1", "B2"])
    assert len(manifest["files"]) == 2
    assert withdraw_partition(tmp_path, "complaints", PREVIOUS)
    assert not withdraw_partition(tmp_path, "complaints", PREVIOUS)
    coverage = Coverage(read_coverage(tmp_path))
    assert coverage.covers("B2", "complaints", YEAR) and not coverage.received("complaints", PREVIOUS)
    assert not (tmp_path / "complaints" / "school_year=2022-2023").exists()
    assert [p.name for p in (tmp_path / "complaints" / "school_year=2023-2024").iterdir()] == ["part-0.parquet"]
