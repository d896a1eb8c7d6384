"""The choices of inspections (pārbaudes): kind, stream, state, finding severity, order kind and state, evidence
state. Labels are English in code and Latvian in the catalogue (the severity's Latvian names are the legal ones:
nebūtisks, vidēji būtisks, būtisks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Planned (from the visit plan)")
    COMPLAINT = "complaint", _("Prompted by a complaint")
    AD_HOC = "ad_hoc", _("Ad hoc")
    THEMATIC = "thematic", _("Thematic")


class Stream(models.TextChoices):
    """Which of IKVD's counts an inspection belongs to (calibration-2024.yaml): the supervision department's
    inspections (`supervision.inspections`), adult-education supervision (`adult_education_supervision`), or a
    thematic evaluation visit (`unified_school_evaluation_2023_2024`)."""

    SUPERVISION = "supervision", _("Supervision")
    ADULT_EDUCATION = "adult_education", _("Adult-education supervision")
    THEMATIC = "thematic", _("Thematic evaluation")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    VISITED = "visited", _("Visited")
    ACT = "act", _("Act written")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Severity(models.TextChoices):
    MINOR = "minor", _("Not significant")
    MODERATE = "moderate", _("Moderately significant")
    MAJOR = "major", _("Significant")


class ActType(models.TextChoices):
    GENERAL = "general", _("Inspection act")
    IMPLEMENTATION = "implementation", _("Programme implementation")
    PLACEMENT = "placement", _("Work placement")
    QUALIFICATION_EXAM = "qualification_exam", _("Qualification examination")


class OrderKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    ORDER = "order", _("Order")


class OrderState(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")


class EvidenceState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ProgrammeCheckKind(models.TextChoices):
    """Adult-education supervision's desk checks of programmes (calibration-2024.yaml
    `adult_education_supervision`): an expert review of one programme, or a check of a provider's programmes in the
    published offer lists (how many were checked and how many did not match the licence or the register)."""

    EXPERT_REVIEW = "expert_review", _("Programme expert review")
    OFFER_LIST = "offer_list", _("Check of the offer lists")
