"""Writes to the register of psychologists and the records of the Psychologist Certification Board.

Every service is atomic, refuses an actor outside the board's secretariat (registry officers and IKVD
administrators), checks all of its input before it writes, and records its audit event in the same transaction;
bad input (a date in the future, a board decision without its meeting, an examination not passed, a person already
in the register) raises a ValidationError or ApplicationError with a message in the active language, and nothing is
written. The register changes only through a `Decision` (number, date, legal basis: `DecisionInput`, shared with the
institution register), with its row history (`RegisterRevision`). Audit events never carry a personal code or its
hash."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.imports.personal_code import is_valid as personal_code_is_valid
from ikms.accounts.permissions import require_role
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError
from ikms.core.formatting import date_text
from ikms.core.personal_codes import personal_code_digest
from ikms.psychologists import permissions
from ikms.psychologists.choices import (
    BOARD_KINDS,
    CERTIFICATE_YEARS,
    MAX_SUPERVISOR_AREAS,
    ApplicationKind,
    DecisionKind,
    ExamKind,
    ExamMode,
    PsychologistStatus,
    WorkArea,
)
from ikms.psychologists.models import (
    Application,
    BoardMeeting,
    Certificate,
    Decision,
    ExamResult,
    ExamSession,
    Psychologist,
)
from ikms.psychologists.selectors import fold
from ikms.registry.services import DecisionInput, RegisterRevision

#: The status a decision may change, and the statuses it may start from.
STATUS_CHANGES = {
    DecisionKind.SUSPEND: ((PsychologistStatus.ACTIVE,), PsychologistStatus.SUSPENDED),
    DecisionKind.RESTORE: ((PsychologistStatus.SUSPENDED,), PsychologistStatus.ACTIVE),
    DecisionKind.CANCEL: ((PsychologistStatus.ACTIVE, PsychologistStatus.SUSPENDED), PsychologistStatus.CANCELLED),
}


def _require(actor) -> None:
    require_role(actor, *permissions.SECRETARIAT)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _next_number(model: type[models.Model], field: str, prefix: str) -> str:
    """The next "<prefix><n>" number of a model's field (one aggregate query)."""
    highest = (
        (
            model._default_manager.filter(**{f"{field}__regex": rf"^{prefix}[0-9]+$"})
            .annotate(n=Cast(Substr(field, len(prefix) + 1), models.IntegerField()))
            .aggregate(m=Max("n"))["m"]
        )
        or 0
    )
    return f"{prefix}{highest + 1}"


def _next_reference(year: int) -> str:
    prefix = f"PI-{year}-"
    return f"{prefix}{int(_next_number(Application, 'reference', prefix)[len(prefix) :]):04d}"


def _in_register(digest: str) -> Psychologist | None:
    return Psychologist.objects.filter(personal_code_digest=digest).first() if digest else None


# --- The board's meetings, applications and examinations --------------------------------------------------------


@transaction.atomic
def meeting_record(*, actor, number: str, date: dt.date, agenda: str, remote: bool = False) -> BoardMeeting:
    """Record a meeting of the Psychologist Certification Board that took place (its number, date and agenda)."""
    _require(actor)
    errors = {}
    if date > timezone.localdate():
        errors["date"] = _("The meeting date cannot be in the future.")
    if BoardMeeting.objects.filter(number=(number or "").strip()).exists():
        errors["number"] = _("A meeting with this number is already recorded.")
    if not (agenda or "").strip():
        errors["agenda"] = _("Enter the meeting's agenda.")
    if errors:
        raise ValidationError(errors)
    meeting = BoardMeeting(number=number.strip(), date=date, agenda=agenda.strip(), remote=remote)
    meeting.full_clean()
    meeting.save()
    audit_log(
        actor=actor,
        action="psychologists.meeting",
        target=meeting,
        data={"number": meeting.number, "date": date, "remote": remote},
    )
    return meeting


