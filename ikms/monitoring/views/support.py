"""Support to continue studies (issue 15): early leaving, basic → secondary transitions, support staff per 100
learners and learners in special programmes of the nation, a municipality or an institution over the school years
held, and how early leaving and transitions changed where support staff were added; tables exported to CSV and
XLSX."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from analytics.support import MIN_INSTITUTIONS
from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.labels import category_label
from ikms.monitoring.models import Grain
from ikms.monitoring.views.common import area_and_year, export_number, no_data, year_checked
from ikms.monitoring.views.graduates import area_institutions


def _figure_label(code: str) -> str:
    return _("Early leavers, %") if code == "early_leaving" else _(
        "Basic-education completers moving on to secondary education, %")


def _rows(series: list[selectors.SupportYear]) -> list[tuple]:
    return [(s.year, s.early_leaving, s.learners, *[s.transitions.get(c) for c in selectors.TRANSITION_CATEGORIES],
             s.basic_graduates, s.support_per_100, s.special_share, s.has_data) for s in series]


def _headers() -> list[str]:
    return [_("School year"), _("Early leavers, %"), _("Learners"),
            *[_("Moved on: %(where)s, %%") % {"where": category_label(c)} for c in selectors.TRANSITION_CATEGORIES],
            _("Basic-education completers"), _("Support staff FTE per 100 learners"),
            _("Learners in special programmes, %")]


def _effect_rows(effects: list[selectors.EffectRow]) -> list[tuple]:
    out = []
    for e in effects:
        for group, change in ((_("Support added"), e.effect.added), (_("Other institutions"), e.effect.others)):
            out.append((f"{e.before} → {e.after}", _figure_label(e.figure), group, change.institutions,
                        change.before, change.after, change.change, change.too_few))
    return out


@year_checked
def support(request):
    user = request.user
    if (held := area_and_year(request, institutions=True)) is None:
        return no_data(request)
    place, years, year = held
    grain, unit, muni, inst, title = place.grain, place.unit, place.municipality, place.institution, place.name
    series = selectors.support_series(grain=grain, unit=unit, years=years)
    rows = _rows(series)
    units = [inst.registration_number] if inst is not None else [
        i.registration_number for i in area_institutions(user, grain, unit)]
    effects = _effect_rows(selectors.support_effects(years=years, units=units)) if grain != Grain.INSTITUTION else []
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if request.GET.get("table") == "effect":
            return export_response(
                fmt=fmt, filename=f"atbalsts-{unit}-izmainas",
                headers=[_("School years"), _("Figure"), _("Institutions"), _("Number of institutions"),
                         _("Before"), _("After"), _("Change, percentage points")],
                rows=[(y, f, g, n, *[export_number(request, v) for v in (b, a, c)]) if not few else
                      (y, f, g, n, _("Too few to tell"), "", "") for y, f, g, n, b, a, c, few in effects])
        return export_response(fmt=fmt, filename=f"atbalsts-{unit}", headers=_headers(),
                               rows=[(r[0], *[export_number(request, v) for v in r[1:-1]]) for r in rows])
    chart = charts.line_chart(
        "support-trend", _("Early leaving and moving on to secondary education, %"), years,
        [(_("Early leavers, %"), [s.early_leaving for s in series]),
         *[(_("Moved on: %(where)s, %%") % {"where": category_label(c)}, [s.transitions.get(c) for s in series])
           for c in ("general_secondary", "vocational")]], y_title="%")
    return render(request, "monitoring/tools/support.html", {
        "title": title, "grain": grain, "municipality": muni, "institution": inst, "year": year, "years": years,
        "headers": _headers(), "rows": rows, "chart": chart, "effects": effects, "min_institutions": MIN_INSTITUTIONS,
        "notes": {code: selectors.indicators()[code].description for code in selectors.SUPPORT_INDICATORS
                  if code in selectors.indicators()},
        "any_data": any(s.has_data for s in series),
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
        "summary": selectors.run_summary(year, user=user),
    })
