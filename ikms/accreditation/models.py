"""Accreditation and head-evaluation cases, their commissions, ratings and tasks. The quality
framework itself is data (data/framework.yaml, ADR 0011); rows refer to criteria and levels by code."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ikms.accreditation.choices import (
    CaseKind,
    CaseState,
    ConflictKind,
    EvaluationMode,
    HeadOutcome,
    InstructionLanguage,
    MemberRole,
    Outcome,
    Responsible,
    TargetOperator,
    TaskStatus,
)
from ikms.accreditation.framework import framework
from ikms.cases.models import CaseFile
from ikms.core.models import BaseModel
from ikms.registry.models import Decision, Institution


class Case(BaseModel):
    """One accreditation of an institution or one evaluation of its head, from application to decision."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="accreditation_cases",
                                    verbose_name=_("institution"))
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    version = models.CharField(_("regulation"), max_length=20)
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.APPLIED,
                             db_index=True)
    applied_on = models.DateField(_("applied on"))
    founder_agreed = models.BooleanField(_("agreed with the founder"), default=False)
    head_name = models.CharField(_("head"), max_length=160, blank=True)
    head_goals = models.TextField(_("head's goals (SMART), agreed with the founder"), blank=True)
    founder_criterion = models.CharField(_("founder's criterion"), max_length=255, blank=True)
    self_ratings = models.JSONField(_("self-ratings"), default=dict, blank=True,
                                    help_text=_("The institution's own level per criterion (code → level)."))
    mode = models.CharField(_("evaluation mode"), max_length=20, choices=EvaluationMode.choices, blank=True)
    methods = models.JSONField(_("methods"), default=list, blank=True)
    visit_start = models.DateField(_("evaluation starts"), null=True, blank=True)
    visit_end = models.DateField(_("evaluation ends"), null=True, blank=True)
    day_plan = models.TextField(_("day plan"), blank=True)
    #: The commission evaluated the institution's transition to the unified school (learning only in Latvian,
    #: from 2023/24): the annual report counts these institutions.
    unified_school = models.BooleanField(_("transition to the unified school evaluated"), default=False)
    draft_report = models.TextField(_("draft report"), blank=True)
    institution_comments = models.TextField(_("institution's comments"), blank=True)
    report_public = models.TextField(_("report: public part"), blank=True)
    report_private = models.TextField(_("report: non-public part"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    head_outcome = models.CharField(_("outcome of the head evaluation"), max_length=20, choices=HeadOutcome.choices,
                                    blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    decision = models.OneToOneField(Decision, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="accreditation_case", verbose_name=_("register decision"))
    case_file = models.OneToOneField(CaseFile, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="accreditation_case", verbose_name=_("case file"),
                                     help_text=_("The shared case core: documents, deadlines, letters, assignee."))

    class Meta:
        verbose_name = _("accreditation case")
        verbose_name_plural = _("accreditation cases")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(visit_end__isnull=True) | models.Q(visit_start__isnull=True)
                                   | models.Q(visit_end__gte=models.F("visit_start")), name="case_visit_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.institution.name} ({self.applied_on:%Y})"


class CommissionMember(BaseModel):
    """An appointed chair or expert of a case's commission, with their conflict-of-interest declaration."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members", verbose_name=_("case"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seats",
                             verbose_name=_("expert"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    no_conflict_declared = models.BooleanField(_("declared no conflict of interest"), default=False)
    declaration = models.TextField(_("declaration"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="commission_member_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Rating(BaseModel):
    """The commission's level for one criterion of a case (and the institution's self-rating, when known)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("case"))
    criterion = models.CharField(_("criterion"), max_length=10)
    level = models.CharField(_("level"), max_length=20)
    justification = models.TextField(_("justification"))
    self_level = models.CharField(_("self-rating"), max_length=20, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                 related_name="accreditation_ratings", verbose_name=_("rated by"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["case", "criterion"]
        constraints = [models.UniqueConstraint(fields=["case", "criterion"], name="rating_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"

    @property
    def level_name(self) -> str:
        return framework().level(self.level).name

    @property
    def self_level_name(self) -> str:
        return framework().level(self.self_level).name if self.self_level else ""


class Task(BaseModel):
    """An improvement task (uzdevums) set in a decided case, optionally checked against an indicator."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("case"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="accreditation_tasks",
                                    verbose_name=_("institution"))
    domain = models.CharField(_("domain"), max_length=40, db_index=True)
    criterion = models.CharField(_("criterion"), max_length=10, blank=True)
    description = models.TextField(_("task"))
    set_on = models.DateField(_("set on"), db_index=True)
    deadline = models.DateField(_("deadline"))
    responsible = models.CharField(_("responsible"), max_length=20, choices=Responsible.choices,
                                   default=Responsible.INSTITUTION)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    indicator = models.CharField(_("indicator"), max_length=80, blank=True)
    target_operator = models.CharField(_("target"), max_length=2, choices=TargetOperator.choices, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_year = models.CharField(_("target school year"), max_length=9, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline__gte=models.F("set_on")),
                                   name="task_deadline_after_set"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.deadline and self.set_on and self.deadline < self.set_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the task is set.")})


class SelfEvaluationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the founder")
    RETURNED = "returned", _("Returned by the founder")
    AGREED = "agreed", _("Agreed by the founder")
    PUBLISHED = "published", _("Published")


class SelfEvaluationReport(BaseModel):
    """The institution's yearly self-evaluation report (domain.md §2.1): sections (code → text, the
    codes and their public/non-public split are data in data/self_evaluation.yaml), a self-rating per
    criterion, the head's SMART goals; agreed with the founder, then published."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="self_evaluations",
                                    verbose_name=_("institution"))
    school_year = models.CharField(_("school year"), max_length=9)
    state = models.CharField(_("state"), max_length=20, choices=SelfEvaluationState.choices,
                             default=SelfEvaluationState.DRAFT, db_index=True)
    head_name = models.CharField(_("head"), max_length=160, blank=True)
    sections = models.JSONField(_("sections"), default=dict, blank=True,
                                help_text=_("Text per section (section code → text)."))
    self_ratings = models.JSONField(_("self-ratings"), default=dict, blank=True,
                                    help_text=_("Criterion code → {level, justification}."))
    goals = models.JSONField(_("head's goals (SMART)"), default=list, blank=True,
                             help_text=_("Rows of goal, measure, target and deadline."))
    founder_comment = models.TextField(_("founder's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("self-evaluation report")
        verbose_name_plural = _("self-evaluation reports")
        ordering = ["-school_year", "institution__name", "id"]
        constraints = [models.UniqueConstraint(fields=["institution", "school_year"],
                                               name="self_evaluation_once_per_year")]

    def __str__(self) -> str:
        return f"{self.institution.name} {self.school_year}"


class ExpertProfile(BaseModel):
    """An accreditation expert's entry in the experts register (issue 14 item 6): what they may evaluate and in
    which languages. Unavailability, conflicts declared in advance and completed training hang off it. An expert
    without an entry is treated as available and without declared conflicts."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile",
                                verbose_name=_("expert"))
    qualifications = models.TextField(_("qualifications"), blank=True)
    areas = models.ManyToManyField("registry.InstitutionKind", blank=True, related_name="accreditation_experts",
                                   verbose_name=_("areas"),
                                   help_text=_("The kinds of institution the expert may evaluate."))
    languages = models.JSONField(_("languages of instruction"), default=list, blank=True)

    class Meta:
        verbose_name = _("expert's entry")
        verbose_name_plural = _("experts register")
        ordering = ["user__last_name", "user__first_name", "user__username"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def language_names(self) -> list[str]:
        names = dict(InstructionLanguage.choices)
        return [str(names.get(code, code)) for code in self.languages]


class ExpertUnavailability(BaseModel):
    """A period when the expert cannot sit on a commission (both days included)."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="unavailability",
                                verbose_name=_("expert's entry"))
    starts_on = models.DateField(_("not available from"))
    ends_on = models.DateField(_("not available until"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("unavailability period")
        verbose_name_plural = _("unavailability periods")
        ordering = ["starts_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="expert_unavailability_period")]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class ExpertConflict(BaseModel):
    """A conflict of interest the expert declares in advance with one institution."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="conflicts",
                                verbose_name=_("expert's entry"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="expert_conflicts",
                                    verbose_name=_("institution"))
    kind = models.CharField(_("conflict"), max_length=10, choices=ConflictKind.choices)
    until = models.DateField(_("worked there until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        ordering = ["institution__name", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "institution"], name="expert_conflict_once")]

    def __str__(self) -> str:
        return f"{self.institution.name}: {self.get_kind_display()}"


class ExpertTraining(BaseModel):
    """A course the expert completed (later fed by the courses register, issue 14 item 7)."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="training",
                                verbose_name=_("expert's entry"))
    course = models.CharField(_("course"), max_length=255)
    hours = models.PositiveSmallIntegerField(_("hours"))
    completed_on = models.DateField(_("completed on"))

    class Meta:
        verbose_name = _("completed training")
        verbose_name_plural = _("completed training")
        ordering = ["-completed_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0), name="expert_training_hours")]

    def __str__(self) -> str:
        return self.course
