from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    ACCREDITATION = "accreditation", _("Accreditation of the institution")
    HEAD = "head", _("Evaluation of the head")


class CaseState(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("case state", "Applied")
    REGISTERED = "registered", pgettext_lazy("case state", "Registered")
    COMMISSION = "commission", pgettext_lazy("case state", "Commission appointed")
    PLANNED = "planned", pgettext_lazy("case state", "Evaluation planned")
    DRAFT = "draft", pgettext_lazy("case state", "Draft report")
    COMMENTED = "commented", pgettext_lazy("case state", "Institution commented")
    FINAL = "final", pgettext_lazy("case state", "Final report")
    DECIDED = "decided", pgettext_lazy("case state", "Decided")
    WITHDRAWN = "withdrawn", pgettext_lazy("case state", "Withdrawn")


class EvaluationMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")


class Method(models.TextChoices):
    INTERVIEWS = "interviews", _("Interviews")
    OBSERVATION = "observation", _("Lesson observations")
    DOCUMENTS = "documents", _("Document analysis")
    SITE_VISIT = "site_visit", _("Site visit")
    SURVEYS = "surveys", _("Surveys")
    SITUATION = "situation", _("Situation analysis")
    FOCUS_GROUP = "focus_group", _("Focus group")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    EXPERT = "expert", _("Expert")


class Outcome(models.TextChoices):
    ACCREDIT = "accredit", _("Accredit")
    REFUSE = "refuse", _("Refuse accreditation")


class HeadOutcome(models.TextChoices):
    POSITIVE = "positive", _("Evaluated positively")
    MUST_IMPROVE = "must_improve", _("Must substantially improve professional activity")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    DONE = "done", pgettext_lazy("task status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("task status", "Cancelled")


class Responsible(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    HEAD = "head", _("Head")
    FOUNDER = "founder", _("Founder")


class TargetOperator(models.TextChoices):
    LE = "<=", "≤"
    GE = ">=", "≥"


class Confirmation(models.TextChoices):
    NOT_LINKED = "not_linked", _("Not linked to data")
    NO_DATA = "no_data", _("No data yet")
    CONFIRMED = "confirmed", _("Confirmed by data")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed by data")


class InstructionLanguage(models.TextChoices):
    """Languages of instruction an accreditation expert can evaluate in."""

    LATVIAN = "lv", pgettext_lazy("language of instruction", "Latvian")
    ENGLISH = "en", pgettext_lazy("language of instruction", "English")
    RUSSIAN = "ru", pgettext_lazy("language of instruction", "Russian")
    UKRAINIAN = "uk", pgettext_lazy("language of instruction", "Ukrainian")
    POLISH = "pl", pgettext_lazy("language of instruction", "Polish")
    LITHUANIAN = "lt", pgettext_lazy("language of instruction", "Lithuanian")
    GERMAN = "de", pgettext_lazy("language of instruction", "German")
    FRENCH = "fr", pgettext_lazy("language of instruction", "French")


class ConflictKind(models.TextChoices):
    """Why an expert declares a conflict of interest with an institution in advance."""

    WORKS = "works", _("works at this institution")
    WORKED = "worked", _("worked at this institution")
    CHILD = "child", _("own child learns at this institution")
    OTHER = "other", _("other conflict of interest")
