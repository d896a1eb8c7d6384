"""Writes of the statements for other authorities. Each service is atomic, checks the actor's permission and the input
before it writes, and records its audit event in the same transaction; bad input (a personal code that is not one,
a date in the future, a request received before it was written, a field left empty) raises a ValidationError with a
message in the active language, and nothing is written.

`request_record` keeps the keyed hash of the personal code (never the code), and looks the person up in the
monitoring data with the code's lake pseudonym; the code goes no further. `statement_issue` numbers the statement
in its year (IKVD-IZZ-2026/0001), freezes what it says and stores its PDF. `statement_read` records every opening of
a request or statement and every download of the PDF. Audit events carry numbers only, never the person's name or
code."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.personal_codes import personal_code_digest, validate_personal_code
from ikms.statements import permissions
from ikms.statements.documents import statement_pdf
from ikms.statements.lookup import find_history
from ikms.statements.models import REFERENCE_PREFIX, ReferenceSequence, Statement, StatementRequest

#: What a request usually cites (the officer may change it): the State Administration Structure Law's duty to
#: give other institutions the information they need, and the Citizenship Law's naturalisation conditions.
LEGAL_BASIS = "Valsts pārvaldes iekārtas likuma 54. pants; Pilsonības likuma 12. pants"
#: What a read opened: a request, its issued statement, or the statement's PDF.
READS = ("request", "statement", "pdf")


def _audit(actor, target, action: str, data: dict | None = None) -> None:
    audit_log(actor=actor, action=f"statements.{action}", target=target, data=data or {})


def _require_issue(actor) -> None:
    if not permissions.can_issue(actor):
        raise PermissionDeniedError(
            _("Only IKVD's registry officers and administrators may record requests and issue statements.")
        )


def _text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


@sensitive_variables("personal_code")  # kept out of error reports
@transaction.atomic
def request_record(
    *,
    actor,
    authority: str,
    authority_reference: str,
    authority_date: dt.date | None,
    received_on: dt.date | None,
    purpose: str,
    legal_basis: str,
    person_name: str,
    personal_code: str,
    lake_root: Path | None = None,
) -> StatementRequest:
    """Record an authority's request and what the monitoring data hold on the person (in the lake at `lake_root`,
    by default settings.IKMS_LAKE_DIR)."""
    _require_issue(actor)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    required = {
        "authority": (
            authority,
            _("Enter the authority that asks, for example the Office of Citizenship and Migration Affairs."),
        ),
        "authority_reference": (authority_reference, _("Enter the number of the authority's request.")),
        "purpose": (purpose, _("Enter what the statement is needed for, for example naturalisation.")),
        "legal_basis": (legal_basis, _("Enter the legal basis on which the authority asks.")),
        "person_name": (person_name, _("Enter the person's name.")),
        "personal_code": (personal_code, _("Enter the person's personal code.")),
    }
    for name, (value, message) in required.items():
        if not (value or "").strip():
            errors[name] = [message]
    if "personal_code" not in errors:
        try:
            validate_personal_code(personal_code)
        except ValidationError as exc:
            errors["personal_code"] = exc.messages
    if authority_date is None:
        errors["authority_date"] = [_("Enter the date of the authority's request.")]
    elif authority_date > today:
        errors["authority_date"] = [_("The date of the request cannot be in the future.")]
    if received_on is None:
        errors["received_on"] = [_("Enter the date the request was received.")]
    elif received_on > today:
        errors["received_on"] = [_("The date received cannot be in the future.")]
    elif authority_date is not None and received_on < authority_date:
        errors["received_on"] = [_("A request cannot be received before the date it was written.")]
    if errors:
        raise ValidationError(errors)
    found = find_history(personal_code, lake_root=lake_root)
    request = StatementRequest(
        authority=_text(authority, 300),
        authority_reference=_text(authority_reference, 100),
        authority_date=authority_date,
        received_on=received_on,
        purpose=_text(purpose, 300),
        legal_basis=_text(legal_basis, 300),
        person_name=_text(person_name, 200),
        personal_code_digest=personal_code_digest(personal_code),
        found=found,
        looked_up_at=timezone.now(),
        recorded_by=actor,
    )
    request.full_clean()
    request.save()
    _audit(
        actor,
        request,
        "request_record",
        {"request": request.pk, "found": bool(found["enrolments"] or found["graduations"])},
    )
    return request


def _next_number(year: int) -> int:
    sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def reference_number(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}/{number:04d}"


@transaction.atomic
def statement_issue(*, actor, request: StatementRequest) -> Statement:
    """Issue the statement of a request: the next number of the year, the content frozen, the PDF stored."""
    _require_issue(actor)
    request = StatementRequest.objects.select_for_update().get(pk=request.pk)
    if Statement.objects.filter(request=request).exists():
        raise ApplicationError(_("The statement of this request has already been issued."))
    history = request.found or {}
    if not history.get("coverage"):
        raise ApplicationError(
            _(
                "The monitoring data hold no school year, so IKMS cannot say whether the person studied anywhere: "
                "no statement can be issued from them."
            )
        )
    issued_on = timezone.localdate()
    number = _next_number(issued_on.year)
    reference = reference_number(issued_on.year, number)
    content = {
        "reference": reference,
        "issued_on": issued_on.isoformat(),
        "authority": request.authority,
        "authority_reference": request.authority_reference,
        "authority_date": request.authority_date.isoformat(),
        "received_on": request.received_on.isoformat(),
        "purpose": request.purpose,
        "legal_basis": request.legal_basis,
        "person_name": request.person_name,
        "looked_up_at": request.looked_up_at.isoformat(),
        "history": history,
        "signatory": actor.get_full_name() or actor.get_username(),
    }
    pdf = statement_pdf(content)
    statement = Statement(
        request=request,
        reference=reference,
        year=issued_on.year,
        number=number,
        issued_on=issued_on,
        issued_by=actor,
        content=content,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    statement.full_clean()
    statement.save()
    _audit(
        actor,
        statement,
        "statement_issue",
        {
            "request": request.pk,
            "reference": reference,
            "sha256": statement.sha256,
            "found": bool(history.get("enrolments") or history.get("graduations")),
        },
    )
    return statement


@transaction.atomic
def statement_read(*, actor, request: StatementRequest, kind: str) -> None:
    """Record that `actor` opened a request ("request"), its issued statement ("statement") or downloaded its PDF
    ("pdf"). Only those who may see the statements read them; anyone else is refused."""
    if not permissions.can_view_statement(actor, request):
        raise PermissionDeniedError(_("You may not see this statement."))
    if kind not in READS:
        raise ValueError(f"unknown kind of read: {kind!r}")
    statement = Statement.objects.filter(request=request).first()
    if kind != "request" and statement is None:
        raise ValueError("the request has no statement yet")
    data: dict = {"request": request.pk}
    if statement is not None:
        data["reference"] = statement.reference
    if kind == "request":
        _audit(actor, request, "request_read", data)
    elif kind == "statement":
        _audit(actor, statement, "statement_read", data)
    else:
        _audit(actor, statement, "statement_download", data)
