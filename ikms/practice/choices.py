"""Kinds, areas, statuses and reasons of the register of teacher private-practice certificates (MK 25.10.2016
Nr. 682)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: A certificate is issued, and extended, for three years (MK 682 points 2.1 and 2.3).
VALIDITY_YEARS = 3


class EducationKind(models.TextChoices):
    INTEREST = "interest", _("Interest education")
    NON_FORMAL = "non_formal", _("Non-formal adult education")


class ProgrammeArea(models.TextChoices):
    CULTURE = "culture", _("Culture and arts")
    SPORT = "sport", _("Sport")
    TECHNICAL = "technical", _("Technical creativity")
    ENVIRONMENT = "environment", _("Environmental education")
    LANGUAGES = "languages", _("Languages")
    DIGITAL = "digital", _("Digital skills")
    OTHER = "other", _("Other area")


class CertificateStatus(models.TextChoices):
    """A certificate's status on a day: annulled by a decision, expired after its term, otherwise valid."""

    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    EXPIRED = "expired", pgettext_lazy("certificate status", "Expired")
    ANNULLED = "annulled", pgettext_lazy("certificate status", "Annulled")


class DecisionKind(models.TextChoices):
    ISSUE = "issue", _("Certificate issued")
    EXTEND = "extend", _("Validity extended")
    ANNUL = "annul", _("Certificate annulled")


class AnnulmentReason(models.TextChoices):
    STATE_LANGUAGE = "state_language", _("State language use below the required level (State Language Centre check)")
    ON_REQUEST = "on_request", _("At the teacher's request")
    REQUIREMENTS = "requirements", _("The teacher no longer meets the requirements (conviction, restricted rights)")
    FALSE_INFORMATION = "false_information", _("False information in the application")
    OTHER = "other", _("Other reason")
