"""Writes of inspections. Every step goes through the transition table (workflow.py) by `_step`, which locks the
inspection, checks the actor's party for the action in the current state and writes the audit event; each
service is atomic. Bad input (a visit date in the future, an order without a deadline, evidence on a closed
inspection, closing with open orders) raises a ValidationError or ApplicationError with a message in the active
language, and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.cases import services as case_services
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.inspections import permissions, workflow
from ikms.inspections.case_type import KIND
from ikms.inspections.choices import (
    ActType,
    EvidenceState,
    InspectionKind,
    OrderKind,
    OrderState,
    ProgrammeCheckKind,
    Severity,
    Stream,
)
from ikms.inspections.models import Act, Finding, FollowUpEvidence, Inspection, Order, ProgrammeCheck, ThematicAnswer
from ikms.inspections.questionnaires import questionnaire

#: The case core's deadline rule of an order (ikms/cases/data/deadline_rules.yaml): the act sets the day.
ORDER_DEADLINE = "inspection_order"


def _inspection_audit(
    actor, inspection: Inspection, action: str, data: dict[str, Any] | None = None, target=None
) -> None:
    audit_log(
        actor=actor,
        action=f"inspections.{action}",
        target=target or inspection,
        data={"inspection": inspection.pk, **(data or {})},
        institution_id=inspection.institution_id,
    )


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def _step(actor, inspection: Inspection, action: str) -> Inspection:
    """The inspection locked, once the actor may take the action in its current state (else an error)."""
    inspection = _lock(inspection)
    if inspection.is_closed:
        raise ApplicationError(_("This inspection is closed, so nothing more can be changed in it."))
    if not permissions.can_transition(actor, inspection, action):
        if inspection.state not in workflow.transition(action).sources:
            raise ApplicationError(_("This step cannot be taken at the inspection's present stage."))
        raise PermissionDeniedError(_("You may not take this step in this inspection."))
    return inspection


def _move(actor, inspection: Inspection, action: str, data: dict | None = None, target=None) -> Inspection:
    source = inspection.state
    inspection.state = workflow.transition(action).target
    inspection.full_clean()
    inspection.save()
    _inspection_audit(actor, inspection, action, {"from": source, "to": inspection.state, **(data or {})}, target)
    return inspection


def _not_future(day: dt.date | None, field: str, *, required: bool = True) -> None:
    if day is None:
        if required:
            raise ValidationError({field: _("Enter a date.")})
        return
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def inspection_plan(
    *,
    actor,
    institution,
    planned_on: dt.date,
    subject: str,
    kind: str = InspectionKind.AD_HOC,
    visit=None,
    complaint=None,
    questionnaire_code: str = "",
    inspectors=(),
    stream: str = Stream.SUPERVISION,
) -> Inspection:
    """Plan an inspection (from a visit plan row, a complaint, or ad hoc); opens its case file. An inspection
    prompted by a complaint is of an institution the complaint concerns."""
    if not permissions.is_runner(actor):
        raise PermissionDeniedError(_("Only supervision inspectors plan inspections."))
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = _("Enter what the inspection is about.")
    if planned_on is None:
        errors["planned_on"] = _("Enter a date.")
    if visit is not None:
        kind = InspectionKind.PLANNED
        institution = visit.institution
    if complaint is not None:
        kind = InspectionKind.COMPLAINT
        if institution is not None and not complaint.institutions.filter(pk=institution.pk).exists():
            errors["institution"] = _("The complaint does not concern this institution.")
    elif kind == InspectionKind.COMPLAINT:
        errors["complaint"] = _("Enter the reference of the complaint that prompted the inspection.")
    if questionnaire_code:
        questionnaire(questionnaire_code)
        kind = InspectionKind.THEMATIC
    elif kind == InspectionKind.THEMATIC:
        errors["questionnaire"] = _("Choose the questionnaire of the thematic inspection.")
    if errors:
        raise ValidationError(errors)
    case_file = case_services.case_file_open(
        actor=actor,
        kind=KIND,
        subject=subject,
        institution=institution,
        opened_on=min(timezone.localdate(), planned_on),
        assignee=actor,
    )
    inspection = Inspection(
        institution=institution,
        kind=kind,
        stream=stream,
        subject=subject.strip(),
        visit=visit,
        complaint=complaint,
        questionnaire=questionnaire_code,
        planned_on=planned_on,
        case_file=case_file,
    )
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.set([actor, *inspectors])
    _inspection_audit(
        actor,
        inspection,
        "plan",
        {"kind": kind, "visit": getattr(visit, "pk", None), "complaint": getattr(complaint, "pk", None)},
    )
    return inspection


@transaction.atomic
def inspection_cancel(*, actor, inspection: Inspection, reason: str) -> Inspection:
    inspection = _step(actor, inspection, "cancel")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Enter why the inspection is cancelled.")})
    inspection.closed_on = timezone.localdate()
    inspection = _move(actor, inspection, "cancel", {"reason": reason})
    case_services.case_file_close(actor=actor, case_file=inspection.case_file, closed_on=inspection.closed_on)
    return inspection


@transaction.atomic
def visit_record(
    *, actor, inspection: Inspection, visited_on: dt.date | None, answers: dict | None = None
) -> Inspection:
    """Record the visit (not in the future); a thematic inspection's questionnaire answers with it. A visit from
    the visit plan marks the plan row carried out."""
    inspection = _step(actor, inspection, "record_visit")
    _not_future(visited_on, "visited_on")
    if visited_on < inspection.planned_on - dt.timedelta(days=365):
        raise ValidationError({"visited_on": _("The visit date is long before the planned date; check it.")})
    cleaned = {}
    if inspection.questionnaire:
        cleaned = questionnaire(inspection.questionnaire).clean(answers or {})
    elif answers:
        raise ValidationError({"answers": _("Only a thematic inspection has questionnaire answers.")})
    inspection.visited_on = visited_on
    inspection = _move(actor, inspection, "record_visit", {"visited_on": visited_on})
    ThematicAnswer.objects.bulk_create(
        ThematicAnswer(inspection=inspection, question=code, value=value) for code, value in cleaned.items()
    )
    if cleaned:
        _inspection_audit(actor, inspection, "answer", {"questions": sorted(cleaned)})
    if inspection.visit_id:
        from ikms.monitoring.models import VisitStatus

        visit = inspection.visit
        if visit.status == VisitStatus.PLANNED:
            visit.status = VisitStatus.DONE
            visit.status_note = _("Inspection visited on %(date)s.") % {"date": visited_on.strftime("%d.%m.%Y")}
            visit.save(update_fields=["status", "status_note", "updated_at"])
    return inspection


def _act_number(inspection: Inspection, dated_on: dt.date) -> str:
    return f"PA-{dated_on.year}/{inspection.pk}"


@transaction.atomic
def act_write(
    *, actor, inspection: Inspection, dated_on: dt.date | None, summary: str, act_type: str = ActType.GENERAL
) -> Act:
    inspection = _step(actor, inspection, "write_act")
    _not_future(dated_on, "dated_on")
    if dated_on < inspection.visited_on:
        raise ValidationError({"dated_on": _("The act cannot be dated before the visit.")})
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Enter the act's summary.")})
    act = Act(
        inspection=inspection,
        number=_act_number(inspection, dated_on),
        act_type=act_type,
        dated_on=dated_on,
        summary=summary.strip(),
        written_by=actor,
    )
    act.full_clean()
    act.save()
    _move(actor, inspection, "write_act", {"act": act.number}, target=act)
    return act


@transaction.atomic
def finding_add(*, actor, inspection: Inspection, text: str, severity: str, legal_basis: str) -> Finding:
    inspection = _step(actor, inspection, "add_finding")
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Enter the finding.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose how significant the finding is.")
    if not (legal_basis or "").strip():
        errors["legal_basis"] = _("Enter the legal basis, for example the law and its article.")
    if errors:
        raise ValidationError(errors)
    finding = Finding(act=inspection.act, text=text.strip(), severity=severity, legal_basis=legal_basis.strip())
    finding.full_clean()
    finding.save()
    _move(actor, inspection, "add_finding", {"severity": severity}, target=finding)
    return finding


@transaction.atomic
def order_issue(
    *, actor, inspection: Inspection, kind: str, text: str, due_on: dt.date | None, finding: Finding | None = None
) -> Order:
    """Give a recommendation or an order; an order needs a deadline after the act's date."""
    inspection = _step(actor, inspection, "issue_order")
    errors = {}
    if kind not in OrderKind.values:
        errors["kind"] = _("Choose a recommendation or an order.")
    if not (text or "").strip():
        errors["text"] = _("Enter what the institution must do.")
    if kind == OrderKind.ORDER and due_on is None:
        errors["due_on"] = _("An order needs a deadline.")
    elif due_on is not None and due_on <= inspection.act.dated_on:
        errors["due_on"] = _("The deadline must be after the act's date.")
    if finding is not None and finding.act_id != inspection.act.pk:
        errors["finding"] = _("The finding belongs to another inspection.")
    if errors:
        raise ValidationError(errors)
    deadline = None
    if due_on is not None:
        deadline = case_services.deadline_start(
            actor=actor,
            case_file=inspection.case_file,
            rule=ORDER_DEADLINE,
            starts_on=inspection.act.dated_on,
            due_on=due_on,
        )
    order = Order(
        inspection=inspection, finding=finding, kind=kind, text=text.strip(), due_on=due_on, deadline=deadline
    )
    order.full_clean()
    order.save()
    _move(actor, inspection, "issue_order", {"kind": kind, "due_on": due_on}, target=order)
    return order


