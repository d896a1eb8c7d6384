"""Monitoring pages (staff): dashboards for the nation, a municipality and an institution, indicator pages
with charts, the risk list and the visit plan, and tables 5-7 of the annual report. The institution dossier,
which also reads accreditation, is in ikms.web (ADR 0018).

Views are thin: resolve the object through a scoped selector (invisible → 404), check the predicate (→ 403),
call a selector or one service, render. Every table exports to CSV and XLSX."""

from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ikms.core.exceptions import ApplicationError
from ikms.core.exports import export_response
from ikms.core.forms import year_error_response
from ikms.monitoring import charts, permissions, selectors, services
from ikms.monitoring import data_quality as dq
from ikms.monitoring.evidence import sentences
from ikms.monitoring.forms import (
    DashboardFilterForm,
    DataQualityFilterForm,
    RiskFilterForm,
    VisitFilterForm,
    VisitPlanForm,
    VisitStatusForm,
    YearForm,
)
from ikms.monitoring.labels import (
    LEVELS,
    TABLE5_OUTSIDE,
    TABLE5_STATUSES,
    category_label,
    level_label,
    missing_label,
    slice_label,
    source_label,
)
from ikms.monitoring.models import Grain, VisitPlanEntry, VisitReason, VisitStatus
from ikms.registry.models import Institution, InstitutionType, Municipality

RISK_PAGE_SIZE = 25
TABLE_PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class _YearError(Exception):
    """A wrong school year in a page's address (answered by `_year_checked`)."""

    def __init__(self, form: YearForm) -> None:
        super().__init__(form.errors.as_text())
        self.form = form


def _year(request, years: list[str], data=None) -> str:
    """The school year a page shows: `year` of the query string (or of `data`), checked by SchoolYearFormField
    (a school year, and one of `years` when there are any); left out, the latest of `years`. A wrong one is
    never replaced by another year: the page answers 400 with the message (`_year_checked`)."""
    form = YearForm(request.GET if data is None else data, years=years or None)
    if not form.is_valid():
        raise _YearError(form)
    return form.cleaned_data["year"] or (years[-1] if years else "")


