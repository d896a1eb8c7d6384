"""“Mani darbi” (My work): the start page after sign-in. What waits for the signed-in user's action, with its
dates, one section for each kind of work the user's roles of today carry.

`SECTIONS` is this module's one table: which section a role's page shows (the role's work). Which rows a section
lists is never decided here: every row comes through the apps' scopers (`*_visible_to`) and predicates
(`can_*`, ADR 0017). Where a user holds several roles, a section narrows the rows it reads to the institutions its
role answers for (a founder's section to the founded institutions, a head's to the headed one), so one school's
task is not listed twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import user_roles
from ikms.accreditation import permissions as accreditation_permissions
from ikms.accreditation import selectors as accreditation
from ikms.accreditation import workflow
from ikms.accreditation.choices import CaseState, TaskStatus
from ikms.accreditation.models import Case, SelfEvaluationState
from ikms.attendance import selectors as attendance
from ikms.cases import selectors as cases
from ikms.complaints import selectors as complaint_selectors
from ikms.convictions import permissions as conviction_permissions
from ikms.convictions import selectors as convictions
from ikms.core.school_year import school_year_of
from ikms.inspections import permissions as inspection_permissions
from ikms.inspections import selectors as inspections
from ikms.monitoring import selectors as monitoring
from ikms.monitoring.models import VisitStatus
from ikms.registry import permissions as registry_permissions
from ikms.registry import selectors as registry

#: Rows a list shows before "and N more" with a link to the whole list.
LIMIT = 10
#: Case states in which nobody has anything left to do.
CLOSED = (CaseState.DECIDED, CaseState.WITHDRAWN)
#: Actions of the workflow that a party may take but does not owe (never listed as work to do).
OPTIONAL = frozenset({"withdraw"})


@dataclass
class Rows:
    """The first rows of a list (at most LIMIT) and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


def first_rows(rows: QuerySet, limit: int = LIMIT) -> Rows:
    """The first `limit` rows of a queryset and their total (counted only when there may be more)."""
    found = list(rows[:limit])
    return Rows(found, len(found) if len(found) < limit else rows.count())


# --- cases: the user's own steps and the workflow's next one --------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: str
    url: str


@dataclass
class CaseRow:
    case: Case
    mine: list[Step]  # what the user may do now and has not done yet
    next_label: str  # the workflow's next step, when the user has none
    seat: str = ""  # the user's seat on the commission (chair or expert)
    unrated: list = field(default_factory=list)  # criteria the commission has not rated yet


def _seat(user, case: Case):
    return next((m for m in case.members.all() if m.user_id == user.pk), None)


def _step_url(case: Case, action: str) -> str:
    if action == "rate":
        return reverse("accreditation:case-rate", args=[case.pk])
    return reverse("accreditation:case-action", args=[case.pk, action])


def case_row(user, case: Case, *, unrated: list | None = None) -> CaseRow:
    """A case with the steps the transition table lets the user take now (accreditation's `allowed_actions`),
    less those already done (a seat whose conflict of interest is declared, criteria all rated, self-ratings
    given) and the optional ones; without any, the label of the workflow's next step."""
    seat = _seat(user, case)
    unrated = list(unrated or [])
    mine = []
    for t in accreditation_permissions.allowed_actions(user, case):
        if (t.action in OPTIONAL or (t.action == "declare" and seat is not None and seat.no_conflict_declared)
                or (t.action == "rate" and not unrated) or (t.action == "self_rate" and case.self_ratings)):
            continue
        mine.append(Step(str(t.label), _step_url(case, t.action)))
    following = next((t for t in workflow.actions_from(case.state) if not t.is_loop and t.action not in OPTIONAL),
                     None)
    return CaseRow(case=case, mine=mine, next_label=str(following.label) if following else "",
                   seat=seat.get_role_display() if seat is not None else "", unrated=unrated)


# --- sections -----------------------------------------------------------------------------------------------


@dataclass
class Section:
    key: str  # names the template: web/work/_<key>.html
    title: str
    roles: list[str]  # labels of the user's roles that give this section
    data: dict

    @property
    def template(self) -> str:
        return f"web/work/_{self.key}.html"


def _expert(user, today: dt.date) -> dict:
    """Cases whose commission the user sits on (open ones, the evaluation dates first) and the ratings owed."""
    mine = accreditation.cases_on_commission_of(user)
    open_cases = first_rows(mine.exclude(state__in=CLOSED)
                            .order_by(F("visit_start").asc(nulls_first=True), "applied_on", "id"))
    planned = list(mine.filter(state=CaseState.PLANNED).order_by("visit_end", "id"))
    unrated = accreditation.case_unrated_criteria(planned)
    ratings = [case_row(user, c, unrated=unrated[c.pk]) for c in planned
               if unrated[c.pk] and accreditation_permissions.can_transition(user, c, "rate")]
    return {"cases": Rows([case_row(user, c, unrated=unrated.get(c.pk)) for c in open_cases.rows],
                          open_cases.total),
            "ratings": ratings, "criteria_owed": sum(len(r.unrated) for r in ratings), "today": today}


