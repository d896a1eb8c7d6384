"""The engine interface and what every engine shares: where each dataset's Parquet files are."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from analytics.lake.schemas import DATASETS, INSTITUTIONS

#: Every table an engine registers: the lake's datasets and the institutions register dimension.
LAKE_TABLES: dict[str, pa.Schema] = {
    **{name: d.schema for name, d in DATASETS.items()},
    INSTITUTIONS.name: INSTITUTIONS.schema,
}
PARTITION_COLUMN = "school_year"
#: What the lake has received (analytics/lake/coverage.py): institution, source, school_year partition value.
COVERAGE_TABLE = "coverage"


def coverage_arrow(lake_root: Path) -> pa.Table:
    """The `coverage` table every engine registers, read from the datasets' manifests."""
    from analytics.lake.coverage import coverage_table, read_coverage

    return coverage_table(read_coverage(lake_root))


@runtime_checkable
class Engine(Protocol):
    """Runs Ibis expressions over the lake. Each dataset is a table with every school year's rows and a
    `school_year` partition column ("2023-2024")."""

    name: str
    lake_root: Path

    def table(self, name: str) -> ir.Table:
        """The lake table `name` (a dataset or `institutions`)."""
        ...

    def to_sql(self, expr: ir.Expr) -> str:
        """The SQL the engine would run for `expr`."""
        ...

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        """Run `expr` and return its rows."""
        ...


def dataset_files(lake_root: Path, name: str) -> list[Path]:
    """The Parquet files of dataset `name`, all school-year partitions, in a stable order."""
    return sorted((lake_root / name).glob(f"{PARTITION_COLUMN}=*/*.parquet"))


@contextmanager
def quiet_dependencies() -> Iterator[None]:
    """Silence the deprecation notices ibis 12 triggers in duckdb 2 and pandas 3 on every query (nothing
    we can act on; they would drown real warnings in test output)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*fetch_arrow_table\(\) is deprecated", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=r".*'future.infer_string' option is deprecated")
        warnings.filterwarnings("ignore", message=r".*The copy keyword is deprecated")
        yield