def _year_checked(view):
    """A page that reads a school year with `_year`: a wrong one is answered with the year form, its message
    and a 400; the page's other query parameters are kept for the corrected request."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _YearError as exc:
            return year_error_response(request, exc.form)

    return checked


def _codes(kind: str) -> frozenset[str]:
    """Valid filter codes (classifiers change only through a data load; cached for ten minutes)."""
    key = f"ikms:codes:{kind}"
    codes = cache.get(key)
    if codes is None:
        model = InstitutionType if kind == "type" else Municipality
        codes = frozenset(model.objects.values_list("code", flat=True))
        cache.set(key, codes, 600)
    return codes


def _filter(request, name: str) -> str:
    """A dashboard filter from the query string; an unknown value is ignored (the form shows the error)."""
    value = request.GET.get(name, "")
    if name == "level":
        return value if value in LEVELS else ""
    return value if value in _codes(name) else ""


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _no_data(request):
    return render(request, "monitoring/no_data.html", status=200)


# --- home ----------------------------------------------------------------------------------------------------


def home(request):
    """Each user lands on the level they work at: IKVD the nation, a founder its municipality, a head the school."""
    user = request.user
    _require(permissions.can_use_monitoring(user))
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


# --- dashboards ----------------------------------------------------------------------------------------------


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
                 "; ".join(f"{y}: {_fmt(v)}" for y, v in sorted(r.history.items()))]
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


@_year_checked
def nation(request):
    user = request.user
    _require(permissions.can_view_nation(user))
    years = selectors.school_years()
    if not years:
        return _no_data(request)
    year = _year(request, years)
    level, type_code, muni = _filter(request, "level"), _filter(request, "type"), _filter(request, "municipality")
    institutions = selectors.institutions_for_monitoring(user)
    if type_code:
        institutions = institutions.filter(type__code=type_code)
    if muni:
        institutions = institutions.filter(municipality__code=muni)
    units = sorted(institutions.values_list("registration_number", flat=True))

    def rows():
        return selectors.area_dashboard(year=year, grain=Grain.NATION, unit=selectors.NATION, level=level or None,
                                        institutions=units, nation_too=False)

    if request.GET.get("format") in ("csv", "xlsx"):
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


@_year_checked
def municipality(request, code: str):
    user = request.user
    _require(permissions.can_use_monitoring(user))
    muni = selectors.municipality_for_user(user, code)
    _require(permissions.can_view_municipality(user, muni))
    years = selectors.school_years()
    if not years:
        return _no_data(request)
    year = _year(request, years)
    level, type_code = _filter(request, "level"), _filter(request, "type")
    institutions = selectors.institutions_for_monitoring(user).filter(municipality=muni)
    if type_code:
        institutions = institutions.filter(type__code=type_code)
    institutions = list(institutions.order_by("name"))
    units = [i.registration_number for i in institutions]
    def rows():
        return selectors.area_dashboard(year=year, grain=Grain.MUNICIPALITY, unit=muni.code, level=level or None,
                                        institutions=units)

    if request.GET.get("format") in ("csv", "xlsx"):
        return _dashboard_export(request, rows(), f"ikms-{muni.code}", year=year, institution=False)

    def build():
        flags = {}
        for f in selectors.risk_flags_visible_to(user, year, units):
            flags.setdefault(f.institution, []).append(f.rule)
        learners = {v.unit: v.value for v in selectors.values(year=year, grain=Grain.INSTITUTION, units=units,
                                                                indicators_=["learners_enrolled"])}
        table = [(i, learners.get(i.registration_number), sorted(set(flags.get(i.registration_number, []))))
                 for i in institutions]
        return {"themes": _themes(rows()), "institutions": table}

    return render(request, "monitoring/municipality.html", {
        "municipality": muni, "year": year, "years": years, "build": build,
        "form": lambda: DashboardFilterForm(request.GET or None, years=years, with_municipality=False),
        "summary": selectors.run_summary(year, user=request.user), "show_flags": permissions.can_view_risk_flags(user),
        "dash_key": f"{selectors.state_key()}:{muni.code}:{year}:{level}:{type_code}:{selectors.size_band_key(units)}",
    })


@_year_checked
def institution(request, registration_number: str):
    user = request.user
    _require(permissions.can_use_monitoring(user))
    inst = selectors.institution_for_monitoring(user, registration_number)
    _require(permissions.can_view_institution_monitoring(user, inst))
    years = selectors.school_years()
    if not years:
        return _no_data(request)
    year = _year(request, years)
    level = _filter(request, "level")

    def rows():
        return selectors.institution_dashboard(year=year, institution=inst, level=level or None)

    if request.GET.get("format") in ("csv", "xlsx"):
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


@_year_checked
def indicator(request, code: str):
    """One indicator of one unit: the trend over the school years held (with municipality and nation) and the
    spread over institutions, each chart with its table."""
    user = request.user
    _require(permissions.can_use_monitoring(user))
    info = selectors.indicators().get(code)
    if info is None:
        raise Http404
    years = selectors.school_years()
    year = _year(request, years)
    grain = request.GET.get("grain") or Grain.NATION
    unit = request.GET.get("unit") or selectors.NATION
    compare: list[tuple[str, str, str]] = []  # (label, grain, unit)
    visible_units = None
    title = ""
    if grain == Grain.INSTITUTION:
        inst = selectors.institution_for_monitoring(user, unit)
        _require(permissions.can_view_institution_monitoring(user, inst))
        title = inst.name
        compare = [(inst.municipality.name, Grain.MUNICIPALITY, inst.municipality.code),
                   (_("Latvia"), Grain.NATION, selectors.NATION)]
        visible_units = selectors.comparator_group(year, inst)
    elif grain == Grain.MUNICIPALITY:
        muni = selectors.municipality_for_user(user, unit)
        _require(permissions.can_view_municipality(user, muni))
        title = muni.name
        compare = [(_("Latvia"), Grain.NATION, selectors.NATION)]
        visible_units = list(selectors.institutions_for_monitoring(user).filter(municipality=muni)
                             .values_list("registration_number", flat=True))
    elif grain == Grain.NATION:
        _require(permissions.can_view_nation(user))
        unit, title = selectors.NATION, _("Latvia")
        visible_units = None
    else:
        raise Http404
    if not years:
        return _no_data(request)
    series = selectors.indicator_series(indicator=code, grain=grain, unit=unit)
    keys = sorted({k for per in series.values() for k in per}, key=lambda k: (k[2], k[1] or 0, k[3]))
    if not keys:
        return render(request, "monitoring/indicator.html", {"info": info, "title": title, "empty": True,
                                                             "summary": selectors.run_summary(year, user=request.user)})
    slice_key = request.GET.get("slice", "")
    labels = {"|".join(map(str, k)): slice_label(k[1], k[2], k[3]) or _("All") for k in keys}
    chosen = next((k for k in keys if "|".join(map(str, k)) == slice_key), keys[0])
    others = {label: selectors.indicator_series(indicator=code, grain=g, unit=u) for label, g, u in compare}

    def pick(per_year, y):
        v = per_year.get(y, {}).get(chosen)
        return None if v is None or v.value is None else round(v.value, 2)

    trend_rows = [(y, pick(series, y), *[pick(o, y) for o in others.values()]) for y in years]
    trend = charts.line_chart(f"{info.name} — {title}", years,
                              [(title, [r[1] for r in trend_rows])] +
                              [(label, [r[i + 2] for r in trend_rows]) for i, label in enumerate(others)],
                              y_title="%" if info.is_percent else "")
    # spread over institutions (the comparator group for a school, the municipality's for a municipality)
    dist = [v for v in selectors.indicator_distribution(year=year, indicator=code, units=visible_units)
            if v.key == chosen and v.value is not None]
    dist.sort(key=lambda v: v.value)
    show_names = permissions.can_view_nation(user)
    names = {}
    if show_names or grain == Grain.MUNICIPALITY:
        names = dict(Institution.objects.filter(registration_number__in=[v.unit for v in dist])
                     .values_list("registration_number", "name"))
    dist_rows = [(names.get(v.unit, _("Institution %(n)s") % {"n": i + 1}) if (show_names or grain != Grain.INSTITUTION
                                                                             or v.unit == unit)
                  else _("Institution %(n)s") % {"n": i + 1}, v.unit == unit, round(v.value, 2), v.denominator)
                 for i, v in enumerate(dist)]
    if len(dist_rows) > 40:
        spread = charts.histogram(_("Distribution over institutions, %(year)s") % {"year": year},
                                  [r[2] for r in dist_rows], x_title=info.name)
    else:
        highlight = next((i for i, r in enumerate(dist_rows) if r[1]), None)
        spread = charts.bar_chart(_("Institutions, %(year)s") % {"year": year}, [r[0] for r in dist_rows],
                                  [r[2] for r in dist_rows], highlight=highlight, horizontal=True,
                                  x_title=info.name) if dist_rows else None
    if request.GET.get("format") in ("csv", "xlsx"):
        table = request.GET.get("table", "trend")
        if table == "spread":
            return export_response(fmt=request.GET["format"], filename=f"{code}-{year.replace('/', '-')}",
                                   headers=[_("Institution"), _("Value"), _("Denominator")],
                                   rows=[(r[0], r[2], r[3]) for r in dist_rows])
        return export_response(fmt=request.GET["format"], filename=f"{code}-{unit}",
                               headers=[_("School year"), title, *others.keys()], rows=trend_rows)
    return render(request, "monitoring/indicator.html", {
        "info": info, "title": title, "grain": grain, "unit": unit, "year": year, "years": years,
        "summary": selectors.run_summary(year, user=request.user), "slices": labels,
        "chosen": "|".join(map(str, chosen)),
        "chosen_label": labels["|".join(map(str, chosen))], "trend": trend, "trend_rows": trend_rows,
        "compare_labels": list(others.keys()), "spread": spread, "dist_rows": dist_rows,
    })


# --- risk list and visit plan --------------------------------------------------------------------------------


@_year_checked
def risks(request):
    user = request.user
    _require(permissions.can_view_risks(user))
    years = selectors.school_years()
    if not years:
        return _no_data(request)
    rule_info = selectors.rules()
    year = _year(request, years)
    rule = request.GET.get("rule", "")
    filters = {"municipality": _filter(request, "municipality") or None, "type_code": _filter(request, "type") or None,
               "rule": rule if rule in rule_info else None}
    if request.GET.get("format") in ("csv", "xlsx"):
        entries = selectors.risk_list(user=user, year=year, **filters)
        rows = [(rank, e.institution.registration_number, e.institution.name, e.institution.municipality.name,
                 e.institution.type.name, e.score, ", ".join(e.rule_codes),
                 " ".join(s for f in e.flags for s in sentences(f.rule, f.evidence)),
                 e.planned.planned_date.isoformat() if e.planned else "")
                for rank, e in enumerate(entries, start=1)]
        return export_response(fmt=request.GET["format"], filename=f"riski-{year.replace('/', '-')}",
                               headers=[_("Rank"), _("Registration number"), _("Institution"), _("Municipality"),
                                        _("Institution type"), _("Risk score"), _("Risk rules"), _("Evidence"),
                                        _("On the visit plan for")], rows=rows)
    ranked = selectors.risk_ranking(user=user, year=year, **filters)
    page = Paginator(ranked, RISK_PAGE_SIZE).get_page(request.GET.get("page"))

    def entries():
        return [(e, [(f, rule_info.get(f.rule), sentences(f.rule, f.evidence)) for f in e.flags])
                for e in selectors.risk_entries(user=user, year=year, ranked=page.object_list)]

    plan = VisitPlanEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    can_plan = permissions.can_plan_visits(user)
    return render(request, "monitoring/risks.html", {
        "form": lambda: RiskFilterForm(request.GET or None, years=years, rules=rule_info.values()),
        "year": year, "summary": selectors.run_summary(year, user=request.user), "total": len(ranked),
        "entries": entries, "page_obj": page, "rank_offset": page.start_index() - 1 if ranked else 0,
        "rules": rule_info.values(), "can_plan": can_plan,
        "not_evaluated": lambda: selectors.not_evaluated_summary(
            user=user, year=year, municipality=filters["municipality"], type_code=filters["type_code"]),
        "run_skipped": lambda: _skipped_lines(selectors.full_run(year)),
        "list_key": f"{selectors.state_key(year)}:{year}:{filters}:{page.number}:{can_plan}:{plan['n']}:"
                    f"{plan['last'].timestamp() if plan['last'] else 0}:{selectors.scope_key(user)}",
    })


def _skipped_lines(run) -> list[str]:
    """What a run left out, in words (indicators and rules whose data were received for nobody)."""
    if run is None:
        return []
    indicators, rules_ = selectors.indicators(), selectors.rules()
    lines = []
    for skip in run.skipped or []:
        code = skip.get("code", "")
        name = (rules_[code].name if code in rules_ else indicators[code].name if code in indicators else code)
        if skip.get("reason") == "not_received":
            why = _("no data received for %(year)s: %(sources)s") % {
                "year": skip.get("school_year", run.school_year),
                "sources": ", ".join(source_label(s) for s in skip.get("datasets", []))}
        elif skip.get("reason") == "missing_columns":
            why = _("the data lack the columns %(columns)s") % {"columns": ", ".join(skip.get("columns", []))}
        else:
            why = _("its risk rule could not be computed")
        lines.append(f"{name}: {why}")
    return lines


@_year_checked
def visit_add(request, registration_number: str):
    user = request.user
    _require(permissions.can_view_risks(user))
    inst = selectors.institution_for_monitoring(user, registration_number)
    _require(permissions.can_plan_visits(user))
    years = selectors.school_years()
    year = _year(request, years, data=request.POST if "year" in request.POST else None)
    flags = selectors.risk_flags_visible_to(user, year, [inst.registration_number]) if year else []
    initial = {"reason": VisitReason.RISK if flags else VisitReason.RANDOM}
    form = VisitPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan_add(actor=user, institution=inst, planned_date=form.cleaned_data["planned_date"],
                                    reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                                    school_year=year if flags else "")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(name)s is on the visit plan.") % {"name": inst.name})
            return redirect(reverse("monitoring:visits"))
    return render(request, "monitoring/visit_form.html", {
        "institution": inst, "form": form, "year": year,
        "flags": [(f, selectors.rules().get(f.rule), sentences(f.rule, f.evidence)) for f in flags],
    })


def visits(request):
    user = request.user
    _require(permissions.can_view_risks(user))
    form = VisitFilterForm(request.GET or None)
    status = request.GET.get("status") if request.GET.get("status") in VisitStatus.values else None
    reason = request.GET.get("reason") if request.GET.get("reason") in VisitReason.values else None
    entries = selectors.visits_visible_to(user, status=status, reason=reason)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            fmt=request.GET["format"], filename="apmeklejumu-plans",
            headers=[_("Planned date"), _("Registration number"), _("Institution"), _("Municipality"), _("Reason"),
                     _("Risk rules"), _("Justification"), _("Status"), _("Status note"), _("Planned by")],
            rows=[(e.planned_date.isoformat(), e.institution.registration_number, e.institution.name,
                   e.institution.municipality.name, e.get_reason_display(), ", ".join(e.rules), e.note,
                   e.get_status_display(), e.status_note, str(e.created_by)) for e in entries])
    counts = {r.label: entries.filter(reason=r.value).count() for r in VisitReason} if not reason else {}
    return render(request, "monitoring/visits.html", {"form": form, "entries": entries,
                                                      "can_plan": permissions.can_plan_visits(user),
                                                      "counts": counts})


def visit_status(request, pk: int):
    user = request.user
    _require(permissions.can_view_risks(user))
    entry = selectors.visit_get_for_user(user, pk)
    _require(permissions.can_plan_visits(user))
    form = VisitStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan_set_status(actor=user, entry=entry, status=form.cleaned_data["status"],
                                           note=form.cleaned_data["note"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The visit's status is changed."))
            return redirect(reverse("monitoring:visits"))
    return render(request, "monitoring/visit_status.html", {"entry": entry, "form": form})


# --- absences and out-of-school children (annual report tables 5-7) -------------------------------------------


def _area(request, user):
    """The nation for IKVD staff (or a municipality they choose); a founder's own municipality."""
    code = request.GET.get("municipality", "")
    if permissions.can_view_nation(user) and not code:
        return Grain.NATION, selectors.NATION, None
    municipalities = list(selectors.municipalities_for_user(user))
    if not code and len(municipalities) == 1:
        code = municipalities[0].code
    muni = selectors.municipality_for_user(user, code)
    _require(permissions.can_view_municipality(user, muni))
    return Grain.MUNICIPALITY, muni.code, muni


