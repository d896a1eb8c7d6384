"""The indicator page: one indicator of one unit, its trend over the school years held and its spread over
institutions, each chart with its table (exported to CSV and XLSX)."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.labels import slice_label
from ikms.monitoring.models import Grain
from ikms.monitoring.views.common import (
    breadcrumbs,
    no_data,
    require,
    school_year,
    wants_export,
    wants_raw,
    year_checked,
)


def _spread_chart(dist_rows, *, year: str, x_title: str):
    """A histogram over many institutions, otherwise a bar per institution with the page's own highlighted (both
    from zero)."""
    if len(dist_rows) > 40:
        return charts.histogram("spread", _("Distribution over institutions, %(year)s") % {"year": year},
                                [r[2] for r in dist_rows], x_title=x_title)
    highlight = next((i for i, r in enumerate(dist_rows) if r[1]), None)
    return charts.bar_chart("spread", _("Institutions, %(year)s") % {"year": year}, [r[0] for r in dist_rows],
                            [r[2] for r in dist_rows], highlight=highlight, horizontal=True,
                            x_title=x_title) if dist_rows else None


@year_checked
def indicator(request, code: str):
    """One indicator of one unit: the trend over the school years held (with municipality and nation) and the
    spread over institutions, each chart with its table."""
    user = request.user
    require(permissions.can_use_monitoring(user))
    info = selectors.indicators().get(code)
    if info is None:
        raise Http404
    years = selectors.school_years()
    year = school_year(request, years)
    grain = request.GET.get("grain") or Grain.NATION
    unit = request.GET.get("unit") or selectors.NATION
    compare: list[tuple[str, str, str]] = []  # (label, grain, unit)
    visible_units = None
    title = ""
    crumbs: list[tuple[str, str]] = []
    if grain == Grain.INSTITUTION:
        inst = selectors.institution_for_monitoring(user, unit)
        require(permissions.can_view_institution_monitoring(user, inst))
        title = inst.name
        crumbs = breadcrumbs(user, year=year, institution=inst)
        compare = [(inst.municipality.name, Grain.MUNICIPALITY, inst.municipality.code),
                   (_("Latvia"), Grain.NATION, selectors.NATION)]
        visible_units = selectors.comparator_group(year, inst)
    elif grain == Grain.MUNICIPALITY:
        muni = selectors.municipality_for_user(user, unit)
        require(permissions.can_view_municipality(user, muni))
        title = muni.name
        crumbs = breadcrumbs(user, year=year, municipality=muni)
        compare = [(_("Latvia"), Grain.NATION, selectors.NATION)]
        visible_units = list(selectors.institutions_for_monitoring(user).filter(municipality=muni)
                             .values_list("registration_number", flat=True))
    elif grain == Grain.NATION:
        require(permissions.can_view_nation(user))
        unit, title = selectors.NATION, _("Latvia")
        visible_units = None
        crumbs = [(_("National dashboard"), f"{reverse('monitoring:nation')}?{urlencode({'year': year})}")]
    else:
        raise Http404
    if not years:
        return no_data(request)
    series = selectors.indicator_series(indicator=code, grain=grain, unit=unit)
    keys = sorted({k for per in series.values() for k in per}, key=lambda k: (k[2], k[1] or 0, k[3]))
    if not keys:
        return render(request, "monitoring/indicator.html", {"info": info, "title": title, "empty": True,
                                                             "crumbs": crumbs,
                                                             "summary": selectors.run_summary(year, user=request.user)})
    slice_key = request.GET.get("slice", "")
    labels = {"|".join(map(str, k)): slice_label(k[1], k[2], k[3]) or _("All") for k in keys}
    chosen = next((k for k in keys if "|".join(map(str, k)) == slice_key), keys[0])
    trend_rows, compare_labels = selectors.indicator_trend(indicator=code, series=series, chosen=chosen,
                                                           compare=compare, years=years)
    # spread over institutions (the comparator group for a school, the municipality's for a municipality)
    dist_rows = selectors.indicator_spread(year=year, indicator=code, chosen=chosen, grain=grain, unit=unit,
                                           units=visible_units, show_names=permissions.can_view_nation(user))
    if wants_export(request):
        digits = None if wants_raw(request) else 2
        if request.GET.get("table", "trend") == "spread":
            rows = selectors.indicator_spread(year=year, indicator=code, chosen=chosen, grain=grain, unit=unit,
                                              units=visible_units, show_names=permissions.can_view_nation(user),
                                              digits=digits)
            return export_response(fmt=request.GET["format"], filename=f"{code}-{year.replace('/', '-')}",
                                   headers=[_("Institution"), _("Value")], rows=[(r[0], r[2]) for r in rows])
        rows, _labels = selectors.indicator_trend(indicator=code, series=series, chosen=chosen, compare=compare,
                                                  years=years, digits=digits)
        return export_response(fmt=request.GET["format"], filename=f"{code}-{unit}",
                               headers=[_("School year"), title, *compare_labels], rows=rows)
    chosen_label = labels["|".join(map(str, chosen))]
    trend = charts.line_chart("trend", f"{info.name}{' (%)' if info.is_percent else ''} — {title}"
                                       f"{f', {chosen_label}' if len(labels) > 1 else ''}", years,
                              [(title, [r[1] for r in trend_rows])] +
                              [(label, [r[i + 2] for r in trend_rows]) for i, label in enumerate(compare_labels)],
                              y_title="%" if info.is_percent else "")
    spread = _spread_chart(dist_rows, year=year, x_title=info.name)
    return render(request, "monitoring/indicator.html", {
        "info": info, "title": title, "grain": grain, "unit": unit, "year": year, "years": years,
        "summary": selectors.run_summary(year, user=request.user), "slices": labels,
        "chosen": "|".join(map(str, chosen)),
        "chosen_label": chosen_label, "trend": trend, "trend_rows": trend_rows, "crumbs": crumbs,
        "compare_labels": compare_labels, "spread": spread, "dist_rows": dist_rows,
    })
