"""The register of psychologists (Psihologu reģistrs) and the Psychologist Certification Board (Psihologu
sertifikācijas padome), whose secretariat IKVD is.

* `Psychologist`: a register entry. The personal code is never stored, only its keyed hash
  (`ikms.core.personal_codes`), to find a person already in the register; it is never shown or exported.
* `Certificate`: a psychologist's certificate in one area of professional activity, valid for five years
  (renewable), with the supervising psychologist's rights in that area when granted.
* `BoardMeeting`, `ExamSession` / `ExamResult`, `Application`: the board's meetings, the certification and
  supervisor examinations, and the applications the board (or IKVD) decides.
* `Decision`: the only way an entry comes into being or changes (ADR 0010), written by `services.py` with its
  audit event and row history.

What the public sees is listed once, in `selectors.PUBLIC_FIELDS`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.core.formatting import date_text
from ikms.core.models import BaseModel
from ikms.psychologists.choices import (
    DECISION_EVENTS,
    ApplicationKind,
    DecisionKind,
    ExamKind,
    ExamMode,
    PsychologistStatus,
    WorkArea,
)


class BoardMeeting(BaseModel):
    """A meeting (sēde) of the Psychologist Certification Board: its decisions are dated the day of the meeting."""

    number = models.CharField(_("meeting number"), max_length=20, unique=True)
    date = models.DateField(_("meeting date"), db_index=True)
    agenda = models.TextField(_("agenda"))
    remote = models.BooleanField(_("held remotely"), default=False)

    class Meta:
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.number} ({date_text(self.date)})"


class Psychologist(BaseModel):
    """An entry of the register of psychologists."""

    registration_number = models.CharField(_("registration number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    #: The name folded for search (lower case, no diacritics); never shown.
    search_name = models.CharField(max_length=210, editable=False, db_index=True)
    personal_code_digest = models.CharField(_("personal code (keyed hash)"), max_length=64, db_index=True)
    education = models.TextField(
        _("education"), blank=True, help_text=_("Institution, programme, degree and qualification")
    )
    registered_on = models.DateField(_("registered on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PsychologistStatus.choices, default=PsychologistStatus.ACTIVE, db_index=True
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("psychologist")
        verbose_name_plural = _("psychologists")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_code_digest"],
                condition=~Q(personal_code_digest=""),
                name="psychologist_one_entry_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.registration_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Certificate(BaseModel):
    """A psychologist's certificate in one area of professional activity."""

    psychologist = models.ForeignKey(
        Psychologist, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("psychologist")
    )
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    area = models.CharField(_("area of professional activity"), max_length=20, choices=WorkArea.choices)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    supervisor = models.BooleanField(_("supervising psychologist's rights"), default=False)
    supervisor_since = models.DateField(_("supervising psychologist since"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["psychologist_id", "area"]
        constraints = [
            models.UniqueConstraint(fields=["psychologist", "area"], name="certificate_one_per_area"),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("issued_on")), name="certificate_valid_period"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_area_display()})"

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day <= self.valid_until


class ExamSession(BaseModel):
    """A sitting of the certification or the supervising psychologist's examination."""

    date = models.DateField(_("examination date"), db_index=True)
    kind = models.CharField(_("examination"), max_length=20, choices=ExamKind.choices)
    mode = models.CharField(_("held"), max_length=20, choices=ExamMode.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100)
    pass_score = models.PositiveSmallIntegerField(_("pass mark"), default=60)

    class Meta:
        verbose_name = _("examination session")
        verbose_name_plural = _("examination sessions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_score__gt=0) & Q(pass_score__lte=models.F("max_score")),
                name="exam_pass_score_within_maximum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {date_text(self.date)}"


class ExamResult(BaseModel):
    """One candidate's result in one area at an examination session; passed when the score reaches the pass mark."""

    session = models.ForeignKey(
        ExamSession, on_delete=models.PROTECT, related_name="results", verbose_name=_("examination session")
    )
    psychologist = models.ForeignKey(
        Psychologist, on_delete=models.PROTECT, related_name="exam_results", verbose_name=_("psychologist")
    )
    area = models.CharField(_("area of professional activity"), max_length=20, choices=WorkArea.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("examination result")
        verbose_name_plural = _("examination results")
        ordering = ["session", "psychologist__last_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "psychologist", "area"], name="exam_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.psychologist.full_name}: {self.session} ({self.score})"


class Application(BaseModel):
    """An application to the board or IKVD: registration, a certificate, supervisor rights, or the recognition of
    a foreign qualification. It is open until a decision answers it (`decision`)."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    kind = models.CharField(_("application"), max_length=20, choices=ApplicationKind.choices, db_index=True)
    received_on = models.DateField(_("received on"), db_index=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    personal_code_digest = models.CharField(_("personal code (keyed hash)"), max_length=64, blank=True)
    education = models.TextField(_("education"), blank=True)
    #: The applicant's register entry (certificate and supervisor applications; a registered person's recognition).
    psychologist = models.ForeignKey(
        Psychologist,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("psychologist"),
    )
    area = models.CharField(_("area of professional activity"), max_length=20, choices=WorkArea.choices, blank=True)
    country = models.CharField(_("country where the qualification was obtained"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_open(self) -> bool:
        return not hasattr(self, "decision")


class Decision(BaseModel):
    """A decision of the board (at a meeting) or of IKVD: the only way the register changes."""

    number = models.CharField(_("decision number"), max_length=40, unique=True)
    date = models.DateField(_("decision date"), db_index=True)
    kind = models.CharField(_("decision"), max_length=30, choices=DecisionKind.choices, db_index=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    justification = models.TextField(_("justification"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="psychologist_decisions",
        verbose_name=_("recorded by"),
    )
    meeting = models.ForeignKey(
        BoardMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("board meeting"),
    )
    psychologist = models.ForeignKey(
        Psychologist,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("psychologist"),
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("application"),
    )
    certificate = models.ForeignKey(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("certificate"),
    )
    exam_result = models.OneToOneField(
        ExamResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("examination result"),
    )
    area = models.CharField(_("area of professional activity"), max_length=20, choices=WorkArea.choices, blank=True)
    #: The certificate's term this decision set (issue, renewal): the register's state on any day is read from it.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    document = models.CharField(_("qualification document"), max_length=255, blank=True)
    subject_name = models.CharField(_("subject"), max_length=210)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("psychologist register decision")
        verbose_name_plural = _("psychologist register decisions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="psych_decision_kind_date")]

    def __str__(self) -> str:
        return f"{self.number} ({date_text(self.date)}) {self.get_kind_display()}"

    @property
    def event_label(self) -> str:
        return str(DECISION_EVENTS.get(self.kind, self.get_kind_display()))
