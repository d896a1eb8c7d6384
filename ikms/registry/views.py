"""Staff register pages. Views are thin: resolve the object through a scoped selector, check the
predicate, call one service, render. Missing and forbidden objects both give 404."""


from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.core.audit import audit_events_for, audit_events_for_institution, with_target_names
from ikms.core.charts import stacked_bars
from ikms.core.exceptions import ApplicationError
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.registry import history, permissions, selectors, services
from ikms.registry.choices import DecisionKind, InstitutionStatus
from ikms.registry.exports import institution_headers, institution_rows
from ikms.registry.filters import DecisionFilterForm, InstitutionFilterForm
from ikms.registry.forms import (
    AccreditationForm,
    ApplicationDecisionForm,
    FounderForm,
    InstitutionAmendForm,
    InstitutionRegisterForm,
    LicenceChangeForm,
    ProgrammeLicenseForm,
    RevokeForm,
    StrikeOffForm,
    YearFilterForm,
)
from ikms.registry.models import Institution

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _run_decision(request, form, action: Callable[[], object], success: str, redirect_to: str):
    """Call the service; map domain errors onto the form so nothing is half-written or lost."""
    try:
        action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, success)
    return redirect(redirect_to)


def staff_home(request):
    if not permissions.can_use_staff_register(request.user):
        # Older links and bookmarks lead here after sign-in: who may not use the staff register goes to their
        # own start page ("Mani darbi", settings.LOGIN_REDIRECT_URL) instead of an error.
        return redirect(settings.LOGIN_REDIRECT_URL)
    visible = selectors.institution_visible_to(request.user)
    return render(request, "registry/staff_home.html", {
        "institution_count": visible.filter(status=InstitutionStatus.REGISTERED).count(),
        "application_count": visible.filter(status=InstitutionStatus.APPLICATION).count(),
        "recent_decisions": selectors.decision_visible_to(request.user)[:10],
    })


def institution_list(request):
    _require(permissions.can_use_staff_register(request.user))
    form = InstitutionFilterForm(request.GET or None, public=False)
    qs = selectors.institution_filter(selectors.institution_visible_to(request.user), **form.filters())
    qs = qs.order_by("name")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt=fmt, filename="iestades", headers=institution_headers(),
                               rows=institution_rows(qs))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/institution_list.html", {"form": form, "page_obj": page,
                                                             "total": page.paginator.count})


def institution_detail(request, pk: int):
    institution = selectors.institution_get_for_user(user=request.user, pk=pk)
    return render(request, "registry/institution_detail.html", {
        "institution": institution,
        **selectors.institution_detail_for_staff(institution),
        "events": with_target_names(audit_events_for_institution(institution_id=institution.pk)[:200]),
        "history": history.object_history(institution),
    })


def institution_register(request):
    _require(permissions.can_decide_register(request.user))
    form = InstitutionRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("registration_number", "name", "type", "founder", "municipality", "address",
                                    "head_name")}
        result: dict = {}

        def action():
            if d["kind"] == DecisionKind.REGISTER:
                result["institution"] = services.institution_register(
                    actor=request.user, decision=form.decision_input(), **fields)
            else:
                result["institution"] = services.institution_application_record(
                    actor=request.user, decision=form.decision_input(), kind=DecisionKind(d["kind"]),
                    **fields).institution

        if _run_decision(request, form, action, _("The decision is recorded."), "registry:institution-list"):
            return redirect("registry:institution-detail", pk=result["institution"].pk)
    return render(request, "registry/decision_form.html", {
        "form": form, "title": _("New institution: registration decision")})


def _initial_from(institution: Institution) -> dict:
    return {"name": institution.name, "type": institution.type_id, "founder": institution.founder_id,
            "municipality": institution.municipality_id, "address": institution.address,
            "head_name": institution.head_name, "capacity": institution.capacity}


