"""DuckDB engine (the default): each dataset is a view over read_parquet with hive partitioning.

Within a run (`shared_results`) an aggregate or row set that several expressions share is computed once
into a TEMP table. An institution-scoped run (`plan`) records the SQL it executed; the next scoped run of
the same catalogue version, school year and grains replays that SQL with the other institutions instead of
building and compiling the ~50 expressions again (the compilation costs more than the queries on one
institution's rows)."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.schema as sch
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.types as pat
import sqlglot as sg
import sqlglot.expressions as sge
from ibis.backends.duckdb.converter import DuckDBPandasData

from analytics.engines.base import (
    COVERAGE_TABLE,
    LAKE_TABLES,
    PARTITION_COLUMN,
    coverage_arrow,
    dataset_files,
    quiet_dependencies,
)

logger = logging.getLogger(__name__)

#: Datasets whose per-learner aggregates are shared by several indicators and rules of a run.
_HEAVY = frozenset({"grades", "absences", "exams"})
#: Stands for the quoted institution list inside a recorded plan's SQL.
_INSTITUTIONS = "\x00ikms-institutions\x00"
_PLAN_CACHE_SIZE = 16
_SHARED_PREFIX = "_ikms_shared_"
_SHARED_NAME = re.compile(rf'"({_SHARED_PREFIX}\d+)"')

Build = Callable[[], ir.Table]
Runner = Callable[[Build], pd.DataFrame]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_list(values: Sequence[str]) -> str:
    """How a list of strings appears in compiled SQL: `IN ('a', 'b')`."""
    return "IN (" + ", ".join(_quote(v) for v in values) + ")"


@dataclass(frozen=True)
class _Step:
    """One recorded statement: a TEMP table to create (`table` set; `sql` fills it) or a query whose rows
    are returned (`schema` set)."""

    sql: str
    table: str | None = None
    create: str | None = None
    schema: sch.Schema | None = None
    reads: tuple[str, ...] = ()  # the tables created by earlier steps that `sql` reads


class DuckDBEngine:
    """An in-memory DuckDB reading the lake's Parquet files in place (nothing is copied).

    The views glob the files at query time, so a run sees the files present when it executes; a
    dataset with no files at all is an empty table of its declared schema."""

    name = "duckdb"
    #: Recorded institution-scoped plans, shared by the engines of a process (least recently used dropped).
    _plans: ClassVar[OrderedDict[Hashable, tuple[_Step, ...]]] = OrderedDict()

    def __init__(self, lake_root: Path, threads: int | None = None, plan_dir: Path | None = None) -> None:
        self.lake_root = Path(lake_root)
        self.threads = threads or os.cpu_count() or 1
        #: Where recorded plans are also kept on disk (for the next process); None: in memory only.
        self.plan_dir = Path(plan_dir) if plan_dir is not None else None
        self.con = ibis.duckdb.connect(**({"threads": threads} if threads else {}))
        self._shared: dict[ops.Node, ops.Node] | None = None  # set only inside `shared_results`
        self._tables: dict[str, ir.Table] = {}
        self._heavy: set[str] = set(_HEAVY)  # tables whose innermost aggregates are shared within a run
        self._recording: list[_Step] | None = None  # set only while a plan is recorded
        with quiet_dependencies():
            self._register()

    def _register(self) -> None:
        views = []
        for table, schema in LAKE_TABLES.items():
            if dataset_files(self.lake_root, table):
                views.append(table)
                pattern = str(self.lake_root / table / f"{PARTITION_COLUMN}=*" / "*.parquet")
                # The partition value "2023-2024" must stay a string, not be guessed as a date or number.
                # The table name is one of our dataset names and the path is quoted as a literal.
                self.con.raw_sql(
                    f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM read_parquet({_quote(pattern)}, '  # noqa: S608
                    f"hive_partitioning = true, union_by_name = true, "
                    f"hive_types = {{'{PARTITION_COLUMN}': VARCHAR}})"
                )
            else:
                # Nullable like the Parquet views, so an empty table unions and joins with them.
                empty = {n: t.copy(nullable=True) for n, t in ibis.Schema.from_pyarrow(schema).items()}
                self.con.create_table(table, schema=ibis.Schema({**empty, PARTITION_COLUMN: "string"}),
                                      overwrite=True)
        self.con.con.register("_coverage_arrow", coverage_arrow(self.lake_root))
        self.con.raw_sql(f'CREATE OR REPLACE TABLE "{COVERAGE_TABLE}" AS SELECT * FROM _coverage_arrow')  # noqa: S608
        self.con.con.unregister("_coverage_arrow")
        self._layout = tuple(views)

    def table(self, name: str) -> ir.Table:
        # Looking a table up reads its schema from DuckDB; the views are fixed for the engine's life.
        if name not in self._tables:
            with quiet_dependencies():
                self._tables[name] = self.con.table(name)
        return self._tables[name]

    def to_sql(self, expr: ir.Expr) -> str:
        return str(ibis.to_sql(expr, dialect="duckdb"))

    # --- running SQL ------------------------------------------------------------------------------------------

    def _record(self, step: _Step) -> None:
        if self._recording is not None:
            self._recording.append(step)

    def _create_sql(self, name: str, schema: sch.Schema) -> str:
        """CREATE TABLE with the expression's column types (as Ibis' create_table does). A plain table of the
        engine's private in-memory database, not a TEMP one, so that other cursors (threads) see it."""
        target = sge.Schema(this=sg.table(name, quoted=True), expressions=schema.to_sqlglot_column_defs("duckdb"))
        return sge.Create(kind="TABLE", this=target).sql("duckdb")

    @staticmethod
    def _insert_sql(name: str, sql: str) -> str:
        return f'INSERT INTO "{name}" {sql}'

    def _create(self, name: str, expr: ir.Table) -> ir.Table:
        """`expr` computed into table `name` (recorded when a plan is)."""
        self.con._run_pre_execute_hooks(expr)  # registers in-memory tables the expression reads
        sql = self.con.compile(expr)
        create = self._create_sql(name, expr.schema())
        self.con.raw_sql(create)
        self.con.raw_sql(self._insert_sql(name, sql))
        self._record(_Step(sql=sql, table=name, create=create))
        return self.con.table(name)

    def _rows(self, sql: str, schema: sch.Schema) -> pd.DataFrame:
        """Run `sql` and convert its rows to pandas the way Ibis' DuckDB backend does for `schema`."""
        return self._frame(self.con.con.sql(sql).to_arrow_table(), schema)

    @staticmethod
    def _frame(table: pa.Table, schema: sch.Schema) -> pd.DataFrame:
        df = pd.DataFrame({
            name: (col.to_pylist() if pat.is_nested(col.type) or pat.is_dictionary(col.type) or col.null_count
                   else col.to_pandas())
            for name, col in zip(table.column_names, table.columns, strict=True)
        })
        return DuckDBPandasData.convert_table(df, schema)

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        with quiet_dependencies():
            if self._shared is not None:
                expr = self._reuse(expr)
            table = expr.as_table()
            self.con._run_pre_execute_hooks(table)
            sql = self.con.compile(table)
            schema = table.schema()
            self._record(_Step(sql=sql, schema=schema))
            return self._rows(sql, schema)

    # --- sharing within a run ---------------------------------------------------------------------------------

    @contextmanager
    def shared_results(self) -> Iterator[None]:
        """Within this block (one run), an aggregate over a heavy dataset that several expressions share
        (e.g. the per-learner mean mark) is computed once into a TEMP table and reused; the tables are
        dropped on exit, so the next run reads the files present then."""
        self._shared = {}
        self._heavy = set(_HEAVY)
        try:
            yield
        finally:
            names = [n.name for n in self._shared.values() if isinstance(n, ops.DatabaseTable)]
            self._shared = None
            self._heavy = set(_HEAVY)
            self._drop(names)

    def _drop(self, names: Sequence[str]) -> None:
        for name in names:
            self.con.raw_sql(f'DROP TABLE IF EXISTS "{name}"')

    def share(self, expr: ir.Table) -> ir.Table:
        """Inside `shared_results`, `expr` computed once into a TEMP table (keyed by the expression, so every
        builder asking for the same rows gets the same table); outside it, `expr` unchanged."""
        shared = self._shared
        if shared is None:
            return expr
        node = expr.op()
        if node not in shared:
            with quiet_dependencies():
                shared[node] = table = self._create(f"{_SHARED_PREFIX}{len(shared)}", expr).op()
            if any(n.name in self._heavy for n in node.find(ops.DatabaseTable)):
                self._heavy.add(table.name)  # e.g. one institution's marks: aggregates over it are shared too
        return shared[node].to_expr()

    def _reuse(self, expr: ir.Table) -> ir.Table:
        """`expr` with each innermost aggregate over a heavy dataset replaced by its TEMP table."""
        shared = self._shared
        assert shared is not None
        wanted = []
        for node in expr.op().find(ops.Aggregate):
            below = node.parent.find((ops.Aggregate, ops.DatabaseTable))
            if any(isinstance(n, ops.Aggregate) for n in below):
                continue
            if any(isinstance(n, ops.DatabaseTable) and n.name in self._heavy for n in below):
                wanted.append(node)
        if not wanted:
            return expr
        for node in wanted:
            if node not in shared:
                shared[node] = self._create(f"{_SHARED_PREFIX}{len(shared)}", node.to_expr()).op()
        return expr.op().replace({n: shared[n] for n in wanted}).to_expr()

    # --- recorded plans for institution-scoped runs -----------------------------------------------------------

    def _build_and_execute(self, build: Build) -> pd.DataFrame:
        return self.execute(build())

    @contextmanager
    def plan(self, key: Hashable, institutions: Sequence[str]) -> Iterator[Runner]:
        """A run limited to `institutions`: yields `run(build)`, which returns the rows of the expression
        `build()` makes. The first run for `key` builds and executes every expression (with shared results)
        and records the SQL, the institution list replaced by a placeholder; later runs for `key` replay the
        recorded SQL for their own institutions, in the same order, without calling `build`. A plan whose
        SQL mentions an institution anywhere but in that list (or reads an in-memory table) is not kept.

        The caller must ask for the same expressions in the same order for the same key (compute does:
        the key holds the catalogue version, the school year and the grains)."""
        institutions = list(institutions)
        # The SQL also depends on which datasets are Parquet views and which are empty tables.
        key = (key, self._layout)
        cached = self._plans.get(key)
        if cached is None and self.plan_dir is not None:
            cached = _load_plan(self.plan_dir, key)
            if cached is not None:
                self._keep(key, cached)
        if cached is not None:
            self._plans.move_to_end(key)
            yield from self._replay(cached, institutions)
            return
        self._recording = []
        try:
            with self.shared_results():
                yield self._build_and_execute
            steps = self._recording
        finally:
            self._recording = None
        template = _template(steps, institutions)
        if template is not None:
            self._keep(key, template)
            if self.plan_dir is not None:
                _save_plan(self.plan_dir, key, template)

    def _keep(self, key: Hashable, plan: tuple[_Step, ...]) -> None:
        self._plans[key] = plan
        while len(self._plans) > _PLAN_CACHE_SIZE:
            self._plans.popitem(last=False)

    def _replay(self, steps: tuple[_Step, ...], institutions: list[str]) -> Iterator[Runner]:
        """Run the recorded statements for `institutions` on a pool of cursors, each as soon as the tables it
        reads are filled (the statements of such a run are many and small: DuckDB spends most of their time
        binding them, one thread each); `run` hands out the query results in the recorded order."""
        values = ", ".join(_quote(v) for v in institutions)
        created = [s.table for s in steps if s.table is not None]
        for step in steps:  # the empty tables first: no catalog changes while statements run in parallel
            if step.create is not None:
                self.con.raw_sql(step.create)
        filled: dict[str, Future[pa.Table | None]] = {}
        local = threading.local()
        # One connection per worker, made here (the connection they come from is not shared across threads).
        spare = [self.con.con.cursor() for _ in range(self.threads)]
        cursors = list(spare)

        def execute(step: _Step, sql: str) -> pa.Table | None:
            for name in step.reads:
                filled[name].result()
            if not hasattr(local, "cursor"):
                local.cursor = spare.pop()  # atomic; each worker thread takes one
            if step.table is not None:
                local.cursor.execute(self._insert_sql(step.table, sql))
                return None
            return local.cursor.sql(sql).to_arrow_table()

        results: list[tuple[Future[pa.Table | None], _Step]] = []
        try:
            with ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="ikms-plan") as pool:
                # Submitted in the recorded order, so every table a statement reads was taken up by a worker
                # before it: a worker waiting for one never waits for work still queued.
                for step in steps:
                    future = pool.submit(execute, step, step.sql.replace(_INSTITUTIONS, values))
                    if step.table is not None:
                        filled[step.table] = future
                    else:
                        results.append((future, step))
                pending = iter(results)

                def run(build: Build) -> pd.DataFrame:
                    future, step = next(pending, (None, None))
                    if future is None or step is None or step.schema is None:
                        raise RuntimeError("the run asked for more results than its recorded plan holds")
                    table = future.result()
                    assert table is not None
                    with quiet_dependencies():
                        return self._frame(table, step.schema)

                yield run
        finally:
            for cursor in cursors:
                cursor.close()
            self._drop(created)


