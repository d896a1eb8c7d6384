"""Test helpers: a commission of experts and a case driven through the table to any state, with
the right party taking each step (used by the workflow, view, URL-auth and browser tests)."""

import datetime

from django.utils import timezone

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.accreditation import services, workflow
from ikms.accreditation.choices import CaseState
from ikms.accreditation.selectors import case_criteria
from ikms.registry.services import DecisionInput

#: The canonical path to each state: the actions taken, in order.
PATHS = {
    CaseState.APPLIED: [],
    CaseState.REGISTERED: ["register"],
    CaseState.WITHDRAWN: ["withdraw"],
    CaseState.COMMISSION: ["register", "appoint", "declare_chair", "declare_member"],
    CaseState.PLANNED: ["register", "appoint", "declare_chair", "declare_member", "plan", "rate"],
    CaseState.DRAFT: ["register", "appoint", "declare_chair", "declare_member", "plan", "rate", "draft"],
    CaseState.COMMENTED: ["register", "appoint", "declare_chair", "declare_member", "plan", "rate", "draft",
                          "comment"],
    CaseState.FINAL: ["register", "appoint", "declare_chair", "declare_member", "plan", "rate", "draft", "comment",
                      "finalise"],
    CaseState.DECIDED: ["register", "appoint", "declare_chair", "declare_member", "plan", "rate", "draft", "comment",
                        "finalise", "decide"],
}
_numbers = iter(range(1, 10**6))


def experts(prefix: str = "exp") -> dict:
    return {"chair": make_user(Role.ACCREDITATION_EXPERT, username=f"{prefix}-chair"),
            "member": make_user(Role.ACCREDITATION_EXPERT, username=f"{prefix}-member")}


def action_data(case, action: str, people: dict, *, level: str = "good") -> dict:
    """Valid data for an action (used to test who may take it)."""
    today = timezone.localdate()
    if action == "self_rate":
        return {"self_ratings": {c.code: "very_good" for c in case_criteria(case)}}
    if action == "withdraw":
        return {"reason": "Reorganizācija"}
    if action == "appoint":
        return {"chair": people["chair"], "experts": [people["member"]]}
    if action == "declare":
        return {"no_conflict": True}
    if action == "plan":
        return {"mode": "remote", "methods": ["interviews", "documents"], "visit_start": today,
                "visit_end": today + datetime.timedelta(days=3), "day_plan": "1. diena: intervijas"}
    if action == "rate":
        return {"ratings": {c.code: {"level": level, "justification": f"Pamatojums {c.code}"}
                            for c in case_criteria(case)}}
    if action == "draft":
        return {"draft_report": "Ziņojuma projekts"}
    if action == "comment":
        return {"institution_comments": "Iebildumu nav"}
    if action == "finalise":
        return {"report_public": "Publiskā daļa", "report_private": "Nepubliskā daļa"}
    if action == "decide":
        n = next(_numbers)
        return {"outcome": "accredit", "date": today,
                "decision": DecisionInput(number=f"T-AK-{n}", date=today, legal_basis="MK 325")}
    return {}


def actor_for(action: str, people: dict):
    """Who takes each step on the canonical path."""
    t = workflow.transition(action)
    if workflow.APPLICANT in t.parties:
        return people["head"]
    if workflow.IKVD in t.parties:
        return people["ikvd"]
    return people["chair"]


def drive(case, state: str, people: dict, *, level: str = "good"):
    """Take the case from APPLIED to `state` along the canonical path."""
    for step in PATHS[state]:
        if step.startswith("declare_"):
            case = services.case_transition(actor=people[step.split("_")[1]], case=case, action="declare",
                                            data={"no_conflict": True})
            continue
        case = services.case_transition(actor=actor_for(step, people), case=case, action=step,
                                        data=action_data(case, step, people, level=level))
    return case


def new_case(*, institution, head, kind: str = "accreditation", version: str = "mk325"):
    return services.case_apply(actor=head, institution=institution, kind=kind, version=version, founder_agreed=True,
                               head_goals="Mērķis", founder_criterion="Sadarbība ar kopienu")


def bulk_tasks(case, specs: list[dict]) -> list:
    """Many tasks of a decided case at once (a list of a few hundred: paging and counts over all rows), written
    with bulk_create, not one service call each. Each spec gives at least `deadline`; the rest defaults to an open
    task of criterion 2.1 with no indicator."""
    from ikms.accreditation.models import Task

    set_on = case.decided_on or timezone.localdate()
    tasks = [Task(case=case, institution=case.institution, domain=spec.get("domain", "quality_teaching"),
                  criterion=spec.get("criterion", "2.1"), description=spec.get("description", f"Uzdevums {i + 1}"),
                  set_on=spec.get("set_on", min(set_on, spec["deadline"])), deadline=spec["deadline"],
                  status=spec.get("status", "open"), evidence=spec.get("evidence", ""),
                  indicator=spec.get("indicator", ""), target_operator=spec.get("target_operator", ""),
                  target_value=spec.get("target_value"), target_year=spec.get("target_year", ""))
             for i, spec in enumerate(specs)]
    return Task.objects.bulk_create(tasks)
