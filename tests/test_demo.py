"""The demo generator: national scale, deterministic, and its 2024 register decisions equal
annual-report table 3 when counted from the system's own decision records."""

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from ikms.accounts.models import RoleAssignment
from ikms.accounts.roles import Role
from ikms.registry.models import Decision, Institution, Municipality, Programme
from ikms.registry.selectors import register_decision_counts

CALIBRATION = Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml"


class _RollbackError(Exception):
    pass


def _fingerprint(scale: float, seed: int) -> tuple:
    try:
        with transaction.atomic():
            call_command("generate_demo", scale=scale, seed=seed, no_lake=True, stdout=io.StringIO())
            result = (
                tuple(Institution.objects.order_by("registration_number").values_list(
                    "registration_number", "name", "type__code", "founder__name", "status", "registered_on")),
                tuple(Decision.objects.order_by("number").values_list("number", "kind", "date", "reason")),
                tuple(Programme.objects.order_by("licence_number").values_list("licence_number", "code", "status")),
            )
            raise _RollbackError
    except _RollbackError:
        return result


@pytest.mark.django_db
def test_generator_is_deterministic_for_a_seed():
    first = _fingerprint(0.05, 7)
    assert first == _fingerprint(0.05, 7)
    assert first != _fingerprint(0.05, 8)
    assert len(first[0]) > 50


@pytest.mark.django_db
def test_refuses_to_generate_into_a_filled_database(officer):
    from django.core.management.base import CommandError

    from ikms.core.testing import municipal_founder, register_institution

    register_institution(actor=officer, founder=municipal_founder("LV-RIX"))
    with pytest.raises(CommandError):
        call_command("generate_demo", scale=0.05, no_lake=True)


@pytest.mark.django_db
def test_scale_one_reproduces_the_2024_register_decisions():
    call_command("generate_demo", scale=1, no_lake=True, stdout=io.StringIO())
    expected = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))["register_of_institutions"]
    assert dict(register_decision_counts(year=2024)) == expected

    registered = Institution.objects.filter(status="registered")
    assert 1300 <= registered.count() <= 1500
    assert 2700 <= Programme.objects.filter(status="licensed").count() <= 3300
    assert Municipality.objects.count() == 43
    assert registered.values("municipality").distinct().count() == 43
    for code in ("preschool", "basic", "secondary", "state_gymnasium", "vocational_secondary", "special_basic"):
        assert registered.filter(type__code=code).exists(), code
    # Every entry came from a decision; every registered entry has a registration decision.
    assert not registered.exclude(decisions__kind="register").exists()
    # One demo account per role.
    assert {a.role for a in RoleAssignment.objects.all()} == {r.value for r in Role}
    # A founder account sees only its own institutions.
    founder = RoleAssignment.objects.get(user__username="dibinatajs-ogre")
    assert founder.founder.municipality.code == "LV-067"


@pytest.mark.django_db
def test_demo_builds_the_lake_and_computes_every_year(tmp_path, settings):
    """The whole demo pipeline at a small scale: register, lake for three years, indicators stored."""
    from analytics.lake.schemas import SCHOOL_YEARS
    from ikms.monitoring.models import ComputationRun, IndicatorValue

    settings.IKMS_LAKE_DIR = tmp_path / "lake"
    settings.IKMS_LATENT_PATH = tmp_path / "latent" / "latent.parquet"
    out = io.StringIO()
    call_command("generate_demo", scale=0.05, lake_scale=0.05, stdout=out)
    assert (tmp_path / "latent" / "latent.parquet").exists()
    assert not list((tmp_path / "lake").rglob("latent*"))
    runs = ComputationRun.objects.filter(status="done")
    assert sorted(runs.values_list("school_year", flat=True)) == sorted(SCHOOL_YEARS)
    registered = set(Institution.objects.values_list("registration_number", flat=True))
    units = set(IndicatorValue.objects.filter(grain="institution").values_list("unit", flat=True))
    assert units and units <= registered
    assert "lake:" in out.getvalue()
