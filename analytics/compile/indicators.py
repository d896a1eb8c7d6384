"""Compile an indicator spec into an Ibis expression of result rows.

The measure builder gives one row per subject; this module restricts it to the spec's institution
filters, sums the numerator and denominator measures per unit of the grain (institution, the
institution's municipality in that year's register, or the nation "LV") and breakdown, and turns
the sums into the value:

* count: value = Σ numerator (the denominator, if declared, is the population, used for suppression);
* ratio / mean: value = factor × Σ numerator / Σ denominator (NULL when the denominator is 0);
* relative_to_nation: the same for the unit (g) and for the whole country (n), then
  difference = factor × (g − n), ratio = factor × g / n, shortfall = factor × (n − g) / n.

A unit with no subjects has no row. Every row has `suppressed` = denominator < min_denominator.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from analytics.compile.context import BuildContext, lit_str, received
from analytics.compile.measures import MEASURES, left_join, requirements, union_all
from analytics.engines.base import Engine
from analytics.spec.model import GRAIN_DIMS, Indicator
from analytics.spec.periods import SchoolYear

NATION = "LV"
OUTPUT_COLUMNS = ("indicator", "version", "grain", "unit", "semester", "level", "category", "value", "numerator",
                  "denominator", "suppressed")
DIM_TYPES = {"semester": "int64", "level": "string", "category": "string"}
ALL_DIMS = (*GRAIN_DIMS, "category")


def subjects(engine: Engine, ind: Indicator, year: SchoolYear,
             institutions: Sequence[str] | None = None) -> ir.Table:
    """The builder's subject rows for the year, restricted to the institutions the spec's register filters
    keep (e.g. type = basic). With `institutions` (only for an `institution_local` measure), the scans keep
    only those institutions' rows."""
    assert ind.measure is not None
    if institutions is not None:
        assert MEASURES[ind.measure].institution_local, f"measure {ind.measure!r} is not institution_local"
    ctx = BuildContext(engine=engine, indicator=ind, year=year,
                       institutions=tuple(institutions) if institutions is not None else None)
    table = MEASURES[ind.measure].build(ctx)
    if ind.filters_on("institutions"):
        table = table.semi_join(ctx.register().select("institution"), "institution")
    # Missing is not zero: only institutions whose data were received count (analytics/lake/coverage.py), from
    # every source the indicator needs (or one of its measure's alternatives, e.g. exams or exam_results).
    covered = received(engine, requirements(ind), year)
    if covered is not None and "institution" in table.columns:
        table = table.semi_join(covered, "institution")
    return table


def rollup(table: ir.Table, *, grain: str, dims: Sequence[str], numerator: str, denominator: str | None,
           register: ir.Table | None, unit_column: str = "institution") -> ir.Table:
    """Σ numerator and Σ denominator per unit of `grain` and breakdown: columns unit, dims, numerator,
    denominator (float64; denominator NULL when there is none)."""
    if grain == "municipality" and unit_column == "institution":
        assert register is not None
        places = register.select("institution", "municipality").distinct()
        table = table.inner_join(places, "institution")
        unit = table.municipality
    elif grain == "nation":
        unit = lit_str(NATION)
    else:
        unit = table[unit_column]
    table = table.mutate(_unit=unit, _num=table[numerator].cast("float64"),
                         _den=table[denominator or numerator].cast("float64"))
    grouped = table.group_by(["_unit", *dims]).aggregate(numerator=table._num.sum(), denominator=table._den.sum())
    if not denominator:
        grouped = grouped.mutate(denominator=ibis.null("float64"))
    return grouped.rename(unit="_unit")


def _ratio(num: ir.FloatingValue, den: ir.FloatingValue) -> ir.FloatingValue:
    return ibis.ifelse(den > 0, num / den, ibis.null("float64"))


def standardize(agg: ir.Table, ind: Indicator, grain: str, nation: ir.Table | None = None) -> ir.Table:
    """Result rows in the output layout (OUTPUT_COLUMNS)."""
    dims = [d for d in ALL_DIMS if d in ind.dims]
    if ind.relative_to_nation is not None:
        assert nation is not None
        ref = nation.select(*dims, _n_num=nation.numerator, _n_den=nation.denominator)
        agg = left_join(agg, ref, dims) if dims else agg.cross_join(ref)
        g = _ratio(agg.numerator, agg.denominator)
        n = _ratio(agg._n_num, agg._n_den)
        relative = {
            "difference": g - n,
            "ratio": _ratio(g, n),
            "shortfall": _ratio(n - g, n),
        }[ind.relative_to_nation]
        value = relative * ind.factor
    elif ind.type == "count":
        value = agg.numerator
    else:
        value = _ratio(agg.numerator, agg.denominator) * ind.factor
    columns = {
        "indicator": lit_str(ind.code),
        "version": lit_str(ind.version),
        "grain": lit_str(grain),
        "unit": agg.unit.cast("string"),
        **{d: (agg[d].cast(DIM_TYPES[d]) if d in dims else ibis.null(DIM_TYPES[d])) for d in ALL_DIMS},
        "value": value.cast("float64"),
        "numerator": agg.numerator,
        "denominator": agg.denominator,
        "suppressed": (agg.denominator < ind.min_denominator).fill_null(False),
    }
    return agg.select(**columns)


def indicator_rows(engine: Engine, ind: Indicator, year: SchoolYear, grains: Sequence[str],
                   institutions: Sequence[str] | None = None) -> ir.Table:
    """The result rows of a measure-based indicator at the given grains (those it declares), with the
    institution grain limited to `institutions` when given."""
    assert ind.measure is not None
    assert ind.numerator is not None
    signature = MEASURES[ind.measure].signature
    # An institution-scoped institution grain may filter the scans themselves when the measure opts in
    # (institution_local) and nothing national (relative_to_nation) is read; else the rows are filtered here.
    local = MEASURES[ind.measure].institution_local and ind.relative_to_nation is None
    everything = institutions is None or not local or any(g != "institution" for g in ind.grain if g in grains)
    # Built only when read: building may already compute shared rows (see BuildContext.enrolments).
    table = subjects(engine, ind, year) if everything else None
    dims = [d for d in ALL_DIMS if d in ind.dims]
    register = BuildContext(engine=engine, indicator=ind, year=year).register()

    def agg(grain: str, rows: ir.Table) -> ir.Table:
        return rollup(rows, grain=grain, dims=dims, numerator=ind.numerator or "", denominator=ind.denominator,
                      register=register, unit_column=signature.unit)

    nation = agg("nation", table) if ind.relative_to_nation and table is not None else None
    parts = []
    for grain in (g for g in ind.grain if g in grains):
        if institutions is not None and grain == "institution":
            rows = subjects(engine, ind, year, institutions) if local else table
            assert rows is not None
            rows = rows.filter(rows.institution.isin(list(institutions)))
        else:
            assert table is not None
            rows = table
        parts.append(standardize(agg(grain, rows), ind, grain, nation))
    if not parts:
        raise ValueError(f"indicator {ind.code!r} has none of the grains {list(grains)}")
    return union_all(parts)
