"""Writes to the register of teacher private-practice certificates. Every change is a recorded `CertificateDecision`
(number, date, legal basis, justification, who decided) written with its audit events and row history in one
transaction (ikms.registry.services.RegisterRevision): issue a certificate for three years, extend it by three
years, annul it with a reason (MK 682). A decision dated in the future, without its legal basis, justification or
reason is refused with a message, and nothing is written."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.accounts.permissions import require_role
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError
from ikms.core.numbering import next_in_series
from ikms.core.personal_codes import personal_code_digest, validate_personal_code
from ikms.practice import permissions
from ikms.practice.choices import VALIDITY_YEARS, AnnulmentReason, DecisionKind, EducationKind, ProgrammeArea
from ikms.practice.models import Certificate, CertificateDecision, Teacher
from ikms.registry.services import DecisionInput, RegisterRevision


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _check_decision(
    data: DecisionInput, *, kind: DecisionKind, reason: str = "", not_before: datetime.date | None = None
) -> None:
    """Refuse an incomplete decision before anything is written (every message names its field)."""
    errors: dict[str, str] = {}
    number = data.number.strip()
    if not number:
        errors["number"] = _("Enter the decision number.")
    elif CertificateDecision.objects.filter(number=number).exists():
        errors["number"] = _("A decision with this number is already recorded.")
    if data.date > timezone.localdate():
        errors["date"] = _("The decision date cannot be in the future.")
    elif not_before is not None and data.date < not_before:
        errors["date"] = _("The decision date cannot be before the certificate was issued.")
    if not data.legal_basis.strip():
        errors["legal_basis"] = _("Enter the legal basis of the decision.")
    if not data.justification.strip():
        errors["justification"] = _("Enter the justification of the decision.")
    if kind == DecisionKind.ANNUL and reason not in AnnulmentReason.values:
        errors["reason"] = _("Choose the reason for the decision.")
    if errors:
        raise ValidationError(errors)


def _decision_record(
    *,
    actor,
    data: DecisionInput,
    kind: DecisionKind,
    certificate: Certificate,
    reason: str = "",
    changes: dict[str, Any],
) -> CertificateDecision:
    decision = CertificateDecision(
        number=data.number.strip(),
        date=data.date,
        kind=kind,
        reason=reason,
        legal_basis=data.legal_basis.strip(),
        justification=data.justification.strip(),
        decided_by=actor,
        certificate=certificate,
        changes=changes,
    )
    decision.full_clean()
    decision.save()
    audit_log(
        actor=actor,
        action=f"practice.{kind}",
        target=certificate,
        data={"decision": decision.number, "date": decision.date, "reason": reason, "changes": changes},
    )
    audit_log(
        actor=actor, action="practice.decision", target=decision, data={"kind": kind, "certificate": certificate.number}
    )
    return decision


def next_certificate_number(year: int) -> str:
    """The next certificate number of a year: PP-2024-0001, PP-2024-0002, …"""
    return next_in_series(Certificate, "number", f"PP-{year}-", 4)


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().select_related("teacher").get(pk=certificate.pk)


@transaction.atomic
def certificate_issue(
    *,
    actor,
    decision: DecisionInput,
    teacher_name: str,
    personal_code: str,
    education_kind: str,
    programme_area: str,
    programme_name: str,
    number: str = "",
) -> Certificate:
    """Issue a certificate for three years (MK 682 point 2.1). The teacher is found by the keyed hash of the personal
    code (a teacher may hold several certificates, one per programme); a new name replaces the one recorded."""
    require_role(actor, permissions.DECIDE.roles)
    errors: dict[str, Any] = {}
    try:
        _check_decision(decision, kind=DecisionKind.ISSUE)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_personal_code(personal_code)
    except ValidationError as exc:
        errors["personal_code"] = exc.messages
    if not teacher_name.strip():
        errors["teacher_name"] = _("Enter the teacher's name and surname.")
    if education_kind not in EducationKind.values:
        errors["education_kind"] = _("Choose interest or non-formal adult education.")
    if programme_area not in ProgrammeArea.values:
        errors["programme_area"] = _("Choose the programme area.")
    if not programme_name.strip():
        errors["programme_name"] = _("Enter the programme the teacher will teach.")
    number = number.strip()
    if number and Certificate.objects.filter(number=number).exists():
        errors["certificate_number"] = _("This certificate number is already used.")
    if errors:
        raise ValidationError(errors)
    digest = personal_code_digest(personal_code)
    teacher = Teacher.objects.select_for_update().filter(personal_code_digest=digest).first()
    if (
        teacher is not None
        and teacher.certificates.filter(
            annulled_on__isnull=True,
            valid_until__gte=decision.date,
            education_kind=education_kind,
            programme_name__iexact=programme_name.strip(),
        ).exists()
    ):
        raise ApplicationError(
            _("The teacher already holds a valid certificate for this programme; extend it instead.")
        )
    with RegisterRevision(actor, decision.number.strip()):
        changes: dict[str, Any] = {}
        if teacher is None:
            teacher = Teacher(name=teacher_name.strip(), personal_code_digest=digest)
            teacher.full_clean()
            teacher.save()
        elif teacher.name != teacher_name.strip():
            changes["teacher_name"] = {"old": teacher.name, "new": teacher_name.strip()}
            teacher.name = teacher_name.strip()
            teacher.full_clean()
            teacher.save(update_fields=["name", "updated_at"])
        certificate = Certificate(
            number=number or next_certificate_number(decision.date.year),
            teacher=teacher,
            education_kind=education_kind,
            programme_area=programme_area,
            programme_name=programme_name.strip(),
            issued_on=decision.date,
            valid_until=add_years(decision.date, VALIDITY_YEARS),
        )
        certificate.full_clean()
        certificate.save()
        changes["valid_until"] = {"old": None, "new": certificate.valid_until.isoformat()}
        _decision_record(
            actor=actor,
            data=decision,
            kind=DecisionKind.ISSUE,
            certificate=certificate,
            changes={"number": {"old": None, "new": certificate.number}, **changes},
        )
    return certificate


@transaction.atomic
def certificate_extend(*, actor, decision: DecisionInput, certificate: Certificate) -> CertificateDecision:
    """Extend a certificate by three years from the end of its term (MK 682 point 2.3): only one that is neither
    annulled nor expired on the decision date."""
    require_role(actor, permissions.DECIDE.roles)
    certificate = _locked(certificate)
    _check_decision(decision, kind=DecisionKind.EXTEND, not_before=certificate.issued_on)
    if certificate.annulled_on is not None:
        raise ApplicationError(_("An annulled certificate cannot be extended."))
    if certificate.valid_until < decision.date:
        raise ApplicationError(_("An expired certificate cannot be extended; issue a new one."))
    with RegisterRevision(actor, decision.number.strip()):
        old = certificate.valid_until
        certificate.valid_until = add_years(old, VALIDITY_YEARS)
        certificate.full_clean()
        certificate.save(update_fields=["valid_until", "updated_at"])
        return _decision_record(
            actor=actor,
            data=decision,
            kind=DecisionKind.EXTEND,
            certificate=certificate,
            changes={"valid_until": {"old": old.isoformat(), "new": certificate.valid_until.isoformat()}},
        )


@transaction.atomic
def certificate_annul(*, actor, decision: DecisionInput, certificate: Certificate, reason: str) -> CertificateDecision:
    """Annul a valid certificate, with the reason (MK 682 point 2.6; e.g. the State Language Centre found the
    teacher's use of the state language below the required level, point 14.3)."""
    require_role(actor, permissions.DECIDE.roles)
    certificate = _locked(certificate)
    _check_decision(decision, kind=DecisionKind.ANNUL, reason=reason, not_before=certificate.issued_on)
    if certificate.annulled_on is not None:
        raise ApplicationError(_("This certificate is already annulled."))
    if certificate.valid_until < decision.date:
        raise ApplicationError(_("Only a valid certificate can be annulled."))
    with RegisterRevision(actor, decision.number.strip()):
        certificate.annulled_on = decision.date
        certificate.annulment_reason = reason
        certificate.full_clean()
        certificate.save(update_fields=["annulled_on", "annulment_reason", "updated_at"])
        return _decision_record(
            actor=actor,
            data=decision,
            kind=DecisionKind.ANNUL,
            certificate=certificate,
            reason=reason,
            changes={"annulled_on": {"old": None, "new": decision.date.isoformat()}},
        )
