"""The Person Assessment Commission (Personu izvērtēšanas komisija): whether a person once convicted of an intentional
crime, whose conviction is spent or lifted, may work as a teacher (Education Law Art. 50(1)(1), Cabinet Regulation
No. 414 of 3 September 2019). An `Application` is a case type of the shared case core (ADR 0022: its documents and
the decision deadline); the commission meets (`Meeting`) and decides (`Decision`: a permit, a permit limited to
target groups, a refusal, or the annulment of an earlier permit); members may record their `Opinion` first.

Strictly restricted (`permissions`): only the commission's members and its secretary see any of it, and every read
is recorded in the `ReadLog`, which IKVD's data protection officer reads. Nothing here points to the institution
register (the employer is the applicant's own words), so nothing that follows an institution (the dossier, the
register's event log) can reach it. The personal code is kept only as a keyed hash."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.cases.models import CaseFile
from ikms.convictions.choices import DecisionKind, ReadKind
from ikms.core.models import BaseModel


class Application(BaseModel):
    """A person's application for a permit to work as a teacher, as the applicant states it (the minimum)."""

    case_file = models.OneToOneField(
        CaseFile, on_delete=models.PROTECT, related_name="conviction_application", verbose_name=_("case file")
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    received_on = models.DateField(_("received on"), db_index=True)
    person_name = models.CharField(_("name of the person"), max_length=200)
    personal_code_digest = models.CharField(_("personal code (keyed hash)"), max_length=64, db_index=True)
    intended_work = models.CharField(_("intended work"), max_length=300)
    employer = models.CharField(_("employer or institution"), max_length=300, blank=True)
    conviction_article = models.CharField(_("article of the conviction"), max_length=200)
    conviction_date = models.CharField(_("date of the conviction as stated"), max_length=40, blank=True)
    #: The application's answer (a permit, a limited permit, a refusal) and, after an annulment, "annulment".
    outcome = models.CharField(_("outcome"), max_length=20, choices=DecisionKind.choices, blank=True, db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("spent-conviction application")
        verbose_name_plural = _("spent-conviction applications")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return not self.outcome


class Meeting(BaseModel):
    """A meeting of the commission: its number, date and the members present."""

    number = models.CharField(_("meeting number"), max_length=20, unique=True)
    held_on = models.DateField(_("held on"), db_index=True)
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="conviction_meetings", verbose_name=_("members present")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("commission meeting")
        verbose_name_plural = _("commission meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Decision(BaseModel):
    """A decision taken at a meeting, with its number, date, legal basis and justification. A permit limited to
    target groups names them; an annulment names the permit it annuls (of the same application)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("application")
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting"))
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices, db_index=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    number = models.CharField(_("decision number"), max_length=40, unique=True)
    date = models.DateField(_("decision date"), db_index=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    justification = models.TextField(_("justification"))
    annuls = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annulled_by",
        verbose_name=_("annuls the permit"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("commission decision")
        verbose_name_plural = _("commission decisions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=DecisionKind.ANNULMENT, annuls__isnull=False)
                | (~Q(kind=DecisionKind.ANNULMENT) & Q(annuls__isnull=True)),
                name="conviction_decision_annuls_only_when_annulment",
            ),
            models.CheckConstraint(condition=~Q(legal_basis=""), name="conviction_decision_has_legal_basis"),
            models.CheckConstraint(condition=~Q(justification=""), name="conviction_decision_has_justification"),
        ]

    def __str__(self) -> str:
        return self.number


class Opinion(BaseModel):
    """A commission member's opinion on an application waiting for a decision (one per member, which they may
    change until the decision)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("application")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    position = models.CharField(_("opinion"), max_length=20, choices=DecisionKind.choices)
    note = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("member's opinion")
        verbose_name_plural = _("members' opinions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="conviction_opinion_once_per_member"),
            models.CheckConstraint(
                condition=~Q(position=DecisionKind.ANNULMENT), name="conviction_opinion_answers_the_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.member}"


class ReadLog(models.Model):
    """One read of the commission's records: who, when, which page or file and which records it showed. Written by
    `services.read_record` on every page, export and download that shows a record; never changed or deleted."""

    at = models.DateTimeField(_("time"), db_index=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    kind = models.CharField(_("what was read"), max_length=20, choices=ReadKind.choices)
    path = models.CharField(_("address"), max_length=300, blank=True)
    applications = models.ManyToManyField(
        Application, blank=True, related_name="reads", verbose_name=_("applications shown")
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="reads", verbose_name=_("meeting")
    )
    rows = models.PositiveIntegerField(_("records shown"), default=0)

    class Meta:
        verbose_name = _("read of a spent-conviction record")
        verbose_name_plural = _("reads of spent-conviction records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["reader", "at"], name="conviction_read_reader_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