def _next_for_report(user, report) -> tuple[str, str]:
    """What the head does next with a self-evaluation report (in words) and where (a link, or "")."""
    state = report.state
    if state in (SelfEvaluationState.DRAFT, SelfEvaluationState.RETURNED):
        text = (_("The founder returned it: correct it as the comment asks and submit it again.")
                if state == SelfEvaluationState.RETURNED else _("Complete it and submit it to the founder."))
        if accreditation_permissions.can_edit_self_evaluation(user, report):
            return str(text), reverse("accreditation:self-evaluation-edit", args=[report.pk])
        return str(text), ""
    if state == SelfEvaluationState.SUBMITTED:
        return str(_("Waiting for the founder to agree it.")), ""
    if state == SelfEvaluationState.AGREED:
        if accreditation_permissions.can_publish_self_evaluation(user, report):
            return str(_("The founder agreed it: publish it.")), reverse("accreditation:self-evaluation-publish",
                                                                         args=[report.pk])
        return str(_("The founder agreed it; it waits to be published.")), ""
    return str(_("Published.")), ""


def _head(user, today: dt.date) -> dict:
    """The headed institution's open tasks, its self-evaluation report of this school year (and earlier ones not
    yet published) and its open accreditation or head-evaluation case."""
    headed = list(registry.institutions_headed_by(user).order_by("name"))
    ids = [i.pk for i in headed]
    tasks = first_rows(accreditation.task_visible_to(user).filter(status=TaskStatus.OPEN, institution__in=ids)
                       .order_by("deadline", "id"))
    year = school_year_of(today)
    reports = list(accreditation.self_evaluation_visible_to(user).filter(institution__in=ids)
                   .exclude(state=SelfEvaluationState.PUBLISHED, school_year__lt=year)
                   .order_by("-school_year", "institution__name"))
    with_report = {r.institution_id for r in reports if r.school_year == year}
    cases = accreditation.case_visible_to(user).filter(institution__in=ids).exclude(state__in=CLOSED)
    return {
        "institutions": headed, "tasks": tasks, "today": today, "year": year,
        "reports": [(r, *_next_for_report(user, r)) for r in reports],
        "without_report": [i for i in headed if i.pk not in with_report],
        "can_create_report": accreditation.institutions_for_self_evaluation(user).exists(),
        "cases": [case_row(user, c) for c in cases.order_by("-applied_on", "-id")],
        "can_apply": accreditation.institution_institutions_for_apply(user).exists(),
    }


@dataclass
class AtRisk:
    institution: object
    rules: list  # (code, RuleInfo or None)
    score: int


def _founder(user, today: dt.date) -> dict:
    """The founded institutions at risk in the latest school year computed, their open tasks and the
    self-evaluation reports waiting for the founder's agreement."""
    founded = {i.registration_number: i for i in registry.institutions_founded_by(user)}
    ids = [i.pk for i in founded.values()]
    year = monitoring.latest_year()
    at_risk = []
    if year and founded:
        info = monitoring.rules()
        codes: dict[str, set[str]] = defaultdict(set)
        for flag in monitoring.risk_flags_visible_to(user, year, sorted(founded)):
            codes[flag.institution].add(flag.rule)
        at_risk = sorted((AtRisk(institution=founded[n], rules=[(c, info.get(c)) for c in sorted(rules)],
                                 score=monitoring.risk_score(rules))
                          for n, rules in codes.items() if n in founded),
                         key=lambda e: (-e.score, e.institution.name))
    tasks = first_rows(accreditation.task_visible_to(user).filter(status=TaskStatus.OPEN, institution__in=ids)
                       .order_by("deadline", "id"))
    reports = first_rows(accreditation.self_evaluation_visible_to(user)
                         .filter(state=SelfEvaluationState.SUBMITTED, institution__in=ids)
                         .order_by("submitted_at", "id"))
    forwarded = first_rows(complaint_selectors.complaints_for_user(user)
                           .filter(founder_answer="", case_file__closed_on__isnull=True).order_by("forwarded_on", "id"))
    return {"year": year, "institution_count": len(founded), "at_risk": at_risk, "tasks": tasks,
            "reports": reports, "complaints": forwarded, "today": today}


def _absences(user, today: dt.date) -> dict:
    """The long-term absence cases of the municipality's residents whose first action is overdue (issue 15 item 8),
    and how many of its residents' cases are open."""
    return {"overdue": first_rows(attendance.overdue_for(user, today=today)),
            "open": attendance.case_list(user, today=today, state="open").count(), "today": today}


def _registry(user, today: dt.date) -> dict:
    """Registration applications still waiting for a decision, and the latest decisions."""
    return {"applications": first_rows(registry.applications_awaiting_decision(user)),
            "decisions": list(registry.decision_visible_to(user)[:5]),
            "can_decide": registry_permissions.can_decide_register(user), "today": today}


