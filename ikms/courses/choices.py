"""Audiences and attendance marks of IKVD's courses and events."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ikms.accounts.roles import Role


class Audience(models.TextChoices):
    """Whom a course is for: heads, founders, accreditation experts, or others (IKVD enrols them)."""

    HEADS = "heads", _("Heads of institutions")
    FOUNDERS = "founders", _("Founders")
    EXPERTS = "experts", _("Accreditation experts")
    OTHER = "other", _("Other participants")


#: The role that may enrol itself in a course for an audience (others are enrolled by IKVD's staff).
AUDIENCE_ROLES = {
    Audience.HEADS: Role.INSTITUTION_HEAD,
    Audience.FOUNDERS: Role.FOUNDER,
    Audience.EXPERTS: Role.ACCREDITATION_EXPERT,
}


class Attendance(models.TextChoices):
    """A participant's mark, set by IKVD's staff: not yet marked, absent, attended, completed (certificate)."""

    REGISTERED = "registered", _("Registered")
    ABSENT = "absent", _("Did not attend")
    ATTENDED = "attended", _("Attended, not completed")
    COMPLETED = "completed", _("Completed")
