"""Spark engine: the same Ibis expressions through ibis.pyspark on a SparkSession."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from analytics.engines.base import (
    COVERAGE_TABLE,
    LAKE_TABLES,
    PARTITION_COLUMN,
    coverage_arrow,
    dataset_files,
    quiet_dependencies,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def local_session(cores: int = 2, small_data: bool = True) -> SparkSession:
    """A local SparkSession: no UI, UTC, partition values kept as strings, warehouse in a temporary folder.

    With `small_data` (tests, a single school, a small lake) it also trades throughput for latency:
    one shuffle partition, no adaptive execution and no code generation, which on tiny tables cuts
    each query from seconds to a fraction (compiling generated code costs more than it saves). For
    national volumes on a cluster, build your own session and pass it to SparkEngine."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("ikms-analytics")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="ikms-spark-warehouse-"))
    )
    if small_data:
        builder = (
            builder.config("spark.sql.shuffle.partitions", "1")
            .config("spark.default.parallelism", "1")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """Registers each dataset as a temporary view (Parquet with partition discovery) in a SparkSession.

    Views are named after the datasets, so one SparkEngine per session is current at a time: creating
    another on the same session re-points the views to its lake."""

    name = "spark"

    def __init__(self, lake_root: Path, session: SparkSession | None = None) -> None:
        from pyspark.sql import functions as F  # noqa: N812
        from pyspark.sql.pandas.types import from_arrow_schema

        self.lake_root = Path(lake_root)
        self.session = session if session is not None else local_session()
        for table, schema in LAKE_TABLES.items():
            if dataset_files(self.lake_root, table):
                path = str(self.lake_root / table)
                # The declared schema (plus the partition column) spares Spark a schema-inference job.
                declared = from_arrow_schema(schema.append(pa.field(PARTITION_COLUMN, pa.string())))
                frame = (self.session.read.schema(declared).option("basePath", path)
                         .parquet(str(self.lake_root / table / f"{PARTITION_COLUMN}=*")))
            else:
                frame = self.session.createDataFrame([], from_arrow_schema(schema)).withColumn(
                    PARTITION_COLUMN, F.lit(None).cast("string"))
            frame.createOrReplaceTempView(table)
        coverage = coverage_arrow(self.lake_root)
        self.session.createDataFrame(coverage.to_pandas(), from_arrow_schema(coverage.schema)).createOrReplaceTempView(
            COVERAGE_TABLE)
        self.con = ibis.pyspark.connect(self.session)

    def table(self, name: str) -> ir.Table:
        with quiet_dependencies():
            return self.con.table(name)

    def to_sql(self, expr: ir.Expr) -> str:
        return str(ibis.to_sql(expr, dialect="pyspark"))

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        with quiet_dependencies():
            return self.con.execute(expr)