def absences(request):
    user = request.user
    _require(permissions.can_use_monitoring(user))
    if not (permissions.can_view_nation(user) or selectors.municipalities_for_user(user).exists()):
        raise PermissionDenied
    grain, unit, muni = _area(request, user)
    years = selectors.school_years()
    if not years:
        return _no_data(request)
    levels6 = ["preschool", "basic", "secondary", "vocational"]
    table6 = []
    table7 = []
    reasons = []
    for year in years:
        vals = selectors.values(year=year, grain=grain, units=[unit],
                                indicators_=["long_term_unexcused_absentees", "learners_missing_lessons",
                                             "long_term_absence_reasons", "long_term_absence_actions"])
        by = {(v.indicator, v.level, v.semester, v.category): v.value for v in vals}
        rows6 = [(level_label(lv), *[by.get(("long_term_unexcused_absentees", lv, s, "")) for s in (1, 2)])
                 for lv in levels6]
        total = [sum(r[i] or 0 for r in rows6) for i in (1, 2)]
        table6.append((year, rows6, total))
        rows7 = [(category_label(reason), *[by.get(("learners_missing_lessons", lv, s, reason))
                                            for lv in ("basic", "secondary") for s in (1, 2)])
                 for reason in ("justified", "illness", "unjustified")]
        table7.append((year, rows7))
        cats = sorted({k[3] for k in by if k[0] == "long_term_absence_reasons"})
        acts = sorted({k[3] for k in by if k[0] == "long_term_absence_actions"})
        reasons.append((year, [(category_label(c), by.get(("long_term_absence_reasons", "", 1, c)),
                                by.get(("long_term_absence_reasons", "", 2, c))) for c in cats],
                        [(category_label(c), by.get(("long_term_absence_actions", "", 1, c)),
                          by.get(("long_term_absence_actions", "", 2, c))) for c in acts]))
    # table 5: the latest snapshot of out-of-school children (the last school year held)
    t5_year = years[-1]
    vals5 = {v.category: v.value for v in selectors.values(year=t5_year, grain=grain, units=[unit],
                                                           indicators_=["out_of_school_children"])}
    table5 = [(category_label(s), vals5.get(s)) for s in TABLE5_STATUSES]
    outside5 = [(category_label(s), vals5.get(s)) for s in TABLE5_OUTSIDE]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        which = request.GET.get("table", "6")
        if which == "5":
            return export_response(fmt=fmt, filename=f"5-tabula-{unit}", headers=[_("Status"), _("Children")],
                                   rows=table5 + outside5)
        if which == "7":
            return export_response(fmt=fmt, filename=f"7-tabula-{unit}",
                                   headers=[_("School year"), _("Reason"), _("Basic, semester 1"),
                                            _("Basic, semester 2"), _("Secondary, semester 1"),
                                            _("Secondary, semester 2")],
                                   rows=[(y, *r) for y, rows in table7 for r in rows])
        return export_response(fmt=fmt, filename=f"6-tabula-{unit}",
                               headers=[_("School year"), _("Level"), _("Semester 1"), _("Semester 2")],
                               rows=[(y, *r) for y, rows, total in table6 for r in [*rows, (_("Total"), *total)]])
    return render(request, "monitoring/absences.html", {
        "municipality": muni, "years": years, "table5": table5, "outside5": outside5, "t5_year": t5_year,
        "table6": table6, "table7": table7, "reasons": reasons,
        "summary": selectors.run_summary(years[-1], user=request.user),
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
    })


