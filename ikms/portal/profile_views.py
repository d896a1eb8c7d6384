"""Public school profiles: search, one school's profile, up to three schools side by side, and their CSV/XLSX
exports. Anonymous, Latvian and English.

Every indicator figure comes from `ikms.portal.profiles` (statistical disclosure control); the views only lay
out what it returns: a chart (Plotly JSON, drawn by static/ikms/charts.js) and the same figures in a table right
below it. The schools to compare are chosen into a basket kept in the session (`ikms.portal.basket`)."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ikms.accreditation.selectors import published_self_evaluation
from ikms.core.exports import export_response
from ikms.core.forms import GovukForm
from ikms.monitoring.labels import level_label
from ikms.portal import basket, profiles
from ikms.portal.profiles import Figure, ProfileRow
from ikms.registry.models import InstitutionType, Municipality

PAGE_SIZE = 25
COLOURS = ["#1d70b8", "#505a5f", "#00703c", "#d4351c"]
LABEL_WIDTH = 24  # characters per line of a bar's label in a chart
LEGEND_WIDTH = 32  # and of a legend entry (a school's name)


def _type_choices() -> list:
    """Institution types grouped by kind (a select with option groups), after "All types"."""
    groups: dict = {}
    for t in InstitutionType.objects.select_related("kind").order_by("kind__pk", "pk"):
        groups.setdefault(t.kind, []).append((t.code, t.name))
    return [("", gettext_lazy("All types")), *((kind.name, types) for kind, types in groups.items())]


class ProfileSearchForm(GovukForm):
    q = forms.CharField(label=gettext_lazy("School name"), required=False, max_length=100,
                        help_text=gettext_lazy("Part of the name is enough, words in any order, with or without "
                                               "diacritics: for example, rigas 10 vidusskola."))
    type = forms.ChoiceField(label=gettext_lazy("Institution type"), required=False)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _type_choices()
        self.fields["municipality"].choices = [("", gettext_lazy("All municipalities"))] + [
            (m.code, m.name) for m in Municipality.objects.order_by("name_lv")]

    def filters(self) -> dict[str, str]:
        """The valid search values (invalid ones are ignored and shown as errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


def _basket_context(request) -> dict:
    """The compare basket panel: the chosen schools and where its buttons come back to."""
    chosen = basket.basket_institutions(request.session)
    return {"basket": chosen, "basket_numbers": [i.registration_number for i in chosen],
            "basket_max": profiles.MAX_COMPARED, "basket_next": request.get_full_path()}


@login_not_required
def profile_search(request):
    form = ProfileSearchForm(request.GET or None)
    found = profiles.profile_search(**form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/profile_search.html", {"form": form, "page_obj": page, "total": page.paginator.count,
                                                         "approximate": found.approximate,
                                                         **_basket_context(request)})


