"""The monitoring services that write check the actor's roles themselves (not only the pages and the API): the
visit plan needs a visit planner, a computation started by a user an IKVD administrator or analyst. A refusal
names the roles needed."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from ikms.core.exceptions import PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.monitoring import services
from ikms.monitoring.models import ComputationRun, VisitPlanEntry, VisitStatus

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + dt.timedelta(days=10)
PLANNERS_EN = ("This needs one of the roles: IKVD administrator, Quality evaluation expert (IKVD), "
               "Supervision inspector, Analyst.")


def _add(world, role: str):
    return services.visit_plan_add(actor=world["users"][role], institution=world["a1"], planned_date=SOON,
                                   reason="complaint")


@pytest.mark.parametrize("role", ["founder_riga", "head_a1", "registry_officer", "accreditation_expert", "no_role"])
def test_only_visit_planners_put_an_institution_on_the_plan(world, role):
    with override("en"), pytest.raises(PermissionDeniedError) as exc:
        _add(world, role)
    assert exc.value.message == PLANNERS_EN
    assert exc.value.extra == {"roles": ["ikvd_admin", "quality_expert", "supervision_inspector", "analyst"]}
    assert not VisitPlanEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="monitoring.visit_planned").exists()


def test_the_refusal_is_in_latvian_too(world):
    with override("lv"), pytest.raises(PermissionDeniedError) as exc:
        _add(world, "founder_riga")
    assert exc.value.message.startswith("Šim nolūkam vajadzīga kāda no lomām: IKVD administrators, ")


@pytest.mark.parametrize("role", ["ikvd_admin", "quality_expert", "supervision_inspector", "analyst"])
def test_visit_planners_plan_and_close_visits(world, role):
    entry = _add(world, role)
    assert entry.created_by == world["users"][role] and entry.status == VisitStatus.PLANNED
    done = services.visit_plan_set_status(actor=world["users"][role], entry=entry, status=VisitStatus.DONE,
                                          note="Visited.")
    assert done.status == VisitStatus.DONE
    assert AuditEvent.objects.filter(action="monitoring.visit_status", actor=world["users"][role]).count() == 1


@pytest.mark.parametrize("role", ["founder_riga", "head_a1", "registry_officer"])
def test_only_visit_planners_change_a_visits_status(world, role):
    entry = _add(world, "quality_expert")
    with override("en"), pytest.raises(PermissionDeniedError) as exc:
        services.visit_plan_set_status(actor=world["users"][role], entry=entry, status=VisitStatus.CANCELLED,
                                       note="Not needed.")
    assert exc.value.message == PLANNERS_EN
    entry.refresh_from_db()
    assert entry.status == VisitStatus.PLANNED and entry.status_note == ""
    assert not AuditEvent.objects.filter(action="monitoring.visit_status").exists()


@pytest.mark.parametrize("role", ["founder_riga", "head_a1", "quality_expert", "registry_officer", "no_role"])
def test_a_user_who_may_not_recompute_is_refused_before_anything_runs(world, role, tmp_path):
    with override("en"), pytest.raises(PermissionDeniedError) as exc:
        services.indicators_compute(school_year="2023/2024", actor=world["users"][role], lake_root=tmp_path)
    assert exc.value.message == "This needs one of the roles: IKVD administrator, Analyst."
    assert exc.value.extra == {"roles": ["ikvd_admin", "analyst"]}
    assert not ComputationRun.objects.exists()
    assert not any(tmp_path.iterdir())  # not even the register snapshot was written


@pytest.mark.parametrize("role", ["ikvd_admin", "analyst"])
def test_recomputing_roles_and_the_system_pass_the_role_check(world, role, tmp_path):
    """Past the role check an empty lake is refused for want of data (the computation itself: test_compute)."""
    for actor in (world["users"][role], None):
        with pytest.raises(services.NoDataReceivedError):
            services.indicators_compute(school_year="2023/2024", actor=actor, lake_root=tmp_path)
