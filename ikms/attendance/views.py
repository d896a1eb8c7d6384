"""The absence hand-off pages (/kavejumu-lietas/): the list (IKVD staff: every case, pseudonymous; a municipality:
its residents' cases; a head: its school's), a case with the municipality's actions form, and the school's
report form. Thin: the case comes through the policy (404 when not visible), a predicate decides the action (403),
one service writes, and its errors go back onto the form with nothing written. The learner's name and the parents'
contact reach the context only where `permissions.can_see_identity` allows."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.attendance import forms as f
from ikms.attendance import permissions, selectors, services
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.core.views import require, run_service
from ikms.registry.models import Municipality
from ikms.registry.selectors import institutions_headed_by

STATES = ("open", "overdue", "closed")


def case_list(request):
    user = request.user
    require(permissions.can_use(user))
    today = timezone.localdate()
    chosen = f.ListFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    filters = {
        "year": chosen.cleaned_data["year"],
        "semester": request.GET.get("semester", ""),
        "municipality": request.GET.get("municipality", ""),
        "state": request.GET.get("state", "") if request.GET.get("state", "") in STATES else "",
    }
    qs = selectors.case_list(user, today=today, **filters)
    if request.GET.get("format") in ("csv", "xlsx"):
        # pseudonymous for everyone: the export never carries a name or a contact
        return export_response(
            fmt=request.GET["format"],
            filename="kavejumu-lietas",
            headers=[
                _("School year"),
                _("Semester"),
                _("Learner (pseudonym)"),
                _("Institution"),
                _("Municipality of declared residence"),
                _("Education level"),
                _("Reason"),
                _("Opened on"),
                _("Closed on"),
                _("Outcome"),
            ],
            rows=[
                (
                    c.school_year,
                    c.semester,
                    c.learner,
                    c.institution.name,
                    c.residence.name,
                    c.get_level_display(),
                    c.get_reason_display(),
                    c.case_file.opened_on,
                    c.case_file.closed_on,
                    c.get_outcome_display(),
                )
                for c in qs
            ],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    overdue = set(
        selectors.case_list(user, today=today, state="overdue")
        .filter(pk__in=[c.pk for c in page])
        .values_list("pk", flat=True)
    )
    municipalities = Municipality.objects.filter(pk__in=selectors.case_visible_to(user).values("residence")).order_by(
        "name_lv"
    )
    return render(
        request,
        "attendance/list.html",
        {
            "page": page,
            "rows": [(c, c.pk in overdue) for c in page],
            "filters": filters,
            "municipalities": municipalities,
            "states": STATES,
            "can_report": permissions.can_report(user),
            "years": sorted(set(selectors.case_visible_to(user).values_list("school_year", flat=True)), reverse=True),
        },
    )


def _detail(request, case, *, action_form=None, close_form=None, status=200):
    user = request.user
    can_act = permissions.can_act(user, case)
    return render(
        request,
        "attendance/detail.html",
        {
            "case": case,
            "case_file": case.case_file,
            "actions": list(case.actions.select_related("recorded_by")),
            "deadline": selectors.first_action_deadline(case),
            "today": timezone.localdate(),
            "show_identity": permissions.can_see_identity(user, case),
            "can_act": can_act,
            "action_form": action_form
            or (f.ActionForm(initial={"taken_on": timezone.localdate()}) if can_act else None),
            "close_form": close_form or (f.CloseForm() if can_act else None),
        },
        status=status,
    )


def case_detail(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    return _detail(request, case)


def action_add(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    require(permissions.can_act(request.user, case))
    if request.method != "POST":
        return _detail(request, case)
    form = f.ActionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if run_service(
            request,
            form,
            lambda: services.action_record(
                actor=request.user, case=case, kind=d["kind"], taken_on=d["taken_on"], note=d["note"]
            ),
            _("The action is recorded."),
        ):
            return redirect("attendance:detail", pk=case.pk)
    return _detail(request, case, action_form=form, status=400)


def case_close(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    require(permissions.can_act(request.user, case))
    if request.method != "POST":
        return _detail(request, case)
    form = f.CloseForm(request.POST)
    if form.is_valid() and run_service(
        request,
        form,
        lambda: services.case_close(actor=request.user, case=case, outcome=form.cleaned_data["outcome"]),
        _("The case is closed."),
    ):
        return redirect("attendance:detail", pk=case.pk)
    return _detail(request, case, close_form=form, status=400)


def case_report(request):
    user = request.user
    require(permissions.can_report(user))
    today = timezone.localdate()
    institutions = institutions_headed_by(user).order_by("name")
    form = f.ReportForm(request.POST or None, institutions=institutions, today=today)
    if request.method == "POST":
        created = {}
        if form.is_valid():
            d = form.cleaned_data

            def action():
                created["case"] = services.absence_report(
                    actor=user,
                    institution=d["institution"],
                    personal_code=d["personal_code"],
                    learner_name=d["learner_name"],
                    parent_contact=d["parent_contact"],
                    residence=d["residence"],
                    school_year=d["school_year"],
                    semester=d["semester"],
                    level=d["level"],
                    reason=d["reason"],
                )

            if run_service(request, form, action, _("The report is sent to the municipality.")):
                return redirect("attendance:detail", pk=created["case"].pk)
        return render(request, "attendance/report.html", {"form": form}, status=400)
    return render(request, "attendance/report.html", {"form": form})
