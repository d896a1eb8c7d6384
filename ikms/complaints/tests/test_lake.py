"""The complaints reach the lake (ikms/complaints/lake.py): counted per institution and school year from the
complaints written through the services, no submitter data, no partition for a year without complaint records;
and, end to end, a computation reads them as complaints per 1,000 learners and flags R7."""

import datetime as dt
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from django.core.management import call_command
from django.utils import translation

from analytics.lake.coverage import Coverage, read_coverage
from analytics.lake.schemas import DATASETS
from analytics.tests.fixtures.lake import write_lake
from ikms.complaints import services
from ikms.complaints.lake import lake_complaints_write
from ikms.monitoring.lake import register_snapshot, writers
from ikms.monitoring.models import IndicatorValue, RiskFlag, RuleNotEvaluated
from ikms.monitoring.services import indicators_compute
from ikms.monitoring.testing import write_receipt

pytestmark = pytest.mark.django_db

NAME, CONTACT, CODE = "Anna Bērziņa", "anna.berzina@example.lv", "010101-12345"
EARLY, YEAR, LATE = "2022/2023", "2023/2024", "2024/2025"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.IKMS_LAKE_DIR = tmp_path / "lake"
    with translation.override("lv"):
        yield


def complain(world, received_on: dt.date, *institutions, text="Skolotāja kliedz uz bērniem."):
    return services.complaint_register(
        actor=world["users"]["supervision_inspector"],
        channel="email",
        submitter_type="parent",
        text=text,
        received_on=received_on,
        institutions=list(institutions),
        topics=["teacher_ethics"],
        submitter_name=NAME,
        submitter_contact=CONTACT,
        personal_code=CODE,
    )


def partition(lake: Path, year: str) -> dict[str, dict]:
    folder = lake / "complaints" / f"school_year={year.replace('/', '-')}"
    [part] = list(folder.glob("*.parquet"))
    return {row["institution"]: row for row in pq.read_table(part).to_pylist()}


def test_counts_per_institution_and_school_year_without_submitter_data(world, settings):
    lake = settings.IKMS_LAKE_DIR
    inspector = world["users"]["supervision_inspector"]
    a1, a2, b1 = world["a1"], world["a2"], world["b1"]
    # The lake holds data for 2022/23 and 2023/24 (enrolments received); 2024/25 is not there yet.
    for year in (EARLY, YEAR):
        write_receipt(lake, "enrolments", year, [a1.registration_number, b1.registration_number], "2024-10-01")
    confirmed = complain(world, dt.date(2023, 9, 1), a1)  # the first day of 2023/24
    services.complaint_record_outcome(
        actor=inspector, complaint=confirmed, outcome="confirmed", on=dt.date(2023, 10, 1)
    )
    both = complain(world, dt.date(2024, 3, 4), a1, b1)
    services.complaint_forward(
        actor=inspector, complaint=both, founder=world["riga"], forwarded_on=dt.date(2024, 3, 5), summary="Izvērtēt."
    )
    complain(world, dt.date(2024, 8, 31), a1)  # the last day of 2023/24, no outcome yet
    complain(world, dt.date(2024, 9, 2), b1)  # 2024/25: not in the lake yet
    complain(world, dt.date(2023, 12, 1))  # about no institution: counted nowhere

    out = io.StringIO()
    call_command("lake_export_complaints", stdout=out)
    assert "2023/2024" in out.getvalue()

    rows = partition(lake, YEAR)
    assert (
        set(rows)
        == {r["institution"] for r in register_snapshot(YEAR).to_pylist()}
        == {
            a1.registration_number,
            a2.registration_number,
            b1.registration_number,
        }
    )
    assert rows[a1.registration_number] == {
        "institution": a1.registration_number,
        "complaints": 3,
        "confirmed": 1,
        "not_confirmed": 0,
        "explanation": 0,
        "referred": 1,
        "no_outcome": 1,
    }
    assert (rows[b1.registration_number]["complaints"], rows[b1.registration_number]["referred"]) == (1, 1)
    assert rows[a2.registration_number]["complaints"] == 0  # a true zero: the register was in use
    # No complaint record in 2022/23: no partition, no receipt (no data, never 0); 2024/25 is not written at all.
    assert not (lake / "complaints" / "school_year=2022-2023").exists()
    assert not (lake / "complaints" / "school_year=2024-2025").exists()
    coverage = Coverage(read_coverage(lake))
    assert coverage.covers(a2.registration_number, "complaints", YEAR)
    assert not coverage.received("complaints", EARLY) and not coverage.received("complaints", LATE)
    # Only counts leave the database: the dataset's columns, and no name, contact, code or text anywhere.
    part = next((lake / "complaints").rglob("*.parquet"))
    assert pq.read_schema(part).names == [c.name for c in DATASETS["complaints"].columns]
    stored = b"".join(p.read_bytes() for p in (lake / "complaints").rglob("*") if p.is_file())
    for secret in (NAME, CONTACT, CODE, "kliedz", "Izvērtēt"):
        assert secret.encode() not in stored, secret


