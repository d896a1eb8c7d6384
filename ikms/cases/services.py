"""Writes of the case core (ADR 0022). Each service is atomic, checks what it must, cleans before saving and writes
its audit event in the same transaction. Bad input (a file too big or of the wrong type, a date in the future, an
extension without a reason, a letter or a document in a closed case) raises a ValidationError or ApplicationError
with a message in the active language, and nothing is written: no row, no event, no file.

`case_file_open`, `case_file_close` and `deadline_start` are called by a domain service (accreditation's
`case_apply`, say) inside its own transaction, after it has checked the actor's permission for its step; the
others are called from the core's pages and check the permission themselves."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.cases import permissions
from ikms.cases.choices import Direction
from ikms.cases.deadlines import Extension, StatutoryDeadline
from ikms.cases.deadlines import rule as deadline_rule
from ikms.cases.files import FILE_TYPES, CheckedFile, check_upload
from ikms.cases.letters import LETTERS, compose, letter_pdf
from ikms.cases.models import Attachment, CaseFile, Deadline, DeadlineExtension, Team, attachment_path
from ikms.cases.storage import private_storage
from ikms.cases.types import case_type
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError


def _case_audit(actor, case_file: CaseFile, action: str, target=None, data: dict | None = None) -> None:
    audit_log(
        actor=actor,
        action=f"cases.{action}",
        target=target or case_file,
        data={"case_file": case_file.pk, "kind": case_file.kind, **(data or {})},
        institution_id=case_file.institution_id,
    )


def _refuse_closed(case_file: CaseFile) -> CaseFile:
    """The case file as it stands now (locked for this transaction); an ApplicationError when it is closed."""
    case_file = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    if case_file.is_closed:
        raise ApplicationError(_("This case is closed, so nothing more can be added to it or sent from it."))
    return case_file


def _refuse_future(day: dt.date | None, field: str, today: dt.date) -> None:
    if day is not None and day > today:
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- case files ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_file_open(
    *, actor, kind: str, subject: str, opened_on: dt.date, institution=None, assignee=None, team: Team | None = None
) -> CaseFile:
    """Open the core of a new case of a registered type (called by the domain service that opens the case)."""
    if case_type(kind) is None:
        raise ValidationError({"kind": _("Unknown case type.")})
    _refuse_future(opened_on, "opened_on", timezone.localdate())
    case_file = CaseFile(
        kind=kind, subject=subject[:300], opened_on=opened_on, institution=institution, assignee=assignee, team=team
    )
    case_file.full_clean()
    case_file.save()
    _case_audit(actor, case_file, "open", data={"subject": case_file.subject})
    return case_file


@transaction.atomic
def case_file_close(*, actor, case_file: CaseFile, closed_on: dt.date | None = None) -> CaseFile:
    """Close a case (called by the domain service whose step ends it); its open deadlines are met that day."""
    case_file = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    if case_file.is_closed:
        return case_file
    case_file.closed_on = max(closed_on or timezone.localdate(), case_file.opened_on)
    case_file.full_clean()
    case_file.save(update_fields=["closed_on", "updated_at"])
    met = list(case_file.deadlines.filter(met_on__isnull=True).values_list("pk", flat=True))
    case_file.deadlines.filter(pk__in=met).update(met_on=case_file.closed_on, updated_at=timezone.now())
    _case_audit(actor, case_file, "close", data={"closed_on": case_file.closed_on, "deadlines_met": met})
    return case_file


@transaction.atomic
def case_file_assign(*, actor, case_file: CaseFile, assignee=None, team: Team | None = None) -> CaseFile:
    """Put a case on a person's and/or a team's queue; the person must be able to see the case."""
    if not permissions.can_manage_case_file(actor, case_file):
        raise PermissionDeniedError(_("You may not assign this case."))
    case_file = _refuse_closed(case_file)
    if assignee is not None and not permissions.can_view_case_file(assignee, case_file):
        raise ValidationError(
            {"assignee": _("%(user)s cannot see this case, so it cannot be assigned to them.") % {"user": assignee}}
        )
    old = {"assignee": case_file.assignee_id, "team": case_file.team_id}
    case_file.assignee, case_file.team = assignee, team
    case_file.full_clean()
    case_file.save(update_fields=["assignee", "team", "updated_at"])
    _case_audit(
        actor,
        case_file,
        "assign",
        data={"from": old, "to": {"assignee": case_file.assignee_id, "team": case_file.team_id}},
    )
    return case_file


# --- deadlines ----------------------------------------------------------------------------------------------


def statutory(deadline: Deadline) -> StatutoryDeadline:
    """A stored deadline as the deadline object (rule, start, regime, its extensions as recorded)."""
    found = deadline_rule(deadline.rule)
    return StatutoryDeadline(
        rule=found,
        starts_on=deadline.starts_on,
        decided_on=deadline.statutory_due_on if found.regime(deadline.regime).decided else None,
        extensions=tuple(
            Extension(due_on=e.due_on, reason=e.reason, by=e.extended_by, at=e.extended_at)
            for e in deadline.extensions.order_by("extended_at", "id")
        ),
    )


@transaction.atomic
def deadline_start(
    *, actor, case_file: CaseFile, rule: str, starts_on: dt.date, due_on: dt.date | None = None
) -> Deadline:
    """Start counting a statutory deadline of a case from a day (not in the future) under that day's regime; under
    a regime whose decision sets the day (an order's deadline in an inspection act), `due_on` is that day."""
    case_file = _refuse_closed(case_file)
    counted = StatutoryDeadline.start(rule, starts_on, today=timezone.localdate(), due_on=due_on)
    deadline = Deadline(
        case_file=case_file,
        rule=rule,
        regime=counted.regime.code,
        starts_on=starts_on,
        statutory_due_on=counted.statutory_due_on,
        due_on=counted.due_on,
    )
    deadline.full_clean()
    deadline.save()
    _case_audit(
        actor,
        case_file,
        "deadline_start",
        deadline,
        {"rule": rule, "regime": deadline.regime, "starts_on": starts_on, "due_on": deadline.due_on},
    )
    return deadline


@transaction.atomic
def deadline_extend(*, actor, deadline: Deadline, due_on: dt.date | None, reason: str) -> DeadlineExtension:
    """Move an open deadline to a later working day, with the reason (required) and within the law's limit."""
    deadline = Deadline.objects.select_for_update().select_related("case_file").get(pk=deadline.pk)
    if not permissions.can_extend_deadline(actor, deadline):
        raise PermissionDeniedError(_("You may not extend the deadlines of this case."))
    _refuse_closed(deadline.case_file)
    if deadline.met_on is not None:
        raise ApplicationError(_("This deadline is met already; there is nothing to extend."))
    now = timezone.now()
    extended = statutory(deadline).extend(due_on=due_on, reason=reason, by=actor, at=now)
    ext = DeadlineExtension(
        deadline=deadline,
        previous_due_on=deadline.due_on,
        due_on=extended.due_on,
        reason=extended.extensions[-1].reason,
        extended_by=actor,
        extended_at=now,
    )
    ext.full_clean()
    ext.save()
    deadline.due_on, deadline.reminded_on = extended.due_on, None
    deadline.save(update_fields=["due_on", "reminded_on", "updated_at"])
    _case_audit(
        actor,
        deadline.case_file,
        "deadline_extend",
        deadline,
        {"rule": deadline.rule, "from": ext.previous_due_on, "to": ext.due_on, "reason": ext.reason},
    )
    domain = case_type(deadline.case_file.kind)
    if domain is not None and domain.on_extend is not None:
        domain.on_extend(actor=actor, deadline=deadline, extension=ext)
    return ext


@transaction.atomic
def deadline_meet(*, actor, deadline: Deadline, met_on: dt.date | None = None) -> Deadline:
    """Record that the step a deadline counts to is done (called by the domain service whose step it is)."""
    deadline = Deadline.objects.select_for_update().select_related("case_file").get(pk=deadline.pk)
    if deadline.met_on is not None:
        return deadline
    today = timezone.localdate()
    met_on = met_on or today
    _refuse_future(met_on, "met_on", today)
    deadline.met_on = max(met_on, deadline.starts_on)
    deadline.save(update_fields=["met_on", "updated_at"])
    _case_audit(
        actor,
        deadline.case_file,
        "deadline_meet",
        deadline,
        {"rule": deadline.rule, "met_on": deadline.met_on, "due_on": deadline.due_on},
    )
    return deadline


# --- documents ----------------------------------------------------------------------------------------------


def _store(
    *, actor, case_file: CaseFile, checked: CheckedFile, title: str, direction: str, dated_on: dt.date
) -> Attachment:
    """The document's row, under a new random name in the case's folder (the file is written by `_write`)."""
    attachment = Attachment(
        case_file=case_file,
        name=checked.name,
        file_type=checked.type.code,
        media_type=checked.type.media_type,
        size=checked.size,
        sha256=checked.sha256,
        title=title.strip()[:300],
        direction=direction,
        dated_on=dated_on,
        uploaded_by=actor,
    )
    attachment.file.name = attachment_path(attachment, checked.name)
    attachment.full_clean()
    attachment.save()
    return attachment


def _write(attachment: Attachment, content: bytes) -> None:
    """Write the file, the service's last step: if writing fails, the transaction rolls back and no row is left;
    a half-written file is removed."""
    storage = private_storage()
    try:
        saved = storage.save(attachment.file.name, ContentFile(content))
    except Exception:
        storage.delete(attachment.file.name)
        raise
    if saved != attachment.file.name:  # never expected: the name is random
        storage.delete(saved)
        raise ApplicationError(_("The document could not be stored; try again."))


@transaction.atomic
def attachment_add(
    *, actor, case_file: CaseFile, upload, title: str, dated_on: dt.date | None, direction: str = Direction.RECEIVED
) -> Attachment:
    """Add an uploaded document to an open case: an accepted type, its content what its name says, within the size
    limit, dated no later than today."""
    if not permissions.can_add_document(actor, case_file):
        raise PermissionDeniedError(_("You may not add documents to this case."))
    case_file = _refuse_closed(case_file)
    errors: dict[str, list] = {}
    if not (title or "").strip():
        errors["title"] = [_("Enter what the document is, for example “Complaint of 3 March”.")]
    if dated_on is None:
        errors["dated_on"] = [_("Enter the date of the document, for example 27 3 2025")]
    elif dated_on > timezone.localdate():
        errors["dated_on"] = [_("The date cannot be in the future.")]
    if direction not in Direction.values:
        errors["direction"] = [_("Unknown kind of document.")]
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    attachment = _store(
        actor=actor, case_file=case_file, checked=checked, title=title, direction=direction, dated_on=dated_on
    )
    _case_audit(
        actor,
        case_file,
        "attachment_add",
        attachment,
        {"name": attachment.name, "type": attachment.file_type, "size": attachment.size, "sha256": attachment.sha256},
    )
    _write(attachment, checked.content)
    return attachment


@transaction.atomic
def attachment_download(*, actor, attachment: Attachment):
    """Open a document for its download and record who downloaded it (every download is audited)."""
    if not permissions.can_download_attachment(actor, attachment):
        raise PermissionDeniedError(_("You may not open this document."))
    handle = private_storage().open(attachment.file.name, "rb")
    _case_audit(
        actor,
        attachment.case_file,
        "attachment_download",
        attachment,
        {"name": attachment.name, "sha256": attachment.sha256},
    )
    return handle


# --- letters ------------------------------------------------------------------------------------------------


@transaction.atomic
def letter_issue(
    *, actor, case_file: CaseFile, template: str, addressee: str, text: str = "", deadline: Deadline | None = None
) -> Attachment:
    """Write a letter of the case from a template as a PDF (Latvian) and keep it among the case's documents as sent."""
    if not permissions.can_manage_case_file(actor, case_file):
        raise PermissionDeniedError(_("You may not send letters in this case."))
    case_file = _refuse_closed(case_file)
    letter_template = LETTERS.get(template)
    errors: dict[str, str] = {}
    if letter_template is None:
        errors["template"] = _("Choose a kind of letter.")
    if not (addressee or "").strip():
        errors["addressee"] = _("Enter the addressee: a name and an address.")
    if letter_template is not None and letter_template.needs_deadline and deadline is None:
        errors["deadline"] = _("Choose the deadline the letter is about.")
    if letter_template is not None and letter_template.needs_text and not (text or "").strip():
        errors["text"] = _("Write the answer.") if letter_template.code == "reply" else _("Write the letter's text.")
    if deadline is not None and deadline.case_file_id != case_file.pk:
        errors["deadline"] = _("Choose a deadline of this case.")
    if errors:
        raise ValidationError(errors)
    assert letter_template is not None
    today = timezone.localdate()
    sent = case_file.attachments.filter(direction=Direction.SENT).count()
    number = f"IKVD/{case_file.pk}/{sent + 1}"
    extension = deadline.extensions.order_by("-extended_at", "-id").first() if deadline is not None else None
    open_deadline = deadline or case_file.deadlines.filter(met_on__isnull=True).order_by("due_on").first()
    letter = compose(
        letter_template,
        number=number,
        dated_on=today,
        addressee=addressee,
        context={
            "case_file": case_file,
            "deadline": open_deadline,
            "extension": extension,
            "text": (text or "").strip(),
        },
        signatory=actor.get_full_name() or actor.get_username(),
    )
    content = letter_pdf(letter)
    pdf = FILE_TYPES["pdf"]
    checked = CheckedFile(
        name=f"{letter.title} {number.replace('/', '-')}.pdf",
        type=pdf,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment = _store(
        actor=actor, case_file=case_file, checked=checked, title=letter.title, direction=Direction.SENT, dated_on=today
    )
    _case_audit(
        actor,
        case_file,
        "letter_issue",
        attachment,
        {"template": template, "number": number, "sha256": attachment.sha256},
    )
    _write(attachment, content)
    return attachment
