"""Compile risk rules (and the share-of-units indicators that count their flags) into Ibis expressions.

A rule is evaluated for its population: institutions of the `applies_to` types in the school year's
register with at least one enrolment in the year. For each period (the current school year and/or
the previous one) the left indicator is computed at institution grain for that year; a row
*matches* when `value <operator> threshold` holds (with a tolerance of 1e-9, so float noise does not
flip a threshold) and, if the rule has `min_denominator` / `min_numerator`, its denominator / numerator
reaches it. An
institution without a row for the period takes `missing_value` if the rule declares one (e.g. "no
support staff rows" = 0 staff), else it cannot match. A period is hit when any row matches (any
semester, level or exam). The institution is flagged when every period is hit (`combine: all`) or
at least one is (`any`); `combine_by_type` sets this per institution type.

Missing is not zero: a period counts only where the institution's data for the rule's sources were
received (analytics/lake/coverage.py); an institution that cannot be decided without the missing data
is "not evaluated", neither flagged nor passed (`rule_outcomes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pandas as pd

from analytics.compile.context import BuildContext, lit_int, lit_str
from analytics.compile.indicators import indicator_rows, rollup, standardize
from analytics.compile.measures import requirements, union_all
from analytics.engines.base import PARTITION_COLUMN, Engine
from analytics.lake.coverage import Coverage
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
    """The matching left-indicator rows of the rule's population, every period (columns MATCH_COLUMNS).

    A value its own indicator suppresses (denominator under the indicator's min_denominator, e.g. an exam
    mean of fewer than 5 takers) never matches. Rows of an institution whose data were not received for a
    period are dropped later, by `rule_outcomes` (the missing_value stands for "received, no rows")."""
    left = catalogue.indicator(rule.left)
    people = population(engine, year, rule.applies_to, institutions)
    thresholds = rule.thresholds()
    min_den = rule.min_denominator.resolve(rule.params) if rule.min_denominator is not None else None
    min_num = rule.min_numerator.resolve(rule.params) if rule.min_numerator is not None else None
    parts = []
    for period in rule.periods:
        period_year = year if period == "current" else year.previous
        values = indicator_rows(engine, left, period_year, ["institution"], institutions)
        values = values.select("semester", "level", "category", "value", "numerator", "denominator",
                               _suppressed=values.suppressed, _inst=values.unit, _present=ibis.literal(True))
        joined = people.left_join(values, people.institution == values._inst)
        value = joined.value
        if rule.missing_value is not None:
            value = ibis.ifelse(joined._present.isnull(), ibis.literal(rule.missing_value, type="float64"), value)
        rows = joined.select("institution", "type", period=lit_str(period_year.label), semester=joined.semester,
                             level=joined.level, category=joined.category, value=value,
                             numerator=joined.numerator, denominator=joined.denominator,
                             _suppressed=joined._suppressed.fill_null(False))
        match = _compare(rows.value, rule.operator, thresholds) & rows.value.notnull() & ~rows._suppressed
        if min_den is not None:
            match = match & (rows.denominator >= min_den).fill_null(False)
        if min_num is not None:
            match = match & (rows.numerator >= min_num).fill_null(False)
        parts.append(rows.filter(match.fill_null(False)).drop("_suppressed"))
    return union_all(parts)


def rule_candidates(engine: Engine, year: SchoolYear, types: Sequence[str],
                    institutions: Sequence[str] | None = None) -> ir.Table:
    """Institutions of the given types in the year's register: institution, type, and `active` (at least one
    enrolment in the year). An inactive institution is outside a rule's population, unless its enrolments
    were never received: then it is "not evaluated" (see `rule_outcomes`)."""
    register = engine.table("institutions")
    if institutions is not None:
        register = register.filter(register.institution.isin(list(institutions)))
    register = register.filter((register[PARTITION_COLUMN] == year.partition) & register.type.isin(list(types)))
    register = register.select("institution", "type").distinct()
    active = population(engine, year, types, institutions).select(_active_inst="institution")
    joined = register.left_join(active, register.institution == active._active_inst)
    return joined.select("institution", "type", active=joined._active_inst.notnull())


@dataclass(frozen=True)
class RuleOutcome:
    """A rule's result for one school year: the matching rows of each flagged institution (its evidence),
    and the institutions that could not be evaluated, each with the (source, school year) pairs missing."""

    flags: pd.DataFrame  # MATCH_COLUMNS, flagged institutions only
    not_evaluated: dict[str, list[tuple[str, str]]]
    evaluated: int  # institutions evaluated (flagged or not)


def rule_sources(catalogue: Catalogue, rule: RiskRule) -> tuple[tuple[str, ...], ...]:
    """The lake datasets a rule's evaluation needs received, per period, as groups of which any one suffices
    (`analytics.compile.measures.requirements` of its left indicator)."""
    return tuple(g for g in requirements(catalogue.indicator(rule.left)) if g != ("institutions",))


def rule_outcomes(rule: RiskRule, sources: Sequence[str | Sequence[str]], year: SchoolYear, *,
                  matches: pd.DataFrame,
                  candidates: pd.DataFrame, coverage: Coverage) -> RuleOutcome:
    """Flag, pass or leave unevaluated each candidate institution (`rule_candidates` rows of the rule's types).

    A period counts only where the institution's data were received for every source the rule reads (an item of
    `sources` may be a group of alternatives, any one of which suffices: `rule_sources`); its
    rows elsewhere are dropped (a missing_value must not stand in for data never sent). Flagged: every period
    hit (`combine: all`) or one (`any`). Passed: decided without the missing periods (an `all` rule with a
    received period not hit; an `any` rule with every period received and none hit). Otherwise, with data
    missing, the institution is not evaluated: neither flagged nor passed."""
    periods = [(year if p == "current" else year.previous).label for p in rule.periods]
    missing: dict[str, list[tuple[str, str]]] = {}
    for inst in candidates["institution"].astype(str):
        gaps = [(s, p) for p in periods for s in coverage.missing(inst, sources, p)]
        if gaps:
            missing[inst] = gaps
    if len(matches):
        gap_periods = {(i, p) for i, gaps in missing.items() for _, p in gaps}
        keep = [(str(i), str(p)) not in gap_periods for i, p in zip(matches["institution"], matches["period"],
                                                                     strict=True)]
        matches = matches[keep]
    hits: dict[str, set[str]] = {}
    for inst, period in zip(matches["institution"].astype(str), matches["period"].astype(str), strict=True):
        hits.setdefault(inst, set()).add(period)
    flagged: set[str] = set()
    not_evaluated: dict[str, list[tuple[str, str]]] = {}
    evaluated = 0
    for inst, typ, active in zip(candidates["institution"].astype(str), candidates["type"].astype(str),
                                 candidates["active"], strict=True):
        gaps = missing.get(inst, [])
        if not active:
            if coverage.covers(inst, "enrolments", year.label):
                continue  # received, and no learners: outside the population
            not_evaluated[inst] = [("enrolments", year.label), *[g for g in gaps if g != ("enrolments", year.label)]]
            continue
        hit = hits.get(inst, set())
        received = [p for p in periods if not any(gp == p for _, gp in gaps)]
        if rule.combine_for(typ) == "all":
            is_flagged = all(p in hit for p in periods)
            passed = any(p not in hit for p in received)
        else:
            is_flagged = bool(hit)
            passed = len(received) == len(periods)
        if is_flagged:
            flagged.add(inst)
            evaluated += 1
        elif gaps and not passed:
            not_evaluated[inst] = gaps
        else:
            evaluated += 1
    flags = matches[matches["institution"].astype(str).isin(flagged)]
    return RuleOutcome(flags=flags, not_evaluated=not_evaluated, evaluated=evaluated)


def share_of_units_rows(engine: Engine, catalogue: Catalogue, ind: Indicator, year: SchoolYear, *,
                        grains: Sequence[str], flagged: ir.Table, not_evaluated: ir.Table | None = None) -> ir.Table:
    """Share of the institutions of `institution_types` (with ≥ 1 enrolment in the year) flagged by the rule,
    at municipality (register of the year) and/or nation grain.

    `flagged` (a table with an `institution` column) carries the rule's flags computed in this run;
    `not_evaluated` (the same) the institutions the rule could not evaluate, which count in neither the
    numerator nor the denominator."""
    assert ind.rule is not None
    units = population(engine, year, ind.institution_types)
    if not_evaluated is not None:
        units = units.anti_join(not_evaluated.select("institution").distinct(), "institution")
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
                      flagged: ir.Table | None = None, not_evaluated: ir.Table | None = None) -> ir.Table:
    """The result rows of any indicator (OUTPUT_COLUMNS layout); `flagged`, `not_evaluated`: see
    share_of_units_rows (required for a share-of-units indicator)."""
    if ind.type == "share_of_units":
        assert flagged is not None, f"{ind.code}: a share-of-units indicator needs the rule's flags of the run"
        return share_of_units_rows(engine, catalogue, ind, year, grains=grains, flagged=flagged,
                                   not_evaluated=not_evaluated)
    return indicator_rows(engine, ind, year, grains, institutions)
