"""The school risk score (issue 17): one institution's score with its factors in plain words, and the model's
page with its back-test against the baselines, calibration, subgroup error rates and the algorithm register
description. The web only reads what `risk_model_train` and `risk_scores_compute` stored."""

from pathlib import Path

import yaml
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikms.core import charts
from ikms.monitoring import permissions, selectors
from ikms.monitoring.views.common import no_data, require, school_year, year_checked
from ikms.registry.choices import MunicipalityKind
from ikms.registry.models import Institution, InstitutionType

REGISTER_FILE = Path(__file__).resolve().parents[1] / "data" / "algorithm_register.yaml"


def _lang() -> str:
    return "en" if (get_language() or "lv").startswith("en") else "lv"


def register_sections() -> list[tuple[str, str]]:
    """The algorithm register description (the Dutch register's headings) in the active language."""
    doc = yaml.safe_load(REGISTER_FILE.read_text(encoding="utf-8"))
    lang = _lang()
    return [(s["heading"][lang], s["text"][lang]) for s in doc["sections"]]


@year_checked
def risk_score(request, registration_number: str):
    user = request.user
    require(permissions.can_view_risk_flags(user))
    years = selectors.risk_score_years()
    if not years:
        return no_data(request)
    year = school_year(request, years)
    score = selectors.risk_score_get_for_user(user, registration_number, year)
    inst = Institution.objects.select_related("municipality", "type").get(registration_number=registration_number)
    factors = selectors.score_factors(score)
    chart = None
    if factors:
        chart = charts.bar_chart("risk-factors", _("Factor contributions (log-odds)"), [f.label for f in factors],
                                 [round(f.contribution, 3) for f in factors], horizontal=True,
                                 x_title=_("Contribution to the score, log-odds"))
    model = selectors.risk_model_current()
    reasons = {"type": _("The score does not cover this type of institution."),
               "coverage": _("Too few of the indicators have data for this institution: it is not scored.")}
    crumbs = [(_("Risk list"), reverse("monitoring:risks") + f"?year={year}")] if permissions.can_view_risks(
        user) else []
    return render(request, "monitoring/risk_score.html", {
        "institution": inst, "score": score, "year": year, "factors": factors, "chart": chart, "model": model,
        "reason": reasons.get(score.reason, ""), "crumbs": crumbs,
        "can_plan": permissions.can_plan_visits(user) and permissions.can_view_risks(user),
        "logit_sum": round(sum(f.contribution for f in factors) + (score.intercept or 0.0), 4),
    })


def _pct(value):
    return None if value is None else round(value * 100, 1)


def _ci(values):
    return None if not values else [round(v * 100, 1) for v in values]


@login_not_required
def risk_model(request):
    """The back-test of the risk score, published: aggregate figures only (no institution is named), so that anyone
    can see how well the targeting works and whom its errors fall on (issue 17)."""
    model = selectors.risk_model_current()
    if model is None or not model.backtest:
        return no_data(request)
    bt = model.backtest
    names = {"score": _("Risk score (model)"), "rules": _("Rule count (today's list)"),
             "size": _("School size and type only")}
    comparison = []
    for share in bt["top_shares"]:
        key = f"top{round(share * 100)}"
        for name, label in names.items():
            r = bt["rankings"][name][key]
            comparison.append({
                "share": round(share * 100), "name": label, "selected": r["selected"], "positives": r["positives"],
                "precision": _pct(r["precision"]), "precision_ci": _ci(r.get("precision_ci")),
                "recall": _pct(r["recall"]), "recall_ci": _ci(r.get("recall_ci")),
                "lift": r["lift"], "lift_ci": r.get("lift_ci"),
                "difference_ci": _ci(r.get("difference_recall_ci"))})
    calibration = bt["calibration"]
    chart = charts.line_chart(
        "risk-calibration", _("Calibration: predicted and observed share by decile, %"),
        [str(c["bin"]) for c in calibration],
        [(_("Predicted"), [_pct(c["predicted"]) for c in calibration]),
         (_("Observed"), [_pct(c["observed"]) for c in calibration])], y_title="%")
    dimension_names = {"type": _("Institution type"), "size_band": _("Size band"),
                       "municipality_kind": _("Municipality kind"), "language": _("Language of instruction")}
    lang = _lang()
    group_names = {
        "type": {t.code: t.name for t in InstitutionType.objects.all()},
        "municipality_kind": {k.value: str(k.label) for k in MunicipalityKind},
        "size_band": {b["code"]: b["label"][lang] for b in selectors.score_definition().size_bands},
    }
    subgroups = [{"name": dimension_names.get(dim, dim), **info,
                  "groups": [{**g, "group": group_names.get(dim, {}).get(g["group"], g["group"])}
                             for g in info["groups"]]}
                 for dim, info in bt["subgroups"]["dimensions"].items()]
    return render(request, "monitoring/risk_model.html", {
        "model": model, "bt": bt, "comparison": comparison, "calibration": calibration, "chart": chart,
        "subgroups": subgroups, "alarm": bt["subgroups"]["alarm"], "margin": bt["subgroups"]["margin_pp"],
        "register": register_sections(), "features": [
            (selectors.score_definition().feature(code).label[_lang()], round(c, 3))
            for code, c in model.coefficients.items()],
    })
