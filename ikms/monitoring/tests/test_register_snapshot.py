"""The lake's register snapshot (`institutions`) comes from the register: written before every computation and
again after register decisions, for every school year the lake holds."""

import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from analytics.lake.coverage import manifest_entry
from ikms.monitoring.lake import lake_register_write, register_snapshot
from ikms.registry import services
from ikms.registry.testing import decision_input, municipal_founder, register_institution

pytestmark = pytest.mark.django_db


def snapshot(lake: Path, year: str) -> dict[str, dict]:
    folder = lake / "institutions" / f"school_year={year.replace('/', '-')}"
    [part] = list(folder.glob("*.parquet"))
    return {r["institution"]: r for r in pq.read_table(part).to_pylist()}


def test_snapshot_as_of_the_school_year(world, officer):
    a1, b1 = world["a1"], world["b1"]
    services.institution_strike_off(actor=officer, decision=decision_input(datetime.date(2023, 6, 30)),
                                    institution=b1)
    in_2022 = {r["institution"] for r in register_snapshot("2022/2023").to_pylist()}
    in_2023 = {r["institution"]: r for r in register_snapshot("2023/2024").to_pylist()}
    assert b1.registration_number in in_2022  # liquidated during 2022/23: it existed that year
    assert b1.registration_number not in in_2023  # liquidated before 2023/24 began
    row = in_2023[a1.registration_number]
    assert (row["type"], row["kind"], row["municipality"], row["founder_kind"]) == (
        "secondary", "general", "LV-RIX", "municipality")


def test_written_for_every_year_the_lake_holds_and_after_decisions(world, officer, settings, tmp_path,
                                                                   django_capture_on_commit_callbacks):
    lake = tmp_path / "lake"
    settings.IKMS_LAKE_DIR = lake
    (lake / "classes" / "school_year=2022-2023").mkdir(parents=True)
    (lake / "enrolments" / "school_year=2023-2024").mkdir(parents=True)
    assert lake_register_write() == {"2022/2023": 3, "2023/2024": 3}
    assert set(snapshot(lake, "2023/2024")) == {world[k].registration_number for k in ("a1", "a2", "b1")}
    # A registration decision: once committed, the snapshot of every year holds the new institution.
    with django_capture_on_commit_callbacks(execute=True):
        new = register_institution(actor=officer, founder=municipal_founder("LV-067"), name="Jaunā skola")
    assert new.registration_number in snapshot(lake, "2022/2023")
    assert new.registration_number in snapshot(lake, "2023/2024")
    assert not list(lake.rglob(".tmp-*"))


def test_computation_writes_the_snapshot_first(world, settings, tmp_path):
    """A lake whose snapshot is stale (an institution missing) is brought up to date before computing."""
    from analytics.imports import lake as lake_io
    from ikms.monitoring.services import indicators_compute

    lake = tmp_path / "lake"
    settings.IKMS_LAKE_DIR = lake
    a1 = world["a1"].registration_number
    folder = lake / "classes" / "school_year=2023-2024"
    folder.mkdir(parents=True)
    import pyarrow as pa

    from analytics.lake.schemas import DATASETS

    table = pa.table({"institution": [a1], "class_id": ["9a"], "grades": ["9"], "combined": [False],
                      "learners": [12]}, schema=DATASETS["classes"].schema)
    pq.write_table(table, folder / "part-x.parquet")
    lake_io.write_manifest(lake / "classes", {"dataset": "classes", "files": [manifest_entry(
        part="classes/school_year=2023-2024/part-x.parquet", school_year="2023/2024", rows=1,
        received_at="2024-01-01T00:00:00", source_file="classes.csv", covers=[a1])]})
    run = indicators_compute(school_year="2023/2024", lake_root=lake)
    assert run.status == "done"
    assert a1 in snapshot(lake, "2023/2024") and a1 in snapshot(lake, "2022/2023")
