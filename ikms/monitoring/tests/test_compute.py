"""The web side of the engine: a run stores values, flags with evidence, the spec version and the
data snapshot; one institution can be recomputed alone."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from analytics.synth import generate_lake
from analytics.synth.institutions import example_institutions
from ikms.core.models import AuditEvent
from ikms.monitoring.models import ComputationRun, IndicatorValue, RiskFlag
from ikms.monitoring.services import indicators_compute

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("lake")
    generate_lake(example_institutions(scale=0.02, seed=3), root, scale=0.02, seed=3,
                  latent_path=root.parent / "latent.parquet")
    return root


def test_national_run_stores_values_flags_and_provenance(lake):
    run = indicators_compute(school_year="2023/2024", lake_root=lake)
    assert run.status == ComputationRun.Status.DONE
    assert len(run.catalogue_version) == 64
    assert run.value_count == IndicatorValue.objects.filter(run=run).count() > 100
    assert {"institution", "municipality", "nation"} <= set(
        IndicatorValue.objects.filter(run=run).values_list("grain", flat=True))
    stamp = run.snapshot["absences"][0]  # the files read, with their modification times
    assert stamp["path"].startswith("absences/school_year=") and stamp["modified"][:2] == "20" and stamp["size"] > 0
    flag = RiskFlag.objects.filter(run=run).first()
    assert flag is not None
    assert flag.evidence  # the values and thresholds that triggered it
    nation = IndicatorValue.objects.get(run=run, indicator="long_term_unexcused_absentees", grain="nation",
                                        level="basic", semester=1)
    assert nation.value >= 0
    assert AuditEvent.objects.filter(action="monitoring.compute").exists()


def test_one_institution_recomputed_alone(lake):
    national = indicators_compute(school_year="2023/2024", lake_root=lake)
    one = IndicatorValue.objects.filter(run=national, grain="institution").values_list("unit", flat=True).first()
    run = indicators_compute(school_year="2023/2024", lake_root=lake, institutions=[one])
    units = set(IndicatorValue.objects.filter(run=run).values_list("unit", flat=True))
    assert units == {one}
    assert run.scope == [one]
    assert set(IndicatorValue.objects.filter(run=run).values_list("grain", flat=True)) == {"institution"}


def test_command_rejects_a_bad_year():
    with pytest.raises(CommandError) as exc:
        call_command("compute_indicators", year="2023-24", stdout=io.StringIO())
    assert "mācību gads" in str(exc.value)
