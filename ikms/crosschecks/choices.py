"""The checks, what each finds, and the result of an offer-list line."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Check(models.TextChoices):
    PSYCHOLOGISTS = "psychologists", _("Psychologists and support staff in the monitoring data")
    PLACES = "places", _("Institution addresses and places of implementation")
    ACCREDITATION = "accreditation", _("Accreditation terms ending within 6 months")
    OFFER_LISTS = "offer_lists", _("Adult-education offer lists")


class Problem(models.TextChoices):
    PSYCHOLOGISTS_OVER_REGISTER = "psychologists_over_register", _(
        "More psychologists in the staff data than active psychologists certified for schools in the register"
    )
    NO_SUPPORT_STAFF = "no_support_staff", _("Staff data without any psychologist or other support staff")
    PROGRAMME_WITHOUT_PLACE = "programme_without_place", _("Licensed programme without a place of implementation")
    PLACE_OTHER_MUNICIPALITY = "place_other_municipality", _(
        "Place of implementation in another municipality than the institution's"
    )
    NO_PLACE_AT_INSTITUTION = "no_place_at_institution", _(
        "No place of implementation at the institution's address or in its municipality"
    )
    ACCREDITATION_ENDING = "accreditation_ending", _("Accreditation ends soon and no accreditation case is open")
    ACCREDITATION_ENDING_CASE_OPEN = "accreditation_ending_case_open", _(
        "Accreditation ends soon; an accreditation case is open"
    )
    OFFER_LIST_MISMATCHES = "offer_list_mismatches", _("Offer list lines that do not match the registers")


class LineResult(models.TextChoices):
    OK = "ok", _("Matches the registers")
    UNKNOWN_PROVIDER = "unknown_provider", _("Unknown provider")
    UNKNOWN_PROGRAMME = "unknown_programme", _("Programme not licensed to the provider")
    LICENCE_NOT_IN_FORCE = "licence_not_in_force", _("Licence not in force")
    ACCREDITATION_EXPIRED = "accreditation_expired", _("Accreditation expired")
    ADDRESS_NOT_PLACE = "address_not_place", _("Address is not a place of implementation")
