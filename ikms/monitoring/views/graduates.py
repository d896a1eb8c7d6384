"""Graduate monitoring (issue 15): where the graduates of a level went over the school years held (further study
by level and field, employment, abroad, unknown), for the nation, a municipality or an institution, with the
institution's comparator group and an area's institutions; every table exported to CSV and XLSX."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.graduates import study_fields_source
from analytics.lake.schemas import DESTINATIONS
from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.labels import category_label, field_label, level_label
from ikms.monitoring.models import Grain
from ikms.monitoring.views.common import area_and_year, export_number, no_data, year_checked


def area_institutions(user, grain: str, unit: str) -> list:
    """The institutions of the area shown that the user may see (none for an institution's page)."""
    if grain == Grain.INSTITUTION:
        return []
    return list(selectors.institutions_for_monitoring(user, municipality=unit if grain == Grain.MUNICIPALITY else None))


def _lang() -> str:
    return "lv" if (get_language() or "lv").startswith("lv") else "en"


def _level(request) -> str:
    level = request.GET.get("level", "")
    return level if level in selectors.GRADUATE_LEVELS else "basic"


@year_checked
def graduates(request):
    user = request.user
    if (held := area_and_year(request, institutions=True)) is None:
        return no_data(request)
    place, years, year = held
    grain, unit, muni, inst, title = place.grain, place.unit, place.municipality, place.institution, place.name
    level = _level(request)
    series = selectors.destination_series(grain=grain, unit=unit, level=level, years=years)
    fields = selectors.field_series(grain=grain, unit=unit, level=level, years=years)
    dest_labels = [category_label(d) for d in DESTINATIONS]
    dest_rows = [(s.year, s.graduates, *[s.shares.get(d) for d in DESTINATIONS], s.has_data) for s in series]
    field_rows = [(field_label(f), *[s.shares.get(f) for s in fields]) for f in selectors.FIELD_CATEGORIES]
    comparator, comparator_n = ({}, 0)
    if inst is not None:
        comparator, comparator_n = selectors.destination_comparator(year=year, institution=inst, level=level)
    own = next((s for s in series if s.year == year), None)
    comparison = [(category_label(d), own.shares.get(d) if own else None, comparator.get(d)) for d in DESTINATIONS]
    institutions = selectors.institution_destinations(
        year=year, institutions=area_institutions(user, grain, unit), level=level)
    programmes = selectors.programme_destinations(year=year, grain=grain, unit=unit, level=level)
    programme_rows = [(r.code if r.code != "unknown" else _("Programme unknown"), r.name, r.graduates,
                       [r.shares.get(d) for d in DESTINATIONS]) for r in programmes]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        which = request.GET.get("table", "destinations")
        name = f"absolventi-{unit}-{level}"
        if which == "programmes":
            return export_response(
                fmt=fmt, filename=f"{name}-programmas-{year.replace('/', '-')}",
                headers=[_("Programme code"), _("Programme"), _("Graduates"), *dest_labels],
                rows=[(code, pname, n, *[export_number(request, v) for v in shares])
                      for code, pname, n, shares in programme_rows])
        if which == "fields":
            return export_response(fmt=fmt, filename=f"{name}-jomas", headers=[_("Field of study"), *years],
                                   rows=[(label, *[export_number(request, v) for v in vals])
                                         for label, *vals in field_rows])
        if which == "institutions":
            return export_response(
                fmt=fmt, filename=f"{name}-iestades-{year.replace('/', '-')}",
                headers=[_("Registration number"), _("Institution"), _("Graduates"), *dest_labels],
                rows=[(r.institution.registration_number, r.institution.name, r.graduates,
                       *[export_number(request, r.shares.get(d)) for d in DESTINATIONS]) for r in institutions])
        return export_response(fmt=fmt, filename=name, headers=[_("School year"), _("Graduates"), *dest_labels],
                               rows=[(y, n, *[export_number(request, v) for v in vals])
                                     for y, n, *vals, _has in dest_rows])
    chart = charts.line_chart(
        "graduate-destinations", _("Destinations of graduates, %% (%(level)s)") % {"level": level_label(level)},
        years, [(label, [None if s.shares.get(d) is None else round(s.shares[d], 1) for s in series])
                for label, d in zip(dest_labels, DESTINATIONS, strict=True)], y_title="%")
    latest = fields[-1] if fields else None
    field_chart = None
    if latest is not None and latest.has_data:
        field_chart = charts.bar_chart(
            "graduate-fields", _("Fields of further study, %(year)s, %%") % {"year": latest.year},
            [field_label(f) for f in selectors.FIELD_CATEGORIES],
            [latest.shares.get(f) for f in selectors.FIELD_CATEGORIES], horizontal=True)
    return render(request, "monitoring/tools/graduates.html", {
        "title": title, "grain": grain, "municipality": muni, "institution": inst, "year": year, "years": years,
        "level": level, "levels": [(code, level_label(code)) for code in selectors.GRADUATE_LEVELS],
        "dest_labels": dest_labels, "dest_rows": dest_rows, "chart": chart, "field_rows": field_rows,
        "field_chart": field_chart, "fields_source": study_fields_source(_lang()), "comparison": comparison,
        "comparator_n": comparator_n, "institutions": institutions[:50], "institutions_total": len(institutions),
        "institution_rows": [(r.institution, r.graduates, [r.shares.get(d) for d in DESTINATIONS])
                             for r in institutions[:50]],
        "programme_rows": programme_rows[:50], "programmes_total": len(programme_rows),
        "any_data": any(s.has_data for s in series),
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
        "summary": selectors.run_summary(year, user=user),
    })
