"""Risk rules in words: their descriptions and the evidence of a flag, rendered from the texts in the rule's YAML.

The texts are templates in `analytics/definitions/risk_rules/*.yaml` (`description`, `evidence.text`) and
`analytics.spec.texts` fills them in: parameters and evidence values with their units in the right plural form.
This module only supplies what the web application knows: the active language (Latvian unless English is
active), Django's number format for it (the decimal comma in Latvian) and the labels of level and category codes
(`labels.py`). Nothing here is specific to a rule.

The evidence dict is what the engine stored (analytics.run.evidence_of): indicator, operator, threshold, the
parameters the rule was evaluated with (`params`), institution type, how periods combine, and per school year
the matching rows (semester, level, category, value, numerator, denominator). A parameter that an older flag's
evidence lacks is taken from the rule as it is now."""

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from analytics.spec.model import RiskRule
from analytics.spec.texts import describe, evidence_sentences
from ikms.monitoring.labels import category_label, level_label
from ikms.monitoring.selectors import definitions


def _language() -> str:
    return "en" if (translation.get_language() or "lv").startswith("en") else "lv"


def _number(value: float, decimals: int) -> str:
    return number_format(value, decimals, force_grouping=True)


def _label(field: str, code: str) -> str:
    return level_label(code) if field == "level" else category_label(code)


def _rule(code: str) -> RiskRule | None:
    """The rule in the catalogue the pages show (read once)."""
    return next((r for r in definitions.catalogue().rules if r.code == code), None)


def rule_description(rule: RiskRule, lang: str) -> str:
    """The rule's description in `lang` ("lv" or "en") with its parameters' values and units."""
    with translation.override(lang):
        return describe(rule, lang, number=_number)


def _plain(value) -> str:
    if isinstance(value, list | tuple):
        return "–".join(_plain(v) for v in value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "–"
    shown = round(float(value), 1)
    return _number(shown, 0 if shown.is_integer() else 1)


def _unknown_rule_sentences(rule: str, evidence: dict) -> list[str]:
    """A rule no longer in the catalogue (its texts are gone): its indicator's values and threshold, plainly."""
    code = str(evidence.get("indicator", ""))
    info = definitions.indicators().get(code)
    out = []
    for year in sorted(evidence.get("periods") or {}):
        for row in evidence["periods"][year] or [{}]:
            out.append(_("%(indicator)s was %(value1)s in %(year)s; rule %(rule)s, threshold %(threshold)s.") % {
                "indicator": info.name if info is not None else code, "value1": _plain((row or {}).get("value")),
                "year": year, "rule": rule, "threshold": _plain(evidence.get("threshold"))})
    return out


def sentences(rule: str, evidence: dict) -> list[str]:
    """The evidence of a flag of `rule` in the active language: one sentence per matching row, oldest school
    year first."""
    spec = _rule(rule)
    if spec is None:
        return _unknown_rule_sentences(rule, evidence)
    return evidence_sentences(spec, evidence, _language(), number=_number, label=_label)