@transaction.atomic
def act_send(*, actor, inspection: Inspection) -> Inspection:
    """Send the act to the institution and start the follow-up of its orders (an act without orders is closed)."""
    inspection = _step(actor, inspection, "send_act")
    if not inspection.orders.exists():
        raise ApplicationError(_("The act gives no recommendations or orders: close the inspection instead."))
    return _move(actor, inspection, "send_act")


def _open_order(inspection: Inspection, order: Order) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.inspection_id != inspection.pk:
        raise ValidationError({"order": _("The order belongs to another inspection.")})
    if not order.is_open:
        raise ApplicationError(_("This order has already been met."))
    return order


@transaction.atomic
def evidence_submit(
    *, actor, order: Order, text: str, submitted_on: dt.date | None = None, attachment=None
) -> FollowUpEvidence:
    """The institution reports what it has done about an order (with a document already in the case file)."""
    inspection = _step(actor, order.inspection, "submit_evidence")
    order = _open_order(inspection, order)
    submitted_on = submitted_on or timezone.localdate()
    _not_future(submitted_on, "submitted_on")
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe what has been done.")})
    if attachment is not None and attachment.case_file_id != inspection.case_file_id:
        raise ValidationError({"attachment": _("The document belongs to another case.")})
    if order.evidence.filter(state=EvidenceState.SUBMITTED).exists():
        raise ApplicationError(_("Evidence for this order is already waiting for review."))
    evidence = FollowUpEvidence(
        order=order, text=text.strip(), attachment=attachment, submitted_by=actor, submitted_on=submitted_on
    )
    evidence.full_clean()
    evidence.save()
    _move(actor, inspection, "submit_evidence", {"order": order.pk}, target=evidence)
    return evidence


