"""Writes of licensing applications. Each service is atomic, checks the actor, writes the audit event and leaves
nothing half-written on bad input (a ValidationError or ApplicationError with a message in the active language).

The steps: `application_submit` (the head or founder, or an officer entering a paper application; opens the case
file and starts the decision deadline), `application_check` (what IKVD checked), `deficiencies_send` (a letter
with a deadline the officer sets; the applicant remedies), `deficiencies_answer`, `application_decide` (a licence,
an amendment or a refusal, recorded in the register by its services; a letter; the case closed) and
`application_withdraw`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ikms.cases import services as case_services
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.licensing import permissions
from ikms.licensing.case_type import KIND
from ikms.licensing.choices import (
    OPEN_STATES,
    VOCATIONAL_ONLY,
    ApplicationKind,
    ApplicationState,
    CheckItem,
    CheckResult,
)
from ikms.licensing.models import Deficiency, LicenceApplication
from ikms.registry import services as registry_services
from ikms.registry.choices import DecisionKind, InstitutionStatus, LicenceEntryKind, LicenceStatus, ProgrammeForm
from ikms.registry.services import DecisionInput, PlaceInput
from ikms.registry.validators import programme_type_for, validate_programme_code

#: The case core's deadline rules (ikms/cases/data/deadline_rules.yaml).
DECISION_DEADLINE = "licence_decision"
DEFICIENCY_DEADLINE = "licensing_deficiencies"


def _lv(text: str) -> str:
    """A letter's sentence in Latvian (letters are Latvian whatever the writer's page language)."""
    with translation.override("lv"):
        return _(text)


def _audit(actor, application: LicenceApplication, action: str, data: dict | None = None) -> None:
    audit_log(
        actor=actor,
        action=f"licensing.{action}",
        target=application,
        data={"application": application.pk, **(data or {})},
        institution_id=application.institution_id,
    )


def _locked(application: LicenceApplication) -> LicenceApplication:
    return (
        LicenceApplication.objects.select_for_update().select_related("case_file", "institution").get(pk=application.pk)
    )


def _open(application: LicenceApplication) -> LicenceApplication:
    application = _locked(application)
    if application.state not in OPEN_STATES:
        raise ApplicationError(_("This application is decided or withdrawn; nothing more can be changed in it."))
    return application


def _require_decider(actor) -> None:
    if not permissions.can_decide(actor):
        raise PermissionDeniedError(_("Only registry officers check and decide licensing applications."))


def _not_future(day: dt.date | None, field: str) -> dt.date:
    if day is None:
        raise ValidationError({field: _("Enter a date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return day


def _places(places: Iterable[PlaceInput]) -> list[dict]:
    rows = [{"address": p.address.strip(), "municipality": p.municipality.code} for p in places]
    if not rows or any(not r["address"] for r in rows):
        raise ValidationError({"places": _("Give at least one place of implementation with its address.")})
    return rows


def place_inputs(application: LicenceApplication) -> list[PlaceInput]:
    """The application's places as the register's inputs."""
    from ikms.registry.models import Municipality

    by_code = {m.code: m for m in Municipality.objects.filter(code__in=[p["municipality"] for p in application.places])}
    return [PlaceInput(address=p["address"], municipality=by_code[p["municipality"]]) for p in application.places]


@transaction.atomic
def application_submit(
    *,
    actor,
    institution,
    kind: str,
    code: str,
    name: str,
    form: str,
    places: Iterable[PlaceInput],
    programme=None,
    note: str = "",
    submitted_on: dt.date | None = None,
) -> LicenceApplication:
    """An application for a licence (an institution-authored programme) or for an amendment of a licence."""
    if not permissions.can_apply_for(actor, institution):
        raise PermissionDeniedError(_("You may apply only for the institutions you head or founded."))
    errors: dict[str, str] = {}
    today = timezone.localdate()
    submitted_on = submitted_on or today
    if submitted_on > today:
        errors["submitted_on"] = _("The date cannot be in the future.")
    if kind not in ApplicationKind.values:
        errors["kind"] = _("Choose what the application is for.")
    if institution.status != InstitutionStatus.REGISTERED:
        errors["institution"] = _("A programme can be licensed only for a registered institution.")
    code = (code or "").strip()
    try:
        validate_programme_code(code)
    except ValidationError as exc:
        errors["code"] = exc.messages[0]
    else:
        row = programme_type_for(code)
        if row is not None and not row.get("licensed_by_ikvd", False):
            errors["code"] = _("IKVD does not license programmes of this type: the municipality licenses them.")
    if not (name or "").strip():
        errors["name"] = _("Enter the programme's name.")
    if form not in ProgrammeForm.values:
        errors["form"] = _("Choose the form of implementation.")
    if kind == ApplicationKind.AMEND:
        if programme is None or programme.institution_id != institution.pk:
            errors["programme"] = _("Choose the institution's licensed programme to amend.")
        elif programme.status != LicenceStatus.LICENSED:
            errors["programme"] = _("Only a valid licence can be amended.")
        elif programme.code != code:
            errors["code"] = _("An amendment keeps the programme's code; apply for a new licence instead.")
    try:
        place_rows = _places(places)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    # the case's subject is Latvian, whatever the page language: the letters quote it
    template = "Licence: %(code)s %(name)s" if kind == ApplicationKind.NEW else "Licence amendment: %(code)s %(name)s"
    subject = _lv(template) % {"code": code, "name": name.strip()}
    case_file = case_services.case_file_open(
        actor=actor, kind=KIND, subject=subject[:300], institution=institution, opened_on=submitted_on
    )
    application = LicenceApplication(
        case_file=case_file,
        institution=institution,
        kind=kind,
        programme=programme if kind == ApplicationKind.AMEND else None,
        code=code,
        name=name.strip(),
        form=form,
        places=place_rows,
        note=(note or "").strip(),
        submitted_on=submitted_on,
        submitted_by=actor,
    )
    application.full_clean()
    application.save()
    case_services.deadline_start(actor=actor, case_file=case_file, rule=DECISION_DEADLINE, starts_on=submitted_on)
    _audit(actor, application, "submit", {"kind": kind, "code": code})
    return application


def check_items(application: LicenceApplication) -> list[str]:
    """What is checked for this application (teachers and occupational standards for vocational ones only)."""
    return [c for c in CheckItem.values if application.is_vocational or c not in VOCATIONAL_ONLY]


@transaction.atomic
def application_check(*, actor, application: LicenceApplication, results: dict[str, tuple[str, str]]):
    """Record what IKVD checked: per item a result (meets, deficient, does not apply) and a note; a deficient item
    needs its note."""
    _require_decider(actor)
    application = _open(application)
    errors: dict[str, str] = {}
    checks = {}
    for item in check_items(application):
        result, note = results.get(item, ("", ""))
        if result not in CheckResult.values:
            errors[item] = _("Choose the result of this check.")
        elif result == CheckResult.DEFICIENT and not (note or "").strip():
            errors[item] = _("Say what is deficient.")
        else:
            checks[item] = {"result": result, "note": (note or "").strip()}
    if errors:
        raise ValidationError(errors)
    application.checks = checks
    application.save(update_fields=["checks", "updated_at"])
    _audit(actor, application, "check", {"deficient": [k for k, v in checks.items() if v["result"] == "deficient"]})
    return application


@transaction.atomic
def deficiencies_send(*, actor, application: LicenceApplication, text: str, due_on: dt.date | None) -> Deficiency:
    """Send the deficiencies back to the applicant with the deadline to remedy them (a letter in the case file)."""
    _require_decider(actor)
    application = _open(application)
    if application.state == ApplicationState.DEFICIENCIES:
        raise ApplicationError(_("The applicant has not answered the previous deficiencies yet."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe the deficiencies.")})
    today = timezone.localdate()
    deadline = case_services.deadline_start(
        actor=actor, case_file=application.case_file, rule=DEFICIENCY_DEADLINE, starts_on=today, due_on=due_on
    )
    deficiency = Deficiency(application=application, text=text.strip(), sent_on=today, deadline=deadline)
    deficiency.full_clean()
    deficiency.save()
    case_services.letter_issue(
        actor=actor,
        case_file=application.case_file,
        template="deficiencies",
        addressee=application.institution.name,
        text=deficiency.text,
        deadline=deadline,
    )
    application.state = ApplicationState.DEFICIENCIES
    application.save(update_fields=["state", "updated_at"])
    _audit(actor, application, "deficiencies", {"due_on": deadline.due_on})
    return deficiency


@transaction.atomic
def deficiencies_answer(*, actor, application: LicenceApplication, text: str) -> Deficiency:
    """The applicant answers the open deficiencies (documents go to the case file); the application is back with
    IKVD."""
    application = _open(application)
    if not (permissions.is_applicant(actor, application) or permissions.can_decide(actor)):
        raise PermissionDeniedError(_("Only the applicant answers the deficiencies."))
    if application.state != ApplicationState.DEFICIENCIES:
        raise ApplicationError(_("There are no deficiencies waiting for an answer."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe how the deficiencies were remedied.")})
    deficiency = application.deficiencies.select_related("deadline").filter(answered_on__isnull=True).last()
    today = timezone.localdate()
    deficiency.answer, deficiency.answered_on = text.strip(), today
    deficiency.save(update_fields=["answer", "answered_on", "updated_at"])
    case_services.deadline_meet(actor=actor, deadline=deficiency.deadline, met_on=today)
    application.state = ApplicationState.RESUBMITTED
    application.save(update_fields=["state", "updated_at"])
    _audit(actor, application, "answer", {"deficiency": deficiency.pk})
    return deficiency


def _decision_deadline(application: LicenceApplication):
    return application.case_file.deadlines.filter(rule=DECISION_DEADLINE, met_on__isnull=True).first()


def _finish(actor, application: LicenceApplication, letter_text: str, addressee: str) -> None:
    today = timezone.localdate()
    deadline = _decision_deadline(application)
    if deadline is not None:
        case_services.deadline_meet(actor=actor, deadline=deadline, met_on=today)
    for open_deficiency in application.case_file.deadlines.filter(rule=DEFICIENCY_DEADLINE, met_on__isnull=True):
        case_services.deadline_meet(actor=actor, deadline=open_deficiency, met_on=today)
    if letter_text:
        case_services.letter_issue(
            actor=actor, case_file=application.case_file, template="decision", addressee=addressee, text=letter_text
        )
    case_services.case_file_close(actor=actor, case_file=application.case_file, closed_on=today)


@transaction.atomic
def application_decide(
    *, actor, application: LicenceApplication, decision: DecisionInput, grant: bool, entry_kind: str = ""
) -> LicenceApplication:
    """Decide: a licence (a new programme in the register, or the amendment of the licensed one) or a refusal (its
    justification required). A refusal needs the checks recorded with at least one deficient item. `entry_kind`:
    what the licence records in VIIS (registry LicenceEntryKind; by default a new programme, or an amendment of the
    entry)."""
    _require_decider(actor)
    application = _open(application)
    if application.state == ApplicationState.DEFICIENCIES:
        raise ApplicationError(_("The applicant's deficiencies are still open: wait for the answer or its deadline."))
    if not application.checks:
        raise ApplicationError(_("Record the checks before deciding."))
    deficient = [k for k, v in application.checks.items() if v["result"] == "deficient"]
    if grant and deficient:
        raise ApplicationError(_("A licence cannot be granted while a check is deficient."))
    if not grant and not deficient:
        raise ApplicationError(_("A refusal needs at least one deficient check."))
    places = place_inputs(application)
    if not grant:
        d = registry_services.programme_licence_refuse(
            actor=actor,
            decision=decision,
            institution=application.institution,
            code=application.code,
            name=application.name,
        )
        application.state, application.closing_reason = ApplicationState.REFUSED, decision.justification.strip()
        letter = _lv("The licence is refused (decision %(number)s). Reasons: %(reasons)s") % {
            "number": d.number,
            "reasons": decision.justification.strip(),
        }
    elif application.kind == ApplicationKind.NEW:
        programme = registry_services.programme_license(
            actor=actor,
            decision=decision,
            institution=application.institution,
            code=application.code,
            name=application.name,
            form=application.form,
            places=places,
            entry_kind=entry_kind or LicenceEntryKind.NEW_PROGRAMME,
        )
        d = programme.decisions.order_by("-id").first()
        application.state, application.programme = ApplicationState.LICENSED, programme
        letter = _lv("The programme %(code)s “%(name)s” is licensed: licence %(licence)s (decision %(number)s).") % {
            "code": programme.code,
            "name": programme.name,
            "licence": programme.licence_number,
            "number": d.number,
        }
    else:
        d = registry_services.programme_licence_change(
            actor=actor,
            decision=decision,
            programme=application.programme,
            kind=DecisionKind.LICENCE_AMEND,
            values={"name": application.name, "form": application.form},
            places=places,
            entry_kind=entry_kind,
        )
        application.state = ApplicationState.LICENSED
        letter = _lv("The licence %(licence)s is amended (decision %(number)s).") % {
            "licence": application.programme.licence_number,
            "number": d.number,
        }
    application.decision = d
    application.save(update_fields=["state", "programme", "decision", "closing_reason", "updated_at"])
    _finish(actor, application, letter, application.institution.name)
    _audit(actor, application, "decide", {"grant": grant, "decision": d.number})
    return application


@transaction.atomic
def application_withdraw(*, actor, application: LicenceApplication, reason: str) -> LicenceApplication:
    application = _open(application)
    if not (permissions.is_applicant(actor, application) or permissions.can_decide(actor)):
        raise PermissionDeniedError(_("Only the applicant or a registry officer withdraws an application."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the application is withdrawn.")})
    application.state, application.closing_reason = ApplicationState.WITHDRAWN, reason.strip()
    application.save(update_fields=["state", "closing_reason", "updated_at"])
    _finish(actor, application, "", "")
    _audit(actor, application, "withdraw", {"reason": reason.strip()})
    return application
