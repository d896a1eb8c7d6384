"""The data-quality page: what the data lake has received per source and school year (completeness,
timeliness, by municipality and institution) and the values that changed implausibly from the previous year,
each table exported to CSV and XLSX. The figures come from ikms.monitoring.data_quality."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from ikms.core.exports import export_response
from ikms.monitoring import data_quality as dq
from ikms.monitoring import permissions, selectors
from ikms.monitoring.forms import DataQualityFilterForm
from ikms.monitoring.labels import source_label
from ikms.monitoring.views.common import TABLE_PAGE_SIZE, dashboard_filter, require, school_year, year_checked


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
    rows = [(rep.year, r.label, _("institutions"), r.due, r.expected, r.received,
             None if r.percent is None else round(r.percent, 1), r.missing, r.on_time, r.late, "")
            for r in rep.sources]
    for n in rep.national:
        st = n.status
        got = st.receipt is not None
        rows.append((rep.year, n.label, _("national data set"), st.due, 1, int(got), 100 if got else 0,
                     int(not got), int(st.status == dq.ON_TIME), int(st.status == dq.LATE),
                     st.receipt.received_on if got else None))
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
                             st.due, rec.first_on if rec else None,
                             rec.received_on if rec else None, rec.file if rec else "",
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


@year_checked
def data_quality(request):
    """What the data lake has received per source and school year (completeness, timeliness, by municipality
    and institution) and the values that changed implausibly from the previous year; founders see their own
    institutions."""
    user = request.user
    require(permissions.can_view_data_quality(user))
    years = dq.years()
    sources = [(s, source_label(s)) for s in dq.SOURCES]
    listings = _listings()
    nation = permissions.can_view_nation(user)
    if not years:
        return render(request, "monitoring/data_quality.html", {"empty": True})
    year = school_year(request, years)
    source = request.GET.get("source", "")
    source = source if source in dq.SOURCES else ""
    municipality = dashboard_filter(request, "municipality") if nation else ""
    listing = request.GET.get("show", "")
    listing = listing if listing in {code for code, _label, _caption in listings} else "missing"
    scope = dq.scope_for(user, municipality)
    rep = dq.report(scope=scope, year=year, source=source)
    listed = rep.institutions if listing == "all" else rep.listed(listing)
    found = dq.report_outliers(scope=scope, report_=rep, year=year, source=source, municipality=municipality)
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
