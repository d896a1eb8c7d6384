"""Cross-register checks (issue 14 item 9).

* `CheckRun`: one run of the scheduled checks (`services.checks_run`), with each check's number of findings.
* `Finding`: one thing a check found — the institution (if the check is about one), what is wrong, the evidence in
  Latvian and English, and a link to where it can be seen.
* `OfferListImport` / `OfferLine`: a provider's adult-education programme offer list as imported, and each line with
  the result of its check against the licence and accreditation registers; the totals are recorded as the
  inspections' `ProgrammeCheck` of the offer-list kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ikms.core.models import BaseModel
from ikms.crosschecks.choices import Check, LineResult, Problem
from ikms.inspections.models import ProgrammeCheck
from ikms.registry.models import Institution, Municipality, Programme


class CheckRun(BaseModel):
    """One run of the checks; `counts` holds each check's number of findings."""

    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("started by"),
    )
    counts = models.JSONField(_("findings per check"), default=dict)
    notes = models.JSONField(_("notes per check"), default=dict, blank=True)

    class Meta:
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class Finding(BaseModel):
    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="findings", verbose_name=_("run"))
    kind = models.CharField(_("check"), max_length=20, choices=Check.choices, db_index=True)
    problem = models.CharField(_("what is wrong"), max_length=40, choices=Problem.choices)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("municipality"),
    )
    evidence_lv = models.TextField(_("evidence (Latvian)"))
    evidence_en = models.TextField(_("evidence (English)"))
    link = models.CharField(_("link"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["kind", "municipality__name_lv", "institution__name", "id"]

    def __str__(self) -> str:
        return self.get_problem_display()

    @property
    def evidence(self) -> str:
        return self.evidence_en if (get_language() or "lv").startswith("en") else self.evidence_lv


class OfferListImport(BaseModel):
    """A provider's programme offer list as imported: who, when, which file, and the totals of its lines."""

    provider = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    checked_on = models.DateField(_("checked on"), db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    lines = models.PositiveIntegerField(_("lines checked"))
    mismatches = models.PositiveIntegerField(_("mismatches found"))
    programme_check = models.OneToOneField(
        ProgrammeCheck, on_delete=models.PROTECT, related_name="offer_list_import", verbose_name=_("programme check")
    )

    class Meta:
        verbose_name = _("offer list import")
        verbose_name_plural = _("offer list imports")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return self.file_name


class OfferLine(models.Model):
    """One line of an offer list and the result of its check (rows as a spreadsheet shows them: header is 1)."""

    offer_list = models.ForeignKey(OfferListImport, on_delete=models.CASCADE, related_name="offer_lines")
    row = models.PositiveIntegerField(_("row"))
    provider_number = models.CharField(_("provider's registration number"), max_length=20)
    provider = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    programme_code = models.CharField(_("programme code"), max_length=20)
    programme_name = models.CharField(_("programme name"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=24, choices=LineResult.choices, db_index=True)

    class Meta:
        verbose_name = _("offer list line")
        verbose_name_plural = _("offer list lines")
        ordering = ["offer_list_id", "row"]
        indexes = [models.Index(fields=["provider_number", "result"], name="offerline_provider_result")]

    def __str__(self) -> str:
        return f"{self.provider_number} {self.programme_code}"
