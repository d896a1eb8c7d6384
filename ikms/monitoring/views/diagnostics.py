"""Pupil diagnostics and well-being (issue 15, item 6): the pre-school, grade 3 and grade 6 diagnostics by domain
beside daily marks and exams, and the well-being survey, for the nation (IKVD staff) or a municipality (its
founder: only its own), with disclosure control ([c] hidden cells, analytics/disclosure.py) and CSV/XLSX
exports of each table."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikms.core.charts import bar_chart
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.labels import category_label
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.diagnostics import EXAMS, GRADES, MARKS
from ikms.monitoring.views.common import no_data, school_year, tool_area, year_checked


def grade_label(grade: str) -> str:
    return {"preschool": _("Pre-school (5–6 year olds)"), "grade3": _("Grade 3"), "grade6": _("Grade 6")}[grade]


def column_label(code: str) -> str:
    if code == MARKS:
        return _("Basic-school learners with an average mark of 7 or more, %")
    if code.startswith(f"{EXAMS}:"):
        return _("State exam mean, %%: %(exam)s") % {"exam": category_label(code.split(":")[1])}
    if code == "pupil":
        return _("Pupils")
    if code == "teacher":
        return _("Teachers")
    return category_label(code)


def _sub_units(user, grain, unit):
    if grain == Grain.NATION:
        return [(m.code, m.name) for m in selectors.municipalities_for_user(user)]
    return [(i.registration_number, i.name)
            for i in selectors.institutions_for_monitoring(user, municipality=unit).order_by("name")]


def _export(fmt, filename, table, unit_header):
    headers = [unit_header, *[column_label(c) for c in table.columns]]
    rows = [(r.name, *[c.export for c in r.cells]) for r in table.rows]
    return export_response(fmt=fmt, filename=filename, headers=headers, rows=rows)


@year_checked
def diagnostics(request):
    user = request.user
    place = tool_area(request, user)
    grain, unit, muni = place.grain, place.unit, place.municipality
    years = selectors.school_years()
    if not years:
        return no_data(request)
    year = school_year(request, years)
    grade = request.GET.get("grade", "grade3")
    grade = grade if grade in GRADES else "grade3"
    unit_name = muni.name if muni else _("Latvia")
    page = selectors.diagnostics_page(
        year=year, grain=grain, unit=unit, unit_name=unit_name, sub_grain=selectors.area_grains(grain),
        sub_units=_sub_units(user, grain, unit), grade=grade, lang=get_language() or "lv")
    unit_header = _("Municipality") if grain == Grain.NATION else _("Institution")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        which = request.GET.get("table", "diagnostics")
        table = {"wellbeing": page.wellbeing, "compare": page.compare, "below": page.below}.get(which,
                                                                                                page.diagnostics)
        return _export(fmt, f"diagnostika-{which}-{unit}-{year.replace('/', '-')}", table, unit_header)
    total = page.diagnostics.rows[-1]
    shown = [(column_label(c), cell) for c, cell in zip(page.diagnostics.columns, total.cells, strict=True)
             if cell.value is not None]
    chart = bar_chart("diagnostics-chart", _("Mean diagnostic score by domain, %") + f" — {unit_name}",
                      [label for label, _c in shown], [cell.value for _l, cell in shown]) if shown else None
    return render(request, "monitoring/tools/diagnostics.html", {
        "year": year, "years": years, "municipality": muni, "unit_name": unit_name, "page": page,
        "grade": grade, "grades": [(g, grade_label(g)) for g in GRADES], "grade_name": grade_label(grade),
        "unit_header": unit_header, "chart": chart, "chart_rows": shown,
        "diag_columns": [column_label(c) for c in page.diagnostics.columns],
        "compare_columns": [column_label(c) for c in page.compare.columns],
        "wellbeing_columns": [column_label(c) for c in page.wellbeing.columns],
        "summary": selectors.run_summary(year, user=user),
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
    })