@transaction.atomic
def application_receive(
    *,
    actor,
    kind: str,
    received_on: dt.date,
    first_name: str = "",
    last_name: str = "",
    personal_code: str = "",
    education: str = "",
    psychologist: Psychologist | None = None,
    area: str = "",
    country: str = "",
) -> Application:
    """Record an application received: registration in the register (with the personal code, kept only as a keyed
    hash), a certificate or supervisor rights in an area (a registered psychologist), or the recognition of a
    foreign professional qualification (with the country)."""
    _require(actor)
    errors: dict[str, str] = {}
    if kind not in ApplicationKind.values:
        raise ApplicationError(_("Unknown kind of application."))
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date received cannot be in the future.")
    code = (personal_code or "").strip()
    if code and not personal_code_is_valid(code):
        errors["personal_code"] = _("This is not a valid personal code (11 digits, e.g. 010190-12345).")
    digest = personal_code_digest(code) if code and "personal_code" not in errors else ""
    if kind in (ApplicationKind.CERTIFICATION, ApplicationKind.SUPERVISOR):
        if psychologist is None:
            errors["psychologist"] = _("Choose the psychologist: only a registered psychologist can apply for this.")
        elif psychologist.status != PsychologistStatus.ACTIVE:
            errors["psychologist"] = _("The psychologist's registration is not active.")
        if area not in WorkArea.values:
            errors["area"] = _("Choose the area of professional activity.")
        elif (
            kind == ApplicationKind.SUPERVISOR
            and psychologist is not None
            and not psychologist.certificates.filter(area=area).exists()
        ):
            errors["area"] = _(
                "Supervisor rights are granted only in an area in which the psychologist holds a certificate."
            )
        if psychologist is not None:
            first_name, last_name = psychologist.first_name, psychologist.last_name
            digest = psychologist.personal_code_digest
    else:
        if not (first_name or "").strip():
            errors["first_name"] = _("Enter the applicant's first name.")
        if not (last_name or "").strip():
            errors["last_name"] = _("Enter the applicant's last name.")
    if kind == ApplicationKind.REGISTRATION:
        if not code:
            errors.setdefault("personal_code", _("Enter the applicant's personal code."))
        existing = _in_register(digest)
        if existing is not None:
            errors["personal_code"] = _("This person is already in the register (entry %(number)s).") % {
                "number": existing.registration_number
            }
        elif (
            digest
            and Application.objects.filter(kind=kind, personal_code_digest=digest, decision__isnull=True).exists()
        ):
            errors["personal_code"] = _("This person's registration application is already under consideration.")
    if kind == ApplicationKind.RECOGNITION:
        if not (country or "").strip():
            errors["country"] = _("Enter the country where the qualification was obtained.")
        if psychologist is None and digest:
            psychologist = _in_register(digest)
    if errors:
        raise ValidationError(errors)
    if kind == ApplicationKind.REGISTRATION:
        psychologist = None  # a registration application comes from someone not in the register
    application = Application(
        reference=_next_reference(received_on.year),
        kind=kind,
        received_on=received_on,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        personal_code_digest=digest,
        education=(education or "").strip(),
        psychologist=psychologist,
        area=area if kind in (ApplicationKind.CERTIFICATION, ApplicationKind.SUPERVISOR) else "",
        country=(country or "").strip() if kind == ApplicationKind.RECOGNITION else "",
        recorded_by=actor,
    )
    application.full_clean()
    application.save()
    audit_log(
        actor=actor,
        action="psychologists.application",
        target=application,
        data={"reference": application.reference, "kind": kind, "received_on": received_on},
    )
    return application


