"""Accreditation pages. Thin: the case comes from the scoped selector (404 when not visible), the
table-backed predicate decides (403 when visible but not allowed), one service writes."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ikms.accreditation import forms as f
from ikms.accreditation import permissions, selectors, services, workflow
from ikms.accreditation.audit_actions import CASE_STEPS_DONE
from ikms.accreditation.choices import CaseKind, CaseState
from ikms.accreditation.framework import framework
from ikms.accreditation.pdf import report_pdf
from ikms.cases import selectors as case_selectors
from ikms.core.audit import audit_events_for
from ikms.core.exceptions import ApplicationError
from ikms.core.views import require, run_service

#: Rows on a page of the case, task and self-evaluation lists.
PAGE_SIZE = 50
ACTION_FORMS = {"register": None, "withdraw": f.WithdrawForm, "appoint": f.AppointForm, "declare": f.DeclareForm,
                "plan": f.PlanForm, "draft": f.DraftForm, "comment": f.CommentForm, "finalise": f.FinaliseForm}

_require = require
_run = run_service


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def case_list(request):
    _require(permissions.can_use_accreditation(request.user))
    form = f.CaseFilterForm(request.GET or None)
    cases = selectors.case_filter(selectors.case_visible_to(request.user), **form.filters())
    page = _page(request, cases)
    return render(request, "accreditation/case_list.html", {
        "form": form, "cases": page, "page_obj": page, "total": page.paginator.count,
        "can_apply": selectors.institution_institutions_for_apply(request.user).exists(),
        "can_view_analytics": permissions.can_view_analytics(request.user),
        "can_view_experts": permissions.can_view_expert_register(request.user),
        "is_expert": permissions.is_own_expert_entry(request.user, request.user)})


def case_apply(request):
    institutions = selectors.institution_institutions_for_apply(request.user)
    _require(institutions.exists())
    form = f.ApplyForm(request.POST or None, institutions=institutions)
    result = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            result["case"] = services.case_apply(
                actor=request.user, institution=d["institution"], kind=d["kind"], version=d["version"],
                founder_agreed=d["founder_agreed"], head_goals=d["head_goals"],
                founder_criterion=d["founder_criterion"])

        if _run(request, form, action, _("The application is submitted.")):
            return redirect("accreditation:case-detail", pk=result["case"].pk)
    return render(request, "accreditation/form.html", {"form": form, "title": _("Apply for evaluation")})


def case_detail(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    version = framework().version(case.version)
    return render(request, "accreditation/case_detail.html", {
        "case": case, "version": version, "ratings": selectors.case_ratings(case),
        "members": case.members.all(), "timeline": selectors.case_timeline(case),
        "next_deadline": case_selectors.next_open_deadline(case.case_file) if case.case_file_id else None,
        "self_ratings": [(c, framework().level(case.self_ratings[c.code]).name if c.code in case.self_ratings
                          else "") for c in selectors.case_criteria(case)],
        "actions": permissions.allowed_actions(request.user, case),
        "tasks": selectors.task_rows(case.tasks.select_related("institution")),
        "can_set_task": permissions.can_set_task(request.user, case),
        "can_view_private": permissions.can_view_private_report(request.user, case),
        "methods": [label for value, label in f.Method.choices if value in case.methods],
        "proposal": version.propose(list(case.ratings.values_list("level", flat=True)))
        if case.kind == CaseKind.ACCREDITATION and case.ratings.exists() else None,
    })


def case_action(request, pk: int, action: str):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if action not in workflow.BY_ACTION or action in ("apply",):
        raise Http404
    if action == "rate":
        return redirect("accreditation:case-rate", pk=case.pk)
    _require(permissions.can_transition(request.user, case, action))
    t = workflow.transition(action)
    if action == "decide":
        form_class = f.DecideForm if case.kind == CaseKind.ACCREDITATION else f.HeadDecideForm
    elif action == "appoint":
        form_class = partial(f.AppointForm, case=case)
    elif action == "self_rate":
        form_class = partial(f.SelfRatingForm, criteria=selectors.case_criteria(case), current=case.self_ratings)
    else:
        form_class = ACTION_FORMS[action]
    initial = {}
    if action == "decide" and case.kind == CaseKind.ACCREDITATION:
        proposal = framework().version(case.version).propose(list(case.ratings.values_list("level", flat=True)))
        initial = {"outcome": proposal.outcome, "years": proposal.years,
                   "legal_basis": framework().version(case.version).legal_basis}
    form = form_class(request.POST or None, initial=initial) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = dict(form.cleaned_data) if form else {}
        if action == "appoint":
            data["experts"] = list(data["experts"])
        if action == "self_rate":
            data = {"self_ratings": form.self_ratings()}
        if action == "decide" and case.kind == CaseKind.ACCREDITATION:
            data["decision"] = form.decision_input()
        form = form or f.GovukForm()

        def run():
            services.case_transition(actor=request.user, case=case, action=action, data=data)

        if _run(request, form, run, f"{CASE_STEPS_DONE[action]}."):
            return redirect("accreditation:case-detail", pk=case.pk)
    return render(request, "accreditation/form.html", {"form": form, "title": t.label, "case": case,
                                                       "submit_label": t.label})


def case_rate(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_transition(request.user, case, "rate"))
    criteria = selectors.case_criteria(case)
    current = {r.criterion: r for r in case.ratings.all()}
    form = f.RatingForm(request.POST or None, criteria=criteria, ratings=current)
    if request.method == "POST" and form.is_valid():
        def run():
            services.case_transition(actor=request.user, case=case, action="rate", data={"ratings": form.ratings()})

        if _run(request, form, run, _("The ratings are saved.")):
            return redirect("accreditation:case-detail", pk=case.pk)
    return render(request, "accreditation/rate.html", {"form": form, "case": case, "criteria": criteria})


def case_report_pdf(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if case.state not in (CaseState.FINAL, CaseState.DECIDED):
        raise Http404
    content = report_pdf(case, include_private=permissions.can_view_private_report(request.user, case))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zinojums-{case.pk}.pdf"'
    return response


def task_create(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_set_task(request.user, case))
    form = f.TaskForm(request.POST or None, criteria=selectors.case_criteria(case))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def run():
            services.task_create(actor=request.user, case=case, criterion=d["criterion"],
                                 description=d["description"], deadline=d["deadline"], responsible=d["responsible"],
                                 indicator=d["indicator"], target_operator=d["target_operator"],
                                 target_value=d["target_value"], target_year=d["target_year"])

        if _run(request, form, run, _("The task is set.")):
            return redirect("accreditation:case-detail", pk=case.pk)
    return render(request, "accreditation/form.html", {"form": form, "title": _("Set a task"), "case": case})


def task_list(request):
    """Every task the user sees, filtered and paged; the counts are over all matching tasks, not the page."""
    _require(permissions.can_use_accreditation(request.user))
    form = f.TaskFilterForm(request.GET or None,
                            institution_filter=selectors.task_institution_count(request.user) > 1)
    found = selectors.task_list(request.user, **form.filters())
    page = _page(request, found.tasks)
    page.object_list = selectors.task_rows(page.object_list)
    return render(request, "accreditation/task_list.html", {
        "form": form, "rows": page, "page_obj": page, "total": page.paginator.count, "flagged": found.unconfirmed,
        "any_tasks": found.any_visible})


def task_update(request, pk: int):
    task = selectors.task_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_update_task(request.user, task))
    form = f.TaskUpdateForm(request.POST or None, initial={"status": task.status, "evidence": task.evidence},
                            may_cancel=permissions.is_runner(request.user) or task.status == f.TaskStatus.CANCELLED)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def run():
            services.task_update(actor=request.user, task=task, status=d["status"], evidence=d["evidence"])

        if _run(request, form, run, _("The task is updated.")):
            return redirect("accreditation:task-list")
    row = selectors.task_rows([task])[0]
    return render(request, "accreditation/task_form.html", {"form": form, "row": row, "task": task,
                                                            "case": task.case})


def analytics(request):
    _require(permissions.can_view_analytics(request.user))
    domains = framework().domains
    by_domain = selectors.task_counts_by_domain(year_from=2020, year_to=2024)
    return render(request, "accreditation/analytics.html", {
        "counts": selectors.evaluation_counts(), "levels": selectors.level_counts(),
        "level_objs": framework().levels,
        "tasks": [(d, by_domain[d.code]) for d in domains], "tasks_total": sum(by_domain.values()),
        "consistency": selectors.expert_consistency()})


# --- Self-evaluation reports: the head writes, the founder agrees or returns, the head publishes ---

def _se_context(request, report) -> dict:
    return {
        "report": report,
        "sections": selectors.self_evaluation_sections(report),
        "goals": selectors.self_evaluation_goals(report),
        "ratings": selectors.self_evaluation_ratings(report),
        "timeline": [{"at": e.at, "action": e.action_label, "actor": e.actor}
                     for e in audit_events_for(target=report).select_related("actor").order_by("at", "id")],
        "can_edit": permissions.can_edit_self_evaluation(request.user, report),
        "can_submit": permissions.can_submit_self_evaluation(request.user, report),
        "can_review": permissions.can_review_self_evaluation(request.user, report),
        "can_publish": permissions.can_publish_self_evaluation(request.user, report),
    }


def self_evaluation_list(request):
    _require(permissions.can_use_self_evaluation(request.user))
    page = _page(request, selectors.self_evaluation_visible_to(request.user))
    return render(request, "accreditation/self_evaluation_list.html", {
        "reports": page, "page_obj": page, "total": page.paginator.count,
        "can_create": selectors.institutions_for_self_evaluation(request.user).exists()})


def self_evaluation_create(request):
    institutions = selectors.institutions_for_self_evaluation(request.user)
    _require(institutions.exists())
    form = f.SelfEvaluationForm(request.POST or None, institutions=institutions)
    result = {}
    if request.method == "POST" and form.is_valid():
        def action():
            result["report"] = services.self_evaluation_create(
                actor=request.user, institution=form.cleaned_data["institution"],
                school_year=form.cleaned_data["school_year"], **form.content())

        if _run(request, form, action, _("The self-evaluation report is saved as a draft.")):
            return redirect("accreditation:self-evaluation-detail", pk=result["report"].pk)
    return render(request, "accreditation/self_evaluation_form.html", {
        "form": form, "title": _("New self-evaluation report")})


def self_evaluation_detail(request, pk: int):
    report = selectors.self_evaluation_get_for_user(user=request.user, pk=pk)
    return render(request, "accreditation/self_evaluation_detail.html", _se_context(request, report))


def self_evaluation_edit(request, pk: int):
    report = selectors.self_evaluation_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_edit_self_evaluation(request.user, report))
    form = f.SelfEvaluationForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        def action():
            services.self_evaluation_update(actor=request.user, report=report, **form.content())

        if _run(request, form, action, _("The self-evaluation report is saved.")):
            return redirect("accreditation:self-evaluation-detail", pk=report.pk)
    return render(request, "accreditation/self_evaluation_form.html", {
        "form": form, "report": report, "title": _("Edit the self-evaluation report")})


def _se_confirm(request, pk: int, *, allowed, service, title: str, success: str, submit_label: str):
    report = selectors.self_evaluation_get_for_user(user=request.user, pk=pk)
    _require(allowed(request.user, report))
    form = f.GovukForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: service(actor=request.user, report=report), success):
            return redirect("accreditation:self-evaluation-detail", pk=report.pk)
    return render(request, "accreditation/self_evaluation_confirm.html", {
        "form": form, "report": report, "title": title, "submit_label": submit_label})


def self_evaluation_submit(request, pk: int):
    return _se_confirm(request, pk, allowed=permissions.can_submit_self_evaluation,
                       service=services.self_evaluation_submit, title=_("Submit the report to the founder"),
                       success=_("The report is submitted to the founder."), submit_label=_("Submit"))


def self_evaluation_publish(request, pk: int):
    return _se_confirm(request, pk, allowed=permissions.can_publish_self_evaluation,
                       service=services.self_evaluation_publish, title=_("Publish the report"),
                       success=_("The report is published."), submit_label=_("Publish"))


def self_evaluation_review(request, pk: int):
    report = selectors.self_evaluation_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_review_self_evaluation(request.user, report))
    form = f.SelfEvaluationReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            if d["decision"] == "agree":
                services.self_evaluation_agree(actor=request.user, report=report)
            else:
                services.self_evaluation_return(actor=request.user, report=report, comment=d["comment"])

        success = _("The report is agreed.") if d["decision"] == "agree" else _("The report is returned to the head.")
        if _run(request, form, action, success):
            return redirect("accreditation:self-evaluation-detail", pk=report.pk)
    return render(request, "accreditation/self_evaluation_confirm.html", {
        "form": form, "report": report, "title": _("Agree or return the self-evaluation report"),
        "submit_label": _("Save the decision"), "show_report": True,
        **_se_context(request, report)})


# --- the accreditation experts register (issue 14 item 6) ------------------------------------------------------


def expert_list(request):
    """The register for IKVD staff, with filters; an expert is sent to their own entry."""
    if not permissions.can_view_expert_register(request.user):
        if request.user.is_authenticated and permissions.is_own_expert_entry(request.user, request.user):
            return redirect("accreditation:expert-detail", pk=request.user.pk)
        raise PermissionDenied
    form = f.ExpertFilterForm(request.GET or None)
    rows = selectors.expert_register(**form.filters())
    return render(request, "accreditation/expert_list.html", {"form": form, "rows": rows, "total": len(rows)})


def expert_own(request):
    """An expert's own entry (the link in the navigation)."""
    _require(request.user.is_authenticated and permissions.is_own_expert_entry(request.user, request.user))
    return redirect("accreditation:expert-detail", pk=request.user.pk)


