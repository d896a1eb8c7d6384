"""Compile risk rules (and the share-of-units indicators that count their flags) into Ibis expressions.

A rule is evaluated for its population: institutions of the `applies_to` types in the school year's
register with at least one enrolment in the year. For each period (the current school year and/or
the previous one) the left indicator is computed at institution grain for that year; a row
*matches* when `value <operator> threshold` holds (with a tolerance of 1e-9, so float noise does not
flip a threshold) and, if the rule has `min_denominator`, its denominator reaches it. An
institution without a row for the period takes `missing_value` if the rule declares one (e.g. "no
support staff rows" = 0 staff), else it cannot match. A period is hit when any row matches (any
semester, level or exam). The institution is flagged when every period is hit (`combine: all`) or
at least one is (`any`); `combine_by_type` sets this per institution type.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from analytics.compile.context import BuildContext, lit_int, lit_str
from analytics.compile.indicators import indicator_rows, rollup, standardize
from analytics.compile.measures import union_all
from analytics.engines.base import PARTITION_COLUMN, Engine
from analytics.spec.model import Catalogue, Indicator, RiskRule
from analytics.spec.periods import SchoolYear

TOLERANCE = 1e-9
MATCH_COLUMNS = ("institution", "type", "period", "semester", "level", "category", "value", "numerator",
                 "denominator")


def population(engine: Engine, year: SchoolYear, types: Sequence[str],
               institutions: Sequence[str] | None = None) -> ir.Table:
    """Institutions of the given types in the year's register with ≥ 1 enrolment in the year: institution, type."""
    register = engine.table("institutions")
    enrolments = engine.table("enrolments")
    if institutions is not None:  # pushed into the scans too (the same filter is applied to the result)
        register = register.filter(register.institution.isin(list(institutions)))
        enrolments = enrolments.filter(enrolments.institution.isin(list(institutions)))
    register = register.filter((register[PARTITION_COLUMN] == year.partition) & register.type.isin(list(types)))
    register = register.select("institution", "type").distinct()
    active = enrolments.filter(enrolments[PARTITION_COLUMN] == year.partition).select("institution").distinct()
    table = register.semi_join(active, "institution")
    if institutions is not None:
        table = table.filter(table.institution.isin(list(institutions)))
    return table


def _compare(value: ir.FloatingValue, operator: str, thresholds: tuple[float, ...]) -> ir.BooleanValue:
    t = thresholds[0]
    if operator == ">":
        return value > t + TOLERANCE
    if operator == ">=":
        return value >= t - TOLERANCE
    if operator == "<":
        return value < t - TOLERANCE
    if operator == "<=":
        return value <= t + TOLERANCE
    if operator == "==":
        return (value - t).abs() <= TOLERANCE
    if operator == "between":
        return (value >= thresholds[0] - TOLERANCE) & (value <= thresholds[1] + TOLERANCE)
    raise ValueError(f"unknown operator {operator!r}")


def rule_matches(engine: Engine, catalogue: Catalogue, rule: RiskRule, year: SchoolYear,
                 institutions: Sequence[str] | None = None) -> ir.Table:
    """The matching left-indicator rows of the rule's population, every period (columns MATCH_COLUMNS)."""
    left = catalogue.indicator(rule.left)
    people = population(engine, year, rule.applies_to, institutions)
    thresholds = rule.thresholds()
    min_den = rule.min_denominator.resolve(rule.params) if rule.min_denominator is not None else None
    parts = []
    for period in rule.periods:
        period_year = year if period == "current" else year.previous
        values = indicator_rows(engine, left, period_year, ["institution"], institutions)
        values = values.select("semester", "level", "category", "value", "numerator", "denominator",
                               _inst=values.unit, _present=ibis.literal(True))
        joined = people.left_join(values, people.institution == values._inst)
        value = joined.value
        if rule.missing_value is not None:
            value = ibis.ifelse(joined._present.isnull(), ibis.literal(rule.missing_value, type="float64"), value)
        rows = joined.select("institution", "type", period=lit_str(period_year.label), semester=joined.semester,
                             level=joined.level, category=joined.category, value=value,
                             numerator=joined.numerator, denominator=joined.denominator)
        match = _compare(rows.value, rule.operator, thresholds) & rows.value.notnull()
        if min_den is not None:
            match = match & (rows.denominator >= min_den).fill_null(False)
        parts.append(rows.filter(match.fill_null(False)))
    return union_all(parts)


def rule_flags(engine: Engine, catalogue: Catalogue, rule: RiskRule, year: SchoolYear,
               institutions: Sequence[str] | None = None) -> ir.Table:
    """The matching rows of the flagged institutions only: one or more rows per flagged institution, which
    are its evidence (columns MATCH_COLUMNS)."""
    matches = rule_matches(engine, catalogue, rule, year, institutions)
    hits = matches.group_by(["institution", "type"]).aggregate(periods_hit=matches.period.nunique())
    everything = lit_int(len(rule.periods))
    any_types = [t for t in rule.applies_to if rule.combine_for(t) == "any"]
    needed = ibis.ifelse(hits.type.isin(any_types), lit_int(1), everything) if any_types else everything
    flagged = hits.filter(hits.periods_hit >= needed).select("institution")
    return matches.semi_join(flagged, "institution")


def share_of_units_rows(engine: Engine, catalogue: Catalogue, ind: Indicator, year: SchoolYear, *,
                        grains: Sequence[str], flagged: ir.Table | None = None) -> ir.Table:
    """Share of the institutions of `institution_types` (with ≥ 1 enrolment in the year) flagged by the rule,
    at municipality (register of the year) and/or nation grain.

    `flagged` (a table with an `institution` column) may carry the rule's flags already computed in this
    run, so the rule is not evaluated again; by default the rule is compiled into the expression."""
    assert ind.rule is not None
    rule = catalogue.rule(ind.rule)
    units = population(engine, year, ind.institution_types)
    if flagged is None:
        flagged = rule_flags(engine, catalogue, rule, year)
    flagged = flagged.select("institution").distinct()
    flagged = flagged.select(_flagged_inst=flagged.institution, _flag=lit_int(1))
    joined = units.left_join(flagged, units.institution == flagged._flagged_inst)
    table = joined.select("institution", flagged=joined._flag.fill_null(0), institutions=lit_int(1))
    register = BuildContext(engine=engine, indicator=ind, year=year).register()
    parts = [
        standardize(rollup(table, grain=grain, dims=[], numerator="flagged", denominator="institutions",
                           register=register), ind, grain)
        for grain in ind.grain if grain in grains
    ]
    if not parts:
        raise ValueError(f"indicator {ind.code!r} has none of the grains {list(grains)}")
    return union_all(parts)


def compile_indicator(engine: Engine, catalogue: Catalogue, ind: Indicator, year: SchoolYear, *,
                      grains: Sequence[str], institutions: Sequence[str] | None = None,
                      flagged: ir.Table | None = None) -> ir.Table:
    """The result rows of any indicator (OUTPUT_COLUMNS layout); `flagged`: see share_of_units_rows."""
    if ind.type == "share_of_units":
        return share_of_units_rows(engine, catalogue, ind, year, grains=grains, flagged=flagged)
    return indicator_rows(engine, ind, year, grains, institutions)
