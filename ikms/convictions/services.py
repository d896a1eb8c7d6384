"""Writes of the spent-conviction commission's records. Each service is atomic, checks the actor's permission and the
input before it writes, and records its audit event in the same transaction; bad input (a date in the future, a
personal code that is not one, a meeting without members, a limited permit without target groups, a second answer
to an application, an annulment of something that is not a permit in force) raises a ValidationError or
ApplicationError with a message in the active language, and nothing is written.

The secretary writes; a member records only their own opinion. The decision deadline is the case core's
(`DEADLINE_RULE`, counted from the day received); the answer closes the case file, which meets it. Audit events carry
the reference numbers only, never the person's name or code, and stay out of the admin's event log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.accounts.models import RoleAssignment
from ikms.accounts.roles import Role
from ikms.cases import services as case_services
from ikms.convictions import permissions, selectors
from ikms.convictions.case_type import KIND
from ikms.convictions.choices import ANSWERS, DecisionKind, TargetGroup
from ikms.convictions.models import Application, Decision, Meeting, Opinion
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.personal_codes import personal_code_digest, validate_personal_code
from ikms.registry.services import DecisionInput

#: The case core's deadline for the decision (ikms/cases/data/deadline_rules.yaml).
DEADLINE_RULE = "conviction_assessment"


def _audit(actor, target, action: str, data: dict | None = None) -> None:
    audit_log(actor=actor, action=f"convictions.{action}", target=target, data=data or {})


def _require_work(actor) -> None:
    if not permissions.can_work(actor):
        raise PermissionDeniedError(_("Only the commission's secretary may do this."))


def _next_reference(year: int) -> str:
    prefix = f"PIK-{year}-"
    last = (
        Application.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


def _text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


# --- applications ---------------------------------------------------------------------------------------------


@transaction.atomic
def application_register(
    *,
    actor,
    received_on: dt.date | None,
    person_name: str,
    personal_code: str,
    intended_work: str,
    conviction_article: str,
    employer: str = "",
    conviction_date: str = "",
) -> Application:
    """Register an application as the applicant states it, open its case file and start the decision deadline."""
    _require_work(actor)
    errors: dict[str, str] = {}
    if received_on is None:
        errors["received_on"] = _("Enter the date received, for example 27 3 2025")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("The date received cannot be in the future.")
    if not _text(person_name, 200):
        errors["person_name"] = _("Enter the person's name.")
    if not (personal_code or "").strip():
        errors["personal_code"] = _("Enter the person's personal code.")
    else:
        try:
            validate_personal_code(personal_code)
        except ValidationError as exc:
            errors["personal_code"] = exc.messages[0]
    if not _text(intended_work, 300):
        errors["intended_work"] = _("Enter the work the person means to do, for example “teacher of music”.")
    if not _text(conviction_article, 200):
        errors["conviction_article"] = _("Enter the article of the conviction as the applicant states it.")
    if errors:
        raise ValidationError(errors)
    assert received_on is not None
    reference = _next_reference(received_on.year)
    case_file = case_services.case_file_open(
        actor=actor,
        kind=KIND,
        subject=_("Application %(reference)s") % {"reference": reference},
        opened_on=received_on,  # assigned to nobody: kept off the case core's queue and its e-mailed reminders
    )
    deadline = case_services.deadline_start(actor=actor, case_file=case_file, rule=DEADLINE_RULE, starts_on=received_on)
    application = Application(
        case_file=case_file,
        reference=reference,
        received_on=received_on,
        person_name=_text(person_name, 200),
        personal_code_digest=personal_code_digest(personal_code),
        intended_work=_text(intended_work, 300),
        employer=_text(employer, 300),
        conviction_article=_text(conviction_article, 200),
        conviction_date=_text(conviction_date, 40),
        registered_by=actor,
    )
    application.full_clean()
    application.save()
    _audit(actor, application, "application_register", {"reference": reference, "due_on": deadline.due_on})
    return application


# --- meetings -------------------------------------------------------------------------------------------------


def members_on(day: dt.date, users: Iterable) -> set[int]:
    """Of `users`, the ids of those who held the commission member's role on `day`."""
    return set(
        RoleAssignment.objects.filter(user__in=list(users), role=Role.CONVICTION_COMMISSION, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def meeting_record(*, actor, number: str, held_on: dt.date | None, members: Iterable) -> Meeting:
    """Record a meeting: its number (unique), date (not in the future) and the members present, each of whom held
    the commission member's role that day."""
    _require_work(actor)
    members = list(members)
    number = _text(number, 20)
    errors: dict[str, str] = {}
    if not number:
        errors["number"] = _("Enter the meeting's number.")
    elif Meeting.objects.filter(number=number).exists():
        errors["number"] = _("A meeting with this number is already recorded.")
    if held_on is None:
        errors["held_on"] = _("Enter the date of the meeting, for example 27 3 2025")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("The date of the meeting cannot be in the future.")
    if not members:
        errors["members"] = _("Choose the members present.")
    elif held_on is not None:
        outsiders = [m for m in members if m.pk not in members_on(held_on, members)]
        if outsiders:
            errors["members"] = _("Not a member of the commission on the day of the meeting: %(names)s.") % {
                "names": ", ".join(m.get_full_name() or m.get_username() for m in outsiders)
            }
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(number=number, held_on=held_on, recorded_by=actor)
    meeting.full_clean()
    meeting.save()
    meeting.members_present.set(members)
    _audit(actor, meeting, "meeting_record", {"number": number, "held_on": held_on, "members": len(members)})
    return meeting


# --- decisions ------------------------------------------------------------------------------------------------


def _check_decision(data: DecisionInput, meeting: Meeting | None, *, not_before: dt.date, errors: dict) -> None:
    """The decision's own fields: a meeting, a new number, a date from the meeting's day up to today, a legal basis
    and a justification."""
    if meeting is None:
        errors["meeting"] = _("Choose the meeting at which the decision was taken.")
    if not data.number.strip():
        errors["number"] = _("Enter the decision number.")
    elif Decision.objects.filter(number=data.number.strip()).exists():
        errors["number"] = _("A decision with this number is already recorded.")
    if data.date is None:
        errors["date"] = _("Enter the decision date, for example 27 3 2025")
    elif data.date > timezone.localdate():
        errors["date"] = _("The decision date cannot be in the future.")
    elif meeting is not None and data.date < meeting.held_on:
        errors["date"] = _("A decision cannot be dated before its meeting.")
    elif data.date < not_before:
        errors["date"] = _("A decision cannot be dated before what it decides on.")
    if meeting is not None and meeting.held_on < not_before:
        errors["meeting"] = _("This meeting was held before what it would decide on.")
    if not data.legal_basis.strip():
        errors["legal_basis"] = _("Enter the legal basis.")
    if not data.justification.strip():
        errors["justification"] = _("Enter the justification.")


def _save_decision(
    *,
    actor,
    application: Application,
    meeting: Meeting,
    kind: str,
    data: DecisionInput,
    target_groups: list[str],
    annuls: Decision | None = None,
) -> Decision:
    decision = Decision(
        application=application,
        meeting=meeting,
        kind=kind,
        target_groups=target_groups,
        number=data.number.strip(),
        date=data.date,
        legal_basis=data.legal_basis.strip(),
        justification=data.justification.strip(),
        annuls=annuls,
        decided_by=actor,
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_record(
    *,
    actor,
    application: Application,
    meeting: Meeting | None,
    kind: str,
    data: DecisionInput,
    target_groups: Iterable[str] = (),
) -> Decision:
    """The commission's answer to an application taken at a meeting: a permit, a permit limited to the target groups
    named, or a refusal. An application is answered once; the answer closes its case file (the deadline is met)."""
    _require_work(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    groups = list(dict.fromkeys(target_groups or []))
    errors: dict[str, str] = {}
    if kind not in ANSWERS:
        errors["kind"] = _("Choose the decision: a permit, a permit limited to target groups, or a refusal.")
    elif kind == DecisionKind.PERMIT_LIMITED and not groups:
        errors["target_groups"] = _("Choose the target groups the permit is limited to.")
    elif kind != DecisionKind.PERMIT_LIMITED and groups:
        errors["target_groups"] = _("Only a limited permit names target groups.")
    unknown = [g for g in groups if g not in TargetGroup.values]
    if unknown:
        errors["target_groups"] = _("Unknown target group: %(group)s.") % {"group": ", ".join(unknown)}
    _check_decision(data, meeting, not_before=application.received_on, errors=errors)
    if not application.is_open:
        raise ApplicationError(_("This application is decided already; a permit can only be annulled."))
    if errors:
        raise ValidationError(errors)
    assert meeting is not None
    decision = _save_decision(
        actor=actor, application=application, meeting=meeting, kind=kind, data=data, target_groups=groups
    )
    application.outcome = kind
    application.save(update_fields=["outcome", "updated_at"])
    case_services.case_file_close(actor=actor, case_file=application.case_file, closed_on=decision.date)
    _audit(
        actor,
        decision,
        "decision_record",
        {"reference": application.reference, "meeting": meeting.number, "kind": kind, "number": decision.number},
    )
    return decision


@transaction.atomic
def decision_annul(*, actor, application: Application, meeting: Meeting | None, data: DecisionInput) -> Decision:
    """Annul the application's permit in force, by a decision taken at a meeting after the permit."""
    _require_work(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    permit = selectors.permit_in_force(application)
    if permit is None:
        raise ApplicationError(_("This application has no permit in force to annul."))
    errors: dict[str, str] = {}
    _check_decision(data, meeting, not_before=permit.date, errors=errors)
    if errors:
        raise ValidationError(errors)
    assert meeting is not None
    decision = _save_decision(
        actor=actor,
        application=application,
        meeting=meeting,
        kind=DecisionKind.ANNULMENT,
        data=data,
        target_groups=[],
        annuls=permit,
    )
    application.outcome = DecisionKind.ANNULMENT
    application.save(update_fields=["outcome", "updated_at"])
    _audit(
        actor,
        decision,
        "decision_annul",
        {
            "reference": application.reference,
            "meeting": meeting.number,
            "annuls": permit.number,
            "number": decision.number,
        },
    )
    return decision


# --- members' opinions ----------------------------------------------------------------------------------------


@transaction.atomic
def opinion_record(*, actor, application: Application, position: str, note: str = "") -> Opinion:
    """A member's opinion on an application waiting for a decision (recorded again, it replaces their earlier one)."""
    if not permissions.can_give_opinion(actor):
        raise PermissionDeniedError(_("Only a member of the commission may give an opinion."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise ApplicationError(_("This application is decided already; opinions are given before the decision."))
    if position not in ANSWERS:
        raise ValidationError({"position": _("Choose your opinion.")})
    opinion = Opinion.objects.filter(application=application, member=actor).first() or Opinion(
        application=application, member=actor
    )
    opinion.position, opinion.note = position, _text(note, 5000)
    opinion.full_clean()
    opinion.save()
    _audit(actor, opinion, "opinion_record", {"reference": application.reference, "position": position})
    return opinion