def _expert(request, pk: int, *, edit: bool = False):
    expert = selectors.expert_get(pk)
    _require(permissions.can_view_expert(request.user, expert))
    if edit:
        _require(permissions.can_edit_expert(request.user, expert))
    return expert


def expert_detail(request, pk: int):
    expert = _expert(request, pk)
    profile = selectors.expert_profile_of(expert)
    training, training_hours = selectors.expert_training(expert, profile)
    return render(request, "accreditation/expert_detail.html", {
        "expert": expert, "profile": profile, "training": training, "training_hours": training_hours,
        "can_edit": permissions.can_edit_expert(request.user, expert),
        "can_view_register": permissions.can_view_expert_register(request.user)})


def _expert_form(request, pk: int, form_class, *, title, write, success: str, initial=None):
    expert = _expert(request, pk, edit=True)
    form = form_class(request.POST or None, initial=initial(expert) if initial else None)
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: write(expert, form.cleaned_data), success):
            return redirect("accreditation:expert-detail", pk=expert.pk)
    return render(request, "accreditation/expert_form.html", {"form": form, "title": title, "expert": expert})


def _profile_initial(expert) -> dict:
    profile = selectors.expert_profile_of(expert)
    if profile is None:
        return {}
    return {"qualifications": profile.qualifications, "areas": list(profile.areas.all()),
            "languages": profile.languages}