def _back(request) -> str:
    """Where a basket button returns to: the page it was pressed on (same site only), else the search."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                   require_https=request.is_secure()):
        return target
    return reverse("portal:profile-search")


@login_not_required
@require_POST
def compare_add(request):
    """Put a school into the compare basket (kept in the session), then back to the page the button was on."""
    try:
        institution, added = basket.basket_add(request.session, registration_number=request.POST.get("i", ""))
    except basket.BasketFullError as exc:
        messages.warning(request, str(exc))
    else:
        n = len(basket.basket_numbers(request.session))
        if added:
            messages.success(request, _("Added to the comparison: %(name)s (%(n)s of %(max)s).") % {
                "name": institution.name, "n": n, "max": profiles.MAX_COMPARED})
        else:
            messages.info(request, _("Already chosen for the comparison: %(name)s.") % {"name": institution.name})
    return redirect(_back(request))


@login_not_required
@require_POST
def compare_remove(request):
    """Take a school out of the compare basket, then back to the page the button was on."""
    institution = basket.basket_remove(request.session, registration_number=request.POST.get("i", ""))
    if institution is not None:
        messages.success(request, _("Removed from the comparison: %(name)s.") % {"name": institution.name})
    return redirect(_back(request))


# --- charts and the tables below them ------------------------------------------------------------------------


@dataclass
class Block:
    """A chart and, right below it, the table of the same figures (below rather than beside, so that every column
    of the table, the national one included, has the width of the page)."""

    id: str
    title: str
    caption: str
    columns: list[str]  # the headers after the indicator column
    rows: list[tuple[ProfileRow, list[Figure | None]]]  # None: not published (national counts)
    figure: dict | None
    description: str
    chart_title: str = ""  # shown above the chart, in the page's text (it wraps; a Plotly title would be cut off)

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


def _plotly_text(text: str, width: int) -> str:
    """A label or legend entry for Plotly: its markup characters escaped and long text broken into lines (Plotly
    never wraps, so a long label would be cut off or squeeze the bars on a narrow screen)."""
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(str(text), width) or [""])


def _bars(labels: list[str], series: list[tuple[str, list[Figure | None]]], *, y_title: str = "",
          horizontal: bool = False) -> dict:
    """Grouped bars (Plotly figure JSON); a hidden or missing figure is a gap (null), never a number. The legend
    sits above the bars and the axes make room for their labels (Plotly's automargin), so nothing is clipped."""
    data = []
    categories = [_plotly_text(label, LABEL_WIDTH) for label in labels]
    for i, (name, figures) in enumerate(series):
        values = [f.value if f else None for f in figures]
        trace = {"type": "bar", "name": _plotly_text(name, LEGEND_WIDTH),
                 "marker": {"color": COLOURS[i % len(COLOURS)]}}
        trace.update({"orientation": "h", "y": categories, "x": values} if horizontal else
                     {"x": categories, "y": values})
        data.append(trace)
    value_axis = {"title": {"text": y_title}, "rangemode": "tozero", "automargin": True}
    label_axis = {"type": "category", "automargin": True}
    layout = {"font": {"family": "Arial, sans-serif", "size": 13, "color": "#0b0c0c"},
              "separators": ", " if (get_language() or "lv").startswith("lv") else ".,",
              "barmode": "group", "margin": {"l": 8, "r": 16, "t": 8, "b": 8, "pad": 4, "autoexpand": True},
              "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}}
    lines = sum(c.count("<br>") + 1 for c in categories)
    legend_lines = sum(str(t["name"]).count("<br>") + 1 for t in data)
    if horizontal:
        label_axis["autorange"] = "reversed"
        layout.update(xaxis=value_axis, yaxis=label_axis,
                      height=110 + 18 * legend_lines + max(lines * 18, 22 * len(labels) * max(1, len(series))))
    else:
        layout.update(xaxis=label_axis, yaxis=value_axis, height=340 + 18 * legend_lines)
    return {"data": data, "layout": layout}


def _description(title: str) -> str:
    return _("Chart: %(title)s. The same figures are in the table below it.") % {"title": title}


def _sections(rows: list, row_of) -> list[tuple[str, str, list]]:
    """(block id, title, rows) per section, graduates' destinations split by level."""
    out = []
    for code, title in profiles.SECTIONS.items():
        in_section = [r for r in rows if row_of(r).section == code]
        if code not in ("graduates", "graduate_fields"):
            if in_section:
                out.append((f"chart-{code}", str(title), in_section))
            continue
        for level in dict.fromkeys(row_of(r).level for r in in_section):
            heading = (_("Graduates' destinations: %(level)s") if code == "graduates"
                       else _("Fields of further study: %(level)s"))
            out.append((f"chart-{code.replace('_', '-')}-{level or 'all'}",
                        heading % {"level": level_label(level) or _("all levels")},
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
            figure = _bars(list(ind.years), [(this_school, [learners.at(y) for y in ind.years])],
                           y_title=_("Learners"))
            full_title = chart_title
        else:
            chart_title = _("%(year)s: this school and national") % {"year": year}
            figure = _bars([r.short_label for r in rows],
                           [(this_school, [r.at(year) for r in rows]), (national, [r.nation_at(year) for r in rows])],
                           y_title="%" if all(r.unit == "%" for r in rows) else "",
                           horizontal=block_id != "chart-absences")
            full_title = f"{title}, {chart_title}"
        blocks.append(Block(block_id, title, f"{title} ({caption_note})", columns, cells, figure,
                            _description(full_title), chart_title))
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
            full_title = chart_title
            figure = _bars([row.short_label for row, _own in learners],
                           [(names[i], [own[i] for _row, own in learners]) for i in range(len(names))],
                           y_title=_("Learners")) if learners else None
        else:
            chart_title = _("%(year)s: the chosen schools and national") % {"year": year}
            full_title = f"{title}, {year}"
            series = [(names[i], [own[i] for _row, own, _nation in rows]) for i in range(len(names))]
            series.append((_("National"), [nation for _row, _own, nation in rows]))
            figure = _bars([row.short_label for row, _own, _nation in rows], series,
                           y_title="%" if all(row.unit == "%" for row, _own, _nation in rows) else "",
                           horizontal=block_id != "chart-absences")
        blocks.append(Block(block_id, title, f"{title}, {year}", columns, cells, figure,
                            _description(full_title) if figure else "", chart_title if figure else ""))
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
        "self_evaluation": published_self_evaluation(institution), **_basket_context(request),
    })


@login_not_required
def profile_compare(request):
    """The schools of the compare basket side by side; a shared link names them instead (`?i=` registration
    numbers, at most three), and then the basket is left as it is."""
    shared = [n.strip() for n in request.GET.getlist("i") if n.strip()]
    chosen = shared or basket.basket_numbers(request.session)
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
    share = ""
    if comparison is not None:
        share = "?" + urlencode([("i", i.registration_number) for i in comparison.institutions])
    return render(request, "portal/profile_compare.html", {
        "comparison": comparison, "error": error, "shared": bool(shared), "share_query": share,
        "blocks": _compare_blocks(comparison) if comparison else [],
        "summary": comparison.summary if comparison else None, **_basket_context(request),
    })
