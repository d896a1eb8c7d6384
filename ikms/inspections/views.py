"""Inspection pages. Thin: the inspection comes from the scoped selector (404 when not visible), the table-backed
predicate decides (403 when visible but not allowed), one service writes and its errors go onto the form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ikms.complaints.permissions import can_view_complaint
from ikms.complaints.selectors import complaints_for_user
from ikms.core.charts import bar_chart
from ikms.core.views import require, run_service
from ikms.inspections import forms as f
from ikms.inspections import permissions, selectors, services
from ikms.inspections.choices import Stream
from ikms.inspections.pdf import act_pdf
from ikms.inspections.questionnaires import LEVEL_LABELS, LEVELS, questionnaire, questionnaires

PAGE_SIZE = 50
ACTIONS = {
    "cancel": f.CancelForm,
    "record_visit": f.VisitForm,
    "write_act": f.ActForm,
    "add_finding": f.FindingForm,
    "issue_order": f.OrderForm,
    "send_act": None,
    "submit_evidence": f.EvidenceForm,
    "review_evidence": f.ReviewForm,
    "close": None,
}
SLUGS = {a.replace("_", "-"): a for a in ACTIONS}

_require = require
_run = run_service


def inspection_list(request):
    _require(permissions.can_use_inspections(request.user))
    form = f.InspectionFilterForm(request.GET or None)
    rows = selectors.inspection_list(request.user, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/list.html",
        {
            "form": form,
            "inspections": page,
            "page_obj": page,
            "total": page.paginator.count,
            "can_plan": permissions.is_runner(request.user),
            "visits": selectors.visits_to_start(request.user) if permissions.is_runner(request.user) else [],
            "thematic": list(questionnaires().values()) if permissions.can_view_thematic(request.user) else [],
            "by_year": selectors.visits_by_year_and_stream() if permissions.can_view_thematic(request.user) else [],
            "programme_checks": selectors.programme_checks_by_year()
            if permissions.can_view_thematic(request.user)
            else [],
            "streams": Stream.choices,
        },
    )


def inspection_plan(request, visit_pk: int | None = None):
    _require(permissions.is_runner(request.user))
    visit = None
    if visit_pk is not None:
        from ikms.monitoring.models import VisitPlanEntry, VisitStatus

        visit = get_object_or_404(
            VisitPlanEntry.objects.select_related("institution"), pk=visit_pk, status=VisitStatus.PLANNED
        )
    initial = {"planned_on": visit.planned_date} if visit else {}
    if visit is None and (reference := request.GET.get("complaint", "").strip()[:40]):
        # prefilled from the complaint's page: the reference, the kind and the first institution concerned
        found = complaints_for_user(request.user).filter(reference=reference).first()
        if found is not None:
            first = found.institutions.order_by("name").first()
            initial = {"complaint": found.reference, "kind": "complaint", "institution": first}
    form = f.PlanForm(request.POST or None, user=request.user, visit=visit, initial=initial or None)
    result = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            result["inspection"] = services.inspection_plan(
                actor=request.user,
                visit=visit,
                institution=d.get("institution"),
                planned_on=d["planned_on"],
                subject=d["subject"],
                kind=d.get("kind") or "ad_hoc",
                complaint=d.get("complaint"),
                questionnaire_code=d.get("questionnaire", ""),
                stream=d.get("stream") or "supervision",
            )

        if _run(request, form, action, _("The inspection is planned.")):
            return redirect("inspections:detail", result["inspection"].pk)
    return render(
        request,
        "inspections/form.html",
        {"form": form, "title": _("Plan an inspection"), "visit": visit, "submit_label": _("Plan the inspection")},
    )


def inspection_detail(request, pk: int):
    inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    act = getattr(inspection, "act", None)
    answers = []
    for question, given in selectors.inspection_answers(inspection):
        shown = given
        if question.type == "yes_no" and given is not None:
            shown = _("Yes") if given else _("No")
        elif question.type == "level" and given:
            shown = LEVEL_LABELS[given]
        answers.append((question.text, shown))
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "act": act,
            "findings": act.findings.all() if act else [],
            "orders": selectors.inspection_orders(inspection),
            "answers": answers,
            "is_staff_view": permissions.sees_every_inspection(request.user),
            "can_open_complaint": inspection.complaint_id is not None
            and can_view_complaint(request.user, inspection.complaint),
            "actions": [
                (t.action.replace("_", "-"), t.label) for t in permissions.allowed_actions(request.user, inspection)
            ],
        },
    )


def inspection_action(request, pk: int, action: str):
    inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    name = SLUGS.get(action)
    if name is None:
        raise Http404
    _require(permissions.can_transition(request.user, inspection, name))
    form_class = ACTIONS[name]
    kwargs = {}
    if name == "record_visit":
        kwargs["questionnaire"] = questionnaire(inspection.questionnaire) if inspection.questionnaire else None
    elif name in ("issue_order", "submit_evidence", "review_evidence"):
        kwargs["inspection"] = inspection
    form = form_class(request.POST or None, **kwargs) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        d = form.cleaned_data if form else {}
        u = request.user
        steps = {
            "cancel": lambda: services.inspection_cancel(actor=u, inspection=inspection, reason=d["reason"]),
            "record_visit": lambda: services.visit_record(
                actor=u, inspection=inspection, visited_on=d["visited_on"], answers=form.answers()
            ),
            "write_act": lambda: services.act_write(
                actor=u, inspection=inspection, dated_on=d["dated_on"], summary=d["summary"], act_type=d["act_type"]
            ),
            "add_finding": lambda: services.finding_add(
                actor=u, inspection=inspection, text=d["text"], severity=d["severity"], legal_basis=d["legal_basis"]
            ),
            "issue_order": lambda: services.order_issue(
                actor=u, inspection=inspection, kind=d["kind"], text=d["text"], due_on=d["due_on"], finding=d["finding"]
            ),
            "send_act": lambda: services.act_send(actor=u, inspection=inspection),
            "submit_evidence": lambda: services.evidence_submit(
                actor=u, order=d["order"], text=d["text"], attachment=d["attachment"]
            ),
            "review_evidence": lambda: services.evidence_review(
                actor=u, evidence=d["evidence"], accept=d["decision"] == "accept", note=d["note"]
            ),
            "close": lambda: services.inspection_close(actor=u, inspection=inspection),
        }
        holder = form or f.CancelForm()
        if _run(request, holder, steps[name], _("Done.")):
            return redirect("inspections:detail", inspection.pk)
        if form is None:
            for error in holder.non_field_errors():
                messages.error(request, error)
            return redirect("inspections:detail", inspection.pk)
    label = next(t.label for t in permissions.allowed_actions(request.user, inspection) if t.action == name)
    return render(
        request,
        "inspections/form.html",
        {"form": form, "title": label, "inspection": inspection, "submit_label": label},
    )


def act_pdf_download(request, pk: int):
    inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    if not hasattr(inspection, "act"):
        raise Http404
    response = HttpResponse(act_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="akts-{inspection.pk}.pdf"'
    return response


def programme_check_new(request):
    """Record an adult-education programme desk check (an expert review or a check of the offer lists)."""
    _require(permissions.is_runner(request.user))
    form = f.ProgrammeCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.programme_check_log(
                actor=request.user,
                kind=d["kind"],
                checked_on=d["checked_on"],
                institution=d["institution"],
                programmes=d["programmes"],
                mismatches=d["mismatches"],
                note=d["note"],
            )

        if _run(request, form, action, _("The programme check is recorded.")):
            return redirect("inspections:list")
    return render(
        request,
        "inspections/form.html",
        {"form": form, "title": _("Record a programme check"), "submit_label": _("Record the check")},
    )


def thematic_results(request, code: str):
    _require(permissions.can_view_thematic(request.user))
    q = questionnaires().get(code)
    if q is None:
        raise Http404
    visits, results = selectors.thematic_results(q)
    yes_no = [r for r in results if r.question.type == "yes_no"]
    levels = [
        (r, [(LEVEL_LABELS[lvl], r.counts[lvl]) for lvl in LEVELS]) for r in results if r.question.type == "level"
    ]
    numbers = [r for r in results if r.question.type == "number"]
    chart = bar_chart(
        "thematic-yes",
        _("Share of visits answering yes, %"),
        [r.question.text for r in yes_no],
        [round(r.share, 1) if r.share is not None else None for r in yes_no],
        horizontal=True,
        x_title="%",
    )
    return render(
        request,
        "inspections/thematic.html",
        {"questionnaire": q, "visits": visits, "yes_no": yes_no, "levels": levels, "numbers": numbers, "chart": chart},
    )
