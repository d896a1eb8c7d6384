"""The access policies (ADR 0017): each resource's scope and object check follow its declaration for every
role, the rules live in one place, and the access matrix in the docs is the code's."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from ikms.accounts.models import RoleAssignment
from ikms.accounts.roles import Role
from ikms.accreditation import permissions as accreditation_permissions
from ikms.monitoring import permissions as monitoring_permissions
from ikms.monitoring import selectors as monitoring_selectors
from ikms.monitoring.models import RiskFlag, VisitPlanEntry
from ikms.monitoring.testing import store_run
from ikms.registry import permissions as registry_permissions
from ikms.registry import selectors as registry_selectors
from ikms.registry.access import GATES, POLICIES
from ikms.registry.models import Decision, Institution, Municipality, Programme

ROOT = Path(__file__).resolve().parents[1]


def _institution_of(policy, obj) -> Institution | None:
    """The oracle's own walk from a row to its institution (independent of the policy's query)."""
    if policy.number:
        return Institution.objects.filter(registration_number=getattr(obj, policy.number)).first()
    for part in [p for p in policy.path.split("__") if p]:
        obj = getattr(obj, part)
        if obj is None:
            return None
    return obj


def _expected(policy, user, obj, world) -> bool:
    """What the declaration says, worked out by hand from the user's roles in the world fixture."""
    if user is None:
        return False
    roles = {Role(a.role) for a in RoleAssignment.objects.filter(user=user)}
    if roles & policy.everything:
        return True
    if policy.municipality:
        return Role.FOUNDER in roles and obj.founders.filter(
            pk__in=[a.founder_id for a in RoleAssignment.objects.filter(user=user, role=Role.FOUNDER)]).exists()
    inst = _institution_of(policy, obj)
    if inst is None:
        return False
    founders = {a.founder_id for a in RoleAssignment.objects.filter(user=user, role=Role.FOUNDER)}
    heads = {a.institution_id for a in RoleAssignment.objects.filter(user=user, role=Role.INSTITUTION_HEAD)}
    return bool((policy.founder and inst.founder_id in founders) or (policy.head and inst.pk in heads))


@pytest.fixture
def rows(world, officer):
    """Rows of every resource the register and monitoring hold in the world fixture."""
    a1, b1 = world["a1"], world["b1"]
    store_run("2023/2024", [], flags=[{"rule": "R1", "institution": a1.registration_number},
                                      {"rule": "R2", "institution": b1.registration_number}])
    for inst in (a1, b1):
        VisitPlanEntry.objects.create(institution=inst, planned_date=datetime.date(2025, 3, 1), reason="risk",
                                      created_by=officer)
    return {
        "institution": Institution.objects.all(),
        "own_institution": Institution.objects.all(),
        "headed_institution": Institution.objects.all(),
        "founded_institution": Institution.objects.all(),
        "monitored_institution": Institution.objects.all(),
        "programme": Programme.objects.all(),
        "decision": Decision.objects.all(),
        "municipality": Municipality.objects.filter(code__in=["LV-RIX", "LV-067", "LV-DGV"]),
        "risk_flag": RiskFlag.objects.all(),
        "visit": VisitPlanEntry.objects.all(),
    }


POLICY_CASES = ["institution", "own_institution", "headed_institution", "founded_institution",
                "monitored_institution", "programme", "decision", "municipality", "risk_flag", "visit"]


@pytest.mark.parametrize("name", POLICY_CASES)
def test_scope_and_object_check_follow_the_declaration_for_every_role(world, rows, name):
    policy = POLICIES[name]
    qs = rows[name]
    assert qs.exists()
    for label, someone in world["users"].items():
        user = AnonymousUser() if someone is None else someone
        expected = {o.pk for o in qs if _expected(policy, someone, o, world)}
        assert set(policy.scope(user, qs).values_list("pk", flat=True)) == expected, (name, label)
        for obj in qs:
            assert policy.allows(user, obj) == (obj.pk in expected), (name, label, obj)
        hidden = [o for o in qs if o.pk not in expected]
        for obj in hidden[:1]:
            with pytest.raises(Http404):
                policy.get(user, qs, pk=obj.pk)


def test_the_world_exercises_both_sides(world, rows):
    """Guard for the test above: founders and heads see some rows and not others."""
    riga, head = world["users"]["founder_riga"], world["users"]["head_a1"]
    assert {i.pk for i in registry_selectors.institution_visible_to(riga)} == {world["a1"].pk, world["a2"].pk}
    assert {i.pk for i in registry_selectors.institution_visible_to(head)} == {world["a1"].pk}
    assert [f.rule for f in monitoring_permissions.RISK_FLAG.scope(head, RiskFlag.objects.all())] == ["R1"]
    assert list(monitoring_selectors.municipalities_for_user(riga).values_list("code", flat=True)) == ["LV-RIX"]


def test_cases_and_tasks_are_visible_to_the_commission_members(world):
    """An accreditation expert sees only the cases (and their tasks) whose commission they sit on."""
    from ikms.accreditation.testing import new_case

    expert = world["users"]["accreditation_expert"]
    mine = new_case(institution=world["a1"], head=world["users"]["head_a1"])
    other = new_case(institution=world["b1"], head=world["users"]["founder_ogre"])
    mine.members.create(user=expert, role="member")
    cases = accreditation_permissions.CASE.scope(expert, type(mine).objects.all())
    assert list(cases) == [mine]
    assert accreditation_permissions.CASE.allows(expert, mine)
    assert not accreditation_permissions.CASE.allows(expert, other)
    assert accreditation_permissions.CASE.allows(world["users"]["founder_riga"], mine)
    assert not accreditation_permissions.CASE.allows(world["users"]["founder_riga"], other)


def test_an_ended_assignment_sees_nothing(world):
    """Roles count only while valid today: a head whose assignment ended yesterday sees no institution."""
    head = world["users"]["head_a1"]
    today = timezone.localdate()
    RoleAssignment.objects.filter(user=head).update(valid_from=today - datetime.timedelta(days=10),
                                                    valid_to=today - datetime.timedelta(days=1))
    head = type(head).objects.get(pk=head.pk)  # drop the per-request cache of assignments
    assert not registry_permissions.INSTITUTION.allows(head, world["a1"])
    assert not registry_selectors.institution_visible_to(head).exists()


def test_policies_and_gates_have_unique_names_and_labels():
    call_command("access_matrix", "--check")  # also imports every app's permissions module
    assert len({p.label for p in POLICIES.values()}) == len(POLICIES)
    assert len({g.label for g in GATES.values()}) == len(GATES)


def test_the_access_matrix_in_the_docs_is_generated_from_the_code():
    call_command("access_matrix", "--check")
    text = (ROOT / "docs" / "access-matrix.md").read_text(encoding="utf-8")
    for policy in POLICIES.values():
        assert f"(`{policy.name}`)" in text


def test_only_the_access_policies_read_the_role_scopes():
    """One rule, one place: the founder and institution scopes of role assignments are read by
    ikms.registry.access (and defined in ikms.accounts.selectors); no other module filters by them."""
    pattern = re.compile(r"\bscoped_(founder|institution)_ids\b")
    allowed = {"ikms/registry/access.py", "ikms/accounts/selectors.py"}
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ikms").rglob("*.py")
                 if "tests" not in p.parts and str(p.relative_to(ROOT)) not in allowed
                 and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