@_year_checked
def absence_institutions(request):
    """Long-term unexcused absentees per institution with the reasons and the actions recorded."""
    user = request.user
    _require(permissions.can_use_monitoring(user))
    years = selectors.school_years()
    if not years:
        return _no_data(request)
    year = _year(request, years)
    institutions = selectors.institutions_for_monitoring(user)
    code = request.GET.get("municipality", "")
    if code:
        institutions = institutions.filter(municipality__code=code)
    key = f"ikms:absent:{selectors.state_key(year)}:{selectors.scope_key(user)}:{code}"
    rows = cache.get(key)
    if rows is None:
        rows = _absentee_rows(year, institutions, everything=permissions.can_view_nation(user) and not code)
        cache.set(key, rows, selectors.CACHE_SECONDS)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt=fmt, filename=f"ilgstosi-kavetaji-{year.replace('/', '-')}",
            headers=[_("Registration number"), _("Institution"), _("Municipality"), _("Semester 1"), _("Semester 2"),
                     _("Reasons"), _("Actions")],
            rows=[(i.registration_number, i.name, i.municipality.name, s1, s2,
                   "; ".join(f"{c}: {n}" for c, n in rs), "; ".join(f"{c}: {n}" for c, n in acts))
                  for i, s1, s2, rs, acts in _labelled(rows)])
    page = Paginator(rows, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "monitoring/absence_institutions.html", {
        "year": year, "years": years, "rows": _labelled(page.object_list), "page_obj": page, "total": len(rows),
        "summary": selectors.run_summary(year, user=request.user),
        "municipalities": selectors.municipalities_for_user(user), "municipality": code,
    })


