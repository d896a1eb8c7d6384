"""Risk-flag evidence in plain sentences: the values and the thresholds that triggered a rule.

The evidence dict is what the engine stored (analytics.run): indicator, operator, threshold, params,
institution type, how periods combine, and per school year the matching rows (semester, level,
category, value, numerator, denominator)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ikms.monitoring.labels import category_label, level_label


def _n(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    if digits == 0 and float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(round(float(value), digits), digits, force_grouping=True)


def _threshold(evidence: dict) -> str:
    t = evidence.get("threshold")
    if isinstance(t, list | tuple):
        return "–".join(_n(x, 1) for x in t)
    return _n(t, 1)


def _row_sentence(rule: str, year: str, row: dict, evidence: dict) -> str:
    params = evidence.get("params") or {}
    value, den = row.get("value"), row.get("denominator")
    ctx = {"year": year, "value": _n(value), "den": _n(den), "semester": row.get("semester") or "–",
           "level": level_label(row.get("level") or ""), "exam": category_label(row.get("category") or ""),
           "rule": rule, "threshold": _threshold(evidence), "value1": _n(value, 1)}
    if rule == "R1":
        return _("%(value)s of %(den)s classes were combined classes in %(year)s; rule %(rule)s, threshold "
                 "%(threshold)s.") % ctx
    if rule == "R2":
        ctx["lessons"] = params.get("lessons_threshold", 20)
        return _("%(value)s learners missed more than %(lessons)s lessons without excuse in semester "
                 "%(semester)s of %(year)s (of %(den)s learners); rule %(rule)s, threshold %(threshold)s.") % ctx
    if rule == "R3":
        return _("No active support staff (psychologist, speech therapist, special educator, social pedagogue, "
                 "teacher's assistant) in %(year)s; rule %(rule)s.") % ctx
    if rule == "R4":
        return _("%(value)s teacher vacancies were open for more than a month in %(year)s; rule %(rule)s, "
                 "threshold %(threshold)s.") % ctx
    if rule == "R5":
        return _("The mean score in %(exam)s was %(value1)s %% below the national mean in %(year)s (%(den)s "
                 "learners); rule %(rule)s, range %(threshold)s %%.") % ctx
    if rule == "R6":
        return _("Daily marks and examination scores differed by %(value1)s percentage points on average in "
                 "%(year)s (%(den)s learners); rule %(rule)s, threshold %(threshold)s.") % ctx
    ctx["indicator"] = evidence.get("indicator", "")
    return _("%(indicator)s was %(value1)s in %(year)s; rule %(rule)s, threshold %(threshold)s.") % ctx


def sentences(rule: str, evidence: dict) -> list[str]:
    """One sentence per matching row, oldest school year first."""
    out = []
    periods = evidence.get("periods") or {}
    for year in sorted(periods):
        for row in periods[year] or [{}]:
            out.append(_row_sentence(rule, year, row or {}, evidence))
    return out