def test_rewritten_only_when_the_counts_change_keeping_the_first_receipt(world, settings):
    lake = settings.IKMS_LAKE_DIR
    a1 = world["a1"]
    write_receipt(lake, "enrolments", YEAR, [a1.registration_number], "2024-10-01")
    complain(world, dt.date(2024, 2, 1), a1)
    assert lake_complaints_write() == {YEAR: 3}
    manifest = json.loads((lake / "complaints" / "manifest.json").read_text(encoding="utf-8"))
    [first] = manifest["files"]
    assert first["first_received_at"] == first["imported_at"]
    assert lake_complaints_write() == {}  # nothing changed: nothing written
    complain(world, dt.date(2024, 2, 2), a1)
    assert lake_complaints_write(years=[YEAR]) == {YEAR: 3}
    assert partition(lake, YEAR)[a1.registration_number]["complaints"] == 2
    [entry] = json.loads((lake / "complaints" / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert entry["first_received_at"] == first["first_received_at"]
    assert not list(lake.rglob(".tmp-*"))


def test_the_complaints_writer_is_registered_with_monitoring():
    assert [w.dataset for w in writers()] == ["complaints"]


def _lake_with_learners(lake: Path, learners: dict[str, int]) -> None:
    """A lake for 2023/24 with the register snapshot and `learners` enrolled per institution, both received."""
    columns = [c.name for c in DATASETS["enrolments"].columns]
    enrolments = [
        [f"{number}-{i}", number, "31011011", "secondary", False, 10, "10a", dt.date(2023, 9, 1), None]
        for number, n in learners.items()
        for i in range(n)
    ]
    register = register_snapshot(YEAR)
    document = {
        "institutions": {"columns": register.schema.names, YEAR: [list(r.values()) for r in register.to_pylist()]},
        "enrolments": {"columns": columns, YEAR: enrolments},
    }
    fixture = lake.parent / "lake.yaml"
    fixture.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    write_lake(lake, fixture)


def test_complaints_entered_exported_and_computed_flag_r7(world, settings):
    """A school of 120 learners with 3 complaints in 2023/24 (25 per 1,000) is flagged by R7; one of 40 learners
    with 2 (50 per 1,000) has its rate but is too small to decide on; a school without learners has no value."""
    lake = settings.IKMS_LAKE_DIR
    a1, a2, b1 = world["a1"], world["a2"], world["b1"]
    _lake_with_learners(lake, {a1.registration_number: 120, b1.registration_number: 40})
    for day in (dt.date(2023, 10, 2), dt.date(2024, 1, 15)):
        complain(world, day, a1)
    complain(world, dt.date(2024, 5, 6), a1, b1)
    complain(world, dt.date(2024, 6, 3), b1)
    complain(world, dt.date(2024, 6, 4), a2)
    call_command("lake_export_complaints", stdout=io.StringIO())
    assert partition(lake, YEAR)[a1.registration_number]["complaints"] == 3

    run = indicators_compute(school_year=YEAR, lake_root=lake)
    values = {
        v.unit: v for v in IndicatorValue.objects.filter(run=run, indicator="complaints_per_1000", grain="institution")
    }
    assert set(values) == {a1.registration_number, b1.registration_number}  # a2: no learners, no value
    assert (values[a1.registration_number].value, values[a1.registration_number].numerator) == (25.0, 3.0)
    assert values[b1.registration_number].value == 50.0
    nation = IndicatorValue.objects.get(run=run, indicator="complaints_per_1000", grain="nation")
    assert (nation.numerator, nation.denominator) == (5.0, 160.0)

    [flag] = RiskFlag.objects.filter(run=run, rule="R7")
    assert flag.institution == a1.registration_number
    assert flag.evidence["periods"] == {YEAR: [{"value": 25.0, "numerator": 3.0, "denominator": 120.0}]}
    assert flag.evidence["params"] == {"threshold_per_1000": 10, "min_learners": 100, "min_complaints": 3}
    assert not RuleNotEvaluated.objects.filter(run=run, rule="R7").exists()


def test_the_computation_writes_the_complaints_itself(world, settings):
    """No export beforehand: the run writes the complaints of its year before computing (lake_refresh)."""
    lake = settings.IKMS_LAKE_DIR
    a1 = world["a1"]
    _lake_with_learners(lake, {a1.registration_number: 100})
    for day in (dt.date(2023, 11, 6), dt.date(2024, 2, 5), dt.date(2024, 4, 8), dt.date(2024, 6, 10)):
        complain(world, day, a1)
    run = indicators_compute(school_year=YEAR, lake_root=lake)
    value = IndicatorValue.objects.get(
        run=run, indicator="complaints_per_1000", grain="institution", unit=a1.registration_number
    )
    assert value.value == 40.0
    assert RiskFlag.objects.filter(run=run, rule="R7", institution=a1.registration_number).exists()
    assert "complaints" in run.snapshot


def test_without_complaint_records_the_indicator_has_no_data(world, settings):
    lake = settings.IKMS_LAKE_DIR
    a1 = world["a1"]
    _lake_with_learners(lake, {a1.registration_number: 150})
    complain(world, dt.date(2024, 9, 10), a1)  # 2024/25: nothing in 2023/24
    run = indicators_compute(school_year=YEAR, lake_root=lake)
    assert not IndicatorValue.objects.filter(run=run, indicator="complaints_per_1000").exists()
    assert any(s["code"] == "complaints_per_1000" and s["reason"] == "not_received" for s in run.skipped)
    assert not RiskFlag.objects.filter(run=run, rule="R7").exists()
    missing = RuleNotEvaluated.objects.get(run=run, rule="R7", institution=a1.registration_number).missing
    assert ["complaints", YEAR] in missing
