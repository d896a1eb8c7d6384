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
    CAPACITY = "capacity", _("Change of design capacity")
    OTHER = "other", _("Other")


class StrikeOffReason(models.TextChoices):
    LIQUIDATION = "liquidation", _("Liquidation")
    REORGANISATION = "reorganisation", _("Reorganisation")
    TYPE_CHANGE = "type_change", _("Change of type")


class LicenceEntryKind(models.TextChoices):
    """What a licensing decision records in VIIS (annual report 2024, figure 1 and table 8): stored in the decision's
    `reason`. A licence issue is a new programme, a programme derived from another, the right to implement restored,
    or an updated programme re-licensed as a new entry; an amendment adds a place of implementation, re-licenses the
    programme after a model programme (modular, or LNKC's for vocational orientation), updates a secondary study plan,
    or amends the entry or the programme's content."""

    NEW_PROGRAMME = "new_programme", _("New programme")
    NEW_PLACE = "new_place", _("New place of implementation")
    DERIVED = "derived", _("Registered (derived) programme")
    RIGHTS_RESTORED = "rights_restored", _("Right to implement restored")
    MODULAR_RELICENSING = "modular_relicensing", _("Updated after a modular model programme (re-licensing)")
    RELICENSING_NEW_ENTRY = "relicensing_new_entry", _("Updated programme re-licensed as a new entry")
    ORIENTATION_RELICENSING = "orientation_relicensing", _("Vocational orientation programme re-licensed after an "
                                                          "LNKC model programme")
    STUDY_PLAN_UPDATE = "study_plan_update", _("Study plan updated")
    AMENDMENT = "amendment", _("Amendment of the licence entry")
    CONTENT_AMENDMENT = "content_amendment", _("Amendment of the programme's content")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented within a year of licensing")


#: Entry kinds of a licence issue (a new entry in the register of programmes).
ISSUE_ENTRY_KINDS = (LicenceEntryKind.NEW_PROGRAMME, LicenceEntryKind.NEW_PLACE, LicenceEntryKind.DERIVED,
                     LicenceEntryKind.RIGHTS_RESTORED, LicenceEntryKind.RELICENSING_NEW_ENTRY)
#: Entry kinds of an amendment of a licence.
AMEND_ENTRY_KINDS = (LicenceEntryKind.NEW_PLACE, LicenceEntryKind.MODULAR_RELICENSING,
                     LicenceEntryKind.ORIENTATION_RELICENSING, LicenceEntryKind.STUDY_PLAN_UPDATE,
                     LicenceEntryKind.AMENDMENT, LicenceEntryKind.CONTENT_AMENDMENT)
#: Amendments of what the programme teaches (its plan and content, kept in VIIS, not here): the decision records
#: them and no field of the entry changes.
CONTENT_ENTRY_KINDS = (LicenceEntryKind.MODULAR_RELICENSING, LicenceEntryKind.ORIENTATION_RELICENSING,
                       LicenceEntryKind.STUDY_PLAN_UPDATE, LicenceEntryKind.CONTENT_AMENDMENT)


class InternationalProgramme(models.TextChoices):
    """A programme implemented under the International Schools Regulation (MK 159, 2021): not in the Latvian
    Education Classification's code, so recorded on the licence."""

    NONE = "", _("No")
    IB = "ib", _("International Baccalaureate")
    OTHER = "other", _("Other international programme")
