"""Registers kept by IKVD: institutions, licensed programmes, accreditation, and their decisions.

Register entries change only through recorded decisions (see services.py); the admin is read-only.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.core.formatting import date_text
from ikms.core.models import BaseModel, BilingualNameMixin
from ikms.registry.choices import (
    DECISION_EVENTS,
    AccreditationState,
    DecisionKind,
    FounderKind,
    InstitutionStatus,
    InternationalProgramme,
    LicenceStatus,
    MunicipalityKind,
    ProgrammeForm,
)
from ikms.registry.validators import (
    is_special_programme,
    programme_type_for,
    validate_programme_code,
    validate_registration_number,
)


class Municipality(BilingualNameMixin):
    """One of the 43 local governments after the 2021 reform (classifier, loaded by migration)."""

    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("ISO 3166-2:LV code"))
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_lv"]


class InstitutionKind(BilingualNameMixin):
    """VIIS institution kind ("Veids"), e.g. general education institution (classifier)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("institution kind")
        verbose_name_plural = _("institution kinds")
        ordering = ["name_lv"]


class InstitutionType(BilingualNameMixin):
    """VIIS institution type ("Tips"), e.g. secondary school, state gymnasium (classifier)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.ForeignKey(InstitutionKind, on_delete=models.PROTECT, related_name="types",
                             verbose_name=_("kind"))

    class Meta:
        verbose_name = _("institution type")
        verbose_name_plural = _("institution types")
        ordering = ["name_lv"]


class Founder(BaseModel):
    """Who founded an institution: the state, a municipality, or a private legal or natural person."""

    kind = models.CharField(_("kind"), max_length=20, choices=FounderKind.choices)
    name = models.CharField(_("name"), max_length=255)
    registration_code = models.CharField(_("registration code"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="founders",
        verbose_name=_("municipality"),
        help_text=_("For a municipal founder: the municipality it is."),
    )

    class Meta:
        verbose_name = _("founder")
        verbose_name_plural = _("founders")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=FounderKind.MUNICIPALITY) | Q(municipality__isnull=False),
                name="founder_municipal_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Institution(BaseModel):
    """An entry of the register of educational institutions (Izglītības iestāžu reģistrs)."""

    registration_number = models.CharField(
        _("registration number"), max_length=10, unique=True, validators=[validate_registration_number]
    )
    name = models.CharField(_("name"), max_length=255)
    type = models.ForeignKey(InstitutionType, on_delete=models.PROTECT, related_name="institutions",
                             verbose_name=_("type"))
    founder = models.ForeignKey(Founder, on_delete=models.PROTECT, related_name="institutions",
                                verbose_name=_("founder"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="institutions",
                                     verbose_name=_("municipality"))
    address = models.CharField(_("address"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=InstitutionStatus.choices,
                              default=InstitutionStatus.APPLICATION, db_index=True)
    head_name = models.CharField(_("head"), max_length=160, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    liquidated_on = models.DateField(_("liquidated on"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("design capacity"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("Learners the premises are designed for; empty where not recorded. Changed by a decision."))

    class Meta:
        verbose_name = _("educational institution")
        verbose_name_plural = _("educational institutions")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["municipality", "status"], name="inst_muni_status"),
            models.Index(fields=["founder", "status"], name="inst_founder_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.registration_number})"

    @property
    def kind(self) -> InstitutionKind:
        return self.type.kind


class Programme(BaseModel):
    """An entry of the register of licensed programmes: one programme licensed to one institution."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="programmes",
                                    verbose_name=_("institution"))
    code = models.CharField(_("programme code"), max_length=8, validators=[validate_programme_code],
                            db_index=True)
    name = models.CharField(_("programme name"), max_length=255)
    form = models.CharField(_("form"), max_length=20, choices=ProgrammeForm.choices,
                            default=ProgrammeForm.FULL_TIME)
    international = models.CharField(
        _("international programme"), max_length=10, choices=InternationalProgramme.choices, blank=True,
        default=InternationalProgramme.NONE,
        help_text=_("An international programme (e.g. the International Baccalaureate) under the International "
                    "Schools Regulation: the programme code does not show it."))
    licence_number = models.CharField(_("licence number"), max_length=20, unique=True)
    licence_date = models.DateField(_("licence date"))
    status = models.CharField(_("licence status"), max_length=20, choices=LicenceStatus.choices,
                              default=LicenceStatus.LICENSED, db_index=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("licensed programme")
        verbose_name_plural = _("licensed programmes")
        ordering = ["institution__name", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def level(self) -> str:
        """The programme level, from the classification row of its code."""
        row = programme_type_for(self.code)
        return row["level"] if row else ""

    @property
    def is_special(self) -> bool:
        return is_special_programme(self.code)


class ImplementationPlace(BaseModel):
    """An address where a licensed programme is implemented (īstenošanas vieta)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="places",
                                  verbose_name=_("programme"))
    address = models.CharField(_("address"), max_length=255)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("municipality"))

    class Meta:
        verbose_name = _("place of implementation")
        verbose_name_plural = _("places of implementation")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.address


class Decision(BaseModel):
    """A recorded IKVD decision; the only way a register entry comes into being or changes."""

    number = models.CharField(_("decision number"), max_length=40, unique=True)
    date = models.DateField(_("decision date"), db_index=True)
    kind = models.CharField(_("decision"), max_length=30, choices=DecisionKind.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=30, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="register_decisions", verbose_name=_("decided by"))
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="decisions", verbose_name=_("institution"))
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="decisions", verbose_name=_("programme"))
    revokes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="revoked_by", verbose_name=_("revokes decision"))
    subject_name = models.CharField(_("subject"), max_length=255, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="decision_kind_date")]

    def __str__(self) -> str:
        return f"{self.number} ({date_text(self.date)}) {self.get_kind_display()}"

    @property
    def is_revoked(self) -> bool:
        return hasattr(self, "revoked_by")

    @property
    def event_label(self) -> str:
        """What the decision did, in the past tense ("Institution registered"), for timelines and notices."""
        return str(DECISION_EVENTS.get(self.kind, self.get_kind_display()))


class Accreditation(BaseModel):
    """An entry of the register of accredited institutions: a status with its term and decision."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="accreditations",
                                    verbose_name=_("institution"))
    state = models.CharField(_("accreditation status"), max_length=20, choices=AccreditationState.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("accredited until"), null=True, blank=True)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="accreditation",
                                    verbose_name=_("decision"))

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="accreditation_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution.name}: {self.get_state_display()}"
