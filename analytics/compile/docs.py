"""Generate docs/data/indicators.md from the catalogue: every indicator and risk rule with its formula.

    uv run python -m analytics.compile.docs          # rewrite docs/data/indicators.md
    uv run python -m analytics.compile.docs --check  # exit 1 if the file is out of date

A test keeps the committed file in step with the YAML definitions."""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path

from analytics.compile import default_catalogue
from analytics.compile.measures import MEASURES
from analytics.spec.model import Catalogue, Condition, Filter, Indicator, Operand, RiskRule
from analytics.spec.texts import describe, indicator_texts, parameter_line, quantity

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "data" / "indicators.md"


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _condition(c: Condition) -> str:
    return f"`{c.dataset}.{c.column} {c.op} {_value(c.value)}`"


def _filter(f: Filter) -> str:
    text = " and ".join(_condition(c) for c in f.conditions)
    return f"exclude rows where {text}" if f.exclude else text


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def formula(ind: Indicator) -> str:
    """The indicator's formula in one line."""
    if ind.type == "share_of_units":
        types = ", ".join(ind.institution_types)
        return (f"{_number(ind.factor)} × (institutions flagged by {ind.rule}) / (institutions of type {types} "
                "with ≥ 1 enrolment in the year)")
    num, den = f"Σ {ind.numerator}", f"Σ {ind.denominator}"
    if ind.type == "count":
        population = f" (population for suppression: {den})" if ind.denominator else ""
        return f"{num}{population}"
    if ind.relative_to_nation:
        g, n = f"{num} / {den}", "the same for the nation"
        text = {
            "difference": f"{_number(ind.factor)} × (g − n), g = {g}, n = {n}",
            "ratio": f"{_number(ind.factor)} × g / n, g = {g}, n = {n}",
            "shortfall": f"{_number(ind.factor)} × (n − g) / n, g = {g}, n = {n}",
        }
        return text[ind.relative_to_nation]
    return f"{_number(ind.factor)} × {num} / {den}"


def _indicator(ind: Indicator) -> list[str]:
    name_en, description_en, technical_en = indicator_texts(ind, "en")
    name_lv, description_lv, technical_lv = indicator_texts(ind, "lv")
    lines = [f"### `{ind.code}`", "", f"**{name_en}** — *{name_lv}*", "", description_en, "",
             f"*{description_lv}*", ""]
    if technical_en:
        lines += [f"Technical: {technical_en}", "", f"*{technical_lv}*", ""]
    lines += ["| | |", "|---|---|", f"| Type | {ind.type} |", f"| Formula | {formula(ind)} |"]
    if ind.measure:
        doc = inspect.getdoc(MEASURES[ind.measure].build) or ""
        lines.append(f"| Measure builder | `{ind.measure}`: {' '.join(doc.split())} |")
    breakdowns = [d for d in ind.dims if d != "category"] + ([f"category ({ind.category})"] if ind.category else [])
    lines += [
        f"| Grain | {', '.join(ind.grain)} |",
        f"| Breakdowns | {', '.join(breakdowns) or '—'} |",
        f"| Sources | {', '.join(ind.sources)} |",
        f"| Filters | {'; '.join(_filter(f) for f in ind.filters) or '—'} |",
        f"| Parameters | {', '.join(f'{k} = {_value(v)}' for k, v in ind.params.items()) or '—'} |",
        f"| Suppressed when | denominator < {ind.min_denominator} |" if (ind.denominator or ind.rule)
        else "| Suppressed when | never (no denominator) |",
        "",
    ]
    return lines


def _operand(rule: RiskRule, operand: Operand) -> str:
    """A threshold in English words: a parameter's value with its unit ("1 combined class"), or the number."""
    if operand.param is None:
        return _number(operand.constant or 0)
    return quantity(operand.resolve(rule.params), rule.parameters[operand.param].unit, "en")


def _parameter(rule: RiskRule, name: str) -> str:
    source = " (the left indicator's)" if rule.parameters[name].source == "indicator" else ""
    return f"{parameter_line(rule, name, 'en')}{source} — *{parameter_line(rule, name, 'lv')}*"


def _rule(rule: RiskRule) -> list[str]:
    if rule.operator == "between":
        low, high = (_operand(rule, o) for o in rule.right)
        condition = f"`{rule.left}` between {low} and {high}"
    else:
        condition = f"`{rule.left}` {rule.operator} {_operand(rule, rule.right[0])}"
    if rule.min_denominator is not None:
        condition += f", with denominator ≥ {_operand(rule, rule.min_denominator)}"
    if rule.min_numerator is not None:
        condition += f", with numerator ≥ {_operand(rule, rule.min_numerator)}"
    by_type = ", ".join(f"{t}: {m}" for t, m in rule.combine_by_type.items())
    combine = rule.combine + (f" ({by_type})" if by_type else "")
    parameters = "<br>".join(_parameter(rule, name) for name in rule.parameters) or "—"
    lines = [f"### {rule.code} — {rule.name.en}", "", f"*{rule.name.lv}*", "", describe(rule, "en"), "",
             f"*{describe(rule, 'lv')}*", "", "| | |", "|---|---|",
             f"| Condition | {condition} on any institution-grain row (semester, level, category) |",
             f"| Parameters | {parameters} |",
             f"| Periods | {', '.join(rule.periods)}; combined with **{combine}** |",
             f"| Applies to | {', '.join(rule.applies_to)} (with ≥ 1 enrolment in the year) |",
             f"| Missing value | {_number(rule.missing_value) if rule.missing_value is not None else 'no match'} |",
             f"| Importance | {rule.importance} |", f"| Evidence | {', '.join(rule.evidence)} |", ""]
    return lines


def render(catalogue: Catalogue) -> str:
    lines = [
        "# Indicators and risk rules",
        "",
        "Generated from `analytics/definitions/` by `uv run python -m analytics.compile.docs`; do not edit by hand.",
        "",
        "Every indicator is computed per school year at the grains it lists: *institution* (registration",
        "number), *municipality* (the institution's municipality in that year's register, or the declared",
        "municipality for out-of-school children) and *nation* (`LV`). Σ sums a measure over the subjects",
        "of the unit (a learner at an institution, a class, a vacancy ...). A unit without subjects has",
        "no row; a ratio with a zero denominator has no value. `suppressed` marks rows whose denominator",
        "is below the indicator's `min_denominator` (the value is kept; publishing layers hide it).",
        "",
        "Risk rules flag institutions; the evidence of a flag records the matching indicator rows of each",
        "period and the parameters it was evaluated with. Comparisons allow a tolerance of 1e-9. A rule's",
        "description and evidence sentence are templates in its YAML, shown here with the parameters' values",
        "and units ([how to write them](../howto/add-a-risk-rule.md)).",
        "",
        f"Catalogue: {len(catalogue.indicators)} indicators, {len(catalogue.rules)} risk rules.",
        "",
        "## Indicators",
        "",
    ]
    for ind in catalogue.indicators:
        lines += _indicator(ind)
    lines += ["## Risk rules", ""]
    for rule in catalogue.rules:
        lines += _rule(rule)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.compile.docs")
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = render(default_catalogue())
    if args.check:
        current = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else ""
        if current != text:
            sys.stderr.write(f"{DOCS_PATH} is out of date: run python -m analytics.compile.docs\n")
            return 1
        return 0
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
