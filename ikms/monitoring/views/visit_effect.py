"""The effect of visits (issue 17, item 4): per indicator of visit_effect.yaml, the figures before and after
accreditation evaluations or inspections at the visited institutions and at comparable institutions not visited
then, the difference-in-differences with its 95 % interval, how many institutions are behind each group and a
plain verdict; for the nation or the visited institutions of one municipality (against the national comparison).
The table is exported to CSV and XLSX."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.visits import IMPROVED, NO_CHANGE, TOO_FEW, WORSENED, Effect
from ikms.core import charts
from ikms.core.exports import export_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.visit_effect import effect_settings, visit_effect
from ikms.monitoring.views.common import export_number, no_data, tool_area, wants_export
from ikms.monitoring.visits import KINDS

ALL = "all"


def _kind_choices() -> list[tuple[str, str]]:
    return [*((code, str(label)) for code, label in KINDS.items()), (ALL, _("All visits"))]


def _verdict(effect: Effect) -> str:
    return {TOO_FEW: _("Too few to tell"), NO_CHANGE: _("No measurable change"),
            IMPROVED: _("Improved more than comparable institutions"),
            WORSENED: _("Worsened compared with comparable institutions")}[effect.verdict]


def _headers() -> list[str]:
    return [_("Figure"), _("Visited: before"), _("Visited: after"), _("Comparison: before"),
            _("Comparison: after"), _("Difference in differences"), _("95 % interval: from"), _("95 % interval: to"),
            _("Visited institutions"), _("Comparison institutions"), _("Left out: no value before or after"),
            _("Left out: no comparable institution"), _("Verdict")]


def visit_effect_page(request):
    user = request.user
    place = tool_area(request, user)
    years = selectors.school_years()
    if not years:
        return no_data(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in (*KINDS, ALL) else next(iter(KINDS))
    kinds = list(KINDS) if kind == ALL else [kind]
    settings = effect_settings()
    lang = "en" if (get_language() or "lv").startswith("en") else "lv"
    names = {s.code: s.name.get(lang) or s.code for s in settings.indicators}
    enough_years = len(years) >= settings.after - settings.before + 1
    effects = visit_effect(years=years, kinds=kinds, municipality=None if place.grain == Grain.NATION
                           else place.unit) if enough_years else []
    # Too few to tell: the counts only (a figure of one or two schools would be read as a finding, and is theirs).
    rows = [(names[e.indicator], *((None,) * 7 if e.too_few else (
                e.before_treated, e.after_treated, e.before_comparison, e.after_comparison, e.did, e.low, e.high)),
             e.treated, e.comparison, e.dropped_missing, e.dropped_no_comparison, _verdict(e), e) for e in effects]
    if wants_export(request):
        return export_response(fmt=request.GET["format"], filename=f"vizisu-ietekme-{place.unit}-{kind}",
                               headers=_headers(),
                               rows=[(r[0], *[export_number(request, v, 2) for v in r[1:8]], *r[8:13]) for r in rows])
    shown = [r for r in rows if not r[-1].too_few]
    chart = charts.estimate_chart(
        "visit-effect", _("Difference in differences with its 95 % interval (in each figure's units)"),
        [r[0] for r in shown], estimates=[r[-1].did for r in shown], lows=[r[-1].low for r in shown],
        highs=[r[-1].high for r in shown],
        x_title=_("Change at visited institutions minus change at comparable ones")) if shown else None
    return render(request, "monitoring/tools/visit_effect.html", {
        "title": place.name, "grain": place.grain, "municipality": place.municipality, "kind": kind,
        "kinds": _kind_choices(), "rows": rows, "headers": _headers(), "chart": chart,
        "enough_years": enough_years, "years": years, "settings": settings,
        "too_few": sum(1 for e in effects if e.too_few),
        "municipalities": selectors.municipalities_for_user(user) if permissions.can_view_nation(user) else None,
    })
