"""The school network tool (issue 15, item 1): learners, classes against the minimums, combined classes,
learners per teacher, capacity use and small schools of the latest school year; and the learner-number
projections for the next 5 years with the schools that fall under the minimums. IKVD staff see every
municipality; a founder its own (another municipality: 404). Each table exports to CSV and XLSX."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.views.common import tool_area


def _choices(user):
    return selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None


def network(request):
    """The latest school year per institution (of a municipality) and per municipality (the nation)."""
    user = request.user
    muni = tool_area(request, user).municipality
    view = selectors.network_view(user, municipality=muni.code if muni else None)
    minimums = selectors.network_minimums()
    headers = [_("Registration number"), _("Institution"), _("Municipality"), _("Learners (grades 1–12)"),
               _("Classes"), _("Combined classes"), _("Classes under the minimum"), _("Average class size"),
               _("Learners per full-time teacher"), _("Design capacity"), _("Capacity use, %"), _("Small school")]
    rows = [(r, view.names.get(r.municipality, r.municipality), view.per_teacher.get(r.institution))
            for r in view.rows]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if request.GET.get("table") == "municipalities":
            return export_response(
                fmt=fmt, filename=f"skolu-tikls-pasvaldibas-{(view.year or '').replace('/', '-')}",
                headers=[_("Municipality"), _("Schools"), _("Learners (grades 1–12)"), _("Small schools"),
                         _("Learners in small schools"), _("Classes"), _("Combined classes"),
                         _("Classes under the minimum"), _("Capacity use, %")],
                rows=[(a.name, a.schools, a.learners, a.small_schools, a.learners_in_small, a.classes, a.combined,
                       a.below_minimum, a.capacity_use) for a in view.areas])
        return export_response(
            fmt=fmt, filename=f"skolu-tikls-{muni.code if muni else 'LV'}-{(view.year or '').replace('/', '-')}",
            headers=headers,
            rows=[(r.institution, r.name, name, r.learners, r.classes, r.combined_classes, r.classes_below_minimum,
                   r.average_class_size, per_teacher, r.capacity, r.capacity_use, _("yes") if r.small else _("no"))
                  for r, name, per_teacher in rows])
    chart = None
    if muni is None and view.areas:
        chart = charts.bar_chart("small-schools", _("Share of the municipality's learners in small schools (per cent)"),
                                 [a.name for a in view.areas], [a.small_share for a in view.areas],
                                 horizontal=True, x_title="%")
    elif view.rows:
        chart = charts.bar_chart("capacity-use", _("Capacity use, %"), [r.name for r in view.rows],
                                 [r.capacity_use for r in view.rows], horizontal=True, x_title="%")
    return render(request, "monitoring/tools/network.html", {
        "municipality": muni, "municipalities": _choices(user), "view": view, "rows": rows, "chart": chart,
        "minimums": minimums, "class_minimums": sorted(minimums.class_minimums.items()),
        "no_capacity": bool(view.rows) and not any(r.capacity for r in view.rows),
    })


def _fmt(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def network_projection(request):
    """A municipality's learners by grade band for the next 5 years (cohort model, the assumptions shown), and
    which of its schools fall under the minimums in which year. The nation: choose a municipality."""
    user = request.user
    muni = tool_area(request, user).municipality
    minimums = selectors.network_minimums()
    context = {"municipality": muni, "municipalities": _choices(user), "minimums": minimums,
               "class_minimums": sorted(minimums.class_minimums.items())}
    if muni is None:
        summaries = selectors.projection_summaries(user)
        if request.GET.get("format") in ("csv", "xlsx"):
            return export_response(
                fmt=request.GET["format"], filename="prognoze-pasvaldibas",
                headers=[_("Municipality"), _("Year (autumn)"), _("Learners now"), _("Learners in 5 years"),
                         _("Schools already under the minimums"), _("Schools falling under within 5 years")],
                rows=[(s.name, s.base_year, _fmt(s.learners_now), _fmt(s.learners_last), s.already_under,
                       s.falling_under) for s in summaries])
        context["summaries"] = summaries
        return render(request, "monitoring/tools/network_projection.html", context)
    data, area, names = selectors.projection_for(user, muni.code)
    p = area.projection
    context.update({"data": data, "area": area})
    if p is None:
        return render(request, "monitoring/tools/network_projection.html", context)
    years = p.years
    bands = [(y, *(_fmt(v) for v in (p.total(y, range(1, 7)), p.total(y, range(7, 10)), p.total(y, range(10, 13)),
                                    p.total(y))))
             for y in years]
    under = sorted(area.under, key=lambda u: (u.year is None, u.year or 0, names.get(u.institution, "")))
    school_rows = [(u.institution, names.get(u.institution, u.institution),
                    _fmt(area.institutions[u.institution].total(p.base_year)),
                    _fmt(area.institutions[u.institution].total(years[-1])), u.year, ", ".join(u.reasons))
                   for u in under]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if request.GET.get("table") == "schools":
            return export_response(
                fmt=fmt, filename=f"prognoze-skolas-{muni.code}",
                headers=[_("Registration number"), _("Institution"), _("Learners now"),
                         _("Learners in %(year)s") % {"year": years[-1]}, _("Falls under the minimum in"),
                         _("Which minimum")],
                rows=school_rows)
        return export_response(fmt=fmt, filename=f"prognoze-{muni.code}",
                               headers=[_("Year (autumn)"), _("Grades 1–6"), _("Grades 7–9"), _("Grades 10–12"),
                                        _("Grades 1–12")], rows=bands)
    chart = charts.line_chart("projection", _("Learners by grade band"), [str(y) for y in years], [
        (_("Grades 1–6"), [b[1] for b in bands]), (_("Grades 7–9"), [b[2] for b in bands]),
        (_("Grades 10–12"), [b[3] for b in bands])])
    ratios = [(g, r.value, r.numerator, r.denominator, ", ".join(str(y) for y in r.years))
              for g, r in sorted(p.ratios.items())]
    context.update({"bands": bands, "school_rows": school_rows, "chart": chart, "ratios": ratios,
                    "entry": p.entry_rate, "entry_years": ", ".join(str(y) for y in p.entry_rate.years),
                    "base_year": p.base_year, "last_year": years[-1]})
    return render(request, "monitoring/tools/network_projection.html", context)
