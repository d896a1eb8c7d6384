"""The landing page and the dashboards of the nation, a municipality and an institution, each table exported to
CSV and XLSX (as the page shows it: the same columns, order and rounding; unrounded with `?raw=1`).

A municipality's dashboard ranks its institutions by risk as the national risk list does (`risk_score`; the list
itself stays IKVD staff's, ADR 0016), with the rules triggered in words, their evidence and the rules not
evaluated, sortable and filterable, and a chart of the scores; an institution's shows the trends of its key
indicators against its municipality and the nation."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import data_quality as dq
from ikms.monitoring import permissions, selectors
from ikms.monitoring.evidence import sentences
from ikms.monitoring.forms import DashboardFilterForm, MunicipalityFilterForm
from ikms.monitoring.labels import missing_label, slice_label
from ikms.monitoring.models import Grain
from ikms.monitoring.views.common import (
    RISK_PAGE_SIZE,
    breadcrumbs,
    dashboard_filter,
    export_number,
    no_data,
    require,
    school_year,
    sort_columns,
    sort_order,
    wants_export,
    wants_raw,
    year_checked,
)

#: The indicators whose trend an institution's dashboard draws against its municipality and the nation: rates
#: and means, which compare across units of any size (a count would not), the first breakdown of each.
TREND_INDICATORS = ("average_class_size", "learners_per_teacher", "support_staff_per_100_learners",
                    "learners_average_7_or_more_basic", "learners_average_7_or_more_secondary", "exam_mean_score")


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
    """The indicator table of a dashboard, its figures rounded as the page shows them (unrounded with raw=1)."""
    headers = [_("Theme"), _("Indicator code"), _("Indicator"), _("Breakdown"), _("School year"), _("Value")]
    headers += ([_("Municipality"), _("Nation"), _("Comparator group median"), _("Comparator group size")]
                if institution else [_("Nation"), _("Institutions' median"), _("25th percentile"),
                                     _("75th percentile"), _("Institutions with a value")])
    headers += [_("Suppressed in public outputs"), _("Values by school year")]

    def n(value):
        return export_number(request, value)

    out = []
    for r in rows:
        base = [r.info.theme_label, r.info.code, r.info.name, r.label, year, n(r.value)]
        base += ([n(r.municipality), n(r.nation), n(r.comparator), r.comparator_n] if institution
                 else [n(r.nation), n(r.median), n(r.p25), n(r.p75), r.units])
        base += [_("yes") if r.suppressed else _("no"),
                 "; ".join(f"{y}: {'' if v is None else n(v)}" for y, v in sorted(r.history.items()))]
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
    return charts.bar_chart("risk-shares", _("Share of institutions at risk, %"), labels,
                            [round(r.value, 1) for r in shares], horizontal=True, x_title="%"), shares


@dataclass
class RiskLine:
    """A line of a municipality's ranking as the page and its export show it: the rules triggered (name,
    importance label, importance), the evidence (rule name, the rule in words, the flag's sentences) and the rules
    not evaluated (name, the data not received)."""

    row: selectors.InstitutionRisk
    rules: list[tuple[str, str, str]]
    evidence: list[tuple[str, str, list[str]]]
    not_evaluated: list[tuple[str, str]]

    @property
    def no_rule_text(self) -> str:
        """What the rules cell says when no rule is triggered: never a pass where some rule was not evaluated."""
        return _("No rule triggered (some not evaluated)") if self.not_evaluated else _("None")


def _risk_line(row: selectors.InstitutionRisk) -> RiskLine:
    info = selectors.rules()

    def name(code: str) -> str:
        rule = info.get(code)
        return f"{rule.name} ({code})" if rule else code

    return RiskLine(
        row=row,
        rules=[(name(f.rule), info[f.rule].importance_label if f.rule in info else "",
                info[f.rule].importance if f.rule in info else "") for f in row.flags],
        evidence=[(name(f.rule), info[f.rule].description if f.rule in info else "", sentences(f.rule, f.evidence))
                  for f in row.flags],
        not_evaluated=[(name(r.rule), missing_label(r.missing)) for r in row.not_evaluated])


def _risk_headers() -> list[tuple[str, str | None, bool]]:
    """The ranking's columns: label, sort key (None: not sortable), numeric."""
    return [(_("Rank"), None, True), (_("Institution"), "name", False), (_("Institution type"), "type", False),
            (_("Learners"), "learners", True), (_("Risk score"), "score", True),
            (_("Risk rules triggered"), None, False), (_("Evidence"), None, False),
            (_("Risk rules not evaluated"), None, False)]


def _risk_export(request, lines: list[RiskLine], filename: str):
    """Exactly the ranking the page shows: its columns, its rows (every page) in its order, its rounding."""
    rows = []
    for line in lines:
        r = line.row
        rows.append([
            r.rank, r.institution.name, r.institution.type.name, export_number(request, r.learners), r.score,
            "; ".join(f"{name} – {importance}" for name, importance, _level in line.rules) or line.no_rule_text,
            " ".join(" ".join([f"{name}:", *([description] if description else []), *texts])
                     for name, description, texts in line.evidence),
            "; ".join(f"{name}: {_('not evaluated')} ({why})" for name, why in line.not_evaluated)])
    return export_response(fmt=request.GET["format"], filename=filename,
                           headers=[label for label, _key, _numeric in _risk_headers()], rows=rows)


def _score_chart(rows: list[selectors.InstitutionRisk]):
    """How many of the ranking's institutions have each risk score, from 0 to the highest (bars from zero)."""
    if not rows:
        return None, []
    top = max(r.score for r in rows)
    counts = [(score, sum(1 for r in rows if r.score == score)) for score in range(top + 1)]
    chart = charts.bar_chart("risk-scores", _("Institutions by risk score"), [str(s) for s, _n in counts],
                             [n for _s, n in counts], x_title=_("Institutions"), label_title=_("Risk score"),
                             counts=True)
    return chart, counts


def _trend_charts(year_list: list[str], inst) -> list[tuple[charts.Chart, list[str], list[tuple]]]:
    """The key indicators of an institution over the school years against its municipality and the nation: per
    indicator (its first breakdown) a line chart, the table's column labels and its rows (school year, values)."""
    units = [(Grain.INSTITUTION, inst.registration_number), (Grain.MUNICIPALITY, inst.municipality.code),
             (Grain.NATION, selectors.NATION)]
    labels = [inst.name, inst.municipality.name, _("Latvia")]
    trends = selectors.unit_trends(units=units, indicators_=TREND_INDICATORS, years=year_list)
    info = selectors.indicators()
    out, seen = [], set()
    for key, series in trends.items():
        if key[0] in seen or key[0] not in info or all(v is None for v in series[0]):
            continue
        seen.add(key[0])
        indicator = info[key[0]]
        breakdown = slice_label(key[1], key[2], key[3])
        title = f"{indicator.name}{f' ({breakdown})' if breakdown else ''}{' (%)' if indicator.is_percent else ''}"
        rounded = [[None if v is None else round(v, 2) for v in values] for values in series]
        chart = charts.line_chart(f"trend-{len(out) + 1}", title, year_list, list(zip(labels, rounded, strict=True)),
                                  y_title="%" if indicator.is_percent else "")
        out.append((chart, labels, [(y, *(values[i] for values in rounded)) for i, y in enumerate(year_list)]))
    return out


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
    """A municipality's dashboard: its institutions ranked by risk (sortable, filterable, paged, exported as
    shown) with a chart of the scores, and its indicators against the nation with the spread over institutions."""
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
    form = MunicipalityFilterForm(request.GET or None, years=years, rules=selectors.rules().values())
    show_flags = permissions.can_view_risk_flags(user)
    ranked = selectors.municipality_risk_rows(user=user, year=year, institutions=institutions,
                                              **form.ranking_filters()) if show_flags else []
    by, descending = sort_order(request, selectors.RISK_SORTS, "score")
    ordered = selectors.sort_risk_rows(ranked, by=by, descending=descending)

    def rows():
        return selectors.area_dashboard(year=year, grain=Grain.MUNICIPALITY, unit=muni.code, level=level or None,
                                        institutions=units)

    if wants_export(request):
        stem = f"{muni.code}-{year.replace('/', '-')}"
        if request.GET.get("table") == "institutions" and show_flags:
            return _risk_export(request, [_risk_line(r) for r in ordered],
                                f"iestades-{stem}{'-nenoapalots' if wants_raw(request) else ''}")
        return _dashboard_export(request, rows(), f"ikms-{muni.code}", year=year, institution=False)

    page = Paginator(ordered, RISK_PAGE_SIZE).get_page(request.GET.get("page"))
    chart, chart_rows = _score_chart(ranked)

    def build():
        return {"themes": _themes(rows())}

    return render(request, "monitoring/municipality.html", {
        "municipality": muni, "year": year, "years": years, "build": build, "form": form,
        "summary": selectors.run_summary(year, user=request.user), "show_flags": show_flags,
        "lines": [_risk_line(r) for r in page.object_list], "page_obj": page, "total": len(ranked),
        "at_risk": sum(1 for r in ranked if r.at_risk), "institution_count": len(institutions),
        "columns": sort_columns(request, _risk_headers(), sorts=selectors.RISK_SORTS, by=by, descending=descending),
        "score_chart": chart, "score_rows": chart_rows, "rules": selectors.rules().values(),
        "crumbs": breadcrumbs(user, year=year),
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
        unevaluated = selectors.rules_not_evaluated_visible_to(user, year, [inst.registration_number])
        return {"themes": _themes(built), "group_size": len(group), "band_low": low, "band_high": high,
                "flags": [(f, selectors.rules().get(f.rule), sentences(f.rule, f.evidence)) for f in flags],
                "not_evaluated": [(selectors.rules().get(r.rule), r.rule, missing_label(r.missing))
                                  for r in unevaluated],
                "trends": _trend_charts(years, inst)}

    return render(request, "monitoring/institution.html", {
        "institution": inst, "year": year, "years": years, "build": build,
        "coverage": dq.institution_coverage(inst.registration_number),
        "form": lambda: DashboardFilterForm(request.GET or None, years=years, with_type=False,
                                            with_municipality=False),
        "summary": selectors.run_summary(year, user=request.user),
        "crumbs": breadcrumbs(user, year=year, municipality=inst.municipality),
        "dash_key": f"{selectors.state_key()}:{inst.registration_number}:{year}:{level}",
    })
