"""Report runs and municipal narratives (see the modules that use them)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikms.core.models import BaseModel
from ikms.registry.models import Municipality


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
