"""A hand-off case of long-term unexcused absence (issue 15 item 8): a school's report that a learner passed the
threshold in a semester, for the municipality of the learner's declared residence to act on. The case core's
`CaseFile` (ADR 0022) holds the dates, the institution and the deadline of the municipality's first action; this
row holds what the report says and the municipality's outcome; `AbsenceAction` rows the actions it recorded.

The learner is known by the lake's pseudonym. A report the school filed by hand may carry the learner's name and
the parents' contact: only the school's head and the municipality see them (`permissions.IDENTITY`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.attendance.choices import ActionKind, Level, Outcome, Reason, Source
from ikms.cases.models import CaseFile
from ikms.core.models import BaseModel
from ikms.registry.models import Institution, Municipality


class AbsenceCase(BaseModel):
    case_file = models.OneToOneField(
        CaseFile, on_delete=models.PROTECT, related_name="absence_case", verbose_name=_("case file")
    )
    learner = models.CharField(_("learner (pseudonym)"), max_length=64, db_index=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="absence_cases", verbose_name=_("institution")
    )
    residence = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="absence_cases",
        verbose_name=_("municipality of declared residence"),
    )
    school_year = models.CharField(_("school year"), max_length=9, db_index=True)
    semester = models.PositiveSmallIntegerField(_("semester"), choices=[(1, "1"), (2, "2")])
    level = models.CharField(_("education level"), max_length=20, choices=Level.choices)
    reason = models.CharField(_("reason"), max_length=40, choices=Reason.choices, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.IMPORT)
    # identity: only on a report the school filed by hand, seen by the school's head and the municipality
    learner_name = models.CharField(_("learner's name"), max_length=200, blank=True)
    parent_contact = models.CharField(_("parents' contact"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absence_reports",
        verbose_name=_("reported by"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("absence hand-off case")
        verbose_name_plural = _("absence hand-off cases")
        ordering = ["-school_year", "-semester", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "institution", "school_year", "semester"], name="absence_case_once_a_semester"
            ),
            models.CheckConstraint(condition=~Q(learner=""), name="absence_case_has_learner"),
        ]
        indexes = [models.Index(fields=["school_year", "residence"], name="absence_year_residence")]

    def __str__(self) -> str:
        return f"{self.school_year}/{self.semester} {self.learner[:8]}"


class AbsenceAction(BaseModel):
    case = models.ForeignKey(AbsenceCase, on_delete=models.CASCADE, related_name="actions", verbose_name=_("case"))
    kind = models.CharField(_("action"), max_length=40, choices=ActionKind.choices)
    taken_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absence_actions",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("action on long-term absence")
        verbose_name_plural = _("actions on long-term absence")
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on:%d.%m.%Y}"
