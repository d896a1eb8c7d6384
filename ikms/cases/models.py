"""The shared case core (ADR 0022): a `CaseFile` row that each domain case points to (accreditation's cases today,
complaints and inspections next), with its documents, statutory deadlines and their extensions, and the
assignee and team that put it on a work queue. The domain case keeps its own workflow (ADR 0003); the core keeps
what every case has."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.cases.choices import Direction
from ikms.cases.deadlines import rules
from ikms.cases.storage import private_storage
from ikms.core.models import BaseModel, BilingualNameMixin
from ikms.registry.models import Institution


class Team(BilingualNameMixin, BaseModel):
    """A group of staff who share a work queue (e.g. IKVD's complaints unit); kept in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="case_teams", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name_lv"]


class CaseFile(BaseModel):
    """The core of one case of any type (`kind`: a registered case type, ikms.cases.types): what it is about, who
    works on it, when it opened and closed. A closed case takes no more documents, letters or extensions."""

    kind = models.CharField(_("case type"), max_length=40, db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_files",
        verbose_name=_("institution"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_case_files",
        verbose_name=_("assigned to"),
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="case_files", verbose_name=_("team")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["assignee", "closed_on"], name="casefile_assignee_open"),
            models.Index(fields=["team", "closed_on"], name="casefile_team_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="casefile_closed_after",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Deadline(BaseModel):
    """A statutory deadline of a case (ikms.cases.deadlines): its rule, the start and the regime of that date, the
    day the law gives and the day it falls due now (after extensions); `met_on` once the step is done."""

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("case file")
    )
    rule = models.CharField(_("deadline"), max_length=40)
    regime = models.CharField(_("regime"), max_length=40)
    starts_on = models.DateField(_("counted from"))
    statutory_due_on = models.DateField(_("due by law"))
    due_on = models.DateField(_("due on"), db_index=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("statutory_due_on")), name="deadline_not_shorter"),
            models.CheckConstraint(
                condition=Q(statutory_due_on__gt=models.F("starts_on")), name="deadline_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.due_on:%d.%m.%Y}"

    @property
    def label(self) -> str:
        found = rules().get(self.rule)
        return found.label if found else self.rule

    @property
    def is_open(self) -> bool:
        return self.met_on is None


class DeadlineExtension(BaseModel):
    """A deadline moved to a later day: the reason is required, who and when are recorded."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("deadline")
    )
    previous_due_on = models.DateField(_("was due on"))
    due_on = models.DateField(_("now due on"))
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deadline_extensions",
        verbose_name=_("extended by"),
    )
    extended_at = models.DateTimeField(_("extended at"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["extended_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
            models.CheckConstraint(condition=Q(due_on__gt=models.F("previous_due_on")), name="extension_is_later"),
        ]

    def __str__(self) -> str:
        return f"{self.previous_due_on:%d.%m.%Y} → {self.due_on:%d.%m.%Y}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Stored under the case's folder by a random name: the original name is kept in the row only."""
    return f"cases/{instance.case_file_id}/{uuid.uuid4().hex}"


class Attachment(BaseModel):
    """A document of a case: an upload (checked: an accepted type, its content what its name claims, not too
    big) or a letter the case sent. Kept in the private storage; served only by the download view."""

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case file")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=10)
    media_type = models.CharField(_("media type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.RECEIVED)
    dated_on = models.DateField(_("document date"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_attachments", verbose_name=_("added by")
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["-dated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.name})"
