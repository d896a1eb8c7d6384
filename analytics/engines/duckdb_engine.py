"""DuckDB engine (the default): each dataset is a view over read_parquet with hive partitioning."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pandas as pd

from analytics.engines.base import LAKE_TABLES, PARTITION_COLUMN, dataset_files, quiet_dependencies

#: Datasets whose per-learner aggregates are shared by several indicators and rules of a run.
_HEAVY = frozenset({"grades", "absences", "exams"})


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckDBEngine:
    """An in-memory DuckDB reading the lake's Parquet files in place (nothing is copied).

    The views glob the files at query time, so a run sees the files present when it executes; a
    dataset with no files at all is an empty table of its declared schema."""

    name = "duckdb"

    def __init__(self, lake_root: Path, threads: int | None = None) -> None:
        self.lake_root = Path(lake_root)
        self.con = ibis.duckdb.connect(**({"threads": threads} if threads else {}))
        self._shared: dict[ops.Node, ops.Node] | None = None  # set only inside `shared_results`
        with quiet_dependencies():
            self._register()

    def _register(self) -> None:
        for table, schema in LAKE_TABLES.items():
            if dataset_files(self.lake_root, table):
                pattern = str(self.lake_root / table / f"{PARTITION_COLUMN}=*" / "*.parquet")
                # The partition value "2023-2024" must stay a string, not be guessed as a date or number.
                # The table name is one of our dataset names and the path is quoted as a literal.
                self.con.raw_sql(
                    f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM read_parquet({_quote(pattern)}, '  # noqa: S608
                    f"hive_partitioning = true, union_by_name = true, "
                    f"hive_types = {{'{PARTITION_COLUMN}': VARCHAR}})"
                )
            else:
                empty = ibis.Schema.from_pyarrow(schema)
                self.con.create_table(table, schema=ibis.Schema({**empty, PARTITION_COLUMN: "string"}),
                                      overwrite=True)

    def table(self, name: str) -> ir.Table:
        with quiet_dependencies():
            return self.con.table(name)

    def to_sql(self, expr: ir.Expr) -> str:
        return str(ibis.to_sql(expr, dialect="duckdb"))

    @contextmanager
    def shared_results(self) -> Iterator[None]:
        """Within this block (one run), an aggregate over a heavy dataset that several expressions share
        (e.g. the per-learner mean mark) is computed once into a TEMP table and reused; the tables are
        dropped on exit, so the next run reads the files present then."""
        self._shared = {}
        try:
            yield
        finally:
            names = [n.name for n in self._shared.values() if isinstance(n, ops.DatabaseTable)]
            self._shared = None
            for name in names:
                self.con.drop_table(name, force=True)

    def _reuse(self, expr: ir.Table) -> ir.Table:
        """`expr` with each innermost aggregate over a heavy dataset replaced by its TEMP table."""
        shared = self._shared
        assert shared is not None
        wanted = []
        for node in expr.op().find(ops.Aggregate):
            below = node.parent.find((ops.Aggregate, ops.DatabaseTable))
            if any(isinstance(n, ops.Aggregate) for n in below):
                continue
            if any(isinstance(n, ops.DatabaseTable) and n.name in _HEAVY for n in below):
                wanted.append(node)
        if not wanted:
            return expr
        for node in wanted:
            if node not in shared:
                name = f"_ikms_shared_{len(shared)}"
                shared[node] = self.con.create_table(name, obj=node.to_expr(), temp=True).op()
        return expr.op().replace({n: shared[n] for n in wanted}).to_expr()

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        with quiet_dependencies():
            if self._shared is not None:
                expr = self._reuse(expr)
            return self.con.execute(expr)