@transaction.atomic
def exam_session_record(
    *, actor, date: dt.date, kind: str, mode: str, place: str = "", max_score: int = 100, pass_score: int = 60
) -> ExamSession:
    """Record a sitting of the certification or the supervising psychologist's examination, after it took place."""
    _require(actor)
    errors = {}
    if date > timezone.localdate():
        errors["date"] = _("The examination date cannot be in the future.")
    if kind not in ExamKind.values:
        errors["kind"] = _("Choose the examination.")
    if mode not in ExamMode.values:
        errors["mode"] = _("Choose how the examination was held.")
    if not 0 < pass_score <= max_score:
        errors["pass_score"] = _("The pass mark must be above zero and not above the maximum score.")
    if errors:
        raise ValidationError(errors)
    session = ExamSession(
        date=date, kind=kind, mode=mode, place=(place or "").strip(), max_score=max_score, pass_score=pass_score
    )
    session.full_clean()
    session.save()
    audit_log(
        actor=actor,
        action="psychologists.exam_session",
        target=session,
        data={"date": date, "kind": kind, "mode": mode},
    )
    return session


@transaction.atomic
def exam_result_record(*, actor, session: ExamSession, psychologist: Psychologist, area: str, score: int) -> ExamResult:
    """Record a candidate's score; the result is a pass when the score reaches the session's pass mark."""
    _require(actor)
    errors = {}
    if area not in WorkArea.values:
        errors["area"] = _("Choose the area of professional activity.")
    if score is None or not 0 <= score <= session.max_score:
        errors["score"] = _("The score must be from 0 to %(max)d.") % {"max": session.max_score}
    if psychologist.status != PsychologistStatus.ACTIVE:
        errors["psychologist"] = _("The psychologist's registration is not active.")
    elif psychologist.registered_on > session.date:
        errors["psychologist"] = _("The psychologist was not yet registered on the day of the examination.")
    elif (
        session.kind == ExamKind.SUPERVISOR
        and area in WorkArea.values
        and not psychologist.certificates.filter(area=area).exists()
    ):
        errors["area"] = _(
            "The supervising psychologist's examination is taken in an area in which the "
            "psychologist holds a certificate."
        )
    if ExamResult.objects.filter(session=session, psychologist=psychologist, area=area).exists():
        errors["psychologist"] = _("This candidate's result in this area is already recorded for this session.")
    if errors:
        raise ValidationError(errors)
    result = ExamResult(
        session=session,
        psychologist=psychologist,
        area=area,
        score=score,
        passed=score >= session.pass_score,
        recorded_by=actor,
    )
    result.full_clean()
    result.save()
    audit_log(
        actor=actor,
        action="psychologists.exam_result",
        target=result,
        data={
            "session": session.pk,
            "registration_number": psychologist.registration_number,
            "area": area,
            "score": score,
            "passed": result.passed,
        },
    )
    return result


# --- Decisions --------------------------------------------------------------------------------------------------


