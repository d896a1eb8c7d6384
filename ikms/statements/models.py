"""Statements of a person's education history for other authorities (for example the Office of Citizenship and
Migration Affairs, for a naturalisation): an authority asks (`StatementRequest`), IKVD looks the person up in the
monitoring data (the lake's enrolments and graduates, by the pseudonymous learner id) and issues a `Statement` with a
reference number per year (IKVD-IZZ-2026/0001) and a PDF in Latvian.

The personal code is never stored: the request keeps only its keyed hash (ikms.core.personal_codes), and the code
typed in is used once, to compute the lake's pseudonym, and dropped. What was found is kept with the request
(`found`), and what was issued is frozen in the statement (`content` and the PDF): opening a statement later shows
what was issued, not a new look-up."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ikms.core.models import BaseModel

#: The statements' reference numbers: IKVD-IZZ-<year>/<number of the year, four digits>.
REFERENCE_PREFIX = "IKVD-IZZ"


class StatementRequest(BaseModel):
    """An authority's request for a person's education history, as the officer recorded it, and what the
    monitoring data held on the person when it was recorded."""

    authority = models.CharField(_("requesting authority"), max_length=300)
    authority_reference = models.CharField(_("authority's reference number"), max_length=100)
    authority_date = models.DateField(_("date of the request"))
    received_on = models.DateField(_("received on"), db_index=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    person_name = models.CharField(_("name of the person"), max_length=200)
    personal_code_digest = models.CharField(_("personal code (keyed hash)"), max_length=64, db_index=True)
    #: The education history found (institutions, programmes, dates, graduations, the school years covered).
    found = models.JSONField(_("education history found"), default=dict)
    looked_up_at = models.DateTimeField(_("looked up at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("request for an education history statement")
        verbose_name_plural = _("requests for education history statements")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        issued = getattr(self, "statement", None)
        return issued.reference if issued is not None else str(_("Request no. %(pk)s") % {"pk": self.pk})


class Statement(BaseModel):
    """The statement as issued: its reference number, date, the frozen content and the PDF sent."""

    request = models.OneToOneField(
        StatementRequest, on_delete=models.PROTECT, related_name="statement", verbose_name=_("request")
    )
    reference = models.CharField(_("reference number"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number in the year"))
    issued_on = models.DateField(_("issued on"), db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    #: Everything the statement says, as issued (the request, the history, the coverage, the signatory).
    content = models.JSONField(_("content as issued"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)

    class Meta:
        verbose_name = _("education history statement")
        verbose_name_plural = _("education history statements")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="statement_number_per_year")]

    def __str__(self) -> str:
        return self.reference


class ReferenceSequence(models.Model):
    """The last statement number of a year (locked while a statement is issued, so numbers never repeat)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("statement number sequence")
        verbose_name_plural = _("statement number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