def _absentee_rows(year: str, institutions, *, everything: bool) -> list[tuple]:
    by_number = {i.registration_number: i for i in institutions}
    vals = selectors.values(year=year, grain=Grain.INSTITUTION, units=None if everything else list(by_number),
                            indicators_=["learners_over_unexcused_lessons_threshold", "long_term_absence_reasons",
                                         "long_term_absence_actions"])
    per: dict[str, dict] = {}
    for v in vals:
        if v.unit not in by_number:
            continue
        row = per.setdefault(v.unit, {"s1": None, "s2": None, "reasons": {}, "actions": {}})
        if v.indicator == "learners_over_unexcused_lessons_threshold":
            row[f"s{v.semester}"] = v.value
        elif v.value:
            bucket = row["reasons" if v.indicator == "long_term_absence_reasons" else "actions"]
            bucket[v.category] = bucket.get(v.category, 0) + v.value
    rows = []
    for number, data in per.items():
        if not (data["s1"] or data["s2"] or data["reasons"]):
            continue
        inst = by_number[number]
        rows.append((inst, data["s1"], data["s2"],
                     [(c, int(n)) for c, n in sorted(data["reasons"].items(), key=lambda x: -x[1])],
                     [(c, int(n)) for c, n in sorted(data["actions"].items(), key=lambda x: -x[1])]))
    rows.sort(key=lambda r: (-((r[1] or 0) + (r[2] or 0)), r[0].name))
    return rows


