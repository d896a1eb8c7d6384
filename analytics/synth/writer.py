"""Atomic Parquet partitions: write into a temporary folder beside the target, then rename it into place."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.lake.schemas import Dataset, partition_dir

ROW_GROUP = 1_000_000


def _array(value: object, field: pa.Field) -> pa.Array:
    if isinstance(value, pa.ChunkedArray):
        value = value.combine_chunks()
    if isinstance(value, pa.Array):
        return value if value.type == field.type else value.cast(field.type)
    arr = np.asarray(value)
    if pa.types.is_date32(field.type):
        days = arr.astype(np.int32)
        mask = days < 0 if field.nullable else None
        return pa.array(days, type=pa.int32(), mask=mask).cast(pa.date32())
    if pa.types.is_string(field.type):
        return pa.array(arr.tolist() if arr.dtype == object else arr, type=pa.string())
    return pa.array(arr, type=field.type)


class PartitionWriter:
    """Writes one dataset's partition for a school year; commits atomically on a clean exit."""

    def __init__(self, lake_root: Path, dataset: Dataset, school_year: str) -> None:
        self.dataset = dataset
        self.schema = dataset.schema
        self.target = Path(lake_root) / dataset.name / partition_dir(school_year)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.target.parent / f".tmp-{self.target.name}-{uuid.uuid4().hex}"
        self.tmp.mkdir()
        self.writer = pq.ParquetWriter(self.tmp / "part-0.parquet", self.schema, compression="zstd",
                                       compression_level=1, dictionary_pagesize_limit=4 << 20)
        self.rows = 0

    def write(self, columns: Mapping[str, object]) -> None:
        """Append rows given as arrays per column (numpy, Arrow or lists); split into row groups."""
        n = len(next(iter(columns.values()))) if columns else 0  # type: ignore[arg-type]
        # An optional column (Column.optional) left out is null, as in an import file without it.
        arrays = [_array(columns[f.name], f) if f.name in columns or not self.dataset.column(f.name).optional
                  else pa.nulls(n, f.type) for f in self.schema]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        if table.num_rows == 0:
            return
        self.writer.write_table(table, row_group_size=ROW_GROUP)
        self.rows += table.num_rows

    def commit(self) -> None:
        self.writer.close()
        old = None
        if self.target.exists():
            old = self.target.parent / f".old-{self.target.name}-{uuid.uuid4().hex}"
            os.replace(self.target, old)
        os.replace(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old)

    def abort(self) -> None:
        self.writer.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> PartitionWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def write_partition(lake_root: Path, dataset: Dataset, school_year: str, columns: Mapping[str, object]) -> int:
    """Write a whole partition at once; returns the number of rows."""
    with PartitionWriter(lake_root, dataset, school_year) as w:
        w.write(columns)
    return w.rows
