"""Graduate monitoring (issue 15): fields of further study on the tiny lake of fixtures/support_lake.yaml, with
the answers worked by hand; a graduate whose field is not reported counts under "unknown", never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analytics.compile import default_catalogue
from analytics.compile.measures import UNKNOWN_FIELD
from analytics.engines import DuckDBEngine
from analytics.lake.schemas import DATASETS, STUDY_FIELDS
from analytics.run import ComputeResult, compute
from analytics.tests.fixtures.lake import write_lake

DEFINITIONS = Path(__file__).resolve().parents[1] / "definitions"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> ComputeResult:
    lake = write_lake(tmp_path_factory.mktemp("graduates"), "support_lake.yaml")
    return compute(lake, "2023/2024", DuckDBEngine(lake), catalogue=default_catalogue())


def fields(result: ComputeResult, grain: str, unit: str, level: str | None) -> dict[str, float]:
    v = result.values
    r = v[(v.indicator == "graduate_study_fields") & (v.grain == grain) & (v.unit == unit)]
    r = r[r.level.isna()] if level is None else r[r.level == level]
    return {c: float(x) for c, x in zip(r.category, r.value, strict=True)}


def test_fields_of_further_study(result: ComputeResult) -> None:
    # B1's basic graduates going on to study: b-01 (field 00), b-02 (07), b-04 (no field → unknown); b-03's
    # destination is unknown, so b-03 is not among them. Each is a third.
    got = fields(result, "institution", "B1", "basic")
    third = pytest.approx(100 / 3)
    assert got["00"] == third and got["07"] == third and got[UNKNOWN_FIELD] == third
    assert all(got[f] == 0.0 for f in STUDY_FIELDS if f not in ("00", "07"))
    assert sum(got.values()) == pytest.approx(100.0)
    # The nation, secondary: s-01 studies ICT (06).
    assert fields(result, "nation", "LV", "secondary")["06"] == 100.0


def test_destinations_by_programme(result: ComputeResult) -> None:
    # B1's basic graduates: programme 21011111 b-01 (general secondary), b-02 (vocational), b-03 (unknown); b-04
    # has no programme (general secondary).
    v = result.values
    r = v[(v.indicator == "graduate_programme_destinations") & (v.grain == "institution") & (v.unit == "B1")]
    got = {c: float(x) for c, x in zip(r.category, r.value, strict=True)}
    third = pytest.approx(100 / 3)
    assert got["21011111|general_secondary"] == third and got["21011111|vocational"] == third
    assert got["21011111|unknown"] == third and got["21011111|employment"] == 0.0
    assert got["unknown|general_secondary"] == 100.0
    assert set(r.denominator[r.category.str.startswith("21011111|")]) == {3.0}


def test_a_graduates_file_without_the_new_columns_still_imports_as_null(tmp_path: Path) -> None:
    # The fixture loader (like the importer) leaves optional columns out: the main tiny lake has none.
    from analytics.tests.fixtures.lake import load_tables

    table = load_tables("lake.yaml")["graduates"]["2023/2024"]
    assert table.column("field").null_count == table.num_rows
    assert DATASETS["graduates"].column("field").optional
    assert DATASETS["graduates"].column("programme_code").optional


def test_study_fields_yaml_lists_every_code_with_both_names() -> None:
    doc = yaml.safe_load((DEFINITIONS / "study_fields.yaml").read_text(encoding="utf-8"))
    assert doc["source"]["lv"] and doc["source"]["en"]
    assert tuple(f["code"] for f in doc["fields"]) == STUDY_FIELDS
    assert all(f["lv"] and f["en"] for f in doc["fields"])
