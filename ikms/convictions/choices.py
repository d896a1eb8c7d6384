"""Kinds of the commission's decisions, the target groups a permit may be limited to, members' opinions and the
kinds of reads the read log records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    """What the Person Assessment Commission decides (Cabinet Regulation No. 414 of 3 September 2019)."""

    PERMIT = "permit", _("Permit to work as a teacher")
    PERMIT_LIMITED = "permit_limited", _("Permit limited to target groups")
    REFUSAL = "refusal", _("Permit refused")
    ANNULMENT = "annulment", _("Permit annulled")


#: The decisions that give a permit (the 2024 figures count both as permits granted).
PERMITS = (DecisionKind.PERMIT, DecisionKind.PERMIT_LIMITED)
#: The decisions that answer an application (an annulment answers an earlier permit instead).
ANSWERS = (DecisionKind.PERMIT, DecisionKind.PERMIT_LIMITED, DecisionKind.REFUSAL)


class TargetGroup(models.TextChoices):
    """The learners a limited permit lets the person work with (only these)."""

    ADULTS = "adults", _("Adult learners")
    HIGHER = "higher", _("Students of higher education")
    SECONDARY = "secondary", _("Pupils of secondary education")
    BASIC = "basic", _("Pupils of basic education")
    PRESCHOOL = "preschool", _("Children of preschool age")


class ReadKind(models.TextChoices):
    """What a recorded read showed (ReadLog.kind)."""

    LIST = "list", _("List of applications")
    APPLICATION = "application", _("Application")
    EXPORT = "export", _("Export of applications")
    MEETINGS = "meetings", _("List of meetings")
    MEETING = "meeting", _("Meeting")
    CASE_FILE = "case_file", _("Documents and deadlines")
    DOCUMENT = "document", _("Document downloaded")
    FIGURES = "figures", _("Yearly figures")


class ApplicationState(models.TextChoices):
    """A filter of the list: waiting for a decision, or decided (whatever the decision)."""

    OPEN = "open", _("Waiting for a decision")
    DECIDED = "decided", _("Decided")