def institution_decide(request, pk: int, action: str):
    """Decision forms on one entry: amend, postpone/refuse an application, strike off, accreditation."""
    institution = selectors.institution_get_for_user(user=request.user, pk=pk)
    back = redirect("registry:institution-detail", pk=institution.pk)
    done = _("The decision is recorded.")
    if action == "accreditation":
        _require(permissions.can_decide_accreditation(request.user))
        form = AccreditationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            response = _run_decision(request, form, lambda: services.accreditation_decide(
                actor=request.user, decision=form.decision_input(), institution=institution,
                kind=DecisionKind(form.cleaned_data["kind"]), valid_until=form.cleaned_data["valid_until"]),
                done, back.url)
            if response:
                return response
        title = _("Accreditation decision")
    else:
        _require(permissions.can_decide_register(request.user))
        if action == "amend":
            form = InstitutionAmendForm(request.POST or None, initial=_initial_from(institution))
            if request.method == "POST" and form.is_valid():
                d = form.cleaned_data
                values = {k: d[k] for k in ("name", "type", "founder", "municipality", "address", "head_name",
                                            "capacity")}
                kind = (DecisionKind.HE_REGISTER_AMEND if institution.type.kind.code == "higher"
                        else DecisionKind.AMEND)
                response = _run_decision(request, form, lambda: services.institution_amend(
                    actor=request.user, decision=form.decision_input(), institution=institution,
                    reason=d["reason"], values=values, kind=kind), done, back.url)
                if response:
                    return response
            title = _("Amend the register entry")
        elif action == "application":
            form = ApplicationDecisionForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                response = _run_decision(request, form, lambda: services.institution_application_record(
                    actor=request.user, decision=form.decision_input(), institution=institution,
                    kind=DecisionKind(form.cleaned_data["kind"])), done, back.url)
                if response:
                    return response
            title = _("Postpone or refuse an application")
        elif action == "register":
            form = InstitutionRegisterForm(request.POST or None, initial={
                **_initial_from(institution), "registration_number": institution.registration_number})
            form.fields["kind"].choices = [(DecisionKind.REGISTER, DecisionKind.REGISTER.label)]
            form.fields["registration_number"].disabled = True
            form.clean_registration_number = lambda: institution.registration_number
            if request.method == "POST" and form.is_valid():
                d = form.cleaned_data
                response = _run_decision(request, form, lambda: services.institution_register(
                    actor=request.user, decision=form.decision_input(), application=institution,
                    registration_number=institution.registration_number,
                    **{k: d[k] for k in ("name", "type", "founder", "municipality", "address", "head_name")}),
                    done, back.url)
                if response:
                    return response
            title = _("Register the institution")
        elif action == "strike-off":
            form = StrikeOffForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                kind = (DecisionKind.HE_BRANCH_REMOVE if institution.type.code.endswith("branch")
                        else DecisionKind.STRIKE_OFF)
                response = _run_decision(request, form, lambda: services.institution_strike_off(
                    actor=request.user, decision=form.decision_input(), institution=institution,
                    reason=form.cleaned_data["reason"], kind=kind), done, back.url)
                if response:
                    return response
            title = _("Liquidate / strike off")
        elif action == "programme":
            form = ProgrammeLicenseForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                d = form.cleaned_data
                response = _run_decision(request, form, lambda: services.programme_license(
                    actor=request.user, decision=form.decision_input(), institution=institution, code=d["code"],
                    name=d["programme_name"], form=d["form"], places=[form.place()],
                    licence_number=d["licence_number"], entry_kind=d["entry_kind"],
                    international=d["international"]), done, back.url)
                if response:
                    return response
            title = _("License a programme")
        else:
            raise Http404
    return render(request, "registry/decision_form.html", {"form": form, "title": title,
                                                          "institution": institution})