def _quality(user, today: dt.date) -> dict:
    """Accreditation cases by state (each with the workflow's next step) and the open tasks past their deadline."""
    counts = dict(accreditation.case_visible_to(user).order_by().values_list("state").annotate(n=Count("id")))
    by_state = []
    for state in CaseState:
        if counts.get(state.value):
            following = next((t for t in workflow.actions_from(state.value)
                              if not t.is_loop and t.action not in OPTIONAL), None)
            by_state.append({"state": state, "n": counts[state.value],
                             "next_label": str(following.label) if following else ""})
    overdue = accreditation.task_filter(accreditation.task_visible_to(user).filter(status=TaskStatus.OPEN),
                                        deadline_passed=True, today=today).order_by("deadline", "id")
    return {"by_state": by_state, "case_total": sum(counts.values()), "overdue": first_rows(overdue),
            "today": today}


def _supervision(user, today: dt.date) -> dict:
    """The top of the risk list of the latest school year computed and the next visits on the plan."""
    year = monitoring.latest_year()
    risks, risk_total = [], 0
    if year:
        ranked = monitoring.risk_ranking(user=user, year=year)
        risk_total = len(ranked)
        info = monitoring.rules()
        risks = [(e, [(c, info.get(c)) for c in e.rule_codes])
                 for e in monitoring.risk_entries(user=user, year=year, ranked=ranked[:LIMIT])]
    visits = first_rows(monitoring.visits_visible_to(user, status=VisitStatus.PLANNED))
    return {"year": year, "risks": Rows(risks, risk_total), "visits": visits, "today": today}


def _inspections(user, today: dt.date) -> dict:
    """Inspections: an inspector's own open inspections (the visit plan's next step is on `_supervision`), and for
    everyone who sees them the open orders of sent acts, overdue first (a head's and founder's: orders due)."""
    mine = None
    if inspection_permissions.is_runner(user):
        mine = first_rows(inspections.inspection_visible_to(user).filter(inspectors=user)
                          .exclude(state__in=("closed", "cancelled")).select_related("institution")
                          .order_by("planned_on", "id"))
    visible = inspections.inspection_visible_to(user).values("pk")
    orders = first_rows(inspections.open_orders(today=today).filter(inspection__in=visible))
    return {"mine": mine, "orders": orders, "today": today}


def _convictions(user, today: dt.date) -> dict:
    """How many applications wait for the commission's decision (a count, no record: the commission's pages log the
    reads of its records)."""
    return {
        "open": convictions.open_count(user),
        "overdue": convictions.overdue_count(user, today=today),
        "can_work": conviction_permissions.can_work(user),
        "today": today,
    }


def _read_log(user, today: dt.date) -> dict:
    """The data protection officer's page of reads of the spent-conviction records (no record shown here)."""
    return {"today": today}


def _queue(user, today: dt.date) -> dict:
    """The case work queue (ikms.cases): open cases of every type assigned to the user and to their teams, each with
    its next deadline, overdue and due soon first."""
    queue = cases.work_queue(user, today=today)
    return {"queue": queue, "mine": Rows(queue.mine[:LIMIT], len(queue.mine)),
            "team": Rows(queue.team[:LIMIT], len(queue.team)), "today": today}


#: Sections in the order a page shows them, and the roles whose work each is.
SECTIONS: tuple[tuple[str, Callable[..., dict], object, frozenset[Role]], ...] = (
    ("queue", _queue, _("Your cases and deadlines"), IKVD_STAFF_ROLES),
    ("expert", _expert, _("Your evaluation commissions"), frozenset({Role.ACCREDITATION_EXPERT})),
    ("head", _head, _("Your institution"), frozenset({Role.INSTITUTION_HEAD})),
    ("founder", _founder, _("Your institutions"), frozenset({Role.FOUNDER})),
    ("absences", _absences, _("Long-term absence cases"), frozenset({Role.FOUNDER})),
    ("registry", _registry, _("Register decisions"), frozenset({Role.REGISTRY_OFFICER})),
    ("quality", _quality, _("Accreditation and evaluation"), frozenset({Role.QUALITY_EXPERT, Role.IKVD_ADMIN})),
    ("supervision", _supervision, _("Risks and visits"), frozenset({Role.SUPERVISION_INSPECTOR, Role.ANALYST})),
    ("inspections", _inspections, _("Inspections and orders"),
     frozenset({Role.SUPERVISION_INSPECTOR, Role.IKVD_ADMIN, Role.FOUNDER, Role.INSTITUTION_HEAD})),
    ("convictions", _convictions, _("Assessment of persons with a spent conviction"),
     frozenset({Role.CONVICTION_COMMISSION, Role.CONVICTION_SECRETARY})),
    ("read_log", _read_log, _("Data protection"), frozenset({Role.DATA_PROTECTION_OFFICER})),
)


def sections(user, *, today: dt.date) -> list[Section]:
    """The sections of the user's page, in SECTIONS' order, each once however many of its roles the user holds."""
    held = user_roles(user)
    out = []
    for key, build, title, roles in SECTIONS:
        if held & roles:
            labels = [r.label for r in Role if r in held & roles]
            out.append(Section(key=key, title=str(title), roles=labels, data=build(user, today)))
    return out
