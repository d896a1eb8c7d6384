"""The visit plans under capacity (issue 17 item 3): the plans, a plan's visits with why each was chosen in words,
what did not fit, and the hand edits with their reasons. IKVD staff see them (permissions.RISK_LIST, like the
visit plan)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ikms.core.formatting import date_text, number_text, parse_iso
from ikms.monitoring.models import VisitBasis, VisitPlan, VisitPlanEdit, VisitPlanEntry, VisitStatus
from ikms.registry.models import Institution


def visit_plans() -> QuerySet[VisitPlan]:
    """Every visit plan, the newest year and proposal first."""
    return VisitPlan.objects.select_related("created_by", "approved_by")


def visit_plan_get(pk: int) -> VisitPlan:
    """One visit plan, or Http404."""
    return get_object_or_404(visit_plans(), pk=pk)


def basis_text(facts: dict, *, seed: int | None = None, note: str = "") -> str:
    """Why a visit was chosen (or wanted), in words, from the facts the planner kept."""
    basis = facts.get("basis", "")
    if basis == VisitBasis.ACCREDITATION_DUE:
        return _("The accreditation term ends on %(day)s, within the plan year.") % {
            "day": date_text(parse_iso(facts["due"]))}
    if basis == VisitBasis.COMPLAINT_OR_ORDER:
        return _("Open complaints: %(complaints)s; open inspection orders: %(orders)s.") % {
            "complaints": facts.get("complaints", 0), "orders": facts.get("orders", 0)}
    if basis == VisitBasis.RISK:
        return _("Risk ranking: place %(rank)s, score %(score)s.") % {
            "rank": facts["rank"], "score": number_text(facts["score"], 2, trim=True)}
    if basis == VisitBasis.RANDOM:
        text = _("Drawn at random: place %(draw)s in the draw with seed %(seed)s.") % {
            "draw": facts.get("draw"), "seed": seed}
        if facts.get("rank"):
            text += " " + _("(Risk ranking place %(rank)s.)") % {"rank": facts["rank"]}
        elif "score" not in facts:
            text += " " + _("(Not scored.)")
        return text
    if basis == VisitBasis.MANUAL:
        return _("Added by hand: %(note)s") % {"note": note}
    return note


@dataclass
class PlanView:
    """A plan as its page shows it."""

    plan: VisitPlan
    entries: list[tuple[VisitPlanEntry, str]]
    not_fitted: list[tuple[Institution | None, str, dict]]
    edits: list[VisitPlanEdit]
    used: float
    at_random: int

    @property
    def left(self) -> float:
        return float(self.plan.capacity) - self.used


def visit_plan_view(plan: VisitPlan) -> PlanView:
    """A plan's planned visits with why each was chosen, what did not fit, the capacity used and the edits."""
    entries = list(plan.entries.filter(status=VisitStatus.PLANNED)
                   .select_related("institution", "institution__municipality", "institution__type")
                   .order_by("planned_date", "institution__name", "id"))
    numbers = [row["institution"] for row in plan.not_fitted]
    by_number = {i.registration_number: i for i in Institution.objects.filter(registration_number__in=numbers)}
    return PlanView(
        plan=plan,
        entries=[(e, basis_text(e.basis_facts or {"basis": e.basis}, seed=plan.seed, note=e.note)) for e in entries],
        not_fitted=[(by_number.get(row["institution"]), basis_text(row, seed=plan.seed), row)
                    for row in plan.not_fitted],
        edits=list(plan.edits.select_related("entry__institution", "actor")),
        used=float(sum(e.expert_days or 0 for e in entries)),
        at_random=sum(e.chosen_at_random for e in entries))


def plan_entry_get(plan: VisitPlan, pk: int) -> VisitPlanEntry:
    """A planned visit of a plan, or Http404."""
    return get_object_or_404(VisitPlanEntry.objects.select_related("institution", "plan"), plan=plan, pk=pk,
                             status=VisitStatus.PLANNED)