def expert_edit(request, pk: int):
    def write(expert, d):
        services.expert_profile_update(actor=request.user, expert=expert, qualifications=d["qualifications"],
                                       areas=d["areas"], languages=d["languages"])

    return _expert_form(request, pk, f.ExpertProfileForm, title=_("Qualifications, areas and languages"),
                        write=write, success=_("The entry is saved."), initial=_profile_initial)


def expert_unavailability(request, pk: int):
    def write(expert, d):
        services.expert_unavailability_add(actor=request.user, expert=expert, starts_on=d["starts_on"],
                                           ends_on=d["ends_on"], note=d["note"])

    return _expert_form(request, pk, f.UnavailabilityForm, title=_("Add a period when you are not available"),
                        write=write, success=_("The period is added."))


def expert_conflict(request, pk: int):
    def write(expert, d):
        services.expert_conflict_add(actor=request.user, expert=expert, institution=d["institution"],
                                     kind=d["kind"], until=d["until"], note=d["note"])

    return _expert_form(request, pk, f.ConflictForm, title=_("Declare a conflict of interest"), write=write,
                        success=_("The conflict of interest is declared."))


def expert_training(request, pk: int):
    def write(expert, d):
        services.expert_training_add(actor=request.user, expert=expert, course=d["course"], hours=d["hours"],
                                     completed_on=d["completed_on"])

    return _expert_form(request, pk, f.TrainingForm, title=_("Add completed training"), write=write,
                        success=_("The training is added."))


@require_POST
def expert_item_remove(request, pk: int, kind: str, item: int):
    expert = _expert(request, pk, edit=True)
    try:
        services.expert_item_remove(actor=request.user, expert=expert, kind=kind, pk=item)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed."))
    return redirect("accreditation:expert-detail", pk=expert.pk)