def _template(steps: Sequence[_Step], institutions: Sequence[str]) -> tuple[_Step, ...] | None:
    """The steps with the institution list made a placeholder, or None when that is not safe."""
    if not institutions:
        return None
    listed = _in_list(institutions)
    out = []
    made: set[str] = set()
    for step in steps:
        if "memtable" in step.sql:
            return None
        sql = step.sql.replace(listed, f"IN ({_INSTITUTIONS})")
        if any(_quote(i) in sql for i in institutions):
            return None
        reads = tuple(sorted(n for n in set(_SHARED_NAME.findall(sql)) if n in made))
        out.append(_Step(sql=sql, table=step.table, create=step.create, schema=step.schema, reads=reads))
        if step.table is not None:
            made.add(step.table)
    return tuple(out)


# --- recorded plans on disk ------------------------------------------------------------------------------------

_PLAN_FORMAT = 1
#: The code a plan's SQL comes from: a plan recorded by other code (or other Ibis, sqlglot, DuckDB) is not used.
_PLAN_CODE = ("compile", "engines", "spec")


@functools.cache
def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for folder in _PLAN_CODE:
        for path in sorted((package / folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for module in (ibis, sg, duckdb):
        digest.update(f"{module.__name__}={getattr(module, '__version__', '?')}".encode())
    return digest.hexdigest()


def _plan_path(plan_dir: Path, key: Hashable) -> Path:
    name = hashlib.sha256(f"{_PLAN_FORMAT}|{_code_fingerprint()}|{key!r}".encode()).hexdigest()
    return plan_dir / f"plan-{name[:32]}.json"


def _save_plan(plan_dir: Path, key: Hashable, steps: tuple[_Step, ...]) -> None:
    """Write the plan atomically (a temporary file renamed into place); a failure only loses the cache."""
    data = {"format": _PLAN_FORMAT, "key": repr(key), "steps": [
        {"sql": s.sql, "table": s.table, "create": s.create, "reads": list(s.reads),
         "schema": None if s.schema is None else [[n, str(t)] for n, t in s.schema.items()]} for s in steps]}
    path = _plan_path(plan_dir, key)
    tmp: Path | None = None
    try:
        plan_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=plan_dir, prefix=".tmp-", delete=False) as f:
            tmp = Path(f.name)
            json.dump(data, f)
        os.replace(tmp, path)
    except OSError as exc:
        logger.warning("recorded plan not saved to %s: %s", plan_dir, exc)
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _load_plan(plan_dir: Path, key: Hashable) -> tuple[_Step, ...] | None:
    """The plan saved for `key` by this code, or None (none saved, or unreadable: it is recorded again)."""
    path = _plan_path(plan_dir, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _PLAN_FORMAT or data.get("key") != repr(key):
            return None
        return tuple(_Step(sql=s["sql"], table=s["table"], create=s["create"], reads=tuple(s["reads"]),
                           schema=None if s["schema"] is None
                           else sch.Schema({n: ibis.dtype(t) for n, t in s["schema"]}))
                     for s in data["steps"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("recorded plan %s not used: %s", path.name, exc)
        return None