@transaction.atomic
def evidence_review(*, actor, evidence: FollowUpEvidence, accept: bool, note: str = "") -> FollowUpEvidence:
    """Accept evidence (the order is met) or reject it with a note (the order stays open)."""
    inspection = _step(actor, evidence.order.inspection, "review_evidence")
    evidence = FollowUpEvidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.state != EvidenceState.SUBMITTED:
        raise ApplicationError(_("This evidence has already been reviewed."))
    if not accept and not (note or "").strip():
        raise ValidationError({"note": _("Say why the evidence is not enough.")})
    order = _open_order(inspection, evidence.order)
    today = timezone.localdate()
    evidence.state = EvidenceState.ACCEPTED if accept else EvidenceState.REJECTED
    evidence.reviewed_by, evidence.reviewed_on, evidence.review_note = actor, today, (note or "").strip()
    evidence.save()
    if accept:
        order.state, order.met_on = OrderState.MET, today
        order.save(update_fields=["state", "met_on", "updated_at"])
        if order.deadline_id:
            case_services.deadline_meet(actor=actor, deadline=order.deadline, met_on=today)
    _move(actor, inspection, "review_evidence", {"order": order.pk, "accepted": accept}, target=evidence)
    return evidence


@transaction.atomic
def inspection_close(*, actor, inspection: Inspection) -> Inspection:
    """Close the inspection when every order is met (recommendations need not be)."""
    inspection = _step(actor, inspection, "close")
    if inspection.orders.filter(kind=OrderKind.ORDER, state=OrderState.OPEN).exists():
        raise ApplicationError(_("Some orders are still open: the inspection can be closed when all are met."))
    inspection.closed_on = timezone.localdate()
    inspection = _move(actor, inspection, "close")
    case_services.case_file_close(actor=actor, case_file=inspection.case_file, closed_on=inspection.closed_on)
    return inspection


@transaction.atomic
def programme_check_log(
    *,
    actor,
    kind: str,
    checked_on: dt.date | None,
    programmes: int | None,
    mismatches: int | None = 0,
    institution=None,
    note: str = "",
) -> ProgrammeCheck:
    """Record a desk check of adult-education programmes: an expert review (one programme) or a check of the
    offer lists (how many programmes, how many did not match)."""
    if not permissions.is_runner(actor):
        raise PermissionDeniedError(_("Only supervision inspectors record programme checks."))
    errors = {}
    if kind not in ProgrammeCheckKind.values:
        errors["kind"] = _("Choose the kind of check.")
    try:
        _not_future(checked_on, "checked_on")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if kind == ProgrammeCheckKind.EXPERT_REVIEW:
        programmes = 1 if programmes in (None, 1) else programmes
        if programmes != 1:
            errors["programmes"] = _("An expert review is of one programme.")
    if programmes is None or programmes < 1:
        errors["programmes"] = _("Enter how many programmes were checked (at least one).")
    mismatches = mismatches or 0
    if mismatches < 0 or (programmes is not None and mismatches > programmes):
        errors["mismatches"] = _("The mismatches cannot be more than the programmes checked.")
    if errors:
        raise ValidationError(errors)
    check = ProgrammeCheck(
        kind=kind,
        checked_on=checked_on,
        institution=institution,
        programmes=programmes,
        mismatches=mismatches,
        note=(note or "").strip(),
        checked_by=actor,
    )
    check.full_clean()
    check.save()
    audit_log(
        actor=actor,
        action="inspections.programme_check",
        target=check,
        data={"kind": kind, "programmes": programmes, "mismatches": mismatches},
        institution_id=getattr(institution, "pk", None),
    )
    return check