def _check_decision(
    data: DecisionInput,
    kind: DecisionKind,
    *,
    meeting: BoardMeeting | None,
    board: bool | None = None,
    psychologist: Psychologist | None = None,
    application: Application | None = None,
) -> dict[str, str]:
    """The checks every decision shares; returns the errors by field (empty: nothing wrong)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if data.date > today:
        errors["date"] = _("The decision date cannot be in the future.")
    if not data.number.strip():
        errors["number"] = _("Enter the decision number.")
    elif Decision.objects.filter(number=data.number.strip()).exists():
        errors["number"] = _("A decision with this number is already recorded.")
    if not data.legal_basis.strip():
        errors["legal_basis"] = _("Enter the legal basis of the decision.")
    board = kind in BOARD_KINDS if board is None else board
    if board:
        if meeting is None:
            errors["meeting"] = _("The board takes this decision at a meeting: choose the meeting.")
        elif meeting.date != data.date and "date" not in errors:
            errors["date"] = _("A decision of the board is dated the day of its meeting (%(date)s).") % {
                "date": date_text(meeting.date)
            }
    elif meeting is not None:
        errors["meeting"] = _("IKVD takes this decision, not the board: leave the meeting empty.")
    if psychologist is not None and data.date < psychologist.registered_on and "date" not in errors:
        errors["date"] = _("The decision date cannot be before the psychologist's registration.")
    if application is not None:
        if not application.is_open:
            errors["application"] = _("This application has already been decided.")
        elif data.date < application.received_on and "date" not in errors:
            errors["date"] = _("The decision date cannot be before the application was received.")
    return errors


def _decision_create(*, actor, data: DecisionInput, kind: DecisionKind, subject_name: str, **fields) -> Decision:
    decision = Decision(
        number=data.number.strip(),
        date=data.date,
        kind=kind,
        legal_basis=data.legal_basis.strip(),
        justification=data.justification.strip(),
        decided_by=actor,
        subject_name=subject_name,
        **fields,
    )
    decision.full_clean()
    decision.save()
    return decision


def _locked_application(application: Application | None) -> Application | None:
    return None if application is None else Application.objects.select_for_update().get(pk=application.pk)


def _locked_psychologist(psychologist: Psychologist) -> Psychologist:
    return Psychologist.objects.select_for_update().get(pk=psychologist.pk)


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def psychologist_register(
    *, actor, decision: DecisionInput, meeting: BoardMeeting, application: Application, registration_number: str = ""
) -> Psychologist:
    """Register the applicant in the register of psychologists (the board's decision on a registration
    application); the entry is active from the decision date."""
    _require(actor)
    application = _locked_application(application)
    errors = _check_decision(decision, DecisionKind.REGISTER, meeting=meeting, application=application)
    if application.kind != ApplicationKind.REGISTRATION:
        errors["application"] = _("Only a registration application leads to registration.")
    existing = _in_register(application.personal_code_digest)
    if existing is not None:
        errors["application"] = _("This person is already in the register (entry %(number)s).") % {
            "number": existing.registration_number
        }
    number = (registration_number or "").strip()
    if number and Psychologist.objects.filter(registration_number=number).exists():
        errors["registration_number"] = _("This registration number is already in the register.")
    _raise(errors)
    with RegisterRevision(actor, decision.number):
        psychologist = Psychologist(
            registration_number=number or _next_number(Psychologist, "registration_number", "P-"),
            first_name=application.first_name,
            last_name=application.last_name,
            search_name=fold(f"{application.first_name} {application.last_name}"),
            personal_code_digest=application.personal_code_digest,
            education=application.education,
            registered_on=decision.date,
            status=PsychologistStatus.ACTIVE,
        )
        psychologist.full_clean()
        psychologist.save()
        d = _decision_create(
            actor=actor,
            data=decision,
            kind=DecisionKind.REGISTER,
            meeting=meeting,
            psychologist=psychologist,
            application=application,
            subject_name=psychologist.full_name,
            changes={
                "registration_number": psychologist.registration_number,
                "status": {"old": None, "new": PsychologistStatus.ACTIVE},
            },
        )
        audit_log(
            actor=actor,
            action="psychologists.register",
            target=psychologist,
            data={"decision": d.number, "date": d.date, "application": application.reference},
        )
    return psychologist


@transaction.atomic
def application_refuse(
    *, actor, decision: DecisionInput, application: Application, meeting: BoardMeeting | None = None
) -> Decision:
    """Refuse an application: the board at a meeting (registration, certificate, supervisor rights), or IKVD (the
    recognition of a foreign qualification). The register does not change."""
    _require(actor)
    application = _locked_application(application)
    board = application.kind != ApplicationKind.RECOGNITION
    errors = _check_decision(decision, DecisionKind.REFUSE, meeting=meeting, board=board, application=application)
    _raise(errors)
    d = _decision_create(
        actor=actor,
        data=decision,
        kind=DecisionKind.REFUSE,
        meeting=meeting,
        psychologist=application.psychologist,
        application=application,
        area=application.area,
        country=application.country,
        subject_name=application.full_name,
        changes={"application": application.reference, "refused": application.kind},
    )
    audit_log(
        actor=actor,
        action="psychologists.refuse",
        target=d,
        data={"decision": d.number, "date": d.date, "application": application.reference, "kind": application.kind},
    )
    return d


@transaction.atomic
def qualification_recognise(*, actor, decision: DecisionInput, application: Application, document: str) -> Decision:
    """Recognise a psychologist's professional qualification obtained abroad (IKVD's decision under Cabinet
    Regulation No. 827; a recognition certificate is issued): the country comes from the application, the
    qualification document is named here."""
    _require(actor)
    application = _locked_application(application)
    errors = _check_decision(decision, DecisionKind.RECOGNISE, meeting=None, application=application)
    if application.kind != ApplicationKind.RECOGNITION:
        errors["application"] = _(
            "Only an application for recognition of a foreign qualification can be answered by recognition."
        )
    if not (document or "").strip():
        errors["document"] = _("Name the qualification document (title, number, date, issuer).")
    _raise(errors)
    d = _decision_create(
        actor=actor,
        data=decision,
        kind=DecisionKind.RECOGNISE,
        application=application,
        psychologist=application.psychologist,
        country=application.country,
        document=document.strip(),
        subject_name=application.full_name,
        changes={"application": application.reference, "country": application.country},
    )
    audit_log(
        actor=actor,
        action="psychologists.recognise",
        target=d,
        data={
            "decision": d.number,
            "date": d.date,
            "application": application.reference,
            "country": application.country,
        },
    )
    return d


def _check_exam(errors: dict[str, str], exam_result: ExamResult, kind: str, data: DecisionInput) -> None:
    if exam_result.session.kind != kind:
        errors["exam_result"] = (
            _("Choose a result of the certification examination.")
            if kind == ExamKind.CERTIFICATION
            else _("Choose a result of the supervising psychologist's examination.")
        )
    elif not exam_result.passed:
        errors["exam_result"] = _("The examination was not passed.")
    elif hasattr(exam_result, "decision"):
        errors["exam_result"] = _("A decision on this examination result is already recorded.")
    elif exam_result.session.date > data.date and "date" not in errors:
        errors["date"] = _("The decision date cannot be before the examination.")


def _check_application_for(
    errors: dict[str, str], application: Application | None, kind: str, psychologist: Psychologist, area: str
) -> None:
    if application is not None and (
        application.kind != kind or application.psychologist_id != psychologist.pk or application.area != area
    ):
        errors["application"] = _("The application is not this psychologist's application for this area.")


def _active(errors: dict[str, str], psychologist: Psychologist) -> None:
    if psychologist.status != PsychologistStatus.ACTIVE:
        errors["psychologist"] = _("The psychologist's registration is not active.")


@transaction.atomic
def certificate_issue(
    *,
    actor,
    decision: DecisionInput,
    meeting: BoardMeeting,
    exam_result: ExamResult,
    number: str = "",
    application: Application | None = None,
) -> Certificate:
    """Certify a psychologist in an area after a passed certification examination (the board's decision): the
    certificate is valid for five years from the decision date."""
    _require(actor)
    application = _locked_application(application)
    psychologist = _locked_psychologist(exam_result.psychologist)
    errors = _check_decision(
        decision, DecisionKind.CERTIFY, meeting=meeting, psychologist=psychologist, application=application
    )
    _active(errors, psychologist)
    _check_exam(errors, exam_result, ExamKind.CERTIFICATION, decision)
    _check_application_for(errors, application, ApplicationKind.CERTIFICATION, psychologist, exam_result.area)
    if psychologist.certificates.filter(area=exam_result.area).exists():
        errors.setdefault(
            "exam_result", _("The psychologist already holds a certificate in this area: renew it instead.")
        )
    number = (number or "").strip()
    if number and Certificate.objects.filter(number=number).exists():
        errors["certificate_number"] = _("This certificate number is already used.")
    _raise(errors)
    valid_until = add_years(decision.date, CERTIFICATE_YEARS)
    with RegisterRevision(actor, decision.number):
        certificate = Certificate(
            psychologist=psychologist,
            area=exam_result.area,
            issued_on=decision.date,
            number=number or _next_number(Certificate, "number", "S-"),
            valid_until=valid_until,
        )
        certificate.full_clean()
        certificate.save()
        d = _decision_create(
            actor=actor,
            data=decision,
            kind=DecisionKind.CERTIFY,
            meeting=meeting,
            psychologist=psychologist,
            certificate=certificate,
            exam_result=exam_result,
            application=application,
            area=certificate.area,
            valid_until=valid_until,
            subject_name=psychologist.full_name,
            changes={
                "certificate": certificate.number,
                "area": certificate.area,
                "valid_until": valid_until.isoformat(),
                "score": exam_result.score,
            },
        )
        audit_log(
            actor=actor,
            action="psychologists.certify",
            target=certificate,
            data={"decision": d.number, "date": d.date, "area": certificate.area},
        )
    return certificate


@transaction.atomic
def certificate_renew(
    *,
    actor,
    decision: DecisionInput,
    meeting: BoardMeeting,
    certificate: Certificate,
    application: Application | None = None,
) -> Decision:
    """Renew a certificate for five more years (from its end, or from the decision date if it had ended)."""
    _require(actor)
    application = _locked_application(application)
    certificate = Certificate.objects.select_for_update().select_related("psychologist").get(pk=certificate.pk)
    psychologist = certificate.psychologist
    errors = _check_decision(
        decision, DecisionKind.RENEW, meeting=meeting, psychologist=psychologist, application=application
    )
    _active(errors, psychologist)
    _check_application_for(errors, application, ApplicationKind.CERTIFICATION, psychologist, certificate.area)
    if decision.date < certificate.issued_on and "date" not in errors:
        errors["date"] = _("The decision date cannot be before the certificate was issued.")
    _raise(errors)
    old = certificate.valid_until
    valid_until = add_years(max(old, decision.date), CERTIFICATE_YEARS)
    with RegisterRevision(actor, decision.number):
        certificate.valid_until = valid_until
        certificate.full_clean()
        certificate.save(update_fields=["valid_until", "updated_at"])
        d = _decision_create(
            actor=actor,
            data=decision,
            kind=DecisionKind.RENEW,
            meeting=meeting,
            psychologist=psychologist,
            certificate=certificate,
            application=application,
            area=certificate.area,
            valid_until=valid_until,
            subject_name=psychologist.full_name,
            changes={"valid_until": {"old": old.isoformat(), "new": valid_until.isoformat()}},
        )
        audit_log(
            actor=actor,
            action="psychologists.renew",
            target=certificate,
            data={"decision": d.number, "date": d.date, "valid_until": valid_until},
        )
    return d


@transaction.atomic
def supervisor_rights_grant(
    *,
    actor,
    decision: DecisionInput,
    meeting: BoardMeeting,
    exam_result: ExamResult,
    application: Application | None = None,
) -> Certificate:
    """Grant the supervising psychologist's rights in an area after a passed supervisor examination: in an area
    of a valid certificate, in at most two areas, for the certificate's term."""
    _require(actor)
    application = _locked_application(application)
    psychologist = _locked_psychologist(exam_result.psychologist)
    errors = _check_decision(
        decision, DecisionKind.GRANT_SUPERVISOR, meeting=meeting, psychologist=psychologist, application=application
    )
    _active(errors, psychologist)
    _check_exam(errors, exam_result, ExamKind.SUPERVISOR, decision)
    _check_application_for(errors, application, ApplicationKind.SUPERVISOR, psychologist, exam_result.area)
    certificate = psychologist.certificates.select_for_update().filter(area=exam_result.area).first()
    if "exam_result" in errors:
        pass
    elif certificate is None or not certificate.is_valid_on(decision.date):
        errors["exam_result"] = _("The psychologist holds no valid certificate in this area.")
    elif certificate.supervisor:
        errors["exam_result"] = _("The psychologist already has supervisor rights in this area.")
    elif psychologist.certificates.filter(supervisor=True).count() >= MAX_SUPERVISOR_AREAS:
        errors["exam_result"] = _("Supervisor rights are granted in at most two areas.")
    _raise(errors)
    with RegisterRevision(actor, decision.number):
        certificate.supervisor, certificate.supervisor_since = True, decision.date
        certificate.save(update_fields=["supervisor", "supervisor_since", "updated_at"])
        d = _decision_create(
            actor=actor,
            data=decision,
            kind=DecisionKind.GRANT_SUPERVISOR,
            meeting=meeting,
            psychologist=psychologist,
            certificate=certificate,
            exam_result=exam_result,
            application=application,
            area=certificate.area,
            subject_name=psychologist.full_name,
            changes={"supervisor": {"old": False, "new": True}, "area": certificate.area},
        )
        audit_log(
            actor=actor,
            action="psychologists.supervisor_grant",
            target=certificate,
            data={"decision": d.number, "date": d.date, "area": certificate.area},
        )
    return certificate


@transaction.atomic
def supervisor_rights_withdraw(
    *, actor, decision: DecisionInput, meeting: BoardMeeting, certificate: Certificate
) -> Decision:
    """Withdraw the supervising psychologist's rights in a certificate's area."""
    _require(actor)
    certificate = Certificate.objects.select_for_update().select_related("psychologist").get(pk=certificate.pk)
    errors = _check_decision(
        decision, DecisionKind.WITHDRAW_SUPERVISOR, meeting=meeting, psychologist=certificate.psychologist
    )
    if not certificate.supervisor:
        errors["certificate"] = _("The psychologist has no supervisor rights in this area.")
    _raise(errors)
    with RegisterRevision(actor, decision.number):
        certificate.supervisor, certificate.supervisor_since = False, None
        certificate.save(update_fields=["supervisor", "supervisor_since", "updated_at"])
        d = _decision_create(
            actor=actor,
            data=decision,
            kind=DecisionKind.WITHDRAW_SUPERVISOR,
            meeting=meeting,
            psychologist=certificate.psychologist,
            certificate=certificate,
            area=certificate.area,
            subject_name=certificate.psychologist.full_name,
            changes={"supervisor": {"old": True, "new": False}, "area": certificate.area},
        )
        audit_log(
            actor=actor,
            action="psychologists.supervisor_withdraw",
            target=certificate,
            data={"decision": d.number, "date": d.date, "area": certificate.area},
        )
    return d


@transaction.atomic
def psychologist_status_change(
    *, actor, decision: DecisionInput, meeting: BoardMeeting, psychologist: Psychologist, kind: DecisionKind
) -> Decision:
    """Suspend a psychologist's activity, restore it, or cancel the registration (the board's decision)."""
    _require(actor)
    if kind not in STATUS_CHANGES:
        raise ApplicationError(_("Not a decision on the psychologist's status."))
    psychologist = _locked_psychologist(psychologist)
    errors = _check_decision(decision, kind, meeting=meeting, psychologist=psychologist)
    allowed_from, new = STATUS_CHANGES[kind]
    if psychologist.status not in allowed_from:
        errors["kind"] = {
            DecisionKind.SUSPEND: _("Only an active psychologist's activity can be suspended."),
            DecisionKind.RESTORE: _("Only a suspended psychologist's activity can be restored."),
            DecisionKind.CANCEL: _("This registration is already cancelled."),
        }[kind]
    elif psychologist.status_changed_on and decision.date < psychologist.status_changed_on and "date" not in errors:
        errors["date"] = _("The decision date cannot be before the last change of the psychologist's status.")
    _raise(errors)
    old = psychologist.status
    with RegisterRevision(actor, decision.number):
        psychologist.status, psychologist.status_changed_on = new, decision.date
        psychologist.save(update_fields=["status", "status_changed_on", "updated_at"])
        d = _decision_create(
            actor=actor,
            data=decision,
            kind=kind,
            meeting=meeting,
            psychologist=psychologist,
            subject_name=psychologist.full_name,
            changes={"status": {"old": old, "new": new}},
        )
        audit_log(
            actor=actor,
            action="psychologists.status",
            target=psychologist,
            data={"decision": d.number, "date": d.date, "kind": kind, "old": old, "new": new},
        )
    return d
