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
from ikms.monitoring.signals import results_changed

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
    assert "Ievadiet mācību gadu formā GGGG/GGGG" in str(exc.value)
    assert "Enter the school year as YYYY/YYYY" in str(exc.value)


def test_recompute_reuses_the_plan_a_previous_process_saved(lake, settings, tmp_path, monkeypatch):
    """With IKMS_PLAN_DIR set, the first recompute saves its recorded SQL; a later process (its memory cache
    empty) replays it from disk without building expressions, with the same values as a build."""
    import analytics.run as run_module
    from analytics.engines import DuckDBEngine

    settings.IKMS_PLAN_DIR = tmp_path / "plans"
    monkeypatch.setattr(DuckDBEngine, "_plans", type(DuckDBEngine._plans)())
    national = indicators_compute(school_year="2023/2024", lake_root=lake)
    first, second = IndicatorValue.objects.filter(run=national, grain="institution").values_list(
        "unit", flat=True).distinct().order_by("unit")[:2]
    built = indicators_compute(school_year="2023/2024", lake_root=lake, institutions=[second])
    assert len(list((tmp_path / "plans").glob("plan-*.json"))) == 1
    indicators_compute(school_year="2023/2024", lake_root=lake, institutions=[first])

    monkeypatch.setattr(DuckDBEngine, "_plans", type(DuckDBEngine._plans)())  # a new process

    def no_build(*args, **kwargs):
        raise AssertionError("a saved plan must be replayed, not built")

    monkeypatch.setattr(run_module, "compile_indicator", no_build)
    monkeypatch.setattr(run_module, "rule_matches", no_build)
    replayed = indicators_compute(school_year="2023/2024", lake_root=lake, institutions=[second])

    def rows(run):
        return sorted(IndicatorValue.objects.filter(run=run).values_list(
            "indicator", "semester", "level", "category", "value", "numerator", "denominator", "suppressed"),
            key=repr)

    assert rows(replayed) == rows(built) and rows(built)
    assert sorted(RiskFlag.objects.filter(run=replayed).values_list("rule", flat=True)) == sorted(
        RiskFlag.objects.filter(run=built).values_list("rule", flat=True))


def test_a_computation_started_by_an_analyst_is_recorded_as_theirs(lake):
    from ikms.accounts.roles import Role
    from ikms.accounts.testing import make_user

    analyst = make_user(Role.ANALYST, username="analyst-compute")
    run = indicators_compute(school_year="2023/2024", lake_root=lake, actor=analyst)
    assert run.status == ComputationRun.Status.DONE and run.triggered_by == analyst
    assert AuditEvent.objects.get(action="monitoring.compute").actor == analyst


def test_a_stored_run_announces_its_results_once_committed(lake, django_capture_on_commit_callbacks):
    """The signal behind the warm-up of the result pages (ikms.monitoring.warm): after the commit, never before."""
    received = []

    def receiver(sender, run, **kwargs):
        received.append(run.pk)

    results_changed.connect(receiver, dispatch_uid="test.results_changed")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = indicators_compute(school_year="2023/2024", lake_root=lake)
            assert received == []
        assert received == [run.pk]
    finally:
        results_changed.disconnect(dispatch_uid="test.results_changed")
