"""The register of teacher private-practice certificates (Pedagogu privātprakses uzsākšanas sertifikātu uzskaites
reģistrs, MK 25.10.2016 Nr. 682): the teachers (name, and the personal code only as a keyed hash), their
certificates for interest or non-formal adult education, and the decisions that issue, extend and annul them. A
certificate changes only through a recorded `CertificateDecision` (services.py)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikms.core.formatting import date_text
from ikms.core.models import BaseModel
from ikms.practice.choices import AnnulmentReason, CertificateStatus, DecisionKind, EducationKind, ProgrammeArea


class Teacher(BaseModel):
    """A teacher who holds or held a certificate: found again by the keyed hash of the personal code."""

    name = models.CharField(_("name and surname"), max_length=160)
    personal_code_digest = models.CharField(_("personal code (keyed hash)"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Certificate(BaseModel):
    """A private-practice certificate: for interest or non-formal adult education in a programme area, valid for
    three years from its issue (extended by three years at a time) unless annulled."""

    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    teacher = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("teacher")
    )
    education_kind = models.CharField(_("education"), max_length=20, choices=EducationKind.choices, db_index=True)
    programme_area = models.CharField(_("programme area"), max_length=20, choices=ProgrammeArea.choices)
    programme_name = models.CharField(_("programme"), max_length=255)
    issued_on = models.DateField(_("issued on"), db_index=True)
    valid_until = models.DateField(_("valid until"))
    annulled_on = models.DateField(_("annulled on"), null=True, blank=True)
    annulment_reason = models.CharField(
        _("reason for annulment"), max_length=20, choices=AnnulmentReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("private-practice certificate")
        verbose_name_plural = _("private-practice certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=F("issued_on")), name="practice_certificate_term"),
            models.CheckConstraint(
                condition=Q(annulled_on__isnull=True) | ~Q(annulment_reason=""), name="practice_annulment_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.teacher.name}"

    def status_on(self, day: datetime.date) -> CertificateStatus:
        """The status on a day: annulled, expired or valid."""
        if self.annulled_on is not None and self.annulled_on <= day:
            return CertificateStatus.ANNULLED
        return CertificateStatus.EXPIRED if self.valid_until < day else CertificateStatus.VALID

    @property
    def status(self) -> CertificateStatus:
        return self.status_on(timezone.localdate())


class CertificateDecision(BaseModel):
    """A recorded decision on a certificate: the only way one is issued, extended or annulled."""

    number = models.CharField(_("decision number"), max_length=40, unique=True)
    date = models.DateField(_("decision date"), db_index=True)
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=AnnulmentReason.choices, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    justification = models.TextField(_("justification"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_decisions",
        verbose_name=_("decided by"),
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("certificate")
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("private-practice certificate decision")
        verbose_name_plural = _("private-practice certificate decisions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="practice_decision_kind_date")]

    def __str__(self) -> str:
        return f"{self.number} ({date_text(self.date)}) {self.get_kind_display()}"