def _labelled(rows):
    return [(i, s1, s2, [(category_label(c), n) for c, n in rs], [(category_label(c), n) for c, n in acts])
            for i, s1, s2, rs, acts in rows]


# --- data quality --------------------------------------------------------------------------------------------


def _listings():
    """The institution lists of the data-quality page: (code, choice label, table caption)."""
    return [
        ("missing", _("Have not sent some data"), _("Institutions that have not sent data")),
        ("late", _("Sent some data late"), _("Institutions that sent data late")),
        ("received", _("Sent all data"), _("Institutions that sent all data")),
        ("on_time", _("Sent all data on time"), _("Institutions that sent all data on time")),
        ("all", _("All expected institutions"), _("Institutions expected to send data")),
    ]


def _dq_source_rows(rep):
    """Completeness and timeliness per source; a national data set counts as one expected submission."""
    headers = [_("School year"), _("Data source"), _("Sent by"), _("Due date"), _("Expected"), _("Received"),
               _("Received, %"), _("Not received"), _("On time"), _("Late"), _("Last received")]
    rows = [(rep.year, r.label, _("institutions"), r.due.isoformat(), r.expected, r.received,
             None if r.percent is None else round(r.percent, 1), r.missing, r.on_time, r.late, "")
            for r in rep.sources]
    for n in rep.national:
        st = n.status
        got = st.receipt is not None
        rows.append((rep.year, n.label, _("national data set"), st.due.isoformat(), 1, int(got), 100 if got else 0,
                     int(not got), int(st.status == dq.ON_TIME), int(st.status == dq.LATE),
                     st.receipt.received_on.isoformat() if got and st.receipt.received_on else ""))
    return headers, rows


