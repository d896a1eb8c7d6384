"""Engines run the compiled Ibis expressions: DuckDB by default, Spark for the same expressions at scale."""

from analytics.engines.base import LAKE_TABLES, Engine, dataset_files
from analytics.engines.duckdb_engine import DuckDBEngine
from analytics.engines.spark_engine import SparkEngine, local_session

__all__ = ["LAKE_TABLES", "DuckDBEngine", "Engine", "SparkEngine", "dataset_files", "local_session"]
