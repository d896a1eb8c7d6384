"""Writes of the accreditation workflow. Every state change goes through case_apply or
case_transition, which read the transition table (workflow.py), check the actor's party, the
required data and the guards, and write the audit event in the same transaction."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ikms.accounts.roles import Role
from ikms.accounts.selectors import has_role
from ikms.accreditation import case_type, permissions, workflow
from ikms.accreditation.choices import (
    CaseKind,
    CaseState,
    ConflictKind,
    EvaluationMode,
    HeadOutcome,
    InstructionLanguage,
    MemberRole,
    Method,
    Outcome,
    Responsible,
    TargetOperator,
    TaskStatus,
)
from ikms.accreditation.framework import framework, self_evaluation
from ikms.accreditation.models import (
    Case,
    CommissionMember,
    ExpertConflict,
    ExpertProfile,
    ExpertTraining,
    ExpertUnavailability,
    Rating,
    SelfEvaluationReport,
    SelfEvaluationState,
    Task,
)
from ikms.accreditation.selectors import NEEDS_IMPROVEMENT, case_criteria, expert_exclusions
from ikms.cases import services as case_services
from ikms.cases.models import CaseFile
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.school_year import school_year_label
from ikms.monitoring.selectors import indicators
from ikms.registry import services as registry_services
from ikms.registry.choices import DecisionKind
from ikms.registry.services import DecisionInput

#: The statutory deadline an accreditation case counts (ikms/cases/data/deadline_rules.yaml).
DECISION_DEADLINE = "accreditation_decision"


def _deny() -> None:
    raise PermissionDeniedError(_("You may not take this step in this case now."))


def _require_data(t: workflow.Transition, data: dict[str, Any]) -> None:
    missing = {f: _("This field is required.") for f in t.required
               if data.get(f) in (None, "", [], {}) and data.get(f) is not False}
    if missing:
        raise ValidationError(missing)


def _audit(actor, case: Case, action: str, source: str, extra: dict | None = None) -> None:
    audit_log(actor=actor, action=f"accreditation.{action}", target=case,
              data={"from": source, "to": case.state, **(extra or {})}, institution_id=case.institution_id)


@transaction.atomic
def case_apply(*, actor, institution, kind: str, version: str, founder_agreed: bool, head_goals: str = "",
               founder_criterion: str = "", applied_on: datetime.date | None = None) -> Case:
    """The head (agreed with the founder) or the founder applies for accreditation or head evaluation."""
    t = workflow.transition("apply")
    if not permissions.can_apply(actor, institution):
        _deny()
    _require_data(t, {"kind": kind, "version": version, "founder_agreed": founder_agreed})
    if not founder_agreed:
        raise ValidationError({"founder_agreed": _("The application must be agreed with the founder.")})
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Unknown kind of case.")})
    try:
        v = framework().version(version)
    except KeyError:
        raise ValidationError({"version": _("Unknown regulation version.")}) from None
    if institution.status != "registered":
        raise ApplicationError(_("Only a registered institution can apply."))
    if kind == CaseKind.HEAD and v.founder_criterion and not founder_criterion.strip():
        raise ValidationError({"founder_criterion": _("Under this regulation the founder names one more "
                                                      "criterion for the head.")})
    open_cases = Case.objects.filter(institution=institution, kind=kind).exclude(
        state__in=(CaseState.DECIDED, CaseState.WITHDRAWN))
    if open_cases.exists():
        raise ApplicationError(_("This institution already has an open case of this kind."))
    case = Case(institution=institution, kind=kind, version=version, state=t.target,
                applied_on=applied_on or timezone.localdate(), founder_agreed=True, head_name=institution.head_name,
                head_goals=head_goals, founder_criterion=founder_criterion.strip() if v.founder_criterion else "")
    case.case_file = _open_case_file(actor, case)
    case.full_clean()
    case.save()
    _audit(actor, case, "apply", "", {"kind": kind, "version": version})
    return case


def _open_case_file(actor, case: Case) -> CaseFile:
    """The case's file in the shared core (ADR 0022), with the decision's deadline counted from the application."""
    with translation.override("lv"):
        subject = f"{CaseKind(case.kind).label}: {case.institution.name}"
    case_file = case_services.case_file_open(actor=actor, kind=case_type.KIND, subject=subject,
                                             opened_on=case.applied_on, institution=case.institution)
    case_services.deadline_start(actor=actor, case_file=case_file, rule=DECISION_DEADLINE, starts_on=case.applied_on)
    return case_file


def _follow_in_case_file(actor, case: Case, action: str) -> None:
    """Keep the case file in step: the officer who registers the application gets the case on their queue; a
    decision or a withdrawal closes the file (its deadline met that day)."""
    if case.case_file is None:
        return
    if action == "register" and case.case_file.assignee_id is None:
        case_services.case_file_assign(actor=actor, case_file=case.case_file, assignee=actor,
                                       team=case.case_file.team)
    elif case.state in (CaseState.DECIDED, CaseState.WITHDRAWN):
        case_services.case_file_close(actor=actor, case_file=case.case_file,
                                      closed_on=case.decided_on or timezone.localdate())


def _appoint(case: Case, data: dict, actor) -> dict:
    chair, experts = data["chair"], list(data["experts"])
    people = [chair, *experts]
    if len({u.pk for u in people}) != len(people):
        raise ValidationError({"experts": _("A person can hold only one seat on the commission.")})
    for user in people:
        if not has_role(user, Role.ACCREDITATION_EXPERT):
            raise ValidationError({"experts": _("%(user)s is not an accreditation expert.") % {"user": user}})
    excluded = expert_exclusions(case, [u.pk for u in people])
    refused = [_("%(user)s — %(reasons)s") % {"user": u, "reasons": "; ".join(excluded[u.pk])}
               for u in people if u.pk in excluded]
    if refused:
        raise ValidationError({"experts": [_("This expert cannot be appointed to this commission: %(why)s.")
                                           % {"why": why} for why in refused]})
    for user, role in [(chair, MemberRole.CHAIR), *[(u, MemberRole.EXPERT) for u in experts]]:
        member = CommissionMember(case=case, user=user, role=role)
        member.full_clean()
        member.save()
    return {"chair": chair.username, "experts": [u.username for u in experts]}


def _declare(case: Case, data: dict, actor) -> dict:
    member = case.members.get(user=actor)
    if data["no_conflict"] is not True:
        raise ApplicationError(_("An expert with a conflict of interest cannot sit on this commission; "
                                 "IKVD will replace them."))
    member.no_conflict_declared = True
    member.declaration = data.get("declaration", "")
    member.declared_at = timezone.now()
    member.save(update_fields=["no_conflict_declared", "declaration", "declared_at", "updated_at"])
    return {"member": actor.username}


def _plan(case: Case, data: dict, actor) -> dict:
    if case.members.filter(no_conflict_declared=False).exists():
        raise ApplicationError(_("Every commission member must first declare no conflict of interest."))
    if data["mode"] not in EvaluationMode.values:
        raise ValidationError({"mode": _("Unknown evaluation mode.")})
    methods = list(data["methods"])
    if set(methods) - set(Method.values):
        raise ValidationError({"methods": _("Unknown evaluation method.")})
    if data["visit_end"] < data["visit_start"]:
        raise ValidationError({"visit_end": _("The evaluation cannot end before it starts.")})
    case.mode, case.methods, case.day_plan = data["mode"], methods, data["day_plan"]
    case.visit_start, case.visit_end = data["visit_start"], data["visit_end"]
    case.unified_school = bool(data.get("unified_school", False))
    return {"mode": case.mode, "methods": methods, "unified_school": case.unified_school}


def _rate(case: Case, data: dict, actor) -> dict:
    """data["ratings"]: {criterion code: {"level": code, "justification": text, "self_level": code?}}."""
    ratings = data["ratings"]
    version = framework().version(case.version)
    codes = {c.code for c in case_criteria(case)}
    errors = {}
    for code, r in ratings.items():
        if code not in codes:
            errors[f"level_{code.replace('.', '_')}"] = _("Unknown criterion.")
        elif r.get("level") not in version.levels:
            errors[f"level_{code.replace('.', '_')}"] = _("Choose a level.")
        elif not (r.get("justification") or "").strip():
            errors[f"justification_{code.replace('.', '_')}"] = _("Justify the level.")
        elif r.get("self_level") and r["self_level"] not in version.levels:
            errors[f"level_{code.replace('.', '_')}"] = _("Unknown self-rating level.")
    if errors:
        raise ValidationError(errors)
    for code, r in ratings.items():
        self_level = r.get("self_level") or case.self_ratings.get(code, "")
        Rating.objects.update_or_create(case=case, criterion=code, defaults={
            "level": r["level"], "justification": r["justification"].strip(), "rated_by": actor,
            "self_level": self_level})
    return {"ratings": {code: r["level"] for code, r in sorted(ratings.items())}}


def _self_rate(case: Case, data: dict, actor) -> dict:
    """data["self_ratings"]: {criterion code: level code}, the institution's self-evaluation."""
    version = framework().version(case.version)
    codes = {c.code for c in case_criteria(case)}
    errors = {}
    for code, level in data["self_ratings"].items():
        if code not in codes:
            errors[f"self_{code.replace('.', '_')}"] = _("Unknown criterion.")
        elif level not in version.levels:
            errors[f"self_{code.replace('.', '_')}"] = _("Choose a level.")
    if errors:
        raise ValidationError(errors)
    case.self_ratings = dict(sorted(data["self_ratings"].items()))
    return {"self_ratings": case.self_ratings}


