"""E-mails to a complaint's submitter or a consulted person, when their contact is an e-mail address: the notice
that the answer deadline is extended (with the notice letter attached; the Law on Submissions requires the notice)
and the link to the satisfaction survey. Sent after the transaction commits, in Latvian and English, and not
while notifications are suppressed (the demo generator). A contact that is not an e-mail address (a postal
address, a telephone number) gets no e-mail: the letter is in the case's documents for post, and the survey link
is on the complaint's page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ikms.registry.tasks import notifications_enabled


def email_address(contact: str) -> str | None:
    """The contact when it is one e-mail address, else None."""
    contact = (contact or "").strip()
    try:
        validate_email(contact)
    except ValidationError:
        return None
    return contact


def _bilingual(template: str, subject: str, context: dict) -> tuple[str, str]:
    subjects, parts = [], []
    for language in ("lv", "en"):
        with translation.override(language):
            subjects.append(_(subject))
            parts.append(render_to_string(template, context).strip())
    return " / ".join(subjects), "\n\n----------\n\n".join(parts)


def _send(to: str, subject: str, body: str, attachment=None) -> None:
    message = EmailMessage(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [to])
    if attachment is not None:
        with attachment.file.open("rb") as handle:
            message.attach(attachment.name, handle.read(), attachment.media_type)
    message.send()


def survey_link(invitation) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("portal:survey", kwargs={"token": invitation.token})
    return settings.IKMS_SITE_URL.rstrip("/") + path


def send_survey(invitation) -> bool:
    """E-mail the survey link to the complaint's submitter or the consulted person; False when there is no e-mail
    address to send it to (or notifications are suppressed)."""
    subject = invitation.complaint if invitation.complaint_id else invitation.consultation
    to = email_address(subject.submitter_contact if invitation.complaint_id else subject.contact)
    if to is None or not notifications_enabled():
        return False
    mail_subject, body = _bilingual(
        "complaints/mail/survey.txt",
        "How satisfied are you with IKVD's work?",
        {"link": survey_link(invitation), "complaint": invitation.complaint},
    )
    transaction.on_commit(lambda: _send(to, mail_subject, body))
    return True


def send_extension_notice(complaint, deadline, letter) -> bool:
    """E-mail the submitter that the answer deadline is extended, with the notice letter (a PDF) attached."""
    to = email_address(complaint.submitter_contact)
    if to is None or not notifications_enabled():
        return False
    mail_subject, body = _bilingual(
        "complaints/mail/extension.txt",
        "The answer to your submission will take longer",
        {"complaint": complaint, "deadline": deadline},
    )
    transaction.on_commit(lambda: _send(to, mail_subject, body, letter))
    return True
