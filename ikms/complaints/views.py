"""Complaint pages for supervision staff and founders. Thin: the complaint comes through the complaint policy (404
when not visible), a predicate decides the action (403 when visible but not allowed), one service writes, and its
errors go back onto the form with nothing written. The submitter's identity is put in the context only for those
`permissions.can_see_identity` allows."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.complaints import forms as f
from ikms.complaints import permissions, selectors, services
from ikms.complaints.choices import Outcome
from ikms.core.charts import line_chart
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.core.quarters import QUARTER_LABELS, export_headers, export_rows
from ikms.core.views import require, run_service
from ikms.registry.forms import YearFilterForm

_require = require
_run = run_service

def complaint_list(request):
    """The complaints the user sees (supervision: all, with filters; a founder: those forwarded to it)."""
    _require(permissions.can_use_complaints(request.user))
    today = timezone.localdate()
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    filters = {
        "state": request.GET.get("state", ""),
        "topic": request.GET.get("topic", ""),
        "outcome": request.GET.get("outcome", ""),
        "year": chosen.cleaned_data["year"],
    }
    qs = selectors.complaint_list(request.user, today=today, **filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        # The export never carries the submitter's identity, whoever asks for it.
        return export_response(
            fmt=fmt,
            filename="iesniegumi",
            headers=selectors.export_headers(),
            rows=selectors.export_rows(qs.order_by("received_on", "id")),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    names = selectors.topic_names()
    rows = [
        (c, selectors.answer_deadline(c), selectors.complaint_urgency(c, today), [names.get(t, t) for t in c.topics])
        for c in page
    ]
    return render(
        request,
        "complaints/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "topics": sorted(names.items(), key=lambda x: x[1]),
            "outcomes": Outcome.choices,
            "can_work": permissions.can_work(request.user),
            "can_view_trends": permissions.can_view_trends(request.user),
        },
    )


def complaint_register(request):
    _require(permissions.can_work(request.user))
    form = f.ComplaintRegisterForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = {}

        def action():
            created["c"] = services.complaint_register(
                actor=request.user,
                channel=d["channel"],
                submitter_type=d["submitter_type"],
                text=d["text"],
                received_on=d["received_on"],
                institutions=d["institutions"],
                topics=d["topics"],
                anonymous=d["anonymous"],
                submitter_name=d["submitter_name"],
                submitter_contact=d["submitter_contact"],
                personal_code=d["personal_code"],
                assignee=request.user,
            )

        if _run(request, form, action, _("The complaint is registered.")):
            return redirect("complaints:detail", pk=created["c"].pk)
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": _("Register a complaint"), "submit_label": _("Register")},
    )


def complaint_detail(request, pk: int):
    complaint = selectors.complaint_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    can_work = permissions.can_work(request.user)
    names = selectors.topic_names()
    context = {
        "complaint": complaint,
        "case_file": complaint.case_file,
        "deadline": selectors.answer_deadline(complaint),
        "urgency": selectors.complaint_urgency(complaint, today),
        "deadlines": list(complaint.case_file.deadlines.all()) if can_work else [],
        "topics": [names.get(t, t) for t in complaint.topics],
        "institutions": list(complaint.institutions.all()),
        "can_work": can_work and not complaint.is_closed,
        "can_note_appeal": can_work,
        "show_identity": permissions.can_see_identity(request.user),
        "same_submitter": list(selectors.same_submitter(complaint)[:20])
        if permissions.can_see_identity(request.user)
        else [],
        "duplicates": selectors.possible_duplicates(complaint) if permissions.can_see_identity(request.user) else [],
        "can_answer": permissions.can_answer_as_founder(request.user, complaint),
        "suggestions": selectors.topic_suggestions(complaint.text) if can_work and not complaint.is_closed else None,
        "surveys": list(complaint.surveys.all()) if can_work else [],
        # the inspections it prompted (inspections link them; supervision staff see every inspection)
        "inspections": list(complaint.inspections.select_related("institution")) if can_work else [],
    }
    return render(request, "complaints/detail.html", context)


def _action_page(
    request,
    pk: int,
    *,
    form_class,
    title: str,
    submit_label: str,
    success: str,
    service,
    allowed=permissions.can_work,
    initial=None,
):
    complaint = selectors.complaint_get_for_user(user=request.user, pk=pk)
    _require(allowed(request.user) if allowed is permissions.can_work else allowed(request.user, complaint))
    form = form_class(request.POST or None, initial=initial(complaint) if initial else None)
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: service(request.user, complaint, form.cleaned_data), success):
            return redirect("complaints:detail", pk=complaint.pk)
    return render(
        request,
        "complaints/form.html",
        {"form": form, "complaint": complaint, "title": title, "submit_label": submit_label},
    )


def complaint_topics(request, pk: int):
    return _action_page(
        request,
        pk,
        form_class=f.TopicsForm,
        title=_("Confirm the topics"),
        submit_label=_("Save"),
        success=_("The topics are saved."),
        service=lambda u, c, d: services.complaint_set_topics(actor=u, complaint=c, topics=d["topics"]),
        initial=lambda c: {"topics": c.topics},
    )


def complaint_forward(request, pk: int):
    return _action_page(
        request,
        pk,
        form_class=f.ForwardForm,
        title=_("Forward the complaint"),
        submit_label=_("Forward"),
        success=_("The complaint is forwarded."),
        service=lambda u, c, d: services.complaint_forward(
            actor=u,
            complaint=c,
            founder=d["founder"],
            other_authority=d["other_authority"],
            forwarded_on=d["forwarded_on"],
            summary=d["summary"],
        ),
        initial=lambda c: {"forwarded_on": timezone.localdate()},
    )


def complaint_outcome(request, pk: int):
    return _action_page(
        request,
        pk,
        form_class=f.OutcomeForm,
        title=_("Record the outcome"),
        submit_label=_("Save"),
        success=_("The outcome is recorded."),
        service=lambda u, c, d: services.complaint_record_outcome(actor=u, complaint=c, outcome=d["outcome"]),
    )


def complaint_reply(request, pk: int):
    return _action_page(
        request,
        pk,
        form_class=f.ReplyForm,
        title=_("Reply to the submitter"),
        submit_label=_("Send the reply"),
        success=_("The reply letter is written and kept among the documents."),
        service=lambda u, c, d: services.complaint_reply(
            actor=u, complaint=c, text=d["text"], addressee=d["addressee"]
        ),
    )


def complaint_close(request, pk: int):
    return _action_page(
        request,
        pk,
        form_class=f.CloseForm,
        title=_("Close the complaint"),
        submit_label=_("Close"),
        success=_("The complaint is closed."),
        service=lambda u, c, d: services.complaint_close(actor=u, complaint=c, closed_on=d["closed_on"]),
        initial=lambda c: {"closed_on": timezone.localdate()},
    )


def complaint_appeal(request, pk: int):
    return _action_page(
        request,
        pk,
        form_class=f.AppealForm,
        title=_("Note an appeal"),
        submit_label=_("Save"),
        success=_("The appeal is noted."),
        service=lambda u, c, d: services.complaint_note_appeal(actor=u, complaint=c, note=d["note"]),
    )


def complaint_founder_answer(request, pk: int):
    return _action_page(
        request,
        pk,
        form_class=f.FounderAnswerForm,
        title=_("Answer the complaint"),
        submit_label=_("Send the answer"),
        success=_("Your answer is sent to IKVD."),
        service=lambda u, c, d: services.complaint_founder_answer(actor=u, complaint=c, text=d["text"]),
        allowed=permissions.can_answer_as_founder,
    )


def consultations(request):
    """The consultations log: the last entries, a quarter summary, and the form to log one."""
    _require(permissions.can_work(request.user))
    form = f.ConsultationForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.consultation_log(
                actor=request.user,
                given_on=d["given_on"],
                topic=d["topic"],
                audience=d["audience"],
                channel=d["channel"],
                duration_minutes=d["duration_minutes"],
                note=d["note"],
                contact=d["contact"],
            )

        if _run(request, form, action, _("The consultation is logged.")):
            return redirect("complaints:consultations")
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    year = chosen.cleaned_data["year"] or timezone.localdate().year
    names = selectors.topic_names()
    recent = [(c, names.get(c.topic, c.topic)) for c in selectors.Consultation.objects.select_related("given_by")[:30]]
    return render(
        request,
        "complaints/consultations.html",
        {
            "form": form,
            "recent": recent,
            "year": year,
            "summary": selectors.consultations_summary(year),
        },
    )


def trends(request):
    """Quarterly trends of complaints by topic, institution type, municipality and outcome; survey results."""
    _require(permissions.can_view_trends(request.user))
    years = sorted({d.year for d in selectors.Complaint.objects.dates("received_on", "year")}, reverse=True)
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    year = chosen.cleaned_data["year"] or (years[0] if years else timezone.localdate().year)
    trend = selectors.trends(year)
    titles = {
        "topic": _("By topic"),
        "type": _("By institution type"),
        "municipality": _("By municipality (the 15 with most complaints)"),
        "outcome": _("By outcome"),
    }
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = export_rows([trend["compare_total"]], group=_("All complaints"))
        for key, title in titles.items():
            rows += export_rows(trend["compare"][key], group=title)
        return export_response(
            fmt=fmt, filename=f"iesniegumi-ceturksni-{year}", headers=export_headers(_("Breakdown")), rows=rows
        )
    previous = trend["compare_total"]
    return render(
        request,
        "complaints/trends.html",
        {
            "trend": trend,
            "compare_chart": line_chart(
                "complaint-quarters",
                _("Complaints per quarter, %(year)s and %(before)s") % {"year": year, "before": year - 1},
                list(QUARTER_LABELS),
                [
                    (str(year), [c.count for c in previous.quarters]),
                    (str(year - 1), [c.previous for c in previous.quarters]),
                ],
                _("Complaints"),
            ),
            "compare_total": [previous],
            "compare": [(key, title, trend["compare"][key]) for key, title in titles.items()],
            "years": years,
            "year": year,
            "chart": line_chart(
                "complaint-topics",
                _("Complaints by topic and quarter, %(year)s") % {"year": year},
                ["I", "II", "III", "IV"],
                [(label, counts) for label, counts, _t in trend["topic"]],
                _("Complaints"),
            ),
            "surveys": selectors.survey_results(year),
            "per_thousand": selectors.per_thousand_learners(year),
            "consultations": selectors.consultations_summary(year),
            "breakdowns": [
                ("topic", _("By topic"), trend["topic"]),
                ("type", _("By institution type"), trend["type"]),
                ("municipality", _("By municipality (the 15 with most complaints)"), trend["municipality"]),
                ("outcome", _("By outcome"), trend["outcome"]),
            ],
        },
    )
