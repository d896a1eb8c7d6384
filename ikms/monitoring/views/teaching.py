"""The teaching profession (issue 15): teachers' age, retirement horizon, qualification, workload, vacancies
and subject shortages for the nation or a municipality, by subject, and per municipality (the nation) or per
institution (a municipality). IKVD staff see the nation and any municipality; a founder its own municipality
only (another is 404). Every table is exported to CSV and XLSX. Where the staff data of a year were not
received, or came without birth years, qualifications or subjects (files of the first format), the page says
so: no data, never 0."""

from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from analytics.teaching import subject_names
from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.teaching import UNIT_INDICATORS
from ikms.monitoring.views.common import export_number, no_data, school_year, shown, tool_area, year_checked

AGE_BANDS = {
    "under_30": gettext_lazy("Under 30"), "30_39": gettext_lazy("30–39"), "40_49": gettext_lazy("40–49"),
    "50_59": gettext_lazy("50–59"), "60_64": gettext_lazy("60–64"), "65_plus": gettext_lazy("65 and over"),
}
KEY_LABELS = {
    "teachers_near_retirement": gettext_lazy("Reaching retirement age within 5 years, %"),
    "teachers_age_unknown": gettext_lazy("Age unknown, %"),
    "teachers_qualified": gettext_lazy("Qualified for their post, %"),
    "teachers_qualification_unknown": gettext_lazy("Qualification unknown, %"),
    "teacher_workload": gettext_lazy("Average workload, full-time equivalents"),
    "teacher_vacancy_days": gettext_lazy("Average days a teacher vacancy stays open"),
    "teacher_vacancies_over_one_month_share": gettext_lazy("Teacher vacancies open over 1 month, %"),
    "teacher_vacancies_over_three_months_share": gettext_lazy("Teacher vacancies open over 3 months, %"),
}


def _subject(code: str) -> str:
    """A subject's name in the active language (the subject list, never an exam's label such as "Mathematics
    (secondary)")."""
    names = subject_names().get(code)
    if names is None:
        return code
    return names["en"] if (get_language() or "lv").startswith("en") else names["lv"]


def _value(v) -> float | None:
    return None if v is None else v.value



def _units(user, year: str, muni):
    """The units below the area with their names: municipalities for the nation, the municipality's
    institutions the user may see for a municipality."""
    if muni is None:
        places = [(m.code, m.name) for m in selectors.municipalities_for_user(user)]
        grain = Grain.MUNICIPALITY
    else:
        places = [(i.registration_number, i.name)
                  for i in selectors.institutions_for_monitoring(user, municipality=muni.code).order_by("name")]
        grain = Grain.INSTITUTION
    names = dict(places)
    rows = selectors.teaching_units(year=year, grain=grain, units=[u for u, _n in places])
    return [(names[r.unit], r) for r in rows if r.cells]


@year_checked
def teaching(request):
    user = request.user
    place = tool_area(request, user)
    grain, unit, muni = place.grain, place.unit, place.municipality
    years = selectors.school_years()
    if not years:
        return no_data(request)
    year = school_year(request, years)
    area = selectors.teaching_area(year=year, grain=grain, unit=unit)
    key_rows = [(KEY_LABELS[code], _value(v)) for code, v in area.key.items()]
    age_rows = [(AGE_BANDS[code], _value(v)) for code, v in area.ages]
    subject_rows = [(_subject(code), n, _value(near), _value(shortage)) for code, n, near, shortage in area.subjects]
    unit_rows = [(name, *[_value(r.cells.get(c)) for c in UNIT_INDICATORS])
                 for name, r in _units(user, year, muni)]
    place = _("Municipality") if muni is None else _("Institution")
    subject_headers = [_("Subject"), _("Teachers"), _("Reaching retirement age within 5 years, %"),
                       _("Open vacancies per 100 teachers")]
    unit_headers = [place, _("Reaching retirement age within 5 years, %"), _("Qualified, %"), _("Average workload"),
                    _("Vacancies open over 1 month, %"), _("Open vacancies per 100 teachers")]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        stem = f"skolotaji-{unit}-{year.replace('/', '-')}"
        which = request.GET.get("table", "key")
        if which == "age":
            return export_response(fmt=fmt, filename=f"{stem}-vecums", headers=[_("Age"), _("Teachers, %")],
                                   rows=[(str(lab), export_number(request, v)) for lab, v in age_rows])
        if which == "subjects":
            return export_response(fmt=fmt, filename=f"{stem}-prieksmeti", headers=subject_headers,
                                   rows=[(s, *[export_number(request, v) for v in cells])
                                         for s, *cells in subject_rows])
        if which == "units":
            return export_response(fmt=fmt, filename=f"{stem}-vienibas", headers=unit_headers,
                                   rows=[(n, *[export_number(request, v, 2) for v in cells])
                                         for n, *cells in unit_rows])
        return export_response(fmt=fmt, filename=stem, headers=[_("Indicator"), _("Value")],
                               rows=[(str(lab), export_number(request, v, 2)) for lab, v in key_rows])
    age_chart = (charts.bar_chart("teacher-ages", _("Teachers by age, %"), [str(lab) for lab, _v in age_rows],
                                  [shown(v) for _lab, v in age_rows], x_title=_("Teachers, %"))
                 if area.has_ages else None)
    shortage = [(s, sh) for s, _n, _near, sh in subject_rows if sh is not None]
    shortage_chart = (charts.bar_chart("subject-shortage", _("Open teacher vacancies per 100 teachers, by subject"),
                                       [s for s, _v in shortage], [shown(v) for _s, v in shortage], horizontal=True,
                                       x_title=_("Open vacancies per 100 teachers"))
                      if shortage else None)
    return render(request, "monitoring/tools/teaching.html", {
        "municipality": muni, "year": year, "years": years, "area": area, "key_rows": key_rows,
        "age_rows": age_rows, "age_caption": _("Teachers by age, %"), "age_header": _("Teachers, %"),
        "subject_rows": subject_rows, "subject_headers": subject_headers,
        "unit_rows": unit_rows, "unit_headers": unit_headers, "age_chart": age_chart, "shortage_chart": shortage_chart,
        "retirement": selectors.indicators()["teachers_near_retirement"].description,
        "summary": selectors.run_summary(year, user=user),
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
    })
