"""DuckDB engine (the default): each dataset is a view over read_parquet with hive partitioning."""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from analytics.engines.base import LAKE_TABLES, PARTITION_COLUMN, dataset_files, quiet_dependencies


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

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        with quiet_dependencies():
            return self.con.execute(expr)
