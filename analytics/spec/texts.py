"""The texts of indicators and risk rules: templates with placeholders, numbers with units in the right plural form.

An indicator's `name`, `description` and optional `technical` note are templates, in Latvian and English; a
placeholder names one of the indicator's numeric `params`, shown with the unit its `units` gives it ("vairāk nekā
20 mācību stundu"). A rule's `description` and its evidence sentence (`evidence.text`) are templates too. A
placeholder `{name}` names one of the rule's `parameters` or, in an evidence sentence, one of the rule's evidence
`fields` or `year`. It is replaced by the value; a parameter or evidence field with a unit is followed by the unit
in the plural form the number takes ("vismaz 1 apvienotā klase", "vairāk nekā 20 mācību stundu", "at least
1 combined class"). `{name:number}` gives the number without its unit. `level` and `category` codes are shown by
their labels (the caller passes a `label` function; by default the code itself), and `year` as it is.

Units are named in `analytics/definitions/units.yaml`. Each has, per language, one form per plural category,
or one form for every number; `#` in a form stands for the number ("#%"), and a form without it follows the
number after a space. The plural categories are CLDR's:

* lv: `one` for a number ending in 1 but not in 11 (1, 21, 101: "21 apvienotā klase"); `zero` for a number
  ending in 0 or in 11-19 (0, 10, 11, 20, 111: "11 apvienoto klašu", the genitive plural); `other` for the rest
  (2-9, 22: "2 apvienotās klases");
* en: `one` for 1, `other` for every other number.

A number that is not whole, as shown (after rounding to its unit's `digits`), takes `other` in both languages
("1,5 stundas", "1.5 lessons"); CLDR has finer rules for decimals in Latvian, which our texts do not need.

Numbers are formatted by the caller's `number(value, decimals)` (the web application passes Django's, which
follows the active language); the default here uses a decimal comma and a no-break space between thousands in
Latvian, a point and commas in English. Nothing here imports Django."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from analytics.spec.model import LANGUAGES, PLURAL_CATEGORIES, Indicator, RiskRule, Text, Unit

NumberFormat = Callable[[float, int], str]
CodeLabel = Callable[[str, str], str]  # (evidence field, code) -> what people call it

#: Placeholder formats: `{name:number}` is the number without its unit.
FORMATS = ("number",)
#: Evidence fields whose values are codes, shown by their labels; they have no unit and no number.
CODE_FIELDS = ("level", "category")
#: Placeholders that are never numbers.
TEXT_FIELDS = ("year", *CODE_FIELDS)
MISSING = "–"

_PIECE = re.compile(r"(\{[^{}]*\})")
_PLACEHOLDER = re.compile(r"^\{([a-z][a-z0-9_]*)(?::([a-z]+))?\}$")


class TemplateError(ValueError):
    """A template is malformed (a stray brace, a placeholder that is not `{name}` or `{name:number}`)."""


def plural_category(lang: str, n: float) -> str:
    """The CLDR plural category of the number `n` as shown, in `lang` (see the module docstring)."""
    if lang not in PLURAL_CATEGORIES:
        raise ValueError(f"unknown language {lang!r}")
    if not float(n).is_integer():
        return "other"
    i = abs(int(n))
    if lang == "lv":
        if i % 10 == 1 and i % 100 != 11:
            return "one"
        if i % 10 == 0 or 11 <= i % 100 <= 19:
            return "zero"
        return "other"
    return "one" if i == 1 else "other"


def _pieces(template: str) -> Iterator[tuple[str, str | None, str | None]]:
    """(literal text, placeholder name, format) in order; the last piece has no placeholder."""
    literal = ""
    for piece in _PIECE.split(template):
        if piece.startswith("{") and piece.endswith("}"):
            match = _PLACEHOLDER.match(piece)
            if match is None:
                raise TemplateError(f"malformed placeholder {piece!r}: write {{name}} or {{name:number}}")
            name, fmt = match.groups()
            if fmt is not None and fmt not in FORMATS:
                raise TemplateError(f"placeholder {piece!r}: unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
            yield literal, name, fmt
            literal = ""
        else:
            if "{" in piece or "}" in piece:
                raise TemplateError(f"unbalanced brace in {piece!r}")
            literal += piece
    yield literal, None, None


def placeholders(template: str) -> list[tuple[str, str | None]]:
    """The (name, format) of every placeholder of `template`, in order; TemplateError if it is malformed."""
    return [(name, fmt) for _, name, fmt in _pieces(template) if name is not None]


def literal_text(template: str) -> str:
    """The template without its placeholders (what is shown as written)."""
    return " ".join(literal for literal, _, _ in _pieces(template))


def default_number(lang: str) -> NumberFormat:
    """Numbers as Django formats them in `lang` with grouping (lv: 1 234,5; en: 1,234.5)."""

    def number(value: float, decimals: int) -> str:
        text = f"{value:,.{decimals}f}"
        if lang == "lv":
            text = text.replace(",", "\xa0").replace(".", ",")
        return text

    return number


def quantity(value: float, unit: Unit | None, lang: str, number: NumberFormat | None = None, *,
             with_unit: bool = True) -> str:
    """A number with its unit in the plural form it takes ("21 apvienotā klase"); without a unit (or with
    `with_unit` false), the number, with as many decimals as the unit shows."""
    number = number or default_number(lang)
    digits = unit.digits if unit is not None else 1
    shown = round(float(value), digits)
    text = number(shown, 0) if shown.is_integer() else number(shown, digits)
    if unit is None or not with_unit:
        return text
    form = unit.forms[lang][plural_category(lang, shown)]
    return form.replace("#", text) if "#" in form else f"{text} {form}"


def render(template: str, lang: str, values: Mapping[str, Any], units: Mapping[str, Unit | None] | None = None, *,
           number: NumberFormat | None = None, label: CodeLabel | None = None) -> str:
    """`template` with each placeholder replaced by its value in `values` (a number with its unit from `units`,
    a code by its `label`); a value that is missing or None is shown as a dash."""
    units = units or {}
    out = []
    for literal, name, fmt in _pieces(template):
        out.append(literal)
        if name is None:
            continue
        value = values.get(name)
        if value is None:
            out.append(MISSING)
        elif name in CODE_FIELDS:
            out.append(label(name, str(value)) if label is not None else str(value))
        elif isinstance(value, bool) or not isinstance(value, int | float):
            out.append(str(value))
        else:
            out.append(quantity(value, units.get(name), lang, number, with_unit=fmt != "number"))
    return "".join(out)


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (texts are in {', '.join(LANGUAGES)})")
    return lang


def indicator_text(indicator: Indicator, text: Text, lang: str, *, number: NumberFormat | None = None) -> str:
    """One of the indicator's texts (its `name`, `description` or `technical`) in `lang` with its parameters'
    values and units."""
    lang = _language(lang)
    return render(text.of(lang), lang, indicator.params, indicator.param_units, number=number)


def indicator_texts(indicator: Indicator, lang: str, *,
                    number: NumberFormat | None = None) -> tuple[str, str, str]:
    """The indicator's name, description and technical note ("" if it has none) in `lang`, filled in."""
    technical = indicator_text(indicator, indicator.technical, lang, number=number) if indicator.technical else ""
    return (indicator_text(indicator, indicator.name, lang, number=number),
            indicator_text(indicator, indicator.description, lang, number=number), technical)


