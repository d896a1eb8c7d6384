"""Public school profiles: search, one school's profile, up to three schools side by side, and their CSV/XLSX
exports. Anonymous, Latvian and English.

Every indicator figure comes from `ikms.portal.profiles` (statistical disclosure control); the views only lay
out what it returns: a chart (Plotly JSON, drawn by static/ikms/charts.js) and the same figures in a table beside
it."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ikms.accreditation.selectors import published_self_evaluation
from ikms.core.exports import export_response
from ikms.core.forms import GovukForm
from ikms.monitoring.labels import level_label
from ikms.portal import profiles
from ikms.portal.profiles import Figure, ProfileRow
from ikms.registry.models import Municipality

PAGE_SIZE = 25
COLOURS = ["#1d70b8", "#505a5f", "#00703c", "#d4351c"]


class ProfileSearchForm(GovukForm):
    q = forms.CharField(label=gettext_lazy("School name or registration number"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", gettext_lazy("All municipalities"))] + [
            (m.code, m.name) for m in Municipality.objects.order_by("name_lv")]

    def filters(self) -> dict[str, str]:
        """The valid search values (invalid ones are ignored and shown as errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


@login_not_required
def profile_search(request):
    form = ProfileSearchForm(request.GET or None)
    qs = profiles.profile_search(**form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/profile_search.html", {"form": form, "page_obj": page,
                                                         "total": page.paginator.count})


# --- charts and the tables beside them -----------------------------------------------------------------------


@dataclass
class Block:
    """A chart and the table of the same figures beside it (or right below it, where the table is wide)."""

    id: str
    title: str
    caption: str
    columns: list[str]  # the headers after the indicator column
    rows: list[tuple[ProfileRow, list[Figure | None]]]  # None: not published (national counts)
    figure: dict | None
    description: str
    stacked: bool = False

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


