"""Complaints (iesniegumi) to IKVD's supervision department, consultations and the client-satisfaction survey
(issue 13). A complaint is a case type of the shared case core (ADR 0022): its `case_file` carries the documents,
the statutory deadline (the Law on Submissions, by the regime of the day received), extensions and letters.

The submitter's identity (name, contact) is kept plainly but shown only to supervision staff
(`permissions.can_see_identity`); a personal code is never stored, only its keyed hash (to find serial
submitters)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.cases.models import CaseFile
from ikms.complaints.choices import Audience, Channel, ConsultationChannel, Outcome, SubmitterType
from ikms.core.models import BaseModel
from ikms.registry.models import Founder, Institution


class Complaint(BaseModel):
    case_file = models.OneToOneField(
        CaseFile, on_delete=models.PROTECT, related_name="complaint", verbose_name=_("case file")
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    submitter_type = models.CharField(_("submitter"), max_length=20, choices=SubmitterType.choices)
    anonymous = models.BooleanField(_("identity kept confidential"), default=False)
    submitter_name = models.CharField(_("submitter's name"), max_length=200, blank=True)
    submitter_contact = models.CharField(_("submitter's contact"), max_length=300, blank=True)
    personal_code_digest = models.CharField(_("personal code (keyed hash)"), max_length=64, blank=True)
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="complaints", verbose_name=_("institutions concerned")
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    text = models.TextField(_("content"))
    received_on = models.DateField(_("received on"), db_index=True)
    regime = models.CharField(_("regime"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, db_index=True)
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    #: The founder the complaint was forwarded to (named `founder` so the access policy's founder path is the row).
    founder = models.ForeignKey(
        Founder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_complaints",
        verbose_name=_("forwarded to the founder"),
    )
    other_authority = models.CharField(_("forwarded to another authority"), max_length=300, blank=True)
    #: What the founder is asked to examine, written by the inspector without the submitter's identity: the
    #: founder never sees the complaint's own text (it may be signed).
    forwarded_summary = models.TextField(_("summary for the founder"), blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    founder_answer = models.TextField(_("founder's answer"), blank=True)
    founder_answered_on = models.DateField(_("founder answered on"), null=True, blank=True)
    appeal_note = models.TextField(_("appeal"), blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.case_file.is_closed


class Consultation(BaseModel):
    """A consultation given by supervision staff (phone, e-mail, in person, video)."""

    given_on = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=40)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=ConsultationChannel.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    contact = models.CharField(_("contact for the survey"), max_length=300, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("given by")
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-given_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="consultation_duration")]

    def __str__(self) -> str:
        return f"{self.given_on:%d.%m.%Y} {self.topic}"


class SurveyInvitation(BaseModel):
    """A satisfaction survey sent after a closed complaint or a consultation: a token link, answered once."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("complaint")
    )
    consultation = models.ForeignKey(
        Consultation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("consultation"),
    )
    sent_on = models.DateField(_("sent on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint__isnull=False, consultation__isnull=True)
                | Q(complaint__isnull=True, consultation__isnull=False),
                name="survey_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="survey_score_range"
            ),
        ]

    def __str__(self) -> str:
        return self.token[:8]
