"""The institution dossier: one timeline joining register decisions, licences, accreditation, indicator changes,
risk flags, visits, evaluations (accreditation and head-evaluation cases) and improvement tasks, newest first.

Data events (indicator changes, flags) are dated at the end of their school year (31 August). An indicator
change enters the timeline when a key indicator moves by at least CHANGE_THRESHOLD (relative) between two
consecutive school years held; the list of key indicators and the threshold are settings of this module."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.accreditation.selectors import case_visible_to, task_rows, task_visible_to
from ikms.complaints import selectors as complaint_selectors
from ikms.core.formatting import date_text, number_text
from ikms.inspections.selectors import inspection_visible_to
from ikms.monitoring import selectors
from ikms.monitoring.evidence import sentences
from ikms.monitoring.labels import slice_label
from ikms.monitoring.models import Grain, VisitStatus
from ikms.monitoring.permissions import can_view_risk_flags
from ikms.registry.choices import DecisionKind
from ikms.registry.models import Institution
from ikms.registry.selectors import decision_visible_to

KINDS = {
    "register": gettext_lazy("Register decisions"),
    "licence": gettext_lazy("Licences"),
    "accreditation": gettext_lazy("Accreditation"),
    "indicator": gettext_lazy("Indicator changes"),
    "risk": gettext_lazy("Risk flags"),
    "visit": gettext_lazy("Visits"),
    "evaluation": gettext_lazy("Evaluations"),
    "task": gettext_lazy("Tasks"),
    "inspection": gettext_lazy("Inspections"),
    "complaint": gettext_lazy("Complaints"),
}

KEY_INDICATORS = ("learners_enrolled", "average_class_size", "learners_per_teacher",
                  "support_staff_per_100_learners", "learners_over_unexcused_lessons_threshold", "exam_mean_score",
                  "learners_average_7_or_more_basic", "learners_average_7_or_more_secondary",
                  "teacher_vacancies_over_one_month", "combined_classes")
SEVERITY_RANK = {"minor": 1, "moderate": 2, "major": 3}
CHANGE_THRESHOLD = 0.15  # relative change between consecutive school years that enters the timeline

#: A visit on the plan by its status, as the timeline states it.
VISIT_EVENTS = {
    VisitStatus.PLANNED: gettext_lazy("Visit planned"),
    VisitStatus.DONE: gettext_lazy("Visit carried out"),
    VisitStatus.CANCELLED: gettext_lazy("Visit cancelled"),
}

LICENCE_KINDS = {DecisionKind.LICENCE_ISSUE, DecisionKind.LICENCE_AMEND, DecisionKind.LICENCE_ANNUL,
                 DecisionKind.LICENCE_LAPSE}
ACCREDITATION_KINDS = {DecisionKind.ACCREDITATION_GRANT, DecisionKind.ACCREDITATION_EXTEND,
                       DecisionKind.ACCREDITATION_REFUSE}


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


def _year_end(year: str) -> dt.date:
    return dt.date(int(year.split("/")[1]), 8, 31)


def _decision_events(user, inst: Institution, kinds: set[str]) -> list[Event]:
    out = []
    qs = (decision_visible_to(user).filter(institution=inst).select_related("programme", "revokes")
          .order_by("-date", "-id"))
    for d in qs:
        if d.kind in LICENCE_KINDS:
            kind = "licence"
        elif d.kind in ACCREDITATION_KINDS:
            kind = "accreditation"
        else:
            kind = "register"
        if kind not in kinds:
            continue
        detail = d.programme.name if d.programme_id else (d.justification or d.legal_basis)
        if kind == "accreditation" and hasattr(d, "accreditation"):
            acc = d.accreditation
            detail = _("%(state)s until %(until)s") % {
                "state": acc.get_state_display(), "until": date_text(acc.valid_until) if acc.valid_until else "—"}
        out.append(Event(date=d.date, kind=kind, title=_("%(event)s (decision %(number)s)") % {
                             "event": d.event_label, "number": d.number}, detail=detail,
                         url=reverse("registry:decision-detail", args=[d.pk])))
    return out


def _indicator_events(inst: Institution) -> list[Event]:
    years = selectors.school_years()
    info = selectors.indicators()
    per_year = {y: {v.key: v for v in selectors.values(year=y, grain=Grain.INSTITUTION,
                                                       units=[inst.registration_number],
                                                       indicators_=KEY_INDICATORS)} for y in years}
    out = []
    for before, after in itertools.pairwise(years):
        for key, v in per_year[after].items():
            old = per_year[before].get(key)
            if old is None or old.value is None or v.value is None or key[0] not in info:
                continue
            base = abs(old.value)
            delta = abs(v.value - old.value)
            changed = delta >= 1 if base == 0 else delta / base >= CHANGE_THRESHOLD
            if not changed:
                continue
            label = slice_label(*key[1:])
            name = info[key[0]].name + (f" ({label})" if label else "")
            direction = _("rose") if v.value > old.value else _("fell")
            out.append(Event(date=_year_end(after), kind="indicator", title=name,
                             detail=_("%(direction)s from %(old)s in %(before)s to %(new)s in %(after)s") % {
                                 "direction": direction, "old": _short(old.value), "new": _short(v.value),
                                 "before": before, "after": after},
                             url=reverse("monitoring:indicator", args=[key[0]]) +
                             f"?grain=institution&unit={inst.registration_number}"))
    return out


def _short(value: float) -> str:
    return number_text(value, 1, trim=True)


def _risk_events(inst: Institution) -> list[Event]:
    rules = selectors.rules()
    out = []
    previous: set[str] = set()
    for year in selectors.school_years():
        flags = selectors.risk_flags(year, [inst.registration_number])
        current = {f.rule for f in flags}
        for f in flags:
            name = rules[f.rule].name if f.rule in rules else f.rule
            title = (_("Risk rule %(rule)s triggered again: %(name)s") if f.rule in previous
                     else _("Risk rule %(rule)s triggered: %(name)s")) % {"rule": f.rule, "name": name}
            out.append(Event(date=_year_end(year), kind="risk", title=title,
                             detail=" ".join(sentences(f.rule, f.evidence))))
        for rule in sorted(previous - current):
            name = rules[rule].name if rule in rules else rule
            out.append(Event(date=_year_end(year), kind="risk",
                             title=_("Risk rule %(rule)s no longer triggered: %(name)s") % {"rule": rule, "name": name},
                             detail=year))
        previous = current
    return out


def _visit_events(user, inst: Institution) -> list[Event]:
    out = []
    for e in selectors.visits_visible_to(user).filter(institution=inst):
        detail = e.note or ", ".join(e.rules)
        if e.status_note:
            detail = f"{detail} — {e.status_note}" if detail else e.status_note
        reason = str(e.get_reason_display())
        event = VISIT_EVENTS.get(e.status, e.get_status_display())
        out.append(Event(date=e.planned_date, kind="visit",
                         title=_("%(event)s: %(reason)s") % {"event": event, "reason": reason[:1].lower() + reason[1:]},
                         detail=detail))
    return out


def _evaluation_events(user, inst: Institution) -> list[Event]:
    """Accreditation and head-evaluation cases: the application and, once decided, the outcome."""
    out = []
    for case in case_visible_to(user).filter(institution=inst).order_by("applied_on", "id"):
        url = reverse("accreditation:case-detail", args=[case.pk])
        out.append(Event(date=case.applied_on, kind="evaluation",
                         title=_("%(kind)s: application submitted") % {"kind": case.get_kind_display()},
                         detail=case.get_state_display(), url=url))
        if case.decided_on:
            outcome = case.get_outcome_display() or case.get_head_outcome_display()
            out.append(Event(date=case.decided_on, kind="evaluation",
                             title=_("%(kind)s: decision made — %(outcome)s") % {
                                 "kind": case.get_kind_display(), "outcome": outcome},
                             url=url))
    return out


def _task_events(user, inst: Institution) -> list[Event]:
    """Improvement tasks with their status and whether the monitoring data confirm them."""
    out = []
    for row in task_rows(task_visible_to(user).filter(institution=inst)):
        task = row["task"]
        detail = f"{task.get_status_display()} · {row['confirmation_label']}"
        if row["flagged"]:
            detail += " · " + _("closed on paper, not confirmed by the data")
        out.append(Event(date=task.set_on, kind="task",
                         title=_("Task set (deadline %(deadline)s): %(task)s") % {
                             "deadline": date_text(task.deadline), "task": task.description[:160]},
                         detail=detail, url=reverse("accreditation:case-detail", args=[task.case_id])))
    return out


def _inspection_events(user, inst: Institution) -> list[Event]:
    """Inspections: the visit, the act with its most significant finding and open orders, and the closing."""
    out = []
    visible = inspection_visible_to(user).filter(institution=inst).exclude(visited_on=None)
    for i in visible.select_related("act").prefetch_related("act__findings", "orders").order_by("visited_on"):
        url = reverse("inspections:detail", args=[i.pk])
        out.append(Event(date=i.visited_on, kind="inspection",
                         title=_("Inspection visit (%(kind)s): %(subject)s") % {"kind": i.get_kind_display(),
                                                                                 "subject": i.subject},
                         detail=i.get_state_display(), url=url))
        act = getattr(i, "act", None)
        if act is not None:
            findings = list(act.findings.all())
            worst = max(findings, key=lambda f: SEVERITY_RANK[f.severity], default=None)
            open_orders = sum(1 for o in i.orders.all() if o.kind == "order" and o.state == "open")
            detail = _("Most significant finding: %(severity)s") % {"severity": worst.get_severity_display()} \
                if worst else _("No findings")
            if open_orders:
                detail += " · " + _("open orders: %(n)s") % {"n": open_orders}
            out.append(Event(date=act.dated_on, kind="inspection",
                             title=_("Inspection act %(number)s") % {"number": act.number}, detail=detail, url=url))
        if i.closed_on and i.state == "closed":
            out.append(Event(date=i.closed_on, kind="inspection", title=_("Inspection closed"), url=url))
    return out


def _complaint_events(user, inst: Institution) -> list[Event]:
    """Complaints concerning the institution that the user may see (supervision staff: all; a founder: those
    forwarded to it): the reference, topics and outcome, never the submitter."""
    out = []
    names = complaint_selectors.topic_names()
    for c in complaint_selectors.complaints_for_user(user).filter(institutions=inst):
        topics = ", ".join(names.get(t, t) for t in c.topics)
        title = _("Complaint %(reference)s received") % {"reference": c.reference}
        out.append(Event(date=c.received_on, kind="complaint", title=f"{title}: {topics}" if topics else title,
                         detail=c.get_outcome_display() if c.outcome else _("being examined"),
                         url=reverse("complaints:detail", args=[c.pk])))
    return out


def timeline(inst: Institution, *, user, kinds: list[str] | None = None) -> list[Event]:
    """The institution's events the user may see, each part read through its resource's access policy (ADR
    0017): decisions, flags, visits, cases and tasks the user could open on their own pages and in the API.
    The caller has checked that the user may see the institution's monitoring results."""
    wanted = set(kinds or KINDS)
    events = _decision_events(user, inst, wanted)
    if "indicator" in wanted:
        events += _indicator_events(inst)
    if "risk" in wanted and can_view_risk_flags(user, inst):
        events += _risk_events(inst)
    if "visit" in wanted:
        events += _visit_events(user, inst)
    if "evaluation" in wanted:
        events += _evaluation_events(user, inst)
    if "task" in wanted:
        events += _task_events(user, inst)
    if "inspection" in wanted:
        events += _inspection_events(user, inst)
    if "complaint" in wanted:
        events += _complaint_events(user, inst)
    order = list(KINDS)
    return sorted(events, key=lambda e: (e.date, -order.index(e.kind)), reverse=True)
