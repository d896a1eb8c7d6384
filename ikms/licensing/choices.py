"""The choices of licensing applications: what is applied for, where the application stands, what is checked."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    NEW = "new", _("A licence for a programme")
    AMEND = "amend", _("An amendment of a licence")


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    DEFICIENCIES = "deficiencies", _("Deficiencies to remedy")
    RESUBMITTED = "resubmitted", _("Deficiencies answered")
    LICENSED = "licensed", _("Licensed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (ApplicationState.SUBMITTED, ApplicationState.DEFICIENCIES, ApplicationState.RESUBMITTED)


class CheckResult(models.TextChoices):
    MEETS = "meets", _("Meets the requirements")
    DEFICIENT = "deficient", _("Deficient")
    NOT_APPLICABLE = "na", _("Does not apply")


class CheckItem(models.TextChoices):
    """What IKVD checks (MK 253; docs/domain.md §3.1); the last two for vocational programmes only."""

    STANDARDS = "standards", _("Compliance with the education standard and the sector's regulations")
    PROGRAMME = "programme", _("The programme: the model programme or the institution's own")
    PREMISES = "premises", _("Premises and their suitability")
    RESOURCES = "resources", _("Equipment, teaching resources and the learning environment")
    TEACHERS = "teachers", _("Teachers (vocational programmes)")
    OCCUPATIONAL = "occupational", _("Occupational standard or qualification requirements (vocational)")


VOCATIONAL_ONLY = (CheckItem.TEACHERS, CheckItem.OCCUPATIONAL)
