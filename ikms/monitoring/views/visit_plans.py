"""The visit plans under capacity (issue 17 item 3; IKVD staff see them, VISIT_PLANNERS propose and edit): the
planner's form and the plans, one plan with each visit's reason in words, the random ones marked, the capacity used,
what did not fit, the hand edits (each with its reason) and the plan's CSV/XLSX export."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ikms.core.exceptions import ApplicationError
from ikms.core.exports import export_response
from ikms.monitoring import permissions, services
from ikms.monitoring.forms import VisitPlanAddForm, VisitPlanChangeForm, VisitPlanProposeForm
from ikms.monitoring.models import VisitPlan
from ikms.monitoring.selectors import visit_plans as plan_selectors
from ikms.monitoring.views.common import require, wants_export
from ikms.monitoring.views.risks import _form_errors
from ikms.registry.choices import InstitutionStatus
from ikms.registry.models import Institution


def visit_plans(request):
    user = request.user
    require(permissions.can_view_risks(user))
    can_plan = permissions.can_plan_visits(user)
    form = VisitPlanProposeForm(request.POST or None) if can_plan else None
    if request.method == "POST":
        require(can_plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.visit_plan_propose(actor=user, year=data["year"].strip(), capacity=data["capacity"],
                                                   random_share=data["random_share"] / Decimal(100),
                                                   seed=data["seed"])
            except (ValidationError, ApplicationError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The visit plan is proposed."))
                return redirect(reverse("monitoring:visit-plan", args=[plan.pk]))
    return render(request, "monitoring/visit_plans.html", {
        "plans": plan_selectors.visit_plans(), "form": form, "can_plan": can_plan,
        "crumbs": [(_("Visit plan"), reverse("monitoring:visits"))]})


def _export(request, view):
    plan = view.plan
    rows = [(e.planned_date, e.institution.registration_number, e.institution.name, e.institution.municipality.name,
             e.get_basis_display(), why, _("yes") if e.chosen_at_random else _("no"), e.expert_days, e.score,
             ", ".join(e.rules)) for e, why in view.entries]
    return export_response(fmt=request.GET["format"],
                           filename=f"apmeklejumu-plans-{plan.school_year.replace('/', '-')}-{plan.pk}",
                           headers=[_("Planned date"), _("Registration number"), _("Institution"), _("Municipality"),
                                    _("Why chosen"), _("Details"), _("Drawn at random"), _("Expert-days"),
                                    _("Risk score when planned"), _("Risk rules")], rows=rows)


def visit_plan(request, pk: int):
    user = request.user
    require(permissions.can_view_risks(user))
    plan = plan_selectors.visit_plan_get(pk)
    can_edit = permissions.can_plan_visits(user) and plan.status != VisitPlan.Status.SUPERSEDED
    if wants_export(request):
        return _export(request, plan_selectors.visit_plan_view(plan))
    entries = plan.entries.filter(status="planned").select_related("institution").order_by("institution__name")
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    add_form = VisitPlanAddForm(post if action == "add" else None, prefix="add")
    change_form = VisitPlanChangeForm(post if action == "change" else None, prefix="change", entries=entries)
    if post is not None:
        require(can_edit)
        done = _edit(request, plan, action, add_form, change_form)
        if done:
            messages.success(request, done)
            return redirect(reverse("monitoring:visit-plan", args=[plan.pk]))
    return render(request, "monitoring/visit_plan.html", {
        "view": plan_selectors.visit_plan_view(plan), "plan": plan, "can_edit": can_edit,
        "add_form": add_form, "change_form": change_form,
        "crumbs": [(_("Visit plan"), reverse("monitoring:visits")),
                   (_("Visit plans under capacity"), reverse("monitoring:visit-plans"))]})


def _edit(request, plan, action, add_form, change_form) -> str:
    """Run one hand edit of the plan; the message on success, or "" with the refusal on its form."""
    user = request.user
    try:
        if action == "approve":
            services.visit_plan_approve(actor=user, plan=plan)
            return _("The visit plan is approved.")
        if action == "add" and add_form.is_valid():
            data = add_form.cleaned_data
            institution = Institution.objects.filter(registration_number=data["registration_number"].strip(),
                                                     status=InstitutionStatus.REGISTERED).first()
            if institution is None:
                add_form.add_error("registration_number", _("No registered institution has this number."))
                return ""
            services.visit_plan_entry_add(actor=user, plan=plan, institution=institution,
                                          planned_date=data["planned_date"], visit_reason=data["visit_reason"],
                                          reason=data["reason"])
            return _("The visit is added to the plan.")
        if action == "change" and change_form.is_valid():
            data = change_form.cleaned_data
            entry = plan_selectors.plan_entry_get(plan, data["entry"])
            if data["change"] == "remove":
                services.visit_plan_entry_remove(actor=user, entry=entry, reason=data["reason"])
                return _("The visit is removed from the plan.")
            services.visit_plan_entry_move(actor=user, entry=entry, planned_date=data["planned_date"],
                                           reason=data["reason"])
            return _("The visit's date is changed.")
    except (ValidationError, ApplicationError) as exc:
        form = add_form if action == "add" else change_form
        if action == "approve":
            messages.error(request, exc.message if isinstance(exc, ApplicationError) else str(exc))
        else:
            _form_errors(form, exc)
    return ""
