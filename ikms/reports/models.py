"""Report runs and municipal narratives (see the modules that use them).

* `ReportRun`: one request to make a report of a kind with some parameters in a language, made in the background
  (`ikms.reports.tasks`, ADR 0023): its status and progress while it is made, and where its outputs are kept
  (under `IKMS_PRIVATE_MEDIA_ROOT`/reports/, never served publicly). A finished run is the cache of its inputs: a
  request with the same kind, inputs (`inputs_key`) and language is given the finished run at once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikms.core.models import BaseModel
from ikms.registry.models import Municipality


class ReportRun(BaseModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind of report"), max_length=40, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    #: the cache key: the kind, the data snapshot, the spec versions, the parameters and the language, hashed
    inputs_key = models.CharField(_("inputs key"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    #: format ("html", "pdf", "xlsx", "docx") -> the file's name in the private storage
    outputs = models.JSONField(_("outputs"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "inputs_key", "language", "status"], name="reports_run_cache")]

    def __str__(self) -> str:
        return f"{self.kind} {self.inputs_key[:8]} ({self.language})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class NarrativeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("narrative status", "Draft")
    PUBLISHED = "published", pgettext_lazy("narrative status", "Published")


class Narrative(BaseModel):
    """One saved version of a municipality's text for one section of its education-quality report (Education Law
    art. 18) over a period of school years. Append-only: each save is a new row with the next version number; the
    latest draft and the latest published version are read from the history, and the report prints the latest
    published one."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="report_narratives",
                                     verbose_name=_("municipality"))
    period = models.CharField(_("school years"), max_length=60, help_text=_("The report's school years, e.g. "
                                                                             "2021/2022–2024/2025."))
    section = models.CharField(_("section"), max_length=30)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=NarrativeStatus.choices)
    text = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_narratives",
                               verbose_name=_("author"))

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        ordering = ["municipality", "period", "section", "-version"]
        constraints = [models.UniqueConstraint(fields=["municipality", "period", "section", "version"],
                                               name="narrative_version_unique")]

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.period} {self.section} v{self.version}"
