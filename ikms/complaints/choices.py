"""Choices of complaints, consultations and the satisfaction survey."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    E_ADDRESS = "e_address", _("E-address")
    IN_PERSON = "in_person", _("In person")
    PORTAL = "portal", _("Portal form")


class SubmitterType(models.TextChoices):
    PARENT = "parent", _("Parent")
    PUPIL = "pupil", _("Pupil")
    TEACHER = "teacher", _("Teacher")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    EXPLANATION = "explanation", _("Explanation given")
    REFERRED_FOUNDER = "referred_founder", _("Referred to the founder")
    REFERRED_OTHER = "referred_other", _("Referred to another authority")


class ListState(models.TextChoices):
    """The list's status filter (pages and API): open, open past the answer deadline, closed."""

    OPEN = "open", pgettext_lazy("deadline", "Open")
    OVERDUE = "overdue", _("Overdue")
    CLOSED = "closed", _("Closed")


#: The outcomes that forward the complaint (calibration: "referred to the founder or another authority").
REFERRED = (Outcome.REFERRED_FOUNDER, Outcome.REFERRED_OTHER)


class Audience(models.TextChoices):
    PARENT = "parent", _("Parent")
    PUPIL = "pupil", _("Pupil")
    TEACHER = "teacher", _("Teacher")
    HEAD = "head", _("Institution head")
    FOUNDER = "founder", _("Founder")
    OTHER = "other", _("Other")


class ConsultationChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
