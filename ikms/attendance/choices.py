"""The catalogues of the absence hand-off: the actions a municipality records (the action kinds of the schools'
records, analytics.lake.schemas.LONG_ABSENCE_ACTIONS, without "none recorded"), the outcome it closes a case
with, the reasons and levels of the schools' records, and where a case came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionKind(models.TextChoices):
    TALK = "talk_with_pupil_and_parents", _("Talk with the pupil and parents")
    SOCIAL_SERVICE = "social_service", _("Social service informed")
    ORPHANS_COURT = "orphans_court", _("Orphans' court informed")
    POLICE = "police", _("Police informed")
    INTERAGENCY = "interagency_meeting", _("Inter-agency meeting")
    ADDICTION = "addiction_treatment", _("Addiction treatment")


class Outcome(models.TextChoices):
    RETURNED = "returned", _("Returned to school")
    CONTINUES = "continues", _("Continues to miss lessons")
    MOVED = "moved", _("Moved away")
    OTHER = "other", pgettext_lazy("outcome", "Other")


class Reason(models.TextChoices):
    MOTIVATION = "lack_of_motivation", _("Lack of motivation")
    HEALTH = "health_without_doctors_note", _("Health problems without a doctor's note")
    FAMILY = "family_circumstances", _("Family circumstances")
    OTHER = "other", pgettext_lazy("reason", "Other")


class Level(models.TextChoices):
    PRESCHOOL = "preschool", _("Pre-school")
    BASIC = "basic", _("Basic")
    SECONDARY = "secondary", _("Secondary")
    VOCATIONAL = "vocational", _("Vocational")


class Source(models.TextChoices):
    IMPORT = "import", _("The school's imported records")
    SCHOOL = "school", _("The school's report")


#: The action count of a case with no action recorded (the category of the schools' records, too).
NONE_RECORDED = "none_recorded"
