"""Kinds, statuses and reasons of the register of child supervision providers (MK 16.07.2013 Nr. 404)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProviderKind(models.TextChoices):
    NATURAL = "natural", _("Natural person")
    LEGAL = "legal", _("Legal person")


class ServiceType(models.TextChoices):
    SHORT_TERM = "short_term", _("Short-term (up to 4 hours a day)")
    FULL_TIME = "full_time", _("Full-time (over 4 hours a day)")


class ProviderStatus(models.TextChoices):
    APPLICATION = "application", _("Application under consideration")
    REGISTERED = "registered", pgettext_lazy("child supervision provider", "Registered")
    REFUSED = "refused", _("Registration refused")
    REMOVED = "removed", _("Removed from the register")


#: Statuses the public register shows (an application and a refusal are not public).
PUBLIC_STATUSES = (ProviderStatus.REGISTERED, ProviderStatus.REMOVED)
#: Statuses of an entry that is still open: one person or company has at most one such entry.
OPEN_STATUSES = (ProviderStatus.APPLICATION, ProviderStatus.REGISTERED)


class DecisionKind(models.TextChoices):
    REGISTER = "register", _("Registration")
    REFUSE = "refuse", _("Refusal to register")
    AMEND = "amend", _("Amendment of the register entry")
    REMOVE = "remove", _("Removal from the register")


class RefusalReason(models.TextChoices):
    REQUIREMENTS = "requirements", _("Does not meet the requirements (qualification, first aid)")
    DOCUMENTS = "documents", _("Documents missing or not supplemented in time")
    RESTRICTION = "restriction", _("A conviction or restricted rights bar the service")
    OTHER = "other", _("Other reason")


class RemovalReason(models.TextChoices):
    OWN_REQUEST = "own_request", _("At the provider's own request")
    CEASED = "ceased", _("The service is no longer provided")
    LIQUIDATED = "liquidated", _("The legal person is liquidated")
    REQUIREMENTS = "requirements", _("The requirements are no longer met")
    OTHER = "other", _("Other reason")


#: The reason each decision kind needs (None: no reason beyond the justification).
REASONS = {DecisionKind.REFUSE: RefusalReason, DecisionKind.REMOVE: RemovalReason}
