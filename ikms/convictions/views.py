"""The commission's pages. Thin: a record comes through the commission's policies (404 for anyone outside it), a
page without a record through a gate (403), one service writes and its errors go back onto the form with nothing
written. Every page, export and download that shows a record writes a read-log row first (`reads.read_record`);
the data protection officer's page lists them, and shows no record."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.convictions import forms as f
from ikms.convictions import permissions, reads, selectors, services
from ikms.convictions.choices import ReadKind
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.core.views import require, run_service
from ikms.registry.forms import YearFilterForm

_require = require
_run = run_service

def _log(request, kind: str, applications=(), meeting=None) -> None:
    reads.read_record(
        reader=request.user, kind=kind, applications=applications, meeting=meeting, path=request.get_full_path()
    )


# --- applications ---------------------------------------------------------------------------------------------


def application_list(request):
    """The applications with their deadlines and outcomes; the commission's own export (CSV/XLSX)."""
    _require(permissions.can_use_convictions(request.user))
    chosen = f.ApplicationFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    state, year = chosen.cleaned_data["state"], chosen.cleaned_data["year"]
    qs = selectors.filter_applications(selectors.application_visible_to(request.user), state=state, year=year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        ordered = list(qs.order_by("received_on", "id"))
        _log(request, ReadKind.EXPORT, ordered)
        return export_response(
            fmt=fmt,
            filename="personu-izvertesana",
            headers=selectors.export_headers(),
            rows=selectors.export_rows(qs.order_by("received_on", "id")),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = selectors.application_rows(qs.filter(pk__in=[a.pk for a in page]), today=timezone.localdate())
    _log(request, ReadKind.LIST, [row[0] for row in rows])
    return render(
        request,
        "convictions/list.html",
        {
            "page": page,
            "rows": rows,
            "filter_form": chosen,
            "filters": {"state": state, "year": year},
            "can_work": permissions.can_work(request.user),
        },
    )


def application_register(request):
    _require(permissions.can_work(request.user))
    form = f.ApplicationForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = {}

        def action():
            created["a"] = services.application_register(actor=request.user, **d)

        if _run(request, form, action, _("The application is registered.")):
            return redirect("convictions:detail", pk=created["a"].pk)
    return render(
        request,
        "convictions/form.html",
        {"form": form, "title": _("Register an application"), "submit_label": _("Register")},
    )


def application_detail(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    others = list(selectors.same_person(application))
    _log(request, ReadKind.APPLICATION, [application, *others])
    decisions = [(d, selectors.target_group_labels(d.target_groups)) for d in selectors.decisions_of(application)]
    can_work = permissions.can_work(request.user)
    return render(
        request,
        "convictions/detail.html",
        {
            "application": application,
            "deadline": selectors.decision_deadline(application),
            "decisions": decisions,
            "opinions": list(selectors.opinions_of(application)),
            "others": others,
            "can_decide": can_work and application.is_open,
            "can_annul": can_work and selectors.permit_in_force(application) is not None,
            "can_give_opinion": permissions.can_give_opinion(request.user) and application.is_open,
        },
    )


def _application_form_page(
    request, pk: int, *, allowed, form_class, title, submit_label, success, service, form_kwargs=None
):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    _require(allowed(request.user))
    _log(request, ReadKind.APPLICATION, [application])
    form = form_class(request.POST or None, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: service(application, form), success):
            return redirect("convictions:detail", pk=application.pk)
    return render(
        request,
        "convictions/form.html",
        {"form": form, "application": application, "title": title, "submit_label": submit_label},
    )


def application_decide(request, pk: int):
    return _application_form_page(
        request,
        pk,
        allowed=permissions.can_work,
        form_class=f.AnswerForm,
        form_kwargs={"meetings": selectors.meeting_visible_to(request.user).order_by("-held_on", "-id")},
        title=_("Record the commission's decision"),
        submit_label=_("Record the decision"),
        success=_("The decision is recorded."),
        service=lambda a, form: services.decision_record(
            actor=request.user,
            application=a,
            meeting=form.cleaned_data["meeting"],
            kind=form.cleaned_data["kind"],
            target_groups=form.cleaned_data["target_groups"],
            data=form.decision_input(),
        ),
    )


def application_annul(request, pk: int):
    return _application_form_page(
        request,
        pk,
        allowed=permissions.can_work,
        form_class=f.AnnulForm,
        form_kwargs={"meetings": selectors.meeting_visible_to(request.user).order_by("-held_on", "-id")},
        title=_("Annul the permit"),
        submit_label=_("Annul the permit"),
        success=_("The permit is annulled."),
        service=lambda a, form: services.decision_annul(
            actor=request.user, application=a, meeting=form.cleaned_data["meeting"], data=form.decision_input()
        ),
    )


def application_opinion(request, pk: int):
    return _application_form_page(
        request,
        pk,
        allowed=permissions.can_give_opinion,
        form_class=f.OpinionForm,
        title=_("Give your opinion"),
        submit_label=_("Save"),
        success=_("Your opinion is recorded."),
        service=lambda a, form: services.opinion_record(
            actor=request.user, application=a, position=form.cleaned_data["position"], note=form.cleaned_data["note"]
        ),
    )


# --- meetings -------------------------------------------------------------------------------------------------


def meeting_list(request):
    _require(permissions.can_use_convictions(request.user))
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    year = chosen.cleaned_data["year"]
    meetings = list(selectors.meeting_rows(request.user, year=year))
    _log(request, ReadKind.MEETINGS)
    return render(
        request,
        "convictions/meetings.html",
        {"meetings": meetings, "year": year, "can_work": permissions.can_work(request.user)},
    )


def meeting_record(request):
    _require(permissions.can_work(request.user))
    form = f.MeetingForm(
        request.POST or None, members=selectors.commission_members(), initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = {}

        def action():
            created["m"] = services.meeting_record(
                actor=request.user, number=d["number"], held_on=d["held_on"], members=d["members"]
            )

        if _run(request, form, action, _("The meeting is recorded.")):
            return redirect("convictions:meeting", pk=created["m"].pk)
    return render(
        request,
        "convictions/form.html",
        {"form": form, "title": _("Record a meeting"), "submit_label": _("Save"), "back": "meetings"},
    )


def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    decisions = list(selectors.meeting_decisions(meeting))
    _log(request, ReadKind.MEETING, [d.application for d in decisions], meeting=meeting)
    return render(
        request,
        "convictions/meeting.html",
        {
            "meeting": meeting,
            "members": list(meeting.members_present.order_by("last_name", "first_name", "username")),
            "decisions": [(d, selectors.target_group_labels(d.target_groups)) for d in decisions],
        },
    )


# --- figures and the read log ---------------------------------------------------------------------------------


def figures(request):
    """The year's figures (meetings, permits, refusals, annulments, persons), counted from the records."""
    _require(permissions.can_view_figures(request.user))
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    years = selectors.decision_years(request.user)
    year = chosen.cleaned_data["year"] or (years[0] if years else timezone.localdate().year)
    years = sorted({*years, year}, reverse=True)  # a year asked for without decisions is shown too (all zeros)
    _log(request, ReadKind.FIGURES)
    return render(
        request,
        "convictions/figures.html",
        {"figures": selectors.year_figures(request.user, year), "year": year, "years": years},
    )


def read_log(request):
    """Who read which of the commission's records when: for IKVD's data protection officer, without the records."""
    _require(permissions.can_view_read_log(request.user))
    chosen = f.ReadLogFilterForm(request.GET)
    reference = chosen.cleaned_data["reference"] if chosen.is_valid() else ""
    page = Paginator(selectors.read_log_for(request.user, reference=reference), 100).get_page(request.GET.get("page"))
    return render(request, "convictions/read_log.html", {"page": page, "filter_form": chosen, "reference": reference})
