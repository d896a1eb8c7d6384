"""What a measure builder gets: the lake's tables for one school year, with the spec's filters applied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

import ibis
import ibis.expr.types as ir

from analytics.engines.base import COVERAGE_TABLE, PARTITION_COLUMN, Engine
from analytics.lake.coverage import INSTITUTION_DATASETS
from analytics.spec.model import Condition, Filter, Indicator
from analytics.spec.periods import SchoolYear

#: The rows of a table that belong to (learner, institution): its latest enrolment wins. The full
#: ordering makes the choice deterministic, and identical on every engine.
_ENROLMENT_ORDER = ("start_date", "programme_code", "grade", "class_id")


def _condition(table: ir.Table, cond: Condition) -> ir.BooleanValue:
    col = table[cond.column]
    value = cond.value
    if cond.op == "==":
        return col == value
    if cond.op == "!=":
        return col != value
    if cond.op == ">":
        return col > value
    if cond.op == ">=":
        return col >= value
    if cond.op == "<":
        return col < value
    if cond.op == "<=":
        return col <= value
    assert isinstance(value, tuple)
    if cond.op == "in":
        return col.isin(list(value))
    if cond.op == "not_in":
        return col.notin(list(value))
    if cond.op == "between":
        return col.between(value[0], value[1])
    raise ValueError(f"unknown filter operator {cond.op!r}")


def apply_filters(table: ir.Table, filters: tuple[Filter, ...]) -> ir.Table:
    """Keep the rows every include-filter accepts and drop those an exclude-filter matches entirely.

    A condition on a NULL is false, so an exclude-filter never drops a row for a missing value."""
    for f in filters:
        matched = ibis.and_(*(_condition(table, c) for c in f.conditions)).fill_null(False)
        table = table.filter(~matched if f.exclude else matched)
    return table


@dataclass(frozen=True)
class BuildContext:
    """One indicator, one school year, one engine."""

    engine: Engine
    indicator: Indicator
    year: SchoolYear
    #: When set, `raw` keeps only these institutions' rows of every table with an `institution` column
    #: (pushed down into the scans). Only for measures declared `institution_local` (each institution's
    #: rows depend on its own rows alone) and indicators with no national reference: see `indicator_rows`.
    institutions: tuple[str, ...] | None = None

    def param(self, name: str) -> float:
        value = self.indicator.params[name]
        assert isinstance(value, int | float)
        assert not isinstance(value, bool)
        return float(value)

    def text_param(self, name: str) -> str:
        value = self.indicator.params[name]
        assert isinstance(value, str)
        return value

    def raw(self, dataset: str) -> ir.Table:
        """All rows of a dataset, every school year, no filters (but `institutions`, when set)."""
        return self._scoped(self.engine.table(dataset))

    def _scoped(self, table: ir.Table) -> ir.Table:
        """`table` limited to `institutions` when set. Those rows are few and every builder of the run reads
        them, so an engine that can (`share`) keeps them once per run instead of rescanning the files."""
        if self.institutions is None or "institution" not in table.columns:
            return table
        return self._share(table.filter(table.institution.isin(list(self.institutions))))

    def _share(self, table: ir.Table) -> ir.Table:
        """`table` computed once per run by an engine that can (`share`), else unchanged."""
        share = getattr(self.engine, "share", None)
        return share(table) if share is not None else table

    def _year(self, dataset: str, year: SchoolYear | None = None) -> ir.Table:
        """The dataset's rows in the school year's partition (pruned before anything is read), unfiltered."""
        table = self.engine.table(dataset)
        table = table.filter(table[PARTITION_COLUMN] == (year or self.year).partition).drop(PARTITION_COLUMN)
        return self._scoped(table)

    def year_rows(self, dataset: str, *, filtered: bool = True) -> ir.Table:
        """The dataset's rows in this school year's partition, with the spec's filters on it applied (unless
        `filtered` is False)."""
        table = self._year(dataset)
        return apply_filters(table, self.indicator.filters_on(dataset)) if filtered else table

    def all_rows(self, dataset: str) -> ir.Table:
        """The dataset's rows in every partition (for datasets dated by their own columns: staff,
        vacancies), with the spec's filters applied."""
        return apply_filters(self.raw(dataset).drop(PARTITION_COLUMN), self.indicator.filters_on(dataset))

    def enrolments(self) -> ir.Table:
        """One row per learner and institution in this school year: the latest enrolment (by start date), then
        the spec's filters on enrolments. A learner at two institutions counts at each."""
        table = self._year("enrolments")
        rank = ibis.row_number().over(
            group_by=[table.learner_id, table.institution],
            order_by=[ibis.desc(table[c]) for c in _ENROLMENT_ORDER],
        )
        latest = table.mutate(_rank=rank).filter(ibis._._rank == 0).drop("_rank")
        # Nearly every measure starts from these rows: an engine may compute them once per run.
        return apply_filters(self._share(latest), self.indicator.filters_on("enrolments"))

    def register(self, year: SchoolYear | None = None) -> ir.Table:
        """The institutions register as of the school year, with the spec's filters on it applied."""
        return apply_filters(self._year("institutions", year), self.indicator.filters_on("institutions"))


def received(engine: Engine, sources: Sequence[str | Sequence[str]], year: SchoolYear) -> ir.Table | None:
    """The institutions whose data were received for the school year (column `institution`;
    analytics/lake/coverage.py) from every per-institution source in `sources`, where an item may be a group of
    alternatives (any one of them received suffices: see `analytics.compile.measures.requirements`); None when
    no per-institution source is read."""
    groups: list[tuple[str, ...]] = []
    for item in sources:
        group = tuple(sorted({s for s in ((item,) if isinstance(item, str) else item) if s in INSTITUTION_DATASETS}))
        if group and group not in groups:
            groups.append(group)
    if not groups:
        return None
    table = engine.table(COVERAGE_TABLE)
    table = table.filter((table[PARTITION_COLUMN] == year.partition)
                         & table.source.isin(sorted({s for g in groups for s in g})))
    # Each receipt stands for the groups its source belongs to; an institution needs every group.
    parts = [table.filter(table.source.isin(list(g))).select("institution", _group=lit_int(i))
             for i, g in enumerate(groups)]
    stood = reduce(lambda a, b: a.union(b), parts)
    counted = stood.group_by("institution").aggregate(_groups=stood._group.nunique())
    return counted.filter(counted._groups == len(groups)).select("institution")


def lit_date(value: object) -> ir.DateScalar:
    """A date literal (typed, so every backend compiles it as a date)."""
    return ibis.literal(value, type="date")


def lit_int(value: int) -> ir.IntegerScalar:
    return ibis.literal(value, type="int64")


def lit_str(value: str) -> ir.StringScalar:
    return ibis.literal(value, type="string")