def _dq_export(fmt: str, table: str, rep, *, listed, found, year: str):
    stem = year.replace("/", "-")
    if table == "trend":
        years = [y for y, _row in rep.trend[0][1]] if rep.trend else []
        return export_response(fmt=fmt, filename=f"datu-pilnigums-{stem}", headers=[_("Data source"), *years],
                               rows=[(label.label, *[None if r.percent is None else round(r.percent, 1)
                                                     for _y, r in cells]) for label, cells in rep.trend])
    if table == "municipalities":
        return export_response(
            fmt=fmt, filename=f"datu-kvalitate-pasvaldibas-{stem}",
            headers=[_("Municipality"), _("Institutions"), _("Expected submissions"), _("Received"), _("Received, %"),
                     _("Institutions with missing data")],
            rows=[(m.name, m.institutions, m.expected, m.received, None if m.percent is None else round(m.percent, 1),
                   m.with_gaps) for m in rep.municipalities])
    if table == "institutions":
        rows = []
        for r in listed:
            for st in r.statuses:
                rec = st.receipt
                rows.append((r.unit.number, r.unit.name, r.municipality_name, st.source_label, st.label,
                             st.due.isoformat(), rec.first_on.isoformat() if rec and rec.first_on else "",
                             rec.received_on.isoformat() if rec and rec.received_on else "", rec.file if rec else "",
                             rec.rows if rec else ""))
        return export_response(
            fmt=fmt, filename=f"datu-kvalitate-iestades-{stem}",
            headers=[_("Registration number"), _("Institution"), _("Municipality"), _("Data source"), _("Status"),
                     _("Due date"), _("First received"), _("Last received"), _("File"), _("Rows")], rows=rows)
    if table == "outliers":
        return export_response(
            fmt=fmt, filename=f"datu-kvalitate-izmainas-{stem}",
            headers=[_("Registration number"), _("Institution"), _("Indicator"), _("Breakdown"),
                     dq.previous_year(year), year, _("Change, %")],
            rows=[(o.number, unit.name, o.indicator_name, o.slice, round(o.before, 2), round(o.after, 2),
                   round(o.change_percent, 1)) for o, unit in found])
    headers, rows = _dq_source_rows(rep)
    return export_response(fmt=fmt, filename=f"datu-kvalitate-{stem}", headers=headers, rows=rows)