def _draft(case: Case, data: dict, actor) -> dict:
    rated = set(case.ratings.values_list("criterion", flat=True))
    missing = [c.code for c in case_criteria(case) if c.code not in rated]
    if missing:
        raise ApplicationError(_("Rate every criterion first; missing: %(codes)s") % {"codes": ", ".join(missing)})
    case.draft_report = data["draft_report"]
    return {}


def _comment(case: Case, data: dict, actor) -> dict:
    case.institution_comments = data["institution_comments"]
    return {}


def _finalise(case: Case, data: dict, actor) -> dict:
    case.report_public, case.report_private = data["report_public"], data["report_private"]
    return {}


def _decide(case: Case, data: dict, actor) -> dict:
    date = data["date"]
    levels = list(case.ratings.values_list("level", flat=True))
    if case.kind == CaseKind.HEAD:
        case.head_outcome = (HeadOutcome.MUST_IMPROVE if any(lv in NEEDS_IMPROVEMENT for lv in levels)
                             else HeadOutcome.POSITIVE)
        case.outcome = ""
        case.decided_on = date
        return {"head_outcome": case.head_outcome}
    outcome = data.get("outcome")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    decision: DecisionInput = data.get("decision")
    if decision is None:
        raise ValidationError({"number": _("This field is required.")})
    years = data.get("years") or framework().version(case.version).propose(levels).years or 6
    if outcome == Outcome.ACCREDIT:
        if not 1 <= int(years) <= 6:
            raise ValidationError({"years": _("The term is 1 to 6 years.")})
        until = registry_services._add_years(decision.date, int(years))
        accreditation = registry_services.accreditation_decide(
            actor=actor, decision=decision, institution=case.institution, kind=DecisionKind.ACCREDITATION_GRANT,
            valid_until=until)
        case.term_years = int(years)
    else:
        accreditation = registry_services.accreditation_decide(
            actor=actor, decision=decision, institution=case.institution, kind=DecisionKind.ACCREDITATION_REFUSE)
        case.term_years = None
    case.outcome, case.decision, case.decided_on = outcome, accreditation.decision, decision.date
    return {"outcome": outcome, "decision": decision.number, "valid_until": str(accreditation.valid_until or "")}


