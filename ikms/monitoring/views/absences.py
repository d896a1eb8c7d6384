"""Absences and out-of-school children: tables 5-7 of the annual report for the nation or a municipality, and
long-term unexcused absentees per institution, each table exported to CSV and XLSX."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.labels import category_label, level_label
from ikms.monitoring.views.common import TABLE_PAGE_SIZE, no_data, require, school_year, tool_area, year_checked


def _labelled_tables(tables: selectors.AbsenceTables):
    """Tables 5-7 with their level, reason and status codes in words."""
    table6 = [(year, [(level_label(lv), *cells) for lv, *cells in rows], total) for year, rows, total in tables.table6]
    table7 = [(year, [(category_label(reason), *cells) for reason, *cells in rows]) for year, rows in tables.table7]
    reasons = [(year, [(category_label(c), *cells) for c, *cells in why],
                [(category_label(c), *cells) for c, *cells in done], source)
               for year, why, done, source in tables.reasons]
    table5 = [(category_label(s), n) for s, n in tables.table5]
    outside5 = [(category_label(s), n) for s, n in tables.outside5]
    return table5, outside5, table6, table7, reasons


def absences(request):
    user = request.user
    place = tool_area(request, user)
    grain, unit, muni = place.grain, place.unit, place.municipality
    years = selectors.school_years()
    if not years:
        return no_data(request)
    tables = selectors.absence_tables(grain=grain, unit=unit, years=years)
    table5, outside5, table6, table7, reasons = _labelled_tables(tables)
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
        "municipality": muni, "years": years, "table5": table5, "outside5": outside5, "t5_year": tables.t5_year,
        "table6": table6, "table7": table7, "reasons": reasons,
        "table6_note": selectors.indicators()["long_term_unexcused_absentees"].description,
        "summary": selectors.run_summary(years[-1], user=request.user),
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
    })


def _labelled(rows):
    return [(i, s1, s2, [(category_label(c), n) for c, n in rs], [(category_label(c), n) for c, n in acts])
            for i, s1, s2, rs, acts in rows]


@year_checked
def absence_institutions(request):
    """Long-term unexcused absentees per institution with the reasons and the actions recorded."""
    user = request.user
    require(permissions.can_use_monitoring(user))
    years = selectors.school_years()
    if not years:
        return no_data(request)
    year = school_year(request, years)
    code = request.GET.get("municipality", "")
    rows = selectors.absentee_rows(user=user, year=year, municipality=code)
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
        "indicator_name": selectors.indicators()["learners_over_unexcused_lessons_threshold"].name,
        "summary": selectors.run_summary(year, user=request.user),
        "municipalities": selectors.municipalities_for_user(user), "municipality": code,
    })
