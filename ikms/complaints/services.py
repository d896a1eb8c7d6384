"""Writes of complaints, consultations and the satisfaction survey. Each service is atomic, checks the actor's
permission and the input before it writes, and records its audit event in the same transaction; bad input (a date
in the future, an unknown topic, an extension without a reason, a reply to a closed complaint) raises a
ValidationError or ApplicationError with a message in the active language, and nothing is written.

The statutory deadlines are the case core's (`ikms.cases`, ADR 0022): the answer deadline starts on the day
received under that day's regime of the Law on Submissions, the forwarding deadline likewise; nothing is counted
here. Audit events never carry the submitter's identity."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.complaints.topics import topic_codes
from ikms.cases import services as case_services
from ikms.cases.models import Deadline
from ikms.complaints import mail, permissions
from ikms.complaints.case_type import KIND
from ikms.complaints.choices import (
    REFERRED,
    Audience,
    Channel,
    ConsultationChannel,
    Outcome,
    SubmitterType,
)
from ikms.complaints.models import Complaint, Consultation, SurveyInvitation
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.personal_codes import personal_code_digest

ANSWER_RULE = "submission_answer"
FORWARD_RULE = "submission_forward"


def _complaint_audit(actor, complaint: Complaint, action: str, data: dict | None = None) -> None:
    audit_log(
        actor=actor,
        action=f"complaints.{action}",
        target=complaint,
        data={"reference": complaint.reference, **(data or {})},
        institution_id=complaint.case_file.institution_id,
    )


def _require_work(actor) -> None:
    if not permissions.can_work(actor):
        raise PermissionDeniedError(_("Only supervision staff may do this."))


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("case_file").get(pk=complaint.pk)


def _refuse_closed(complaint: Complaint) -> None:
    if complaint.case_file.is_closed:
        raise ApplicationError(_("This complaint is closed; nothing can be changed or sent in it."))


@functools.cache
def _topic_codes() -> frozenset[str]:
    return frozenset(topic_codes())


def _check_topics(topics: Iterable[str]) -> list[str]:
    topics = list(dict.fromkeys(topics or []))
    unknown = [t for t in topics if t not in _topic_codes()]
    if unknown:
        raise ValidationError({"topics": _("Unknown topic: %(topic)s.") % {"topic": ", ".join(unknown)}})
    return topics


def _next_reference(year: int) -> str:
    prefix = f"S-{year}-"
    last = (
        Complaint.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def answer_deadline(complaint: Complaint) -> Deadline | None:
    return complaint.case_file.deadlines.filter(rule=ANSWER_RULE).order_by("id").first()


@transaction.atomic
def complaint_register(
    *,
    actor,
    channel: str,
    submitter_type: str,
    text: str,
    received_on: dt.date | None,
    institutions: Iterable = (),
    topics: Iterable[str] = (),
    anonymous: bool = False,
    submitter_name: str = "",
    submitter_contact: str = "",
    personal_code: str = "",
    assignee=None,
    public: bool = False,
) -> Complaint:
    """Register a complaint and start its answer deadline under the regime of the day received. `public`: it came
    through the portal form (no signed-in actor; the channel is the portal's)."""
    if not public:
        _require_work(actor)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the complaint was received.")
    if submitter_type not in SubmitterType.values:
        errors["submitter_type"] = _("Choose who the submitter is.")
    if not (text or "").strip():
        errors["text"] = _("Enter the content of the complaint.")
    if received_on is None:
        errors["received_on"] = _("Enter the date received, for example 27 3 2025")
    elif received_on > today:
        errors["received_on"] = _("The date received cannot be in the future.")
    try:
        topics = _check_topics(topics)
    except ValidationError as exc:
        errors["topics"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    institutions = list(institutions)
    assert received_on is not None
    reference = _next_reference(received_on.year)
    case_file = case_services.case_file_open(
        actor=actor,
        kind=KIND,
        subject=_("Complaint %(reference)s") % {"reference": reference},
        opened_on=received_on,
        institution=institutions[0] if institutions else None,
        assignee=assignee,
    )
    deadline = case_services.deadline_start(actor=actor, case_file=case_file, rule=ANSWER_RULE, starts_on=received_on)
    complaint = Complaint(
        case_file=case_file,
        reference=reference,
        channel=channel,
        submitter_type=submitter_type,
        anonymous=bool(anonymous),
        submitter_name=(submitter_name or "").strip()[:200],
        submitter_contact=(submitter_contact or "").strip()[:300],
        personal_code_digest=personal_code_digest(personal_code),
        topics=topics,
        text=text.strip(),
        received_on=received_on,
        regime=deadline.regime,
    )
    complaint.full_clean()
    complaint.save()
    if institutions:
        complaint.institutions.set(institutions)
    _complaint_audit(
        actor,
        complaint,
        "register",
        {"channel": channel, "submitter_type": submitter_type, "regime": deadline.regime, "due_on": deadline.due_on},
    )
    return complaint


@transaction.atomic
def complaint_set_topics(*, actor, complaint: Complaint, topics: Iterable[str]) -> Complaint:
    """The inspector confirms or changes the topics (a suggestion is never stored as a label by itself)."""
    _require_work(actor)
    complaint = _locked(complaint)
    _refuse_closed(complaint)
    complaint.topics = _check_topics(topics)
    complaint.save(update_fields=["topics", "updated_at"])
    _complaint_audit(actor, complaint, "topics", {"topics": complaint.topics})
    return complaint


@transaction.atomic
def complaint_extend(*, actor, complaint: Complaint, due_on: dt.date | None, reason: str):
    """Extend the answer deadline (within the law's limit, with a reason): the case core checks both."""
    _require_work(actor)
    complaint = _locked(complaint)
    _refuse_closed(complaint)
    deadline = answer_deadline(complaint)
    if deadline is None:
        raise ApplicationError(_("This complaint has no answer deadline to extend."))
    return case_services.deadline_extend(actor=actor, deadline=deadline, due_on=due_on, reason=reason)


def notify_extension(*, actor, deadline: Deadline, extension) -> None:
    """The case core's hook when a complaint's deadline is extended (from the complaint or the case page): the
    answer deadline's extension is notified to the submitter, as the Law on Submissions requires: a notice
    letter (kept among the case's documents) and, when the contact is an e-mail address, an e-mail with it."""
    if deadline.rule != ANSWER_RULE:
        return
    complaint = Complaint.objects.get(case_file_id=deadline.case_file_id)
    addressee = ", ".join(p for p in (complaint.submitter_name, complaint.submitter_contact) if p.strip())
    letter = case_services.letter_issue(
        actor=actor,
        case_file=complaint.case_file,
        template="extension",
        addressee=addressee or _("To the submitter"),
        deadline=deadline,
    )
    emailed = mail.send_extension_notice(complaint, deadline, letter)
    _complaint_audit(actor, complaint, "extension_notice", {"letter": letter.pk, "emailed": emailed})


@transaction.atomic
def complaint_forward(
    *,
    actor,
    complaint: Complaint,
    founder=None,
    other_authority: str = "",
    forwarded_on: dt.date | None = None,
    summary: str = "",
) -> Complaint:
    """Forward the complaint to the founder (who then sees it and answers in the system) or to another authority;
    the forwarding deadline is counted from the day received, and met on the day forwarded."""
    _require_work(actor)
    complaint = _locked(complaint)
    _refuse_closed(complaint)
    today = timezone.localdate()
    forwarded_on = forwarded_on or today
    other_authority = (other_authority or "").strip()
    if (founder is None) == (not other_authority):
        raise ValidationError({"founder": _("Choose either the founder or another authority to forward to.")})
    if forwarded_on > today:
        raise ValidationError({"forwarded_on": _("The date cannot be in the future.")})
    if founder is not None and not (summary or "").strip():
        raise ValidationError(
            {"summary": _("Write what the founder is asked to examine, without the submitter's identity.")}
        )
    if forwarded_on < complaint.received_on:
        raise ValidationError({"forwarded_on": _("A complaint cannot be forwarded before it was received.")})
    deadline = case_services.deadline_start(
        actor=actor, case_file=complaint.case_file, rule=FORWARD_RULE, starts_on=complaint.received_on
    )
    case_services.deadline_meet(actor=actor, deadline=deadline, met_on=forwarded_on)
    complaint.founder = founder
    complaint.other_authority = other_authority[:300]
    complaint.forwarded_summary = (summary or "").strip()
    complaint.forwarded_on = forwarded_on
    complaint.outcome = Outcome.REFERRED_FOUNDER if founder is not None else Outcome.REFERRED_OTHER
    complaint.outcome_on = forwarded_on
    complaint.full_clean()
    complaint.save()
    _complaint_audit(
        actor,
        complaint,
        "forward",
        {
            "founder": founder.pk if founder else None,
            "other_authority": complaint.other_authority,
            "forwarded_on": forwarded_on,
            "due_on": deadline.due_on,
        },
    )
    return complaint


@transaction.atomic
def complaint_record_outcome(*, actor, complaint: Complaint, outcome: str, on: dt.date | None = None) -> Complaint:
    """Record the outcome of the examination (forwarding is recorded by `complaint_forward`)."""
    _require_work(actor)
    complaint = _locked(complaint)
    _refuse_closed(complaint)
    today = timezone.localdate()
    on = on or today
    if outcome not in Outcome.values or outcome in REFERRED:
        raise ValidationError({"outcome": _("Choose the outcome of the examination.")})
    if on > today:
        raise ValidationError({"outcome_on": _("The date cannot be in the future.")})
    complaint.outcome, complaint.outcome_on = outcome, max(on, complaint.received_on)
    complaint.save(update_fields=["outcome", "outcome_on", "updated_at"])
    _complaint_audit(actor, complaint, "outcome", {"outcome": outcome})
    return complaint


@transaction.atomic
def complaint_reply(*, actor, complaint: Complaint, text: str, addressee: str = ""):
    """Send the reply: a letter PDF from the case core's reply template, kept among the documents; the answer
    deadline is met. A closed complaint takes no reply."""
    _require_work(actor)
    complaint = _locked(complaint)
    _refuse_closed(complaint)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the answer.")})
    addressee = (addressee or "").strip() or complaint.submitter_name or _("To the submitter")
    letter = case_services.letter_issue(
        actor=actor, case_file=complaint.case_file, template="reply", addressee=addressee, text=text
    )
    today = timezone.localdate()
    complaint.reply_text, complaint.replied_on = text.strip(), today
    complaint.save(update_fields=["reply_text", "replied_on", "updated_at"])
    deadline = answer_deadline(complaint)
    if deadline is not None:
        case_services.deadline_meet(actor=actor, deadline=deadline, met_on=today)
    _complaint_audit(actor, complaint, "reply", {"letter": letter.pk})
    return letter


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint, closed_on: dt.date | None = None) -> Complaint:
    """Close an examined complaint (it needs an outcome); a satisfaction survey is sent when there is a contact."""
    _require_work(actor)
    complaint = _locked(complaint)
    _refuse_closed(complaint)
    if not complaint.outcome:
        raise ValidationError({"outcome": _("Record the outcome before closing the complaint.")})
    today = timezone.localdate()
    closed_on = closed_on or today
    if closed_on > today:
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})
    complaint.case_file = case_services.case_file_close(actor=actor, case_file=complaint.case_file, closed_on=closed_on)
    _complaint_audit(actor, complaint, "close", {"outcome": complaint.outcome, "closed_on": closed_on})
    if complaint.submitter_contact:
        survey_send(actor=actor, complaint=complaint, sent_on=closed_on)
    return complaint


