"""Pages of the register of child supervision providers. The public register (no sign-in): search, a provider's
public page and the CSV/XLSX export, public fields only. The staff pages: the list with the applications, an entry
with its decisions, event log and row history, the application form, the decision forms and the year's counts
(table 4). Thin: the entry comes through the PROVIDER policy (404 when not visible), a gate decides the action (403
when visible but not allowed), one service writes, and its errors go back onto the form with nothing written."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.childcare import permissions, selectors, services
from ikms.childcare.choices import ProviderKind, ProviderStatus
from ikms.childcare.exports import public_headers, public_rows, staff_headers, staff_rows
from ikms.childcare.forms import (
    AmendForm,
    ApplicationForm,
    ProviderDecisionForm,
    ProviderFilterForm,
    RefuseForm,
    RemoveForm,
)
from ikms.core.audit import audit_events_for, with_target_names
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.core.views import require, run_service
from ikms.registry.forms import YearFilterForm
from ikms.registry.history import object_history

PUBLIC_PAGE_SIZE = 25
STAFF_PAGE_SIZE = 50
#: The decisions open on an entry in each status (the action in the address).
ACTIONS = {
    ProviderStatus.APPLICATION: ("register", "refuse"),
    ProviderStatus.REGISTERED: ("amend", "remove"),
}
#: Each decision's form and page title.
DECISION_FORMS = {
    "register": (ProviderDecisionForm, gettext_lazy("Register the provider")),
    "refuse": (RefuseForm, gettext_lazy("Refuse registration")),
    "amend": (AmendForm, gettext_lazy("Amend the register entry")),
    "remove": (RemoveForm, gettext_lazy("Remove from the register")),
}

_require = require
_run = run_service


# --- the public register ---------------------------------------------------------------------------------------


@login_not_required
def public_list(request):
    form = ProviderFilterForm(request.GET or None, public=True)
    qs = selectors.provider_filter(selectors.provider_public_list(), **form.filters()).order_by("name", "id")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt=fmt,
            filename="bernu-uzraudzibas-pakalpojumu-sniedzeji",
            headers=public_headers(),
            rows=public_rows(qs),
        )
    page = Paginator(qs, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "childcare/public_list.html", {"form": form, "page_obj": page, "total": page.paginator.count}
    )


@login_not_required
def public_detail(request, registration_number: str):
    provider = selectors.provider_public_get(registration_number=registration_number)
    return render(request, "childcare/public_detail.html", {"provider": provider})


# --- staff pages ------------------------------------------------------------------------------------------------


def provider_list(request):
    _require(permissions.can_use_register(request.user))
    form = ProviderFilterForm(request.GET or None, public=False)
    qs = selectors.provider_filter(selectors.provider_visible_to(request.user), **form.filters()).order_by("name", "id")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt=fmt, filename="bernu-uzraudziba", headers=staff_headers(), rows=staff_rows(qs))
    page = Paginator(qs, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "childcare/provider_list.html",
        {
            "form": form,
            "page_obj": page,
            "total": page.paginator.count,
            "applications": selectors.applications_awaiting_decision(request.user),
            "can_decide": permissions.can_decide(request.user),
        },
    )


def provider_detail(request, pk: int):
    provider = selectors.provider_get_for_user(user=request.user, pk=pk)
    history = object_history(provider)
    for version in history:  # a version's number is this register's decision, not a registry.Decision
        version.decision_id = None
    return render(
        request,
        "childcare/provider_detail.html",
        {
            "provider": provider,
            "decisions": [(d, selectors.decision_changes(d)) for d in selectors.provider_decisions(provider)],
            "actions": ACTIONS.get(provider.status, ()) if permissions.can_decide(request.user) else (),
            "events": with_target_names(audit_events_for(target=provider)[:200]),
            "history": history,
        },
    )


def provider_apply(request):
    _require(permissions.can_decide(request.user))
    form = ApplicationForm(request.POST or None)
    result = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            result["provider"] = services.provider_apply(
                actor=request.user,
                kind=d["kind"],
                name=d["name"],
                service_type=d["service_type"],
                places=form.places(),
                application_number=d["application_number"],
                applied_on=d["applied_on"],
                personal_code=d["personal_code"] if d["kind"] == ProviderKind.NATURAL else "",
                registration_code=d["registration_code"] if d["kind"] == ProviderKind.LEGAL else "",
            )

        if _run(request, form, action, _("The application is recorded.")):
            return redirect("childcare:detail", pk=result["provider"].pk)
    return render(
        request,
        "childcare/decision_form.html",
        {"form": form, "title": _("Record an application"), "submit_label": _("Record the application")},
    )


def provider_decide(request, pk: int, action: str):
    """The decision forms of one entry: register or refuse an application, amend or remove a registered entry."""
    provider = selectors.provider_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_decide(request.user))
    if action not in ACTIONS.get(provider.status, ()):
        raise Http404
    form_class, title = DECISION_FORMS[action]
    initial = AmendForm.initial_for(provider) if action == "amend" else None
    form = form_class(request.POST or None, initial=initial)

    def call():
        d, decision = form.cleaned_data, form.decision_input()
        if action == "register":
            return services.provider_register(actor=request.user, decision=decision, provider=provider)
        if action == "refuse":
            return services.provider_refuse(
                actor=request.user, decision=decision, provider=provider, reason=d["reason"]
            )
        if action == "amend":
            return services.provider_amend(
                actor=request.user,
                decision=decision,
                provider=provider,
                name=d["name"],
                service_type=d["service_type"],
                places=form.places(),
            )
        return services.provider_remove(actor=request.user, decision=decision, provider=provider, reason=d["reason"])

    if request.method == "POST" and form.is_valid() and _run(request, form, call, _("The decision is recorded.")):
        return redirect("childcare:detail", pk=provider.pk)
    return render(request, "childcare/decision_form.html", {"form": form, "title": str(title), "provider": provider})


def statistics(request):
    """The year's decisions as table 4 of the annual report, by natural and legal persons."""
    _require(permissions.can_use_register(request.user))
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    years = selectors.decision_years()
    year = chosen.cleaned_data["year"] or (years[0] if years else timezone.localdate().year)
    labels = {
        "registered": _("Providers registered"),
        "refused": _("Registration refused"),
        "amended": _("Entries amended or supplemented"),
        "removed": _("Providers removed from the register"),
    }
    total = selectors.decision_counts(year=year)
    natural = selectors.decision_counts(year=year, provider_kind=ProviderKind.NATURAL)
    legal = selectors.decision_counts(year=year, provider_kind=ProviderKind.LEGAL)
    rows = [(labels[key], natural[key], legal[key], total[key]) for key in selectors.TABLE_4]
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            fmt=request.GET["format"],
            filename=f"bernu-uzraudziba-{year}",
            headers=[_("Decision"), _("Natural persons"), _("Legal persons"), _("Total")],
            rows=rows,
        )
    return render(
        request,
        "childcare/statistics.html",
        {"year": year, "rows": rows, "years": sorted({*years, year}, reverse=True)},
    )
