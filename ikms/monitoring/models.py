"""Results of the indicator and risk engine, stored with what produced them: the specification
version (content hash), the data snapshot read, and for each risk flag the evidence."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikms.core.models import BaseModel


class Grain(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    MUNICIPALITY = "municipality", _("Municipality")
    NATION = "nation", _("Nation")


class ComputationRun(BaseModel):
    """One run of the engine for a school year: the whole country, or some institutions."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    school_year = models.CharField(_("school year"), max_length=9, db_index=True)
    engine = models.CharField(_("engine"), max_length=20)
    catalogue_version = models.CharField(_("specification version"), max_length=64)
    snapshot = models.JSONField(_("data snapshot"), default=dict)
    scope = models.JSONField(_("institutions recomputed"), default=list, blank=True,
                             help_text=_("Empty for the whole country"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_s = models.FloatField(_("duration, s"), null=True, blank=True)
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     verbose_name=_("triggered by"))
    value_count = models.PositiveIntegerField(_("values"), default=0)
    flag_count = models.PositiveIntegerField(_("risk flags"), default=0)
    error = models.TextField(_("error"), blank=True)
    #: What the run left out and why (analytics.run.ComputeResult.skipped): indicators and rules whose data
    #: were not received for anybody, or whose columns the lake lacks.
    skipped = models.JSONField(_("left out"), default=list, blank=True)
    #: Per rule: institutions evaluated, not evaluated (data not received) and flagged.
    rule_counts = models.JSONField(_("rule evaluation counts"), default=dict, blank=True)
    #: The process running the computation (host and process id), so that a run whose process died
    #: (killed, power cut) is marked failed on the next start instead of staying "running" for ever.
    worker = models.CharField(_("worker"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("computation run")
        verbose_name_plural = _("computation runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.school_year} {self.engine} {self.started_at:%Y-%m-%d %H:%M}"


class IndicatorValue(models.Model):
    """One indicator value at one grain and unit (institution, municipality or the nation)."""

    run = models.ForeignKey(ComputationRun, on_delete=models.CASCADE, related_name="values")
    school_year = models.CharField(_("school year"), max_length=9)
    indicator = models.CharField(_("indicator"), max_length=80)
    version = models.CharField(_("specification version"), max_length=64)
    grain = models.CharField(_("grain"), max_length=12, choices=Grain.choices)
    unit = models.CharField(_("unit"), max_length=12, help_text=_("Registration number, municipality code or LV"))
    semester = models.PositiveSmallIntegerField(_("semester"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=80, blank=True)
    value = models.FloatField(_("value"), null=True)
    numerator = models.FloatField(_("numerator"), null=True)
    denominator = models.FloatField(_("denominator"), null=True)
    suppressed = models.BooleanField(_("suppressed in public outputs"), default=False)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        indexes = [
            models.Index(fields=["school_year", "indicator", "grain", "unit"], name="value_lookup"),
            models.Index(fields=["unit", "school_year"], name="value_unit_year"),
            models.Index(fields=["run", "grain", "unit", "indicator"], name="value_run_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit} {self.school_year}: {self.value}"


class RiskFlag(models.Model):
    """A triggered risk rule for an institution, with the evidence that triggered it."""

    run = models.ForeignKey(ComputationRun, on_delete=models.CASCADE, related_name="flags")
    school_year = models.CharField(_("school year"), max_length=9)
    rule = models.CharField(_("risk rule"), max_length=20)
    version = models.CharField(_("specification version"), max_length=64)
    institution = models.CharField(_("institution"), max_length=10, db_index=True)
    evidence = models.JSONField(_("evidence"), default=dict)

    class Meta:
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        indexes = [models.Index(fields=["school_year", "rule"], name="flag_year_rule"),
                   models.Index(fields=["run", "institution"], name="flag_run_institution")]

    def __str__(self) -> str:
        return f"{self.rule} {self.institution} {self.school_year}"


class RuleNotEvaluated(models.Model):
    """A risk rule that could not be evaluated for an institution in a run: the data it needs were not
    received (`missing`: [source, school year] pairs). Neither a flag nor a pass."""

    run = models.ForeignKey(ComputationRun, on_delete=models.CASCADE, related_name="not_evaluated")
    school_year = models.CharField(_("school year"), max_length=9)
    rule = models.CharField(_("risk rule"), max_length=20)
    version = models.CharField(_("specification version"), max_length=64)
    institution = models.CharField(_("institution"), max_length=10, db_index=True)
    missing = models.JSONField(_("data not received"), default=list)

    class Meta:
        verbose_name = _("rule not evaluated")
        verbose_name_plural = _("rules not evaluated")
        indexes = [models.Index(fields=["run", "rule"], name="noteval_run_rule"),
                   models.Index(fields=["run", "institution"], name="noteval_run_institution")]

    def __str__(self) -> str:
        return f"{self.rule} {self.institution} {self.school_year}: not evaluated"


class VisitReason(models.TextChoices):
    RISK = "risk", _("Risk-based")
    ACCREDITATION_DUE = "accreditation_due", _("Accreditation due")
    COMPLAINT = "complaint", _("Complaint")
    RANDOM = "random", _("Random or cyclical share")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")


class VisitBasis(models.TextChoices):
    """Why the planner (analytics.planning.visits.Basis) or a person chose a visit."""

    ACCREDITATION_DUE = "accreditation_due", _("Accreditation term ends in the plan year")
    COMPLAINT_OR_ORDER = "complaint_or_order", _("Open complaint or inspection order")
    RISK = "risk", _("Risk ranking")
    RANDOM = "random", _("Drawn at random")
    MANUAL = "manual", _("Added by hand")


class VisitPlan(BaseModel):
    """A school year's visit plan under capacity (issue 17): the expert-days available, the share drawn at random
    and the seed of that draw (recorded, so that the draw can be repeated), proposed by the planner and then
    edited by hand (each edit a `VisitPlanEdit` with its reason) until approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Replaced by a newer proposal")

    school_year = models.CharField(_("plan year"), max_length=9)
    risk_year = models.CharField(_("school year of the risk data"), max_length=9, blank=True)
    signal = models.CharField(_("ranking signal"), max_length=40)
    capacity = models.DecimalField(_("capacity (expert-days)"), max_digits=7, decimal_places=1)
    random_share = models.DecimalField(_("random share"), max_digits=4, decimal_places=3)
    seed = models.PositiveBigIntegerField(_("seed of the random draw"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    not_fitted = models.JSONField(_("visits that did not fit"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("proposed by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-school_year", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school_year"], condition=models.Q(status="approved"),
                                    name="visit_plan_one_approved_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school_year} ({self.get_status_display()})"


class VisitPlanEntry(BaseModel):
    """An institution put on IKVD's visit plan, with the reason and the risk flags it had then; when it belongs to
    a plan under capacity, also why it was chosen, whether at random, the expert-days and the score then."""

    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="visits",
                                    verbose_name=_("institution"))
    planned_date = models.DateField(_("planned date"))
    reason = models.CharField(_("reason"), max_length=20, choices=VisitReason.choices)
    note = models.TextField(_("justification"), blank=True)
    school_year = models.CharField(_("school year of the risk data"), max_length=9, blank=True)
    rules = models.JSONField(_("risk rules triggered when planned"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    status_note = models.TextField(_("status note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("planned by"))
    plan = models.ForeignKey(VisitPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
                             verbose_name=_("visit plan"))
    basis = models.CharField(_("why chosen"), max_length=20, choices=VisitBasis.choices, blank=True)
    basis_facts = models.JSONField(_("facts behind the choice"), default=dict, blank=True)
    chosen_at_random = models.BooleanField(_("drawn at random"), default=False)
    expert_days = models.DecimalField(_("expert-days"), max_digits=5, decimal_places=1, null=True, blank=True)
    score = models.FloatField(_("risk score when planned"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit plan entry")
        verbose_name_plural = _("visit plan")
        ordering = ["planned_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution"], condition=models.Q(status="planned"),
                                    name="visit_one_planned_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.planned_date}"


class VisitPlanEdit(models.Model):
    """A hand edit of a visit plan (a visit added, removed or moved), with its reason (required)."""

    class Action(models.TextChoices):
        ADDED = "added", _("Visit added")
        REMOVED = "removed", _("Visit removed")
        MOVED = "moved", _("Date changed")

    plan = models.ForeignKey(VisitPlan, on_delete=models.CASCADE, related_name="edits", verbose_name=_("visit plan"))
    entry = models.ForeignKey(VisitPlanEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="edits",
                              verbose_name=_("visit"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit plan edit")
        verbose_name_plural = _("visit plan edits")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.action}"


class InternationalResult(BaseModel):
    """A published national result of an international study (issue 15, item 7): PISA, TIMSS, PIRLS or ICCS,
    one cycle, grade or age group and domain, imported from a CSV/XLSX file (`manage.py
    import_international_results`, ikms/monitoring/international.py). A small web-held table rather than a lake
    dataset: a few published national figures, not records of institutions, and nothing the engine computes."""

    class Study(models.TextChoices):
        PISA = "PISA", "PISA"
        TIMSS = "TIMSS", "TIMSS"
        PIRLS = "PIRLS", "PIRLS"
        ICCS = "ICCS", "ICCS"

    study = models.CharField(_("study"), max_length=5, choices=Study.choices)
    cycle = models.PositiveSmallIntegerField(_("cycle year"))
    group = models.CharField(_("grade or age group"), max_length=40)
    domain = models.CharField(_("domain"), max_length=80)
    mean_score = models.DecimalField(_("mean score"), max_digits=6, decimal_places=1)
    standard_error = models.DecimalField(_("standard error"), max_digits=5, decimal_places=1, null=True,
                                         blank=True)
    international_mean = models.DecimalField(_("international or OECD mean"), max_digits=6, decimal_places=1,
                                             null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, help_text=_("Publication or address"))
    demo = models.BooleanField(_("demonstration values"), default=False)

    class Meta:
        verbose_name = _("international study result")
        verbose_name_plural = _("international study results")
        ordering = ("study", "group", "domain", "cycle")
        constraints = [models.UniqueConstraint(fields=["study", "cycle", "group", "domain"],
                                               name="international_result_unique")]

    def __str__(self) -> str:
        return f"{self.study} {self.cycle} {self.group} {self.domain}"


class RiskModelVersion(BaseModel):
    """A trained school risk score (issue 17, `manage.py risk_model_train`): its version, what it was trained
    on (school years, lake snapshot, features), its coefficients and its back-test. The newest is current; the
    web never trains, it reads this and the `RiskScore` rows."""

    version = models.CharField(_("model version"), max_length=40, unique=True)
    trained_at = models.DateTimeField(_("trained at"))
    training_years = models.JSONField(_("training school years"), default=list)
    snapshot = models.JSONField(_("training data snapshot"), default=dict)
    features = models.JSONField(_("features"), default=list)
    coefficients = models.JSONField(_("coefficients"), default=dict)
    intercept = models.FloatField(_("intercept"))
    sklearn_version = models.CharField(_("scikit-learn version"), max_length=20)
    outcome_kind = models.CharField(_("outcome"), max_length=20)
    backtest = models.JSONField(_("back-test"), default=dict)

    class Meta:
        verbose_name = _("risk model version")
        verbose_name_plural = _("risk model versions")
        ordering = ("-trained_at", "-id")

    def __str__(self) -> str:
        return self.version


class RiskScore(models.Model):
    """An institution's risk score in a school year (`manage.py risk_scores_compute`): a probability with its
    rank and percentile among the scored, the factor contributions (log-odds, adding up with the intercept to
    the score's logit), or "not scored" with the reason (never a low score)."""

    class Status(models.TextChoices):
        SCORED = "scored", _("Scored")
        NOT_SCORED = "not_scored", _("Not scored")

    institution = models.CharField(_("institution"), max_length=10, db_index=True)
    school_year = models.CharField(_("school year"), max_length=9)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("reason not scored"), max_length=20, blank=True)
    probability = models.FloatField(_("probability"), null=True, blank=True)
    logit = models.FloatField(_("log-odds"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    percentile = models.FloatField(_("percentile"), null=True, blank=True)
    intercept = models.FloatField(_("intercept"), null=True, blank=True)
    contributions = models.JSONField(_("factor contributions"), default=dict)
    values = models.JSONField(_("factor values"), default=dict)
    coverage = models.FloatField(_("data coverage"), null=True, blank=True)
    model_version = models.CharField(_("model version"), max_length=40)
    snapshot = models.JSONField(_("training data snapshot"), default=dict)
    data_date = models.CharField(_("data date"), max_length=40, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        constraints = [models.UniqueConstraint(fields=["institution", "school_year"], name="risk_score_unique")]
        indexes = [models.Index(fields=["school_year", "rank"], name="risk_score_year_rank")]

    def __str__(self) -> str:
        return f"{self.institution} {self.school_year} {self.status}"

    @property
    def probability_pct(self) -> float | None:
        return None if self.probability is None else round(self.probability * 100, 1)
