"""EQAVET indicators of vocational education (issue 16): the ten for the nation, a municipality or an institution
in a school year — the value where the data allow it, otherwise which data it lacks — and the computed ones over
the school years held, in a chart with its table; both tables exported to CSV and XLSX."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.eqavet import EqavetIndicator, eqavet_indicators
from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.views.common import area_and_year, export_number, no_data, year_checked


def _lang() -> str:
    return "lv" if (get_language() or "lv").startswith("lv") else "en"


def _name(indicator: EqavetIndicator) -> str:
    return f"{indicator.number}. {indicator.name[_lang()]}"


def _unit(indicator: EqavetIndicator) -> str:
    """What the value counts: learners for indicator 3, a percentage for the others."""
    return _("learners") if indicator.indicator == "eqavet_vocational_learners" else "%"


@year_checked
def eqavet(request):
    user = request.user
    if (held := area_and_year(request, institutions=True)) is None:
        return no_data(request)
    place, years, year = held
    grain, unit, muni, inst, title = place.grain, place.unit, place.municipality, place.institution, place.name
    series = selectors.eqavet_series(grain=grain, unit=unit, years=years)
    chosen = next(s for s in series if s.year == year)
    ten = eqavet_indicators()
    computed = [i for i in ten if i.computable]
    lang = _lang()
    rows = [(i, _name(i), chosen.value(i) if i.computable else None, _unit(i) if i.computable else "",
             (i.how or {}).get(lang, ""), (i.lacks or {}).get(lang, "")) for i in ten]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if request.GET.get("table") == "years":
            return export_response(
                fmt=fmt, filename=f"eqavet-{unit}", headers=[_("School year"), *[_name(i) for i in computed]],
                rows=[(s.year, *[export_number(request, s.value(i)) for i in computed]) for s in series])
        return export_response(
            fmt=fmt, filename=f"eqavet-{unit}-{year.replace('/', '-')}",
            headers=[_("EQAVET indicator"), _("Value"), _("Unit"), _("How it is counted"),
                     _("Cannot be computed: lacks")],
            rows=[(name, export_number(request, value) if i.computable else None, unit_, how, lacks)
                  for i, name, value, unit_, how, lacks in rows])
    shares = [i for i in computed if _unit(i) == "%"]
    chart = charts.line_chart(
        "eqavet-trend", _("EQAVET indicators over the school years, %"), years,
        [(_name(i), [s.value(i) for s in series]) for i in shares], y_title="%")
    return render(request, "monitoring/tools/eqavet.html", {
        "title": title, "grain": grain, "municipality": muni, "institution": inst, "year": year, "years": years,
        "rows": rows, "chart": chart, "computed": [_name(i) for i in computed],
        "year_rows": [(s.year, [s.value(i) for i in computed], s.has_data) for s in series],
        "accredited": chosen.accredited, "any_data": chosen.has_data,
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
        "summary": selectors.run_summary(year, user=user),
    })