def _withdraw(case: Case, data: dict, actor) -> dict:
    return {"reason": data["reason"]}


HANDLERS = {"self_rate": _self_rate, "register": lambda case, data, actor: {}, "withdraw": _withdraw,
            "appoint": _appoint, "declare": _declare, "plan": _plan, "rate": _rate, "draft": _draft,
            "comment": _comment, "finalise": _finalise, "decide": _decide}


@transaction.atomic
def case_transition(*, actor, case: Case, action: str, data: dict[str, Any] | None = None) -> Case:
    """Take one action of the transition table on a case (the only way a case changes state)."""
    data = dict(data or {})
    t = workflow.BY_ACTION.get(action)
    if t is None or not t.sources:
        raise ApplicationError(_("Unknown action."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not permissions.can_transition(actor, case, action):
        _deny()
    _require_data(t, data)
    source = case.state
    extra = HANDLERS[action](case, data, actor)
    case.state = t.target
    case.full_clean()
    case.save()
    _audit(actor, case, action, source, extra)
    _follow_in_case_file(actor, case, action)
    return case


# --- tasks -----------------------------------------------------------------------------------------


@transaction.atomic
def task_create(*, actor, case: Case, criterion: str, description: str, deadline: datetime.date,
                responsible: str = Responsible.INSTITUTION, set_on: datetime.date | None = None,
                indicator: str = "", target_operator: str = "", target_value: float | None = None,
                target_year: str = "") -> Task:
    """Set an improvement task in a decided case, optionally with an indicator target."""
    if not permissions.can_set_task(actor, case):
        raise PermissionDeniedError(_("Only IKVD quality staff set tasks, and only in a decided case."))
    try:
        domain = framework().criterion(criterion).domain
    except KeyError:
        if criterion == "F":
            domain = "good_governance"
        else:
            raise ValidationError({"criterion": _("Unknown criterion.")}) from None
    if indicator:
        if indicator not in indicators():
            raise ValidationError({"indicator": _("Unknown indicator.")})
        if target_operator not in TargetOperator.values or target_value is None or not target_year:
            raise ValidationError({"target_value": _("A linked indicator needs a target: operator, value and "
                                                     "school year.")})
        try:
            target_year = school_year_label(target_year)
        except ValidationError as exc:
            raise ValidationError({"target_year": exc.messages}) from None
    task = Task(case=case, institution=case.institution, domain=domain, criterion=criterion,
                description=description, set_on=set_on or case.decided_on or timezone.localdate(),
                deadline=deadline, responsible=responsible, indicator=indicator,
                target_operator=target_operator if indicator else "", target_value=target_value if indicator else None,
                target_year=target_year if indicator else "")
    task.full_clean()
    task.save()
    audit_log(actor=actor, action="accreditation.task_create", target=task,
              data={"case": case.pk, "criterion": criterion, "deadline": deadline, "indicator": indicator},
              institution_id=case.institution_id)
    return task


@transaction.atomic
def task_update(*, actor, task: Task, status: str, evidence: str = "",
                closed_on: datetime.date | None = None) -> Task:
    """Report progress on a task: done (with evidence), cancelled (IKVD only) or open again."""
    if not permissions.can_update_task(actor, task):
        raise PermissionDeniedError(_("You may not change this task."))
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == TaskStatus.CANCELLED and not permissions.is_runner(actor):
        raise PermissionDeniedError(_("Only IKVD can cancel a task."))
    if status == TaskStatus.DONE and not (evidence or task.evidence).strip():
        raise ValidationError({"evidence": _("Describe the evidence that the task is done.")})
    old = task.status
    task.status = status
    task.evidence = evidence or task.evidence
    task.closed_on = (closed_on or timezone.localdate()) if status != TaskStatus.OPEN else None
    task.full_clean()
    task.save()
    audit_log(actor=actor, action="accreditation.task_update", target=task,
              data={"from": old, "to": status}, institution_id=task.institution_id)
    return task


# --- Self-evaluation reports (domain.md §2.1): draft → submitted → agreed (or returned) → published ---

GOAL_FIELDS = ("goal", "measure", "target", "deadline")
JUSTIFICATION_MAX = 1000


def _se_audit(actor, report, action: str, source: str, extra: dict | None = None) -> None:
    audit_log(actor=actor, action=f"self_evaluation.{action}", target=report,
              data={"from": source, "to": report.state, "school_year": report.school_year, **(extra or {})},
              institution_id=report.institution_id)


def _clean_sections(sections: dict | None) -> dict:
    sections = sections or {}
    unknown = set(sections) - set(self_evaluation().codes)
    if unknown:
        raise ValidationError({"sections": _("Unknown sections: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}})
    return {code: str(text).strip() for code, text in sections.items() if str(text or "").strip()}


def _clean_ratings(ratings: dict | None) -> dict:
    ratings = ratings or {}
    codes = {c.code for c in framework().criteria}
    levels = {lv.code for lv in framework().levels}
    errors, out = [], {}
    for code, row in ratings.items():
        if code not in codes:
            errors.append(_("Unknown criterion %(code)s.") % {"code": code})
            continue
        level = (row or {}).get("level") or ""
        justification = str((row or {}).get("justification") or "").strip()
        if not level and not justification:
            continue
        if level not in levels:
            errors.append(_("Criterion %(code)s: choose a quality level.") % {"code": code})
        elif not justification:
            errors.append(_("Criterion %(code)s: justify the self-rating.") % {"code": code})
        elif len(justification) > JUSTIFICATION_MAX:
            errors.append(_("Criterion %(code)s: keep the justification under %(n)d characters.")
                          % {"code": code, "n": JUSTIFICATION_MAX})
        else:
            out[code] = {"level": level, "justification": justification}
    if errors:
        raise ValidationError({"self_ratings": errors})
    return out


def _clean_goals(goals: list | None) -> list[dict]:
    errors, out = [], []
    for i, given in enumerate(goals or [], start=1):
        row = {k: str((given or {}).get(k) or "").strip() for k in GOAL_FIELDS}
        if not any(row.values()):
            continue
        if not all(row.values()):
            errors.append(_("Goal %(n)d: give the goal, its measure, the target and the deadline.") % {"n": i})
            continue
        try:
            row["deadline"] = datetime.date.fromisoformat(row["deadline"]).isoformat()
        except ValueError:
            errors.append(_("Goal %(n)d: the deadline is not a valid date.") % {"n": i})
            continue
        out.append(row)
    if errors:
        raise ValidationError({"goals": errors})
    return out


def _se_content(sections, self_ratings, goals) -> dict:
    errors, clean = {}, {}
    for key, fn, value in (("sections", _clean_sections, sections), ("self_ratings", _clean_ratings, self_ratings),
                           ("goals", _clean_goals, goals)):
        try:
            clean[key] = fn(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def self_evaluation_create(*, actor, institution, school_year: str, sections: dict | None = None,
                           self_ratings: dict | None = None, goals: list | None = None):
    """The institution's head starts the year's report (a draft)."""
    if not permissions.can_create_self_evaluation(actor, institution):
        raise PermissionDeniedError(_("Only the institution's head may write its self-evaluation report."))
    errors = {}
    try:
        school_year = school_year_label(school_year)
    except ValidationError as exc:
        errors["school_year"] = exc.messages
    try:
        content = _se_content(sections, self_ratings, goals)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if SelfEvaluationReport.objects.filter(institution=institution, school_year=school_year).exists():
        raise ValidationError({"school_year": _("This institution already has a report for this school year.")})
    report = SelfEvaluationReport.objects.create(institution=institution, school_year=school_year,
                                                 head_name=institution.head_name, **content)
    _se_audit(actor, report, "create", "")
    return report


def _locked(model, report):
    return model.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def self_evaluation_update(*, actor, report, sections: dict | None = None, self_ratings: dict | None = None,
                           goals: list | None = None):
    """The head edits the report while it is a draft or returned by the founder."""
    report = _locked(type(report), report)
    if not permissions.can_edit_self_evaluation(actor, report):
        raise PermissionDeniedError(_("The report can be edited only by the head, as a draft or when returned."))
    content = _se_content(sections, self_ratings, goals)
    for key, value in content.items():
        setattr(report, key, value)
    report.save()
    _se_audit(actor, report, "update", report.state)
    return report


@transaction.atomic
def self_evaluation_submit(*, actor, report):
    """The head submits the complete report to the founder for agreement."""
    report = _locked(type(report), report)
    if not permissions.can_submit_self_evaluation(actor, report):
        raise PermissionDeniedError(_("Only the head may submit a draft or returned report."))
    errors = {}
    missing = [s.name for s in self_evaluation().sections if not (report.sections or {}).get(s.code)]
    if missing:
        errors["sections"] = [_("Fill in every section before submitting; missing: %(names)s.")
                              % {"names": "; ".join(missing)}]
    unrated = [c.code for c in framework().criteria if c.code not in (report.self_ratings or {})]
    if unrated:
        errors["self_ratings"] = [_("Rate every criterion before submitting; missing: %(codes)s.")
                                  % {"codes": ", ".join(unrated)}]
    if not report.goals:
        errors["goals"] = [_("Set at least one goal of the head before submitting.")]
    if errors:
        raise ValidationError(errors)
    source = report.state
    report.state = SelfEvaluationState.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    _se_audit(actor, report, "submit", source)
    return report


@transaction.atomic
def self_evaluation_agree(*, actor, report):
    """The founder agrees the submitted report."""
    report = _locked(type(report), report)
    if not permissions.can_review_self_evaluation(actor, report):
        raise PermissionDeniedError(_("Only the founder may agree a submitted report."))
    report.state = SelfEvaluationState.AGREED
    report.agreed_at = timezone.now()
    report.founder_comment = ""
    report.save()
    _se_audit(actor, report, "agree", SelfEvaluationState.SUBMITTED)
    return report


@transaction.atomic
def self_evaluation_return(*, actor, report, comment: str):
    """The founder returns the submitted report to the head, saying why."""
    report = _locked(type(report), report)
    if not permissions.can_review_self_evaluation(actor, report):
        raise PermissionDeniedError(_("Only the founder may return a submitted report."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the report is returned.")})
    report.state = SelfEvaluationState.RETURNED
    report.founder_comment = comment
    report.save()
    _se_audit(actor, report, "return", SelfEvaluationState.SUBMITTED, {"comment": comment})
    return report


@transaction.atomic
def self_evaluation_publish(*, actor, report):
    """The head publishes the agreed report; its public part appears on the public profile."""
    report = _locked(type(report), report)
    if not permissions.can_publish_self_evaluation(actor, report):
        raise PermissionDeniedError(_("Only the head may publish a report, and only after the founder agreed it."))
    report.state = SelfEvaluationState.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    _se_audit(actor, report, "publish", SelfEvaluationState.AGREED)
    return report


# --- the accreditation experts register (issue 14 item 6) ------------------------------------------------------


def _expert_guard(actor, expert) -> None:
    if not permissions.can_edit_expert(actor, expert):
        raise PermissionDeniedError(_("You may edit only your own entry in the experts register."))
    if not has_role(expert, Role.ACCREDITATION_EXPERT):
        raise ApplicationError(_("%(user)s is not an accreditation expert.") % {"user": expert})


def _expert_audit(actor, expert, action: str, data: dict) -> None:
    audit_log(actor=actor, action=f"accreditation.expert_{action}", target=expert, data=data)


def _profile(expert) -> ExpertProfile:
    profile, _created = ExpertProfile.objects.get_or_create(user=expert)
    return profile


@transaction.atomic
def expert_profile_update(*, actor, expert, qualifications: str, areas, languages: list[str]) -> ExpertProfile:
    """The expert's qualifications, the kinds of institution they may evaluate and their languages of instruction."""
    _expert_guard(actor, expert)
    unknown = set(languages) - set(InstructionLanguage.values)
    if unknown:
        raise ValidationError({"languages": _("Unknown language of instruction.")})
    profile = _profile(expert)
    profile.qualifications = qualifications.strip()
    profile.languages = [code for code in InstructionLanguage.values if code in languages]
    profile.full_clean()
    profile.save()
    profile.areas.set(list(areas))
    _expert_audit(actor, expert, "update", {"languages": profile.languages,
                                            "areas": sorted(a.code for a in profile.areas.all())})
    return profile


@transaction.atomic
def expert_unavailability_add(*, actor, expert, starts_on: datetime.date, ends_on: datetime.date,
                              note: str = "") -> ExpertUnavailability:
    _expert_guard(actor, expert)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
    period = ExpertUnavailability(profile=_profile(expert), starts_on=starts_on, ends_on=ends_on, note=note.strip())
    period.full_clean()
    period.save()
    _expert_audit(actor, expert, "unavailability_add", {"from": str(starts_on), "until": str(ends_on)})
    return period


@transaction.atomic
def expert_conflict_add(*, actor, expert, institution, kind: str, until: datetime.date | None = None,
                        note: str = "") -> ExpertConflict:
    _expert_guard(actor, expert)
    if kind not in ConflictKind.values:
        raise ValidationError({"kind": _("Unknown kind of conflict of interest.")})
    if kind == ConflictKind.WORKED and until is None:
        raise ValidationError({"until": _("Enter until when you worked at this institution.")})
    if kind == ConflictKind.OTHER and not note.strip():
        raise ValidationError({"note": _("Describe the conflict of interest.")})
    profile = _profile(expert)
    if profile.conflicts.filter(institution=institution).exists():
        raise ValidationError({"institution": _("A conflict with this institution is already declared.")})
    conflict = ExpertConflict(profile=profile, institution=institution, kind=kind,
                              until=until if kind == ConflictKind.WORKED else None, note=note.strip())
    conflict.full_clean()
    conflict.save()
    audit_log(actor=actor, action="accreditation.expert_conflict_add", target=expert,
              data={"institution": institution.registration_number, "kind": kind}, institution_id=institution.pk)
    return conflict


@transaction.atomic
def expert_training_add(*, actor, expert, course: str, hours: int, completed_on: datetime.date) -> ExpertTraining:
    _expert_guard(actor, expert)
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A course cannot be completed in the future.")})
    if not hours or hours <= 0:
        raise ValidationError({"hours": _("Enter the course's hours (more than 0).")})
    training = ExpertTraining(profile=_profile(expert), course=course.strip(), hours=hours, completed_on=completed_on)
    training.full_clean()
    training.save()
    _expert_audit(actor, expert, "training_add", {"course": training.course, "hours": hours})
    return training


#: What expert_item_remove can remove, by the kind in the URL.
EXPERT_ITEMS = {"unavailability": ExpertUnavailability, "conflict": ExpertConflict, "training": ExpertTraining}


@transaction.atomic
def expert_item_remove(*, actor, expert, kind: str, pk: int) -> None:
    """Remove one unavailability period, declared conflict or training record of the expert's entry."""
    _expert_guard(actor, expert)
    model = EXPERT_ITEMS.get(kind)
    item = model.objects.filter(pk=pk, profile__user=expert).first() if model else None
    if item is None:
        raise ApplicationError(_("There is no such entry to remove."))
    label = str(item)
    item.delete()
    _expert_audit(actor, expert, f"{kind}_remove", {"item": label})
