"""Inspections (pārbaudes, issue 13 item 3): an inspection of an institution, planned from the visit plan, prompted
by a complaint or ad hoc, or a thematic evaluation visit; its act with findings (each with a severity and a legal
basis); the recommendations and orders with deadlines it gives; the institution's follow-up evidence; and the
answers of a thematic questionnaire (questionnaires.yaml). Each inspection points to one CaseFile of the shared
case core (ADR 0022), which carries its documents, letters and work-queue place.

The origin: `visit` (a row of monitoring's visit plan) or `complaint` (the complaint that prompted it). An order's
deadline is a deadline of the case core (`Order.deadline`, rule `inspection_order`), so it is on the work queue,
reminded and extended (with a reason) like every other; `Order.due_on` keeps the day the act gave."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.cases.models import Attachment, CaseFile, Deadline
from ikms.complaints.models import Complaint
from ikms.core.models import BaseModel
from ikms.inspections.choices import (
    ActType,
    EvidenceState,
    InspectionKind,
    InspectionState,
    OrderKind,
    OrderState,
    ProgrammeCheckKind,
    Severity,
    Stream,
)
from ikms.monitoring.models import VisitPlanEntry
from ikms.registry.models import Institution


class Inspection(BaseModel):
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("institution")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    stream = models.CharField(
        _("stream"), max_length=16, choices=Stream.choices, default=Stream.SUPERVISION, db_index=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=InspectionState.choices, default=InspectionState.PLANNED, db_index=True
    )
    subject = models.CharField(_("subject"), max_length=300)
    visit = models.ForeignKey(
        VisitPlanEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("visit plan entry"),
    )
    complaint = models.ForeignKey(
        Complaint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("complaint"),
    )
    questionnaire = models.CharField(_("thematic questionnaire"), max_length=60, blank=True, db_index=True)
    planned_on = models.DateField(_("planned date"))
    visited_on = models.DateField(_("visit date"), null=True, blank=True, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="inspections", verbose_name=_("inspectors")
    )
    case_file = models.OneToOneField(
        CaseFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection",
        verbose_name=_("case file"),
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["stream", "visited_on"], name="inspection_stream_visited")]
        constraints = [
            models.CheckConstraint(
                condition=Q(visited_on__isnull=True) | Q(state__in=["visited", "act", "follow_up", "closed"]),
                name="inspection_visit_in_visited_states",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.institution})"

    @property
    def is_closed(self) -> bool:
        return self.state in (InspectionState.CLOSED, InspectionState.CANCELLED)


class Act(BaseModel):
    """The inspection act (pārbaudes akts): when, what type, a summary; its findings."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="act", verbose_name=_("inspection")
    )
    number = models.CharField(_("act number"), max_length=40)
    act_type = models.CharField(_("act type"), max_length=20, choices=ActType.choices, default=ActType.GENERAL)
    dated_on = models.DateField(_("act date"))
    summary = models.TextField(_("summary"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )

    class Meta:
        verbose_name = _("inspection act")
        verbose_name_plural = _("inspection acts")

    def __str__(self) -> str:
        return self.number


class Finding(BaseModel):
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="findings", verbose_name=_("act"))
    text = models.TextField(_("finding"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Order(BaseModel):
    """A recommendation or an order (rīkojums) of the act; an order always has a deadline."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="orders", verbose_name=_("inspection")
    )
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders", verbose_name=_("finding")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    text = models.TextField(_("what must be done"))
    due_on = models.DateField(_("deadline in the act"), null=True, blank=True, db_index=True)
    deadline = models.OneToOneField(
        Deadline, null=True, blank=True, on_delete=models.PROTECT, related_name="order", verbose_name=_("deadline")
    )
    state = models.CharField(_("state"), max_length=8, choices=OrderState.choices, default=OrderState.OPEN)
    met_on = models.DateField(_("met on"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation or order")
        verbose_name_plural = _("recommendations and orders")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="order") | Q(due_on__isnull=False), name="order_has_deadline"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.state == OrderState.OPEN

    @property
    def current_due_on(self):
        """The day the order falls due now: its case-core deadline's (after any extension), else the act's."""
        return self.deadline.due_on if self.deadline_id else self.due_on


class FollowUpEvidence(BaseModel):
    """What the institution reports it has done about an order, with an optional document in the case file."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("order"))
    text = models.TextField(_("what was done"))
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_on = models.DateField(_("submitted on"))
    state = models.CharField(_("state"), max_length=10, choices=EvidenceState.choices, default=EvidenceState.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("follow-up evidence")
        verbose_name_plural = _("follow-up evidence")
        ordering = ["submitted_on", "id"]


class ThematicAnswer(BaseModel):
    """One answer of a thematic questionnaire given on one visit."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="answers", verbose_name=_("inspection")
    )
    question = models.CharField(_("question"), max_length=60)
    value = models.JSONField(_("answer"))

    class Meta:
        verbose_name = _("thematic answer")
        verbose_name_plural = _("thematic answers")
        constraints = [models.UniqueConstraint(fields=["inspection", "question"], name="answer_once_per_visit")]


class ProgrammeCheck(BaseModel):
    """A desk check of adult-education programmes (no visit, no act): an expert review of one programme, or a check
    of the programmes a provider lists in the published offer lists, with how many did not match."""

    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeCheckKind.choices, db_index=True)
    checked_on = models.DateField(_("date"), db_index=True)
    institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_checks",
        verbose_name=_("provider"),
    )
    programmes = models.PositiveIntegerField(_("programmes checked"))
    mismatches = models.PositiveIntegerField(_("mismatches found"), default=0)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )

    class Meta:
        verbose_name = _("programme check")
        verbose_name_plural = _("programme checks")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(programmes__gte=1), name="programme_check_some"),
            models.CheckConstraint(
                condition=Q(mismatches__lte=models.F("programmes")), name="programme_check_mismatches_le"
            ),
            models.CheckConstraint(
                condition=~Q(kind="expert_review") | Q(programmes=1), name="programme_check_review_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.checked_on:%d.%m.%Y}"
