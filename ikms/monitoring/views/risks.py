"""The ranked risk list and the visit plan (IKVD staff): the list with its flags' evidence, putting an
institution on the plan and changing a visit's status, each list exported to CSV and XLSX."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ikms.core.exceptions import ApplicationError
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors, services
from ikms.monitoring.evidence import sentences
from ikms.monitoring.forms import RiskFilterForm, VisitFilterForm, VisitPlanForm, VisitStatusForm
from ikms.monitoring.models import VisitReason, VisitStatus
from ikms.monitoring.views.common import (
    RISK_PAGE_SIZE,
    dashboard_filter,
    no_data,
    require,
    school_year,
    wants_export,
    year_checked,
)


def _with_evidence(flags, rule_info):
    """Each flag with its rule and its evidence in sentences."""
    return [(f, rule_info.get(f.rule), sentences(f.rule, f.evidence)) for f in flags]


def _risk_export(request, entries, *, year: str):
    rows = [(rank, e.institution.registration_number, e.institution.name, e.institution.municipality.name,
             e.institution.type.name, e.score, ", ".join(e.rule_codes),
             " ".join(s for f in e.flags for s in sentences(f.rule, f.evidence)),
             e.planned.planned_date if e.planned else None, _plan_status(e.planned))
            for rank, e in enumerate(entries, start=1)]
    return export_response(fmt=request.GET["format"], filename=f"riski-{year.replace('/', '-')}",
                           headers=[_("Rank"), _("Registration number"), _("Institution"), _("Municipality"),
                                    _("Institution type"), _("Risk score"), _("Risk rules"), _("Evidence"),
                                    _("Visit planned for"), _("Plan status")], rows=rows)


def _plan_status(planned) -> str:
    """An institution's place in the visit plan, in words: planned, drawn at random, or not in the plan."""
    if planned is None:
        return _("Not in the plan")
    return _("Drawn at random") if planned.chosen_at_random else _("On the visit plan")


def _scores_stamp(scores) -> str:
    """What the cached list depends on of the scores: their model and when they were computed."""
    latest = max((s.computed_at for s in scores.values()), default=None)
    return f"{latest.isoformat() if latest else ''}"


def _form_errors(form, exc: ValidationError | ApplicationError) -> None:
    """A service's refusal on the form: field errors on their fields, the rest above the form."""
    if isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@year_checked
def risks(request):
    user = request.user
    require(permissions.can_view_risks(user))
    years = selectors.school_years()
    if not years:
        return no_data(request)
    rule_info = selectors.rules()
    year = school_year(request, years)
    rule = request.GET.get("rule", "")
    filters = {"municipality": dashboard_filter(request, "municipality") or None,
               "type_code": dashboard_filter(request, "type") or None,
               "rule": rule if rule in rule_info else None}
    if wants_export(request):
        return _risk_export(request, selectors.risk_list(user=user, year=year, **filters), year=year)
    ranked = selectors.risk_ranking(user=user, year=year, **filters)
    # The risk score (issue 17) orders the list where the year has scores; the rules' order otherwise.
    scores = selectors.risk_scores_visible_to(user, year)
    ranked = selectors.order_by_score(ranked, scores)
    page = Paginator(ranked, RISK_PAGE_SIZE).get_page(request.GET.get("page"))

    def entries():
        out = []
        for e in selectors.risk_entries(user=user, year=year, ranked=page.object_list):
            e.risk_score = scores.get(e.institution.registration_number)
            out.append((e, _with_evidence(e.flags, rule_info)))
        return out

    plan = selectors.visit_plan_stamp()
    can_plan = permissions.can_plan_visits(user)
    return render(request, "monitoring/risks.html", {
        "form": lambda: RiskFilterForm(request.GET or None, years=years, rules=rule_info.values()),
        "year": year, "summary": selectors.run_summary(year, user=request.user), "total": len(ranked),
        "entries": entries, "page_obj": page, "rank_offset": page.start_index() - 1 if ranked else 0,
        "rules": rule_info.values(), "can_plan": can_plan,
        "not_evaluated": lambda: selectors.not_evaluated_summary(
            user=user, year=year, municipality=filters["municipality"], type_code=filters["type_code"]),
        "run_skipped": lambda: selectors.skipped_lines(selectors.full_run(year)),
        "list_key": f"{selectors.state_key(year)}:{year}:{filters}:{page.number}:{can_plan}:{plan}:"
                    f"{selectors.scope_key(user)}:{_scores_stamp(scores)}",
        "scored": any(s.status == "scored" for s in scores.values()),
    })


@year_checked
def visit_add(request, registration_number: str):
    user = request.user
    require(permissions.can_view_risks(user))
    inst = selectors.institution_for_monitoring(user, registration_number)
    require(permissions.can_plan_visits(user))
    years = selectors.school_years()
    year = school_year(request, years, data=request.POST if "year" in request.POST else None)
    flags = selectors.risk_flags_visible_to(user, year, [inst.registration_number]) if year else []
    initial = {"reason": VisitReason.RISK if flags else VisitReason.RANDOM}
    form = VisitPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan_add(actor=user, institution=inst, planned_date=form.cleaned_data["planned_date"],
                                    reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                                    school_year=year if flags else "")
        except (ValidationError, ApplicationError) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is on the visit plan.") % {"name": inst.name})
            return redirect(reverse("monitoring:visits"))
    return render(request, "monitoring/visit_form.html", {
        "institution": inst, "form": form, "year": year, "flags": _with_evidence(flags, selectors.rules()),
        "crumbs": [(_("Risk list"), reverse("monitoring:risks") + (f"?year={year}" if year else ""))],
    })


def visits(request):
    user = request.user
    require(permissions.can_view_risks(user))
    form = VisitFilterForm(request.GET or None)
    status = request.GET.get("status") if request.GET.get("status") in VisitStatus.values else None
    reason = request.GET.get("reason") if request.GET.get("reason") in VisitReason.values else None
    entries = selectors.visits_visible_to(user, status=status, reason=reason)
    if wants_export(request):
        return export_response(
            fmt=request.GET["format"], filename="apmeklejumu-plans",
            headers=[_("Planned date"), _("Registration number"), _("Institution"), _("Municipality"), _("Reason"),
                     _("Risk rules"), _("Justification"), _("Status"), _("Status note"), _("Planned by")],
            rows=[(e.planned_date, e.institution.registration_number, e.institution.name,
                   e.institution.municipality.name, e.get_reason_display(), ", ".join(e.rules), e.note,
                   e.get_status_display(), e.status_note, str(e.created_by)) for e in entries])
    counts = selectors.visit_reason_counts(entries) if not reason else {}
    return render(request, "monitoring/visits.html", {"form": form, "entries": entries,
                                                      "can_plan": permissions.can_plan_visits(user),
                                                      "counts": counts})


def visit_status(request, pk: int):
    user = request.user
    require(permissions.can_view_risks(user))
    entry = selectors.visit_get_for_user(user, pk)
    require(permissions.can_plan_visits(user))
    form = VisitStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan_set_status(actor=user, entry=entry, status=form.cleaned_data["status"],
                                           note=form.cleaned_data["note"])
        except (ValidationError, ApplicationError) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The visit's status is changed."))
            return redirect(reverse("monitoring:visits"))
    return render(request, "monitoring/visit_status.html", {
        "entry": entry, "form": form, "crumbs": [(_("Visit plan"), reverse("monitoring:visits"))]})
