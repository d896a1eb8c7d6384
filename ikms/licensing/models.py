"""Programme licensing applications (issue 14 item 1): an institution's head or founder applies for a licence for
a programme (an institution-authored programme; model programmes need no application) or for an amendment of one;
IKVD checks it, sends deficiencies back with a deadline, and decides. The decision itself is the register's
(`ikms.registry.services`: a licence, an amendment or a refusal, each a recorded `Decision`). Each application is
a case of the shared case core (ADR 0022): documents, the decision deadline, the deficiency deadlines, letters
and the work queue come from its `case_file`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ikms.cases.models import CaseFile, Deadline
from ikms.core.models import BaseModel
from ikms.licensing.choices import ApplicationKind, ApplicationState
from ikms.registry.choices import ProgrammeForm
from ikms.registry.models import Decision, Institution, Programme
from ikms.registry.validators import programme_type_for, validate_programme_code

VOCATIONAL_LEVELS = ("vocational", "vocational_orientation", "continuing_vocational", "professional_development")


class LicenceApplication(BaseModel):
    case_file = models.OneToOneField(
        CaseFile, on_delete=models.PROTECT, related_name="licence_application", verbose_name=_("case file")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="licence_applications", verbose_name=_("institution")
    )
    kind = models.CharField(_("application for"), max_length=10, choices=ApplicationKind.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED, db_index=True
    )
    #: The licensed programme an amendment changes; after a licence, the programme licensed.
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="licence_applications",
        verbose_name=_("licensed programme"),
    )
    code = models.CharField(_("programme code"), max_length=8, validators=[validate_programme_code])
    name = models.CharField(_("programme name"), max_length=255)
    form = models.CharField(_("form"), max_length=20, choices=ProgrammeForm.choices)
    #: Places of implementation: [{"address": ..., "municipality": <code>}]
    places = models.JSONField(_("places of implementation"), default=list)
    note = models.TextField(_("what the application asks"), blank=True)
    submitted_on = models.DateField(_("submitted on"), db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    #: What IKVD checked: {item: {"result": CheckResult, "note": str}}
    checks = models.JSONField(_("checks"), default=dict, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("decision")
    )
    closing_reason = models.TextField(_("reason for refusal or withdrawal"), blank=True)

    class Meta:
        verbose_name = _("licensing application")
        verbose_name_plural = _("licensing applications")
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.institution})"

    @property
    def is_open(self) -> bool:
        from ikms.licensing.choices import OPEN_STATES

        return self.state in OPEN_STATES

    @property
    def is_vocational(self) -> bool:
        """A vocational programme (its classification level), for which teachers and occupational standards are
        checked too."""
        row = programme_type_for(self.code)
        return bool(row) and row["level"] in VOCATIONAL_LEVELS


class Deficiency(BaseModel):
    """A round of deficiencies sent back to the applicant, with the deadline to remedy them, and the answer."""

    application = models.ForeignKey(
        LicenceApplication, on_delete=models.CASCADE, related_name="deficiencies", verbose_name=_("application")
    )
    text = models.TextField(_("deficiencies"))
    sent_on = models.DateField(_("sent on"))
    deadline = models.OneToOneField(
        Deadline, on_delete=models.PROTECT, related_name="licensing_deficiency", verbose_name=_("deadline")
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deficiency round")
        verbose_name_plural = _("deficiency rounds")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]
