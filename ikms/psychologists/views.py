"""Pages of the register of psychologists.

* The public register (`public_list`, `public_detail`; no sign-in, mounted in the portal's address space): search
  and CSV/XLSX export of the public fields only.
* The staff pages: the register with every entry's decisions, applications, the board's meetings, examinations and
  the year's figures. IKVD staff read them; the board's secretariat (registry officers, IKVD administrators)
  records. Thin: objects come through the scopers (404 when not visible), a predicate decides the action (403),
  one service writes, and its errors go back onto the form with nothing written."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.core.views import require, run_service
from ikms.psychologists import exports, permissions, selectors, services
from ikms.psychologists import forms as f
from ikms.psychologists.choices import DECISION_EVENTS, DecisionKind, ExamKind
from ikms.psychologists.models import Decision
from ikms.registry.forms import YearFilterForm

PAGE_SIZE = 25
#: The figures of the statistics page, in the annual report's words (lazy: in the language of each request).
FIGURES = {
    "council_meetings": gettext_lazy("Meetings of the Psychologist Certification Board"),
    "registration_applications": gettext_lazy("Registration applications received"),
    "registered": gettext_lazy("Psychologists registered"),
    "certified_by_exam": gettext_lazy("Psychologists certified after the certification examination"),
    "supervisor_rights_granted": gettext_lazy("Supervising psychologist's rights granted"),
    "foreign_qualifications_recognised": gettext_lazy("Foreign professional qualifications recognised"),
    "active_in_register_end_of_year": gettext_lazy("Active psychologists in the register at the end of the year"),
    "of_which_supervisors": gettext_lazy("of which supervising psychologists"),
    "certified_share_percent": gettext_lazy("Share of certified psychologists among the active ones, per cent"),
}


#: The service's name of a field, where the form names it otherwise.
FIELD_NAMES = {"psychologist": "registration_number"}

_require = require
_run = functools.partial(run_service, field_names=FIELD_NAMES)


def _list(request, qs, template: str, context: dict, *, filename: str):
    """A searchable register list with its export (the public and the staff pages share it)."""
    today = timezone.localdate()
    form = f.SearchForm(request.GET or None)
    qs = selectors.psychologist_filter(qs, today=today, **form.filters()).order_by("last_name", "first_name", "id")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt=fmt, filename=filename, headers=exports.public_headers(), rows=exports.public_rows(qs, today=today)
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, selectors.valid_certificates(p, today)) for p in page]
    return render(
        request, template, {"form": form, "page_obj": page, "rows": rows, "total": page.paginator.count, **context}
    )


# --- the public register ----------------------------------------------------------------------------------------


@login_not_required
def public_list(request):
    return _list(request, selectors.public_list(), "psychologists/public_list.html", {}, filename="psihologi")


@login_not_required
def public_detail(request, registration_number: str):
    psychologist = selectors.public_get(registration_number)
    today = timezone.localdate()
    return render(
        request,
        "psychologists/public_detail.html",
        {
            "psychologist": psychologist,
            "today": today,
            "certificates": list(psychologist.certificates.all()),
            "decisions": selectors.public_decisions(psychologist),
        },
    )


# --- the staff register -----------------------------------------------------------------------------------------


def register(request):
    _require(permissions.can_use_register(request.user))
    visible = selectors.psychologists_visible_to(request.user).prefetch_related("certificates")
    return _list(
        request,
        visible,
        "psychologists/register.html",
        {
            "open_applications": selectors.applications_visible_to(request.user).filter(decision__isnull=True).count(),
            "can_record": permissions.can_record(request.user),
        },
        filename="psihologu-registrs",
    )


def psychologist_detail(request, pk: int):
    psychologist = selectors.psychologist_get_for_user(request.user, pk)
    return render(
        request,
        "psychologists/detail.html",
        {
            "psychologist": psychologist,
            "today": timezone.localdate(),
            "certificates": psychologist.certificates.all(),
            "decisions": selectors.entry_decisions(psychologist),
            "applications": selectors.entry_applications(psychologist),
            "results": psychologist.exam_results.select_related("session", "decision").order_by("-session__date"),
            "can_record": permissions.can_record(request.user),
        },
    )


def psychologist_decide(request, pk: int):
    psychologist = selectors.psychologist_get_for_user(request.user, pk)
    _require(permissions.can_record(request.user))
    form = f.EntryDecisionForm(request.POST or None, psychologist=psychologist)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data, kind, meeting = form.decision_input(), d["kind"], d["meeting"]

        def action():
            if kind == DecisionKind.CERTIFY:
                services.certificate_issue(
                    actor=request.user,
                    decision=data,
                    meeting=meeting,
                    exam_result=d["exam_result"],
                    number=d["certificate_number"],
                )
            elif kind == DecisionKind.GRANT_SUPERVISOR:
                services.supervisor_rights_grant(
                    actor=request.user, decision=data, meeting=meeting, exam_result=d["exam_result"]
                )
            elif kind == DecisionKind.RENEW:
                services.certificate_renew(
                    actor=request.user, decision=data, meeting=meeting, certificate=d["certificate"]
                )
            elif kind == DecisionKind.WITHDRAW_SUPERVISOR:
                services.supervisor_rights_withdraw(
                    actor=request.user, decision=data, meeting=meeting, certificate=d["certificate"]
                )
            else:
                services.psychologist_status_change(
                    actor=request.user,
                    decision=data,
                    meeting=meeting,
                    psychologist=psychologist,
                    kind=DecisionKind(kind),
                )

        if _run(request, form, action, _("The decision is recorded.")):
            return redirect("psychologists:detail", pk=psychologist.pk)
    return render(
        request,
        "psychologists/form.html",
        {
            "form": form,
            "title": _("Record a board decision"),
            "caption": psychologist.full_name,
            "submit_label": _("Record the decision"),
            "back": ("psychologists:detail", psychologist.pk),
            "psychologist": psychologist,
        },
    )


# --- applications -----------------------------------------------------------------------------------------------


def applications(request):
    _require(permissions.can_use_board(request.user))
    qs = selectors.applications_visible_to(request.user)
    return render(
        request,
        "psychologists/applications.html",
        {
            "open": qs.filter(decision__isnull=True).order_by("received_on", "id"),
            "page_obj": Paginator(
                qs.filter(decision__isnull=False).order_by("-decision__date", "-id"), PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "can_record": permissions.can_record(request.user),
        },
    )


def application_new(request):
    _require(permissions.can_record(request.user))
    form = f.ApplicationForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d, created = form.cleaned_data, {}

        def action():
            created["a"] = services.application_receive(
                actor=request.user,
                kind=d["kind"],
                received_on=d["received_on"],
                first_name=d["first_name"],
                last_name=d["last_name"],
                personal_code=d["personal_code"],
                education=d["education"],
                psychologist=d["registration_number"],
                area=d["area"],
                country=d["country"],
            )

        if _run(request, form, action, _("The application is recorded.")):
            return redirect("psychologists:application", pk=created["a"].pk)
    return render(
        request,
        "psychologists/form.html",
        {
            "form": form,
            "title": _("Record an application"),
            "submit_label": _("Record"),
            "back": ("psychologists:applications", None),
        },
    )


def application_detail(request, pk: int):
    application = selectors.application_get_for_user(request.user, pk)
    return render(
        request,
        "psychologists/application.html",
        {
            "application": application,
            "decision": getattr(application, "decision", None),
            "decision_list": Decision.objects.filter(application=application).select_related("meeting", "psychologist"),
            "can_record": permissions.can_record(request.user),
        },
    )


def application_decide(request, pk: int):
    application = selectors.application_get_for_user(request.user, pk)
    _require(permissions.can_record(request.user))
    if not application.is_open:
        messages.info(request, _("This application has already been decided."))
        return redirect("psychologists:application", pk=application.pk)
    form = f.ApplicationDecisionForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data, kind, meeting = form.decision_input(), d["kind"], d.get("meeting")

        def action():
            if kind == DecisionKind.REFUSE:
                services.application_refuse(actor=request.user, decision=data, application=application, meeting=meeting)
            elif kind == DecisionKind.REGISTER:
                services.psychologist_register(
                    actor=request.user,
                    decision=data,
                    meeting=meeting,
                    application=application,
                    registration_number=d["registration_number"],
                )
            elif kind == DecisionKind.RECOGNISE:
                services.qualification_recognise(
                    actor=request.user, decision=data, application=application, document=d["document"]
                )
            elif kind == DecisionKind.CERTIFY:
                services.certificate_issue(
                    actor=request.user,
                    decision=data,
                    meeting=meeting,
                    exam_result=d["exam_result"],
                    application=application,
                )
            else:
                services.supervisor_rights_grant(
                    actor=request.user,
                    decision=data,
                    meeting=meeting,
                    exam_result=d["exam_result"],
                    application=application,
                )

        if _run(request, form, action, _("The decision is recorded.")):
            return redirect("psychologists:application", pk=application.pk)
    return render(
        request,
        "psychologists/form.html",
        {
            "form": form,
            "title": _("Decide the application"),
            "caption": f"{application.reference} · {application.full_name} · {application.get_kind_display()}",
            "submit_label": _("Record the decision"),
            "back": ("psychologists:application", application.pk),
        },
    )


# --- the board's meetings ---------------------------------------------------------------------------------------


def meetings(request):
    _require(permissions.can_use_board(request.user))
    page = Paginator(selectors.meetings_visible_to(request.user).order_by("-date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "psychologists/meetings.html", {"page_obj": page, "can_record": permissions.can_record(request.user)}
    )


def meeting_new(request):
    _require(permissions.can_record(request.user))
    form = f.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d, created = form.cleaned_data, {}

        def action():
            created["m"] = services.meeting_record(
                actor=request.user, number=d["number"], date=d["date"], agenda=d["agenda"], remote=d["remote"]
            )

        if _run(request, form, action, _("The meeting is recorded.")):
            return redirect("psychologists:meeting", pk=created["m"].pk)
    return render(
        request,
        "psychologists/form.html",
        {
            "form": form,
            "title": _("Record a board meeting"),
            "submit_label": _("Record"),
            "back": ("psychologists:meetings", None),
        },
    )


def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    return render(
        request,
        "psychologists/meeting.html",
        {
            "meeting": meeting,
            "decisions": meeting.decisions.select_related("psychologist", "application").order_by("id"),
        },
    )


# --- examinations -----------------------------------------------------------------------------------------------


def exams(request):
    _require(permissions.can_use_board(request.user))
    page = Paginator(selectors.exam_sessions_visible_to(request.user).order_by("-date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "psychologists/exams.html", {"page_obj": page, "can_record": permissions.can_record(request.user)}
    )


def exam_new(request):
    _require(permissions.can_record(request.user))
    form = f.ExamSessionForm(request.POST or None, initial={"kind": ExamKind.CERTIFICATION})
    if request.method == "POST" and form.is_valid():
        d, created = form.cleaned_data, {}

        def action():
            created["s"] = services.exam_session_record(
                actor=request.user,
                date=d["date"],
                kind=d["kind"],
                mode=d["mode"],
                place=d["place"],
                max_score=d["max_score"],
                pass_score=d["pass_score"],
            )

        if _run(request, form, action, _("The examination session is recorded.")):
            return redirect("psychologists:exam", pk=created["s"].pk)
    return render(
        request,
        "psychologists/form.html",
        {
            "form": form,
            "title": _("Record an examination session"),
            "submit_label": _("Record"),
            "back": ("psychologists:exams", None),
        },
    )


def exam_detail(request, pk: int):
    session = selectors.exam_session_get_for_user(request.user, pk)
    return render(
        request,
        "psychologists/exam.html",
        {
            "session": session,
            "results": session.results.select_related("psychologist", "decision").order_by(
                "psychologist__last_name", "psychologist__first_name", "id"
            ),
            "can_record": permissions.can_record(request.user),
        },
    )


def exam_result_new(request, pk: int):
    session = selectors.exam_session_get_for_user(request.user, pk)
    _require(permissions.can_record(request.user))
    form = f.ExamResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.exam_result_record(
                actor=request.user,
                session=session,
                psychologist=d["registration_number"],
                area=d["area"],
                score=d["score"],
            )

        if _run(request, form, action, _("The result is recorded.")):
            return redirect("psychologists:exam", pk=session.pk)
    return render(
        request,
        "psychologists/form.html",
        {
            "form": form,
            "title": _("Record an examination result"),
            "caption": str(session),
            "submit_label": _("Record"),
            "back": ("psychologists:exam", session.pk),
        },
    )


# --- the year's figures -----------------------------------------------------------------------------------------


def statistics(request):
    _require(permissions.can_use_register(request.user))
    this_year = timezone.localdate().year
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    year = chosen.cleaned_data["year"] or this_year - 1
    counts = selectors.year_counts(year)
    rows = [(str(label), counts[key]) for key, label in FIGURES.items()]
    decisions = [(str(DECISION_EVENTS[DecisionKind(kind)]), n) for kind, n in selectors.decision_counts(year)]
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            fmt=request.GET["format"],
            filename=f"psihologu-registrs-{year}",
            headers=[_("Figure"), _("Count")],
            rows=rows + decisions,
        )
    return render(
        request,
        "psychologists/statistics.html",
        {
            "year": year,
            "years": range(this_year, 2017, -1),
            "rows": rows,
            "decisions": decisions,
        },
    )
