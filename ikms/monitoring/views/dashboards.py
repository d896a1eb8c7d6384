"""The landing page and the dashboards of the nation, a municipality and an institution, each table exported to
CSV and XLSX."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ikms.core.exports import export_response
from ikms.monitoring import charts, permissions, selectors
from ikms.monitoring import data_quality as dq
from ikms.monitoring.evidence import sentences
from ikms.monitoring.forms import DashboardFilterForm
from ikms.monitoring.labels import missing_label
from ikms.monitoring.models import Grain
from ikms.monitoring.views.common import (
    dashboard_filter,
    fmt,
    no_data,
    require,
    school_year,
    wants_export,
    year_checked,
)


def home(request):
    """Each user lands on the level they work at: IKVD the nation, a founder its municipality, a head the school."""
    user = request.user
    require(permissions.can_use_monitoring(user))
    if permissions.can_view_nation(user):
        return redirect("monitoring:nation")
    municipalities = list(selectors.municipalities_for_user(user))
    if len(municipalities) == 1:
        return redirect("monitoring:municipality", code=municipalities[0].code)
    institutions = list(selectors.institutions_for_monitoring(user)[:2])
    if len(institutions) == 1:
        return redirect("monitoring:institution", registration_number=institutions[0].registration_number)
    return render(request, "monitoring/home.html", {"municipalities": municipalities,
                                                    "institutions": selectors.institutions_for_monitoring(user)})


# --- presentation --------------------------------------------------------------------------------------------


def _dashboard_export(request, rows, filename: str, *, year: str, institution: bool):
    headers = [_("Theme"), _("Indicator code"), _("Indicator"), _("Breakdown"), _("School year"), _("Value")]
    headers += ([_("Municipality"), _("Nation"), _("Comparator group median"), _("Comparator group size")]
                if institution else [_("Nation"), _("Institutions' median"), _("25th percentile"),
                                     _("75th percentile"), _("Institutions with a value")])
    headers += [_("Suppressed in public outputs"), _("Values by school year")]
    out = []
    for r in rows:
        base = [r.info.theme_label, r.info.code, r.info.name, r.label, year, r.value]
        base += ([r.municipality, r.nation, r.comparator, r.comparator_n] if institution
                 else [r.nation, r.median, r.p25, r.p75, r.units])
        base += [_("yes") if r.suppressed else _("no"),
                 "; ".join(f"{y}: {fmt(v)}" for y, v in sorted(r.history.items()))]
        out.append(base)
    return export_response(fmt=request.GET["format"], filename=filename, headers=headers, rows=out)


def _themes(rows):
    grouped: dict[str, list] = {}
    for r in rows:
        grouped.setdefault(r.info.theme_label, []).append(r)
    return list(grouped.items())


def _risk_share_chart(rows):
    shares = [r for r in rows if r.info.theme == "risk_shares" and r.value is not None]
    if not shares:
        return None, []
    labels = [r.info.name for r in shares]
    return charts.bar_chart(_("Share of institutions at risk, %"), labels, [round(r.value, 1) for r in shares],
                            horizontal=True, x_title="%"), shares


# --- dashboards ----------------------------------------------------------------------------------------------


@year_checked
def nation(request):
    user = request.user
    require(permissions.can_view_nation(user))
    years = selectors.school_years()
    if not years:
        return no_data(request)
    year = school_year(request, years)
    level = dashboard_filter(request, "level")
    type_code, muni = dashboard_filter(request, "type"), dashboard_filter(request, "municipality")
    units = sorted(selectors.institutions_for_monitoring(user, municipality=muni or None, type_code=type_code or None)
                   .values_list("registration_number", flat=True))

    def rows():
        return selectors.area_dashboard(year=year, grain=Grain.NATION, unit=selectors.NATION, level=level or None,
                                        institutions=units, nation_too=False)

    if wants_export(request):
        return _dashboard_export(request, rows(), "ikms-valsts", year=year, institution=False)

    def build():
        built = rows()
        chart, chart_rows = _risk_share_chart(built)
        return {"themes": _themes(built), "chart": chart, "chart_rows": chart_rows}

    return render(request, "monitoring/nation.html", {
        "form": lambda: DashboardFilterForm(request.GET or None, years=years), "year": year, "years": years,
        "summary": selectors.run_summary(year, user=request.user), "build": build,
        "dash_key": f"{selectors.state_key()}:{year}:{level}:{type_code}:{muni}", "spread_units": len(units),
    })


@year_checked
def municipality(request, code: str):
    user = request.user
    require(permissions.can_use_monitoring(user))
    muni = selectors.municipality_for_user(user, code)
    require(permissions.can_view_municipality(user, muni))
    years = selectors.school_years()
    if not years:
        return no_data(request)
    year = school_year(request, years)
    level, type_code = dashboard_filter(request, "level"), dashboard_filter(request, "type")
    institutions = list(selectors.institutions_for_monitoring(user, type_code=type_code or None)
                        .filter(municipality=muni).order_by("name"))
    units = [i.registration_number for i in institutions]

    def rows():
        return selectors.area_dashboard(year=year, grain=Grain.MUNICIPALITY, unit=muni.code, level=level or None,
                                        institutions=units)

    if wants_export(request):
        return _dashboard_export(request, rows(), f"ikms-{muni.code}", year=year, institution=False)

    def build():
        table = selectors.municipality_institutions(user=user, year=year, institutions=institutions)
        return {"themes": _themes(rows()), "institutions": table}

    return render(request, "monitoring/municipality.html", {
        "municipality": muni, "year": year, "years": years, "build": build,
        "form": lambda: DashboardFilterForm(request.GET or None, years=years, with_municipality=False),
        "summary": selectors.run_summary(year, user=request.user), "show_flags": permissions.can_view_risk_flags(user),
        "dash_key": f"{selectors.state_key()}:{muni.code}:{year}:{level}:{type_code}:{selectors.size_band_key(units)}",
    })


@year_checked
def institution(request, registration_number: str):
    user = request.user
    require(permissions.can_use_monitoring(user))
    inst = selectors.institution_for_monitoring(user, registration_number)
    require(permissions.can_view_institution_monitoring(user, inst))
    years = selectors.school_years()
    if not years:
        return no_data(request)
    year = school_year(request, years)
    level = dashboard_filter(request, "level")

    def rows():
        return selectors.institution_dashboard(year=year, institution=inst, level=level or None)

    if wants_export(request):
        return _dashboard_export(request, rows(), f"ikms-{inst.registration_number}", year=year,
                                 institution=True)

    def build():
        built = rows()
        group = selectors.comparator_group(year, inst)
        learners = next((r.value for r in built if r.info.code == "learners_enrolled"), None)
        low, high = selectors.size_band(learners)
        flags = selectors.risk_flags_visible_to(user, year, [inst.registration_number])
        unevaluated = selectors.rules_not_evaluated(year, [inst.registration_number])
        return {"themes": _themes(built), "group_size": len(group), "band_low": low, "band_high": high,
                "flags": [(f, selectors.rules().get(f.rule), sentences(f.rule, f.evidence)) for f in flags],
                "not_evaluated": [(selectors.rules().get(r.rule), r.rule, missing_label(r.missing))
                                  for r in unevaluated]}

    return render(request, "monitoring/institution.html", {
        "institution": inst, "year": year, "years": years, "build": build,
        "coverage": dq.institution_coverage(inst.registration_number),
        "form": lambda: DashboardFilterForm(request.GET or None, years=years, with_type=False,
                                            with_municipality=False),
        "summary": selectors.run_summary(year, user=request.user),
        "dash_key": f"{selectors.state_key()}:{inst.registration_number}:{year}:{level}",
    })