def programme_detail(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    return render(request, "registry/programme_detail.html", {
        "programme": programme,
        "decisions": programme.decisions.select_related("decided_by").order_by("-date", "-id"),
        "events": with_target_names(audit_events_for(target=programme)),
        "history": history.object_history(programme),
    })


def programme_decide(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_decide_register(request.user))
    form = LicenceChangeForm(request.POST or None, initial={"programme_name": programme.name,
                                                            "form": programme.form})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _run_decision(request, form, lambda: services.programme_licence_change(
            actor=request.user, decision=form.decision_input(), programme=programme, kind=DecisionKind(d["kind"]),
            values={"name": d["programme_name"], "form": d["form"]},
            entry_kind=d["entry_kind"] if d["kind"] == DecisionKind.LICENCE_AMEND else ""),
            _("The decision is recorded."), reverse("registry:programme-detail", args=[programme.pk]))
        if response:
            return response
    return render(request, "registry/decision_form.html", {
        "form": form, "title": _("Licence decision"), "institution": programme.institution,
        "programme": programme})


def decision_list(request):
    """Decisions the user may see, searched by number, institution, kind and date (the API's filters)."""
    _require(permissions.can_use_staff_register(request.user))
    form = DecisionFilterForm(request.GET or None)
    qs = selectors.decision_filter(selectors.decision_visible_to(request.user), **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/decision_list.html", {
        "form": form, "page_obj": page, "total": page.paginator.count})


def decision_detail(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk)
    return render(request, "registry/decision_detail.html", {
        "decision": decision, "events": with_target_names(audit_events_for(target=decision)),
        "changes": history.decision_changes(decision), "reason": history.reason_label(decision),
        "can_revoke": permissions.can_decide_register(request.user) and not decision.is_revoked
        and decision.kind in services.REVOCABLE})


def decision_revoke(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_decide_register(request.user))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _run_decision(request, form, lambda: services.decision_revoke(
            actor=request.user, decision=form.decision_input(), target=decision),
            _("The decision is revoked."), reverse("registry:decision-detail", args=[decision.pk]))
        if response:
            return response
    return render(request, "registry/decision_form.html", {
        "form": form, "title": _("Revoke decision %(number)s") % {"number": decision.number},
        "institution": decision.institution})


def statistics(request):
    _require(permissions.can_view_register_statistics(request.user))
    this_year = timezone.localdate().year
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    year = chosen.cleaned_data["year"] or this_year - 1
    labels = {
        "postponed_or_deadline_extended": _("Registration or amendment postponed, incl. deadline extended"),
        "liquidated_or_struck_off": _("Institutions liquidated / struck off, incl. by reorganisation or "
                                      "change of type"),
        "registered_or_amended_reorganisation": _("Institutions registered, or amended by reorganisation or "
                                                  "change of type"),
        "registration_refused": _("Registration refused"),
        "decision_revoked": _("Decision revoked"),
        "higher_ed_branch_removed": _("Higher-education branch removed from the register"),
        "higher_ed_register_amended": _("Amendments to the register of higher education institutions"),
        "international_school_decisions": _("International school registrations and permits"),
    }
    counts = selectors.register_decision_counts(year=year)
    rows = [(labels[k], v) for k, v in counts.items()]
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(fmt=request.GET["format"], filename=f"registra-lemumi-{year}",
                               headers=[_("Decision"), _("Count")], rows=rows)
    return render(request, "registry/statistics.html", {
        "year": year, "rows": rows, "years": range(this_year, 2014, -1),
        "licences": selectors.licence_counts(year=year),
        "licence_labels": dict(DecisionKind.choices)})