def _bars(title: str, labels: list[str], series: list[tuple[str, list[Figure | None]]], *, y_title: str = "",
          horizontal: bool = False) -> dict:
    """Grouped bars (Plotly figure JSON); a hidden or missing figure is a gap (null), never a number."""
    data = []
    for i, (name, figures) in enumerate(series):
        values = [f.value if f else None for f in figures]
        trace = {"type": "bar", "name": name, "marker": {"color": COLOURS[i % len(COLOURS)]}}
        trace.update({"orientation": "h", "y": labels, "x": values} if horizontal else {"x": labels, "y": values})
        data.append(trace)
    value_axis = {"title": {"text": y_title}, "rangemode": "tozero", "automargin": True}
    label_axis = {"type": "category", "automargin": True}
    layout = {"title": {"text": title, "font": {"size": 14}, "x": 0, "xanchor": "left"},
              "font": {"family": "Arial, sans-serif", "size": 13, "color": "#0b0c0c"},
              "separators": ", " if (get_language() or "lv").startswith("lv") else ".,",
              "barmode": "group", "margin": {"l": 10, "r": 10, "t": 90, "b": 40},
              "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}}
    if horizontal:
        label_axis["autorange"] = "reversed"
        layout.update(xaxis=value_axis, yaxis=label_axis,
                      height=140 + 22 * max(1, len(labels)) * max(1, len(series)))
    else:
        layout.update(xaxis=label_axis, yaxis=value_axis, height=360)
    return {"data": data, "layout": layout}


def _description(title: str, *, below: bool = False) -> str:
    if below:
        return _("Chart: %(title)s. The same figures are in the table below it.") % {"title": title}
    return _("Chart: %(title)s. The same figures are in the table beside it.") % {"title": title}


def _sections(rows: list, row_of) -> list[tuple[str, str, list]]:
    """(block id, title, rows) per section, graduates' destinations split by level."""
    out = []
    for code, title in profiles.SECTIONS.items():
        in_section = [r for r in rows if row_of(r).section == code]
        if code != "graduates":
            if in_section:
                out.append((f"chart-{code}", str(title), in_section))
            continue
        for level in dict.fromkeys(row_of(r).level for r in in_section):
            out.append((f"chart-graduates-{level or 'all'}",
                        _("Graduates' destinations: %(level)s") % {"level": level_label(level) or _("all levels")},
                        [r for r in in_section if row_of(r).level == level]))
    return out


def _profile_blocks(profile: profiles.Profile) -> list[Block]:
    ind = profile.indicators
    year = ind.latest
    columns = [*ind.years, _("National")]
    caption_note = _("national figures: %(year)s") % {"year": year}
    this_school, national = _("This school"), _("National")
    blocks = []
    for block_id, title, rows in _sections(ind.rows, lambda r: r):
        cells = [(r, [r.at(y) for y in ind.years] + [r.nation_at(year) if r.spec.national else None]) for r in rows]
        if block_id == "chart-school":
            learners = next((r for r in rows if r.indicator == "learners_enrolled"), None)
            if learners is None:
                blocks.append(Block(block_id, title, f"{title} ({caption_note})", columns, cells, None, ""))
                continue
            chart_title = _("Learners enrolled by school year")
            figure = _bars(chart_title, list(ind.years), [(this_school, [learners.at(y) for y in ind.years])],
                           y_title=_("Learners"))
        else:
            chart_title = _("%(year)s: this school and national") % {"year": year}
            figure = _bars(chart_title, [r.short_label for r in rows],
                           [(this_school, [r.at(year) for r in rows]), (national, [r.nation_at(year) for r in rows])],
                           y_title="%", horizontal=block_id != "chart-absences")
            chart_title = f"{title}, {chart_title}"
        blocks.append(Block(block_id, title, f"{title} ({caption_note})", columns, cells, figure,
                            _description(chart_title)))
    return blocks


def _compare_blocks(comparison: profiles.Comparison) -> list[Block]:
    names = [i.name for i in comparison.institutions]
    columns = [*names, _("National")]
    year = comparison.year
    blocks = []
    for block_id, title, rows in _sections(comparison.rows, lambda r: r[0]):
        cells = [(row, [*own, nation if row.spec.national else None]) for row, own, nation in rows]
        if block_id == "chart-school":
            learners = [(row, own) for row, own, _nation in rows if row.indicator == "learners_enrolled"]
            chart_title = _("Learners enrolled, %(year)s") % {"year": year}
            figure = _bars(chart_title, [row.short_label for row, _own in learners],
                           [(names[i], [own[i] for _row, own in learners]) for i in range(len(names))],
                           y_title=_("Learners")) if learners else None
        else:
            chart_title = f"{title}, {year}"
            series = [(names[i], [own[i] for _row, own, _nation in rows]) for i in range(len(names))]
            series.append((_("National"), [nation for _row, _own, nation in rows]))
            figure = _bars(chart_title, [row.short_label for row, _own, _nation in rows], series, y_title="%",
                           horizontal=block_id != "chart-absences")
        blocks.append(Block(block_id, title, f"{title}, {year}", columns, cells, figure,
                            _description(chart_title, below=True) if figure else "", stacked=True))
    return blocks


# --- pages and exports ---------------------------------------------------------------------------------------


def _cell(figure: Figure | None):
    return "" if figure is None else figure.export


@login_not_required
def profile_detail(request, registration_number: str):
    profile = profiles.profile_get(registration_number=registration_number)
    fmt = request.GET.get("format")
    institution = profile.institution
    if fmt in ("csv", "xlsx"):
        headers = [_("Registration number"), _("School"), _("School year"), _("Indicator"), _("Value"),
                   _("National value")]
        rows = [[institution.registration_number, institution.name, year, row.label, _cell(row.at(year)),
                 _cell(row.nation_at(year) if row.spec.national else None)]
                for row in profile.indicators.rows for year in profile.indicators.years]
        return export_response(fmt=fmt, filename=f"profils-{institution.registration_number}", headers=headers,
                               rows=rows)
    return render(request, "portal/profile_detail.html", {
        "profile": profile, "institution": institution, "programmes": profile.programmes,
        "accreditation": profile.accreditation, "blocks": _profile_blocks(profile), "summary": profile.summary,
        "self_evaluation": published_self_evaluation(institution),
    })


@login_not_required
def profile_compare(request):
    numbers = request.GET.getlist("i")
    chosen = [n.strip() for n in numbers if n.strip()]
    comparison, error = None, ""
    if chosen:
        try:
            comparison = profiles.profile_compare(registration_numbers=chosen)
        except profiles.CompareError as exc:
            error = str(exc)
    fmt = request.GET.get("format")
    if comparison is not None and fmt in ("csv", "xlsx"):
        headers = [_("School year"), _("Indicator"),
                   *[f"{i.name} ({i.registration_number})" for i in comparison.institutions], _("National value")]
        rows = [[comparison.year, row.label, *[_cell(f) for f in own],
                 _cell(nation if row.spec.national else None)] for row, own, nation in comparison.rows]
        return export_response(fmt=fmt, filename="profilu-salidzinajums", headers=headers, rows=rows)
    inputs = [*chosen, "", "", ""][:profiles.MAX_COMPARED]
    return render(request, "portal/profile_compare.html", {
        "comparison": comparison, "error": error, "inputs": inputs,
        "blocks": _compare_blocks(comparison) if comparison else [],
        "summary": comparison.summary if comparison else None,
    })
