"""The general overview (issue 15, item 5): the key national indicators over the school years held on one page,
each with its data year and sources, a small trend chart and its table ("no data" where a year is missing); a
founder sees its municipality beside the nation. The published international study results (item 7) stand beside
them with their cycle and source. CSV/XLSX export of the whole series table."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from ikms.core.charts import line_chart
from ikms.core.exports import export_response
from ikms.monitoring import selectors
from ikms.monitoring.labels import SOURCES, category_label, semester_label
from ikms.monitoring.views.common import no_data, tool_area


def _label(s) -> str:
    parts = [p for p in (category_label(s.category), semester_label(s.semester)) if p]
    return f"{s.name} ({', '.join(parts)})" if parts else s.name


def overview(request):
    user = request.user
    muni = tool_area(request, user).municipality  # IKVD staff: the nation, or a municipality beside it
    years = selectors.school_years()
    if not years:
        return no_data(request)
    series = selectors.overview(years=years, municipality=muni.code if muni else None)
    area_name = muni.name if muni else ""
    if request.GET.get("format") in ("csv", "xlsx"):
        headers = [_("Indicator"), _("School year"), _("Latvia")] + ([area_name] if muni else [])
        rows = [(_label(s), y, n, *([a] if muni else [])) for s in series for y, n, a in s.rows]
        return export_response(fmt=request.GET["format"], filename="parskats", headers=headers, rows=rows)
    items = []
    for i, s in enumerate(series):
        lines = [(_("Latvia"), s.nation)] + ([(area_name, s.area)] if muni and s.area is not None else [])
        chart = line_chart(f"overview-{i}", _label(s), s.years, lines) if s.data_year else None
        sources = [(str(SOURCES.get(src.dataset, src.dataset)), src.dataset, src.received) for src in s.sources]
        items.append({"series": s, "label": _label(s), "chart": chart, "sources": sources})
    return render(request, "monitoring/tools/overview.html", {
        "items": items, "years": years, "municipality": muni, "area_name": area_name,
        "international": selectors.international_results(),
        "summary": selectors.run_summary(years[-1], user=user),
    })
