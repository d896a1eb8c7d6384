"""The transition table, tested by iterating over it: every action × every state × every role.
Allowed = the state is a source of the action and the user is one of its parties; every other
combination is refused and changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from ikms.accreditation import services, workflow
from ikms.accreditation.choices import CaseState
from ikms.accreditation.framework import FrameworkError, framework, parse
from ikms.accreditation.models import Case
from ikms.accreditation.testing import PATHS, action_data, drive, experts, new_case
from ikms.core.audit import audit_events_for
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.registry.models import Accreditation

#: Test users → the parties they are in the case of institution a1.
ROLE_PARTIES = {
    "ikvd_admin": {workflow.IKVD},
    "quality_expert": {workflow.IKVD},
    "registry_officer": set(),
    "analyst": set(),
    "chair": {workflow.MEMBER, workflow.CHAIR},
    "member": {workflow.MEMBER},
    "accreditation_expert": set(),  # an expert not appointed to this case
    "head_a1": {workflow.APPLICANT},
    "founder_riga": {workflow.APPLICANT},
    "founder_ogre": set(),
}
ACTIONS = [t.action for t in workflow.TRANSITIONS if t.sources]


@pytest.fixture
def people(world):
    users = dict(world["users"])
    users.update(experts())
    users["head"] = users["head_a1"]
    users["ikvd"] = users["quality_expert"]
    return users


class _RollbackError(Exception):
    pass


@pytest.mark.parametrize("state", [s for s in CaseState.values])
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_in_every_state_for_every_role(world, people, action, state):
    case = drive(new_case(institution=world["a1"], head=people["head"]), state, people)
    t = workflow.transition(action)
    failures = []
    for role, roles_parties in ROLE_PARTIES.items():
        expected = state in t.sources and bool(roles_parties & set(t.parties))
        user = people[role]
        try:
            with transaction.atomic():
                data = action_data(case, action, people)
                if action == "appoint":  # a fresh commission: the case's own was appointed on the way
                    case.members.all().delete()
                result = services.case_transition(actor=user, case=case, action=action, data=data)
                got = True
                if result.state != t.target or not audit_events_for(target=case).filter(
                        action=f"accreditation.{action}").exists():
                    failures.append((role, "no state change or audit event"))
                raise _RollbackError
        except _RollbackError:
            pass
        except PermissionDeniedError:
            got = False
        if got != expected:
            failures.append((role, f"got {got}, expected {expected}"))
        case.refresh_from_db()
        assert case.state == state
    assert not failures, failures


@pytest.mark.parametrize("role", list(ROLE_PARTIES))
def test_who_may_apply(world, people, role):
    allowed = workflow.APPLICANT in ROLE_PARTIES[role]
    if allowed:
        case = services.case_apply(actor=people[role], institution=world["a1"], kind="accreditation",
                                   version="mk325", founder_agreed=True)
        assert case.state == CaseState.APPLIED
        assert audit_events_for(target=case).get().action == "accreditation.apply"
    else:
        with pytest.raises(PermissionDeniedError):
            services.case_apply(actor=people[role], institution=world["a1"], kind="accreditation",
                                version="mk325", founder_agreed=True)
        assert not Case.objects.exists()


def test_application_needs_the_founders_agreement_and_one_open_case(world, people):
    with pytest.raises(ValidationError) as exc:
        services.case_apply(actor=people["head"], institution=world["a1"], kind="accreditation", version="mk325",
                            founder_agreed=False)
    assert "founder_agreed" in exc.value.message_dict
    new_case(institution=world["a1"], head=people["head"])
    with pytest.raises(ApplicationError):
        new_case(institution=world["a1"], head=people["head"])


def test_mk618_head_evaluation_needs_the_founders_criterion_and_rates_it(world, people):
    with pytest.raises(ValidationError):
        services.case_apply(actor=people["head"], institution=world["a1"], kind="head", version="mk618",
                            founder_agreed=True)
    case = new_case(institution=world["a1"], head=people["head"], kind="head", version="mk618")
    case = drive(case, CaseState.DECIDED, people, level="needs_improvement")
    assert sorted(case.ratings.values_list("criterion", flat=True)) == ["4.1", "4.2", "4.3", "F"]
    assert case.head_outcome == "must_improve" and case.decision is None
    from ikms.accreditation.selectors import case_criteria

    mk325 = Case(institution=world["a1"], kind="head", version="mk325", founder_criterion="x")
    assert [c.code for c in case_criteria(mk325)] == ["4.1", "4.2", "4.3"]  # MK 325 dropped the founder's one


def test_guards_commission_declarations_and_complete_ratings(world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.REGISTERED, people)
    case = services.case_transition(actor=people["ikvd"], case=case, action="appoint",
                                    data=action_data(case, "appoint", people))
    with pytest.raises(ApplicationError):  # nobody has declared yet
        services.case_transition(actor=people["chair"], case=case, action="plan", data=action_data(case, "plan",
                                                                                                  people))
    with pytest.raises(ApplicationError):  # a declared conflict keeps the expert out
        services.case_transition(actor=people["member"], case=case, action="declare", data={"no_conflict": False})
    for who in ("chair", "member"):
        services.case_transition(actor=people[who], case=case, action="declare", data={"no_conflict": True})
    case = services.case_transition(actor=people["chair"], case=case, action="plan",
                                    data=action_data(case, "plan", people))
    partial = action_data(case, "rate", people)
    partial["ratings"].pop("3.2")
    services.case_transition(actor=people["member"], case=case, action="rate", data=partial)
    with pytest.raises(ApplicationError, match=r"3\.2"):
        services.case_transition(actor=people["chair"], case=case, action="draft", data={"draft_report": "x"})
    with pytest.raises(ValidationError):
        services.case_transition(actor=people["chair"], case=case, action="rate",
                                 data={"ratings": {"1.1": {"level": "brilliant", "justification": "x"}}})
    with pytest.raises(ValidationError):  # required data
        services.case_transition(actor=people["chair"], case=case, action="draft", data={})


def test_non_expert_cannot_be_appointed(world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.REGISTERED, people)
    with pytest.raises(ValidationError):
        services.case_transition(actor=people["ikvd"], case=case, action="appoint",
                                 data={"chair": people["analyst"], "experts": [people["member"]]})


def test_decision_writes_the_register_through_accreditation_decide(world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.DECIDED, people)
    acc = Accreditation.objects.filter(institution=world["a1"]).latest("valid_from", "id")
    assert case.decision == acc.decision and acc.state == "accredited"
    assert acc.valid_until == acc.valid_from.replace(year=acc.valid_from.year + 6)
    actions = list(audit_events_for(target=case).order_by("id").values_list("action", flat=True))
    assert actions[0] == "accreditation.apply" and actions[-1] == "accreditation.decide"
    assert len(actions) == 1 + len(PATHS[CaseState.DECIDED])


def test_the_unified_school_transition_is_recorded_with_the_plan_and_counted_once_per_institution(world, people):
    """The commission ticks "the transition to the unified school" when it plans the evaluation; the annual
    report's count takes each institution once (a1: two evaluations, one institution) and leaves out the
    evaluations that did not include it (a2)."""
    from ikms.accreditation.selectors import calibration_counts
    from ikms.accreditation.testing import actor_for

    founder = dict(people, head=people["founder_riga"])  # applies for both of its institutions, a1 and a2

    def decided(institution, *, unified: bool):
        case = drive(new_case(institution=institution, head=founder["head"]), CaseState.COMMISSION, founder)
        for step in PATHS[CaseState.DECIDED][len(PATHS[CaseState.COMMISSION]):]:
            data = action_data(case, step, founder)
            if step == "plan":
                data["unified_school"] = unified
            case = services.case_transition(actor=actor_for(step, founder), case=case, action=step, data=data)
        return case

    first = decided(world["a1"], unified=True)
    assert first.unified_school and Case.objects.get(pk=first.pk).unified_school
    decided(world["a1"], unified=True)
    decided(world["a2"], unified=False)
    counts = calibration_counts(year=first.decided_on.year)
    assert counts["institution_accreditations"] == 3
    assert (counts["unified_school_institutions_evaluated"], counts["unified_school_general"],
            counts["unified_school_preschool"]) == (1, 1, 0)


def test_refusal_and_shorter_term(world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.FINAL, people, level="insufficient")
    proposal = framework().version("mk325").propose(list(case.ratings.values_list("level", flat=True)))
    assert proposal.outcome == "refuse"
    data = action_data(case, "decide", people)
    data["outcome"] = "refuse"
    case = services.case_transition(actor=people["ikvd"], case=case, action="decide", data=data)
    assert Accreditation.objects.filter(institution=world["a1"]).latest("valid_from", "id").state == "refused"
    assert framework().version("mk325").propose(["good"] * 11 + ["insufficient"]).years == 2
    assert framework().version("mk325").propose(["good"] * 11 + ["needs_improvement"]).tasks is True
    assert framework().version("mk325").propose(["very_good"] * 12).years == 6


def test_framework_has_4_domains_12_criteria_5_levels_and_rejects_unknown_keys():
    import yaml

    from ikms.accreditation.framework import PATH

    fw = framework()
    assert [len(d.criteria) for d in fw.domains] == [3, 3, 3, 3]
    assert [lv.name_lv for lv in fw.levels] == ["Nepietiekami", "Jāpilnveido", "Labi", "Ļoti labi", "Izcili"]
    assert fw.version("mk618").founder_criterion and not fw.version("mk325").founder_criterion
    assert fw.version_on(datetime.date(2022, 1, 1)).code == "mk618"
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    data["domains"][0]["criteria"][0]["colour"] = "red"
    with pytest.raises(FrameworkError, match="unknown keys"):
        parse(data)
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    data["versions"][0]["head_criteria"].append("9.9")
    with pytest.raises(FrameworkError, match="unknown criterion"):
        parse(data)


def test_table_is_valid():
    workflow.validate_table()
    assert {t.target for t in workflow.TRANSITIONS} == set(CaseState.values)