def parameter_units(rule: RiskRule) -> dict[str, Unit | None]:
    return {name: p.unit for name, p in rule.parameters.items()}


def describe(rule: RiskRule, lang: str, *, number: NumberFormat | None = None,
             values: Mapping[str, Any] | None = None) -> str:
    """The rule's description in `lang` with its parameters' values (by default the rule's own, as loaded)."""
    lang = _language(lang)
    values = {**rule.parameter_values(), **(values or {})}
    return render(rule.description.of(lang), lang, values, parameter_units(rule), number=number)


def evidence_sentences(rule: RiskRule, evidence: Mapping[str, Any], lang: str, *, number: NumberFormat | None = None,
                       label: CodeLabel | None = None) -> list[str]:
    """A flag's evidence (as analytics.run.evidence_of stores it) in sentences, one per matching row, oldest
    school year first.

    The parameters come from the evidence: the values the flag was computed with. A parameter the evidence
    lacks (a flag stored before the rule's texts named it) is taken from the rule as it is now."""
    lang = _language(lang)
    params = {**rule.parameter_values(), **(evidence.get("params") or {})}
    units = {**parameter_units(rule), **rule.evidence_units}
    template = rule.evidence_text.of(lang)
    periods = evidence.get("periods") or {}
    out = []
    for year in sorted(periods):
        for row in periods[year] or [{}]:
            values = {**params, **(row or {}), "year": year}
            out.append(render(template, lang, values, units, number=number, label=label))
    return out


def parameter_line(rule: RiskRule, name: str, lang: str, *, number: NumberFormat | None = None) -> str:
    """'label: value with unit' of one parameter, e.g. 'apvienoto klašu skaits: 1 apvienotā klase'."""
    lang = _language(lang)
    p = rule.parameters[name]
    value = rule.parameter_values().get(name)
    shown = MISSING if not isinstance(value, int | float) else quantity(value, p.unit, lang, number)
    return f"{p.label.of(lang)}: {shown}"
