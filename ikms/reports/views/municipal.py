"""The municipal report's pages: choose a municipality and school years (a founder goes straight to its own), and
the report of one municipality with a narrative form per section, each section's version history and a preview of
the report as a web page, built from the `Report` (`ikms.reports.municipal.build`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikms.core.views import require, run_service
from ikms.monitoring import selectors as monitoring
from ikms.reports import municipal, services
from ikms.reports.disclosure import protect_report
from ikms.reports.forms import NarrativeForm
from ikms.reports.permissions import can_edit_narratives, can_view_report
from ikms.reports.render import html
from ikms.reports.selectors import latest_narratives, narrative_history


def _default_years() -> list[str]:
    return monitoring.school_years()[-municipal.MAX_YEARS:]


def municipal_choose(request):
    """Choose the municipality and the school years; a founder of one municipality goes straight to its report."""
    mine = list(monitoring.municipalities_for_user(request.user)[:2])
    require(bool(mine))
    code = request.GET.get("municipality", "")
    if not code and len(mine) == 1 and not request.GET.getlist("years"):
        return redirect(reverse("reports:municipal", args=[mine[0].code]))
    years_held = monitoring.school_years()
    error = ""
    if code and request.GET.get("open"):  # the form sent (a link with only `municipality` preselects it)
        try:
            params = municipal.parse(request.user, request.GET)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            monitoring.municipality_for_user(request.user, params["municipality"])  # 404 for another's
            return redirect(reverse("reports:municipal", args=[params["municipality"]]) + "?"
                            + urlencode({"years": params["years"]}, doseq=True))
    chosen = request.GET.getlist("years") or _default_years()
    return render(request, "reports/municipal/choose.html", {
        "municipalities": monitoring.municipalities_for_user(request.user), "years_held": years_held,
        "chosen": chosen, "code": code, "error": error}, status=400 if error else 200)


def municipal_report(request, code: str):
    """One municipality's report: the narrative forms (for its founder users), the version history and the preview."""
    muni = monitoring.municipality_for_user(request.user, code)
    require(can_view_report(request.user, muni))
    if not request.GET.getlist("years") and not _default_years():  # nothing computed yet: the choice explains
        return render(request, "reports/municipal/choose.html", {
            "municipalities": monitoring.municipalities_for_user(request.user), "years_held": [], "chosen": [],
            "code": code, "error": ""})
    try:
        years = municipal.parse_years(request.GET.getlist("years") or _default_years())
    except ValidationError as exc:
        return render(request, "reports/municipal/choose.html", {
            "municipalities": monitoring.municipalities_for_user(request.user),
            "years_held": monitoring.school_years(), "chosen": request.GET.getlist("years"), "code": code,
            "error": " ".join(exc.messages)}, status=400)
    editable = can_edit_narratives(request.user, muni)
    period = municipal.period_of(years)
    failed: tuple[str, NarrativeForm] | None = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        section = request.POST.get("section", "")
        form = NarrativeForm(request.POST, prefix=section)
        publish = request.POST.get("action") == "publish"
        service = services.narrative_publish if publish else services.narrative_save
        if form.is_valid() and run_service(
                request, form, lambda: service(actor=request.user, municipality=muni, years=years, section=section,
                                               text=form.cleaned_data["text"]),
                _("Published.") if publish else _("Draft saved.")):
            return redirect(request.get_full_path() + f"#section-{section}")
        failed = (section, form)
    latest = latest_narratives(municipality=muni, period=period)
    history: dict[str, list] = {}
    for n in narrative_history(municipality=muni, period=period):
        history.setdefault(n.section, []).append(n)
    report = municipal.build({"municipality": muni.code, "years": years, "draft": True}, language=get_language(),
                             progress=lambda share, step: None)
    shown = html.context(protect_report(report))  # the generic renderer's views, disclosure control applied
    sections = []
    for section, view in zip(report.sections, shown["sections"], strict=True):
        form = None
        if editable:
            form = (failed[1] if failed and failed[0] == section.key else
                    NarrativeForm(prefix=section.key, initial={"text": latest[section.key].text
                                                               if section.key in latest else ""}))
        sections.append({"section": section, "form": form, "history": history.get(section.key, []),
                         "view": view, "latest": latest.get(section.key)})
    return render(request, "reports/municipal/report.html", {
        "municipality": muni, "years": years, "report": report, "sections": sections, "editable": editable,
        "years_query": urlencode({"years": years}, doseq=True), "legend": shown["legend"],
        "has_charts": shown["has_charts"]}, status=400 if failed else 200)
