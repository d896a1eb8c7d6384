"""Pages of the register of teacher private-practice certificates. The public register (no sign-in): search and
the CSV/XLSX export, public fields only. The staff pages: the list, a certificate with its decisions, event log and
row history, the decision forms (issue, extend, annul) and the year's counts as the annual report gives them.
Thin: the certificate comes through the CERTIFICATE policy (404 when not visible), a gate decides the action (403
when visible but not allowed), one service writes, and its errors go back onto the form with nothing written."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.core.audit import audit_events_for, with_target_names
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.core.views import require, run_service
from ikms.practice import permissions, selectors, services
from ikms.practice.choices import CertificateStatus
from ikms.practice.exports import headers, rows
from ikms.practice.forms import AnnulForm, CertificateFilterForm, ExtendForm, IssueForm
from ikms.registry.forms import YearFilterForm
from ikms.registry.history import object_history

PUBLIC_PAGE_SIZE = 25
STAFF_PAGE_SIZE = 50
#: The decisions open on a certificate in each status (the action in the address).
ACTIONS = {CertificateStatus.VALID: ("extend", "annul")}
DECISION_FORMS = {
    "extend": (ExtendForm, gettext_lazy("Extend the certificate")),
    "annul": (AnnulForm, gettext_lazy("Annul the certificate")),
}

_require = require
_run = run_service


@login_not_required
def public_list(request):
    form = CertificateFilterForm(request.GET or None, public=True)
    qs = selectors.certificate_filter(selectors.certificate_public_list(), **form.filters()).order_by(
        "teacher__name", "number"
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt=fmt, filename="privatprakses-sertifikati", headers=headers(), rows=rows(qs))
    page = Paginator(qs, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "practice/public_list.html", {"form": form, "page_obj": page, "total": page.paginator.count})


def certificate_list(request):
    _require(permissions.can_use_register(request.user))
    form = CertificateFilterForm(request.GET or None, public=False)
    qs = selectors.certificate_filter(selectors.certificate_visible_to(request.user), **form.filters()).order_by(
        "-issued_on", "-id"
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt=fmt, filename="privatprakse", headers=headers(), rows=rows(qs))
    page = Paginator(qs, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/certificate_list.html",
        {
            "form": form,
            "page_obj": page,
            "total": page.paginator.count,
            "can_decide": permissions.can_decide(request.user),
        },
    )


def certificate_detail(request, pk: int):
    certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
    history = object_history(certificate)
    for version in history:  # a version's number is this register's decision, not a registry.Decision
        version.decision_id = None
    return render(
        request,
        "practice/certificate_detail.html",
        {
            "certificate": certificate,
            "decisions": [(d, selectors.decision_changes(d)) for d in selectors.certificate_decisions(certificate)],
            "others": selectors.teacher_certificates(certificate),
            "actions": ACTIONS.get(certificate.status, ()) if permissions.can_decide(request.user) else (),
            "events": with_target_names(audit_events_for(target=certificate)[:200]),
            "history": history,
        },
    )


def certificate_issue(request):
    _require(permissions.can_decide(request.user))
    form = IssueForm(request.POST or None)
    result = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            result["certificate"] = services.certificate_issue(
                actor=request.user,
                decision=form.decision_input(),
                teacher_name=d["teacher_name"],
                personal_code=d["personal_code"],
                education_kind=d["education_kind"],
                programme_area=d["programme_area"],
                programme_name=d["programme_name"],
                number=d["certificate_number"],
            )

        if _run(request, form, action, _("The certificate is issued.")):
            return redirect("practice:detail", pk=result["certificate"].pk)
    return render(request, "practice/decision_form.html", {"form": form, "title": _("Issue a certificate")})


def certificate_decide(request, pk: int, action: str):
    """The decision forms of one certificate: extend or annul a valid certificate."""
    certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_decide(request.user))
    if action not in ACTIONS.get(certificate.status, ()):
        raise Http404
    form_class, title = DECISION_FORMS[action]
    form = form_class(request.POST or None)

    def call():
        decision = form.decision_input()
        if action == "extend":
            return services.certificate_extend(actor=request.user, decision=decision, certificate=certificate)
        return services.certificate_annul(
            actor=request.user, decision=decision, certificate=certificate, reason=form.cleaned_data["reason"]
        )

    if request.method == "POST" and form.is_valid() and _run(request, form, call, _("The decision is recorded.")):
        return redirect("practice:detail", pk=certificate.pk)
    return render(
        request, "practice/decision_form.html", {"form": form, "title": str(title), "certificate": certificate}
    )


def statistics(request):
    """The year's certificate decisions as the annual report gives them."""
    _require(permissions.can_use_register(request.user))
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    years = selectors.decision_years()
    year = chosen.cleaned_data["year"] or (years[0] if years else timezone.localdate().year)
    labels = {
        "issued": _("Certificates issued (new and extended)"),
        "distinct_teachers": _("Teachers they were issued to"),
        "for_interest_education": _("of them for interest education"),
        "for_non_formal_education": _("of them for non-formal adult education"),
        "new": _("Issued anew"),
        "extended": _("Validity extended"),
        "annulled": _("Certificates annulled"),
    }
    counts = selectors.certificate_counts(year=year)
    table = [(labels[key], n) for key, n in counts.items()]
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            fmt=request.GET["format"], filename=f"privatprakse-{year}", headers=[_("Figure"), _("Count")], rows=table
        )
    return render(
        request,
        "practice/statistics.html",
        {"year": year, "rows": table, "years": sorted({*years, year}, reverse=True)},
    )