def _dq_link(request, **params) -> str:
    """The page's current query with some parameters replaced (None: kept), and no page or export parameters."""
    query = request.GET.copy()
    for key in ("page", "format", "table"):
        query.pop(key, None)
    for key, value in params.items():
        if value is not None:
            query[key] = value
    return f"?{query.urlencode()}#institutions"


@_year_checked
def data_quality(request):
    """What the data lake has received per source and school year (completeness, timeliness, by municipality
    and institution) and the values that changed implausibly from the previous year; founders see their own
    institutions."""
    user = request.user
    _require(permissions.can_view_data_quality(user))
    years = dq.years()
    sources = [(s, source_label(s)) for s in dq.SOURCES]
    listings = _listings()
    nation = permissions.can_view_nation(user)
    if not years:
        return render(request, "monitoring/data_quality.html", {"empty": True})
    year = _year(request, years)
    source = request.GET.get("source", "")
    source = source if source in dq.SOURCES else ""
    municipality = _filter(request, "municipality") if nation else ""
    listing = request.GET.get("show", "")
    listing = listing if listing in {code for code, _label, _caption in listings} else "missing"
    scope = dq.scope_for(user, municipality)
    rep = dq.report(scope=scope, year=year, source=source)
    listed = rep.institutions if listing == "all" else rep.listed(listing)
    units = {r.unit.number: r.unit for r in rep.institutions}
    whole_country = scope.everything and not municipality
    found = []
    for o in dq.outliers(year=year, units=None if whole_country else sorted(units), source=source):
        unit = units.get(o.number)
        if unit is None and whole_country:
            inst = scope.visible.get(o.number)
            unit = dq.Unit(number=o.number, name=inst.name if inst else o.number,
                           municipality=inst.municipality.code if inst else "", kind="", institution=inst)
        if unit is not None:
            found.append((o, unit))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _dq_export(fmt, request.GET.get("table", "sources"), rep, listed=listed, found=found, year=year)
    page = Paginator(listed, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    municipalities = selectors.municipalities_for_user(user) if nation else None
    for m in rep.municipalities:  # each figure opens the institutions behind it (IKVD: narrowed to the municipality)
        m.links = {show: _dq_link(request, show=show, municipality=m.code if nation else None)
                   for show in ("all", "received", "missing")}
    return render(request, "monitoring/data_quality.html", {
        "form": DataQualityFilterForm(request.GET or None, years=years, sources=sources,
                                      listings=[(c, label) for c, label, _caption in listings],
                                      municipalities=municipalities),
        "year": year, "source": source, "source_name": source_label(source) if source else "",
        "municipality": municipality, "nation": nation, "report": rep, "listing": listing,
        "listing_caption": next(caption for c, _label, caption in listings if c == listing),
        "page_obj": page, "listed": page.object_list, "listed_total": len(listed),
        "outliers": found, "previous_year": dq.previous_year(year),
        "outliers_computed": year in selectors.school_years() and dq.previous_year(year) in selectors.school_years(),
        "rules": dq.config().outliers, "summary": selectors.run_summary(year, user=request.user),
        "municipality_name": dict((m.code, m.name) for m in municipalities).get(municipality, "")
        if municipalities is not None else "",
    })
