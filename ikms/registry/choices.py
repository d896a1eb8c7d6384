"""Statuses, kinds and forms of register entries and decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MunicipalityKind(models.TextChoices):
    STATE_CITY = "state_city", pgettext_lazy("municipality kind", "State city")
    MUNICIPALITY = "municipality", pgettext_lazy("municipality kind", "Municipality (novads)")


class FounderKind(models.TextChoices):
    STATE = "state", _("State")
    MUNICIPALITY = "municipality", _("Municipality")
    PRIVATE_LEGAL = "private_legal", _("Private legal person")
    PRIVATE_NATURAL = "private_natural", _("Private natural person")


class InstitutionStatus(models.TextChoices):
    APPLICATION = "application", _("Application under consideration")
    REGISTERED = "registered", _("Registered")
    LIQUIDATED = "liquidated", _("Liquidated / struck off")
    REFUSED = "refused", _("Registration refused")
    ANNULLED = "annulled", _("Registration annulled")


#: Statuses shown in the public register.
PUBLIC_INSTITUTION_STATUSES = (InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED)


class ProgrammeForm(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    EXTRAMURAL = "extramural", _("Extramural")
    DISTANCE = "distance", _("Distance")


class LicenceStatus(models.TextChoices):
    LICENSED = "licensed", _("Licensed")
    LAPSED = "lapsed", _("Lapsed")
    ANNULLED = "annulled", _("Annulled")


class AccreditationState(models.TextChoices):
    ACCREDITED = "accredited", _("Accredited")
    EXTENDED = "extended", _("Accreditation extended")
    REFUSED = "refused", _("Accreditation refused")


class DecisionKind(models.TextChoices):
    # Register of educational institutions (MK 397)
    REGISTER = "register", _("Register institution")
    AMEND = "amend", _("Amend register entry")
    POSTPONE = "postpone", _("Postpone registration / amendment")
    REFUSE = "refuse", _("Refuse registration")
    STRIKE_OFF = "strike_off", _("Liquidate / strike off")
    REVOKE = "revoke", _("Revoke a decision")
    HE_BRANCH_REMOVE = "he_branch_remove", _("Remove a higher-education branch")
    HE_REGISTER_AMEND = "he_register_amend", _("Amend the register of higher education institutions")
    INTERNATIONAL_SCHOOL = "international_school", _("International school registration / permit")
    # Register of licensed programmes (MK 253)
    LICENCE_ISSUE = "licence_issue", _("Issue programme licence")
    LICENCE_AMEND = "licence_amend", _("Amend programme licence")
    LICENCE_ANNUL = "licence_annul", _("Annul programme licence")
    LICENCE_LAPSE = "licence_lapse", _("Record lapse of programme licence")
    LICENCE_REFUSE = "licence_refuse", _("Refuse a programme licence")
    # Register of accredited institutions
    ACCREDITATION_GRANT = "accreditation_grant", _("Accredit institution")
    ACCREDITATION_EXTEND = "accreditation_extend", _("Extend accreditation")
    ACCREDITATION_REFUSE = "accreditation_refuse", _("Refuse accreditation")


#: What a decision of each kind did, as a past-tense statement: how timelines, event logs and notices name it
#: (DecisionKind's labels say what to decide, for the forms).
DECISION_EVENTS = {
    DecisionKind.REGISTER: _("Institution registered"),
    DecisionKind.AMEND: _("Register entry amended"),
    DecisionKind.POSTPONE: _("Registration or amendment postponed"),
    DecisionKind.REFUSE: _("Registration refused"),
    DecisionKind.STRIKE_OFF: _("Institution liquidated or struck off"),
    DecisionKind.REVOKE: _("Earlier decision revoked"),
    DecisionKind.HE_BRANCH_REMOVE: _("Higher-education branch struck off"),
    DecisionKind.HE_REGISTER_AMEND: _("Register of higher education institutions amended"),
    DecisionKind.INTERNATIONAL_SCHOOL: _("International school registered or permitted"),
    DecisionKind.LICENCE_ISSUE: _("Programme licence issued"),
    DecisionKind.LICENCE_AMEND: _("Programme licence amended"),
    DecisionKind.LICENCE_ANNUL: _("Programme licence annulled"),
    DecisionKind.LICENCE_LAPSE: _("Programme licence lapsed"),
    DecisionKind.LICENCE_REFUSE: _("Programme licence refused"),
    DecisionKind.ACCREDITATION_GRANT: _("Institution accredited"),
    DecisionKind.ACCREDITATION_EXTEND: _("Accreditation extended"),
    DecisionKind.ACCREDITATION_REFUSE: _("Accreditation refused"),
}


class AmendmentReason(models.TextChoices):
    REORGANISATION = "reorganisation", _("Reorganisation")
    TYPE_CHANGE = "type_change", _("Change of type")
    NAME = "name", _("Change of name")
    ADDRESS = "address", _("Change of address")
    HEAD = "head", _("Change of head")
    FOUNDER = "founder", _("Change of founder")
    OTHER = "other", _("Other")


class StrikeOffReason(models.TextChoices):
    LIQUIDATION = "liquidation", _("Liquidation")
    REORGANISATION = "reorganisation", _("Reorganisation")
    TYPE_CHANGE = "type_change", _("Change of type")