def _licensing_rows(counts: dict) -> tuple[list[tuple[str, int, bool]], list[tuple[str, int, bool]]]:
    """Figure 1's and table 8's rows: (label, count, indented: a part of the row above it)."""
    g, v, d = counts["general"], counts["vocational"], counts["details"]
    general = [
        (_("General programmes licensed"), g["total"], False),
        (_("Pre-school programmes"), g["preschool"], False),
        (_("of them special pre-school programmes"), g["preschool_special"], True),
        (_("Basic education programmes"), g["basic"], False),
        (_("of them special basic education programmes"), g["basic_special"], True),
        (_("of them international programmes"), g["basic_international"], True),
        (_("of them in distance form"), g["basic_distance"], True),
        (_("General secondary programmes"), g["secondary"], False),
        (_("of them International Baccalaureate"), d["secondary_international_baccalaureate"], True),
        (_("VIIS entries amending general programme licences"), g["viis_amendment_entries"], False),
        (_("General secondary study plans updated"), g["secondary_study_plans_updated"], False),
        (_("Refusals to license a general programme"), g["refusals"], False),
    ]
    vocational = [
        (_("VIIS entries on licensing vocational programmes"), v["viis_entries_total"], False),
        (_("New programmes licensed"), v["new_programmes"], False),
        (_("initial vocational education"), d["new_vocational"], True),
        (_("continuing vocational education"), d["new_continuing_vocational"], True),
        (_("professional development"), d["new_professional_development"], True),
        (_("vocational orientation (music, art, dance, sports)"), d["new_vocational_orientation"], True),
        (_("Programmes registered (derived) under Vocational Education Law Section 25(5)–(6)"),
         v["derived_registrations"], False),
        (_("continuing vocational education"), d["derived_continuing_vocational"], True),
        (_("professional development"), d["derived_professional_development"], True),
        (_("Right to implement a programme restored"), v["rights_restored"], False),
        (_("Programmes updated after a modular model programme (re-licensing)"), v["modular_relicensing"], False),
        (_("Updated programmes re-licensed as a new VIIS entry"), v["relicensing_new_viis_entry"], False),
        (_("Vocational orientation programmes re-licensed after LNKC model programmes"),
         v["vocational_oriented_relicensing"], False),
        (_("Programmes licensed at a new place of implementation (not in the total above)"),
         v["new_place_of_implementation"], False),
    ]
    return general, vocational


def licensing_statistics(request):
    """Figure 1 (general programmes licensed) and table 8 (vocational programmes) of the annual report for a year,
    counted from the year's licensing decisions (revoked ones left out)."""
    _require(permissions.can_view_register_statistics(request.user))
    this_year = timezone.localdate().year
    chosen = YearFilterForm(request.GET)
    if not chosen.is_valid():
        return year_error_response(request, chosen)
    year = chosen.cleaned_data["year"] or this_year - 1
    counts = selectors.licensing_counts(year=year)
    general, vocational = _licensing_rows(counts)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = [(_("General programmes (figure 1)"), label, n) for label, n, _indented in general]
        rows += [(_("Vocational programmes (table 8)"), label, n) for label, n, _indented in vocational]
        return export_response(fmt=request.GET["format"], filename=f"licencesana-{year}",
                               headers=[_("Table"), _("Row"), _("Count")], rows=rows)
    g = counts["general"]
    levels = [("preschool", _("Pre-school")), ("basic", _("Basic")), ("secondary", _("Secondary"))]
    special = [g.get(f"{key}_special", 0) for key, _label in levels]
    chart = stacked_bars("licensing-figure-1", _("General programmes licensed in %(year)s by level") % {"year": year},
                         [label for _key, label in levels],
                         [(_("Special programmes"), special),
                          (_("Other programmes"), [g[key] - s for (key, _label), s in zip(levels, special,
                                                                                            strict=True)])])
    return render(request, "registry/licensing_statistics.html", {
        "year": year, "years": range(this_year, 2014, -1), "general": general, "vocational": vocational,
        "chart": chart})


def founder_create(request):
    _require(permissions.can_decide_register(request.user))
    form = FounderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _run_decision(
            request, form, lambda: services.founder_create(actor=request.user, **form.cleaned_data),
            _("The founder is recorded."), reverse("registry:institution-register"))
        if response:
            return response
    return render(request, "registry/decision_form.html", {"form": form, "title": _("New founder"),
                                                          "submit_label": _("Save")})
