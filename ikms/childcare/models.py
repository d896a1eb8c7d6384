"""The register of child supervision providers (Bērnu uzraudzības pakalpojuma sniedzēju reģistrs, MK 16.07.2013
Nr. 404): natural persons (nannies) and legal persons, their service addresses, and the decisions that register,
refuse, amend and remove them. An entry changes only through a recorded `ProviderDecision` (services.py); a natural
person's personal code is kept only as a keyed hash (ikms.core.personal_codes)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.childcare.choices import (
    OPEN_STATUSES,
    REASONS,
    DecisionKind,
    ProviderKind,
    ProviderStatus,
    ServiceType,
)
from ikms.core.formatting import date_text
from ikms.core.models import BaseModel
from ikms.registry.models import Municipality


class Provider(BaseModel):
    """One provider's entry, from the application on: a natural person (name, keyed hash of the personal code) or a
    legal person (name, registration code)."""

    kind = models.CharField(_("natural or legal person"), max_length=10, choices=ProviderKind.choices)
    name = models.CharField(_("name or company name"), max_length=255)
    registration_code = models.CharField(_("registration code"), max_length=11, blank=True)
    personal_code_digest = models.CharField(_("personal code (keyed hash)"), max_length=64, blank=True, db_index=True)
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.APPLICATION, db_index=True
    )
    registration_number = models.CharField(_("registration number"), max_length=20, blank=True)
    application_number = models.CharField(_("application number"), max_length=40)
    applied_on = models.DateField(_("application received on"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True, db_index=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("child supervision provider")
        verbose_name_plural = _("child supervision providers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="childcare_provider_number_unique",
            ),
            models.UniqueConstraint(
                fields=["personal_code_digest"],
                condition=~Q(personal_code_digest="") & Q(status__in=OPEN_STATUSES),
                name="childcare_person_one_open_entry",
            ),
            models.UniqueConstraint(
                fields=["registration_code"],
                condition=~Q(registration_code="") & Q(status__in=OPEN_STATUSES),
                name="childcare_company_one_open_entry",
            ),
            models.CheckConstraint(
                condition=(Q(kind=ProviderKind.NATURAL) & ~Q(personal_code_digest="") & Q(registration_code=""))
                | (Q(kind=ProviderKind.LEGAL) & ~Q(registration_code="") & Q(personal_code_digest="")),
                name="childcare_provider_identity_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.registration_number})" if self.registration_number else self.name

    @property
    def is_public(self) -> bool:
        return self.status in (ProviderStatus.REGISTERED, ProviderStatus.REMOVED)


class ServiceAddress(BaseModel):
    """An address where the provider supervises children, in its municipality."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("provider")
    )
    address = models.CharField(_("address"), max_length=255)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="childcare_addresses", verbose_name=_("municipality")
    )

    class Meta:
        verbose_name = _("service address")
        verbose_name_plural = _("service addresses")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.address


class ProviderDecision(BaseModel):
    """A recorded IKVD decision on a provider's entry: the only way an entry is registered, refused, amended or
    removed."""

    number = models.CharField(_("decision number"), max_length=40, unique=True)
    date = models.DateField(_("decision date"), db_index=True)
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    justification = models.TextField(_("justification"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="childcare_decisions",
        verbose_name=_("decided by"),
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("provider")
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("child supervision provider decision")
        verbose_name_plural = _("child supervision provider decisions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="childcare_decision_kind_date")]

    def __str__(self) -> str:
        return f"{self.number} ({date_text(self.date)}) {self.get_kind_display()}"

    @property
    def reason_label(self) -> str:
        """The reason in words (refusal and removal), or ""."""
        choices = REASONS.get(self.kind)
        return str(dict(choices.choices).get(self.reason, self.reason)) if choices and self.reason else ""