@transaction.atomic
def complaint_founder_answer(*, actor, complaint: Complaint, text: str) -> Complaint:
    """The founder the complaint was forwarded to answers it in the system."""
    complaint = _locked(complaint)
    if not permissions.can_answer_as_founder(actor, complaint):
        _refuse_closed(complaint)
        raise PermissionDeniedError(_("You may not answer this complaint."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the answer.")})
    complaint.founder_answer, complaint.founder_answered_on = text.strip(), timezone.localdate()
    complaint.save(update_fields=["founder_answer", "founder_answered_on", "updated_at"])
    _complaint_audit(actor, complaint, "founder_answer")
    return complaint


@transaction.atomic
def complaint_note_appeal(*, actor, complaint: Complaint, note: str) -> Complaint:
    """Note that the answer was appealed (to the court or the head of IKVD); allowed after closing too."""
    _require_work(actor)
    complaint = _locked(complaint)
    if not (note or "").strip():
        raise ValidationError({"appeal_note": _("Describe the appeal.")})
    complaint.appeal_note = note.strip()
    complaint.save(update_fields=["appeal_note", "updated_at"])
    _complaint_audit(actor, complaint, "appeal")
    return complaint


# --- consultations and the survey ---------------------------------------------------------------------------


@transaction.atomic
def consultation_log(
    *,
    actor,
    given_on: dt.date | None,
    topic: str,
    audience: str,
    channel: str,
    duration_minutes: int | None,
    note: str = "",
    contact: str = "",
) -> Consultation:
    _require_work(actor)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if given_on is None:
        errors["given_on"] = _("Enter the date, for example 27 3 2025")
    elif given_on > today:
        errors["given_on"] = _("The date cannot be in the future.")
    if topic not in _topic_codes():
        errors["topic"] = _("Choose the topic.")
    if audience not in Audience.values:
        errors["audience"] = _("Choose who was consulted.")
    if channel not in ConsultationChannel.values:
        errors["channel"] = _("Choose how the consultation was given.")
    if not duration_minutes or duration_minutes <= 0 or duration_minutes > 600:
        errors["duration_minutes"] = _("Enter the duration in minutes, from 1 to 600.")
    if errors:
        raise ValidationError(errors)
    consultation = Consultation(
        given_on=given_on,
        topic=topic,
        audience=audience,
        channel=channel,
        duration_minutes=duration_minutes,
        note=(note or "").strip()[:500],
        contact=(contact or "").strip()[:300],
        given_by=actor,
    )
    consultation.full_clean()
    consultation.save()
    audit_log(
        actor=actor,
        action="complaints.consultation",
        target=consultation,
        data={"topic": topic, "audience": audience, "channel": channel, "minutes": duration_minutes},
    )
    if consultation.contact:
        survey_send(actor=actor, consultation=consultation, sent_on=given_on)
    return consultation


@transaction.atomic
def survey_send(
    *,
    actor,
    complaint: Complaint | None = None,
    consultation: Consultation | None = None,
    sent_on: dt.date | None = None,
) -> SurveyInvitation:
    """Create the survey link for a closed complaint or a consultation; it is e-mailed when the contact is an
    e-mail address (complaints.mail), otherwise shown on the complaint's page for the letter."""
    if complaint is not None and not complaint.case_file.is_closed:
        raise ApplicationError(_("A survey is sent only after the complaint is closed."))
    invitation = SurveyInvitation(
        token=secrets.token_urlsafe(24),
        complaint=complaint,
        consultation=consultation,
        sent_on=sent_on or timezone.localdate(),
    )
    invitation.full_clean()
    invitation.save()
    emailed = mail.send_survey(invitation)
    audit_log(
        actor=actor,
        action="complaints.survey_send",
        target=invitation,
        data={
            "complaint": complaint.pk if complaint else None,
            "consultation": consultation.pk if consultation else None,
            "emailed": emailed,
        },
    )
    return invitation


@transaction.atomic
def survey_answer(*, token: str, score: int | None, comment: str = "", answered_on: dt.date | None = None):
    invitation = SurveyInvitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise ApplicationError(_("This survey link is not valid."))
    if invitation.answered_on is not None:
        raise ApplicationError(_("This survey has been answered already. Thank you!"))
    if score is None or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose how satisfied you are, from 1 to 5.")})
    invitation.score, invitation.comment = score, (comment or "").strip()[:2000]
    invitation.answered_on = answered_on or timezone.localdate()
    invitation.save(update_fields=["score", "comment", "answered_on", "updated_at"])
    audit_log(actor=None, action="complaints.survey_answer", target=invitation, data={"score": score})
    return invitation
