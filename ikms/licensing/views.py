"""The licensing pages under /licencesana/: the list (IKVD staff all, a head or founder its institutions'), an
application with its checks, deficiency rounds and decision, and one form per step. Every write is a service."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.core.charts import line_chart
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.core.quarters import QUARTER_LABELS, export_headers, export_rows
from ikms.core.views import require, run_service
from ikms.licensing import forms as f
from ikms.licensing import permissions, selectors, services
from ikms.licensing.choices import ApplicationKind, ApplicationState, CheckItem, CheckResult
from ikms.registry.forms import YearFilterForm
from ikms.registry.legal import legal_basis
from ikms.registry.models import Institution
from ikms.registry.permissions import OWN_INSTITUTION
from ikms.registry.services import PlaceInput

_require = require
_run = run_service


def _institutions(user):
    """The institutions the user may apply for: its own (head, founder); every registered one for an officer."""
    if permissions.can_decide(user):
        return Institution.objects.filter(status="registered")
    return OWN_INSTITUTION.scope(user, Institution.objects.filter(status="registered"))


def application_list(request):
    _require(permissions.can_use_licensing(request.user))
    form = f.FilterForm(request.GET or None)
    qs = selectors.filter_applications(selectors.applications_for_user(request.user), **form.filters())
    page = Paginator(qs.prefetch_related("case_file__deadlines"), 50).get_page(request.GET.get("page"))
    rows = [(a, selectors.decision_deadline(a)) for a in page]
    return render(
        request,
        "licensing/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "can_apply": permissions.can_decide(request.user) or _institutions(request.user).exists(),
            "can_view_trends": permissions.can_view_trends(request.user),
            "today": timezone.localdate(),
        },
    )


def application_new(request):
    institutions = _institutions(request.user)
    _require(institutions.exists())
    form = f.ApplyForm(request.POST or None, institutions=institutions)
    result = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            result["application"] = services.application_submit(
                actor=request.user,
                institution=d["institution"],
                kind=d["kind"],
                programme=d.get("programme"),
                code=d["code"],
                name=d["name"],
                form=d["form"],
                places=[PlaceInput(address=d["address"], municipality=d["municipality"])],
                note=d.get("note", ""),
            )

        if _run(request, form, action, _("The application is submitted.")):
            return redirect("licensing:detail", result["application"].pk)
    return render(
        request,
        "licensing/form.html",
        {"form": form, "title": _("Apply for a programme licence"), "submit_label": _("Submit the application")},
    )


def application_detail(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    labels, results = dict(CheckItem.choices), dict(CheckResult.choices)
    checks = [
        (labels.get(k, k), results.get(v["result"], v["result"]), v["note"]) for k, v in application.checks.items()
    ]
    is_open = application.is_open
    decider = permissions.can_decide(request.user)
    return render(
        request,
        "licensing/detail.html",
        {
            "application": application,
            "deadline": selectors.decision_deadline(application),
            "checks": checks,
            "deficiencies": list(application.deficiencies.select_related("deadline")),
            "can_check": decider and is_open,
            "can_send_deficiencies": decider and is_open and application.state != ApplicationState.DEFICIENCIES,
            "can_decide": decider and is_open and application.state != ApplicationState.DEFICIENCIES,
            "can_answer": is_open
            and application.state == ApplicationState.DEFICIENCIES
            and permissions.is_applicant(request.user, application),
            "can_withdraw": is_open and (decider or permissions.is_applicant(request.user, application)),
        },
    )


def _step(request, pk: int, *, allowed, form_factory, title: str, submit: str, success: str, action):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    _require(allowed(request.user, application))
    form = form_factory(application, request.POST or None)
    if request.method == "POST" and form.is_valid() and _run(request, form, lambda: action(application, form), success):
        return redirect("licensing:detail", application.pk)
    return render(
        request,
        "licensing/form.html",
        {"form": form, "title": title, "submit_label": submit, "application": application},
    )


def application_check(request, pk: int):
    return _step(
        request,
        pk,
        allowed=lambda u, a: permissions.can_decide(u),
        form_factory=lambda a, data: f.CheckForm(data, items=services.check_items(a), current=a.checks),
        title=_("Record the checks"),
        submit=_("Save the checks"),
        success=_("The checks are saved."),
        action=lambda a, form: services.application_check(actor=request.user, application=a, results=form.results()),
    )


def deficiencies_send(request, pk: int):
    return _step(
        request,
        pk,
        allowed=lambda u, a: permissions.can_decide(u),
        form_factory=lambda a, data: f.DeficienciesForm(data),
        title=_("Send the deficiencies"),
        submit=_("Send"),
        success=_("The deficiencies are sent to the applicant."),
        action=lambda a, form: services.deficiencies_send(
            actor=request.user, application=a, text=form.cleaned_data["text"], due_on=form.cleaned_data["due_on"]
        ),
    )


def deficiencies_answer(request, pk: int):
    return _step(
        request,
        pk,
        allowed=lambda u, a: permissions.is_applicant(u, a) or permissions.can_decide(u),
        form_factory=lambda a, data: f.AnswerForm(data),
        title=_("Answer the deficiencies"),
        submit=_("Send the answer"),
        success=_("The answer is sent to IKVD."),
        action=lambda a, form: services.deficiencies_answer(
            actor=request.user, application=a, text=form.cleaned_data["text"]
        ),
    )


def application_decide(request, pk: int):
    today = timezone.localdate()
    return _step(
        request,
        pk,
        allowed=lambda u, a: permissions.can_decide(u),
        form_factory=lambda a, data: f.DecideForm(
            data,
            initial={"date": today, "legal_basis": legal_basis("licence", today)},
            amendment=a.kind == ApplicationKind.AMEND,
        ),
        title=_("Decide on the application"),
        submit=_("Record the decision"),
        success=_("The decision is recorded."),
        action=lambda a, form: services.application_decide(
            actor=request.user,
            application=a,
            decision=form.decision_input(),
            grant=form.cleaned_data["grant"] == "yes",
            entry_kind=form.cleaned_data["entry_kind"],
        ),
    )


def application_withdraw(request, pk: int):
    return _step(
        request,
        pk,
        allowed=lambda u, a: permissions.is_applicant(u, a) or permissions.can_decide(u),
        form_factory=lambda a, data: f.WithdrawForm(data),
        title=_("Withdraw the application"),
        submit=_("Withdraw"),
        success=_("The application is withdrawn."),
        action=lambda a, form: services.application_withdraw(
            actor=request.user, application=a, reason=form.cleaned_data["reason"]
        ),
    )


def quarterly(request):
    """Licensing per quarter against the same quarter a year before: applications, decisions and amendments, a
    chart with its tables, CSV/XLSX (IKVD staff; counts only)."""
    _require(permissions.can_view_trends(request.user))
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    year = chosen.cleaned_data["year"] or timezone.localdate().year
    trend = selectors.quarterly_trends(year)
    titles = {
        "applications": _("Applications submitted"),
        "decisions": _("Licensing decisions"),
        "amendments": _("Licence amendments by what the entry records"),
    }
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = [row for key, title in titles.items() for row in export_rows(trend[key], group=title)]
        return export_response(
            fmt=fmt, filename=f"licencesana-ceturksni-{year}", headers=export_headers(_("Table")), rows=rows
        )
    decisions = trend["decisions"]
    totals = [sum(r.quarters[i].count for r in decisions) for i in range(4)]
    before = (
        [sum(r.quarters[i].previous or 0 for r in decisions) for i in range(4)]
        if trend["decisions_held_before"] else [None] * 4
    )
    chart = line_chart(
        "licensing-quarters",
        _("Licensing decisions per quarter, %(year)s and %(before)s") % {"year": year, "before": year - 1},
        list(QUARTER_LABELS),
        [(str(year), totals), (str(year - 1), before)],
        _("Decisions"),
    )
    return render(
        request,
        "licensing/quarterly.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year, 2009, -1)),
            "trend": trend,
            "chart": chart,
            "tables": [(key, title, trend[key]) for key, title in titles.items()],
        },
    )
