"""Validated, pseudonymised, atomic imports of source files into the lake.

`import_file` checks every row of a file in DuckDB SQL and writes one Parquet part only when the
whole file is valid. How it runs:

1. sha256 of the file; a file already in the dataset's manifest is a no-op.
2. Header: missing, unexpected or repeated columns are file-level errors.
3. Excel and Parquet input is read once into an in-memory DuckDB table of text columns (spilling
   to disk is disabled, so clear personal codes never reach a disk; very large files are streamed
   instead). A CSV is streamed from the file by the checks and the write, and read into memory
   only when errors or warnings are listed row by row. A file that names its institutions
   (`institution_name`) has each distinct name matched to the register once (analytics/imports/names.py)
   into the in-memory table `name_matches`, which the checks and the write read.
4. One GROUPING SETS aggregation yields the distinct values (and combinations) of the checked
   columns with their row counts; every row check is counted over those rows, not per row.
5. The distinct personal codes are checked (format, date of birth, check digit) and pseudonymised
   (HMAC in SQL) into the in-memory table `codes`.
6. With any error, a detail pass lists the errors row by row (numbered in file order) and nothing
   is written. Otherwise the part is written (codes replaced by ids via a join) to a `.tmp-*`
   file, its key is checked for duplicates within the file and against the parts already in the
   partition, and the part and the manifest are renamed into place under the dataset lock.
"""

# ruff: noqa: S608  -- SQL is composed from the dataset declarations: identifiers are quoted with q(),
# values are literals made by lit() or bound parameters; nothing from an input file is spliced in.

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from analytics.imports import lake
from analytics.imports.names import InstitutionNames, normalise
from analytics.imports.personal_code import (
    PersonalCodePolicy,
    local_today,
    mask,
    mask_text,
    sql_check_digit_ok,
    sql_digits,
    sql_legacy_birth_date,
)
from analytics.imports.pseudonym import pads, sql_hmac
from analytics.imports.readers import ROW, FileError, Input, detect_format, file_error_from_duckdb, open_input
from analytics.imports.report import ImportReport, Issue, safe_value
from analytics.imports.sources import (
    NAME_INPUT,
    NAME_MATCHES,
    NAME_MUNICIPALITY_INPUT,
    SOURCES,
    SQL_TYPES,
    InputColumn,
    SchoolYear,
    Source,
    lit,
    name_key_sql,
    present,
    q,
    raw,
    row_checks,
    typed_sql,
)

#: Checks of distinct personal codes: (flag column of the codes table, error code).
CODE_CHECKS = ("pc_format", "pc_birth_date", "pc_birth_future", "pc_legacy_too_late", "pc_checksum",
               "pc_checksum_new")
DEFAULT_POLICY = PersonalCodePolicy()


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class ImportEngineError(RuntimeError):
    """An unexpected failure of the database engine (nothing was written; the message is masked)."""


@dataclass(frozen=True)
class _Check:
    """A check as the detail pass sees it: an SQL condition over relation `j` and how to report it."""

    column: str
    code: str
    sql: str
    params: dict[str, object]


class _Progress:
    """A tqdm bar over the phases of an import, advanced by DuckDB's own query progress."""

    PHASES = {"read": 30.0, "scan": 15.0, "codes": 5.0, "write": 45.0, "commit": 5.0}

    def __init__(self, enabled: bool, label: str) -> None:
        self.bar: Any = None
        self.done = 0.0
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=100, desc=label, unit="%", bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f}% {postfix}")

    def run(self, con: duckdb.DuckDBPyConnection, phase: str, fn: Callable[[], Any]) -> Any:
        if self.bar is None:
            return fn()
        weight = self.PHASES.get(phase, 0.0)
        result: dict[str, Any] = {}

        def target() -> None:
            try:
                result["value"] = fn()
            except BaseException as exc:  # re-raised in the caller's thread
                result["error"] = exc

        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        self.bar.set_postfix_str(phase)
        while worker.is_alive():
            worker.join(0.25)
            pct = con.query_progress()
            if pct >= 0:
                self.bar.n = min(100.0, self.done + weight * pct / 100)
                self.bar.refresh()
        self.done += weight
        self.bar.n = min(100.0, self.done)
        self.bar.refresh()
        if "error" in result:
            raise result["error"]
        return result.get("value")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _connect(threads: int | None) -> duckdb.DuckDBPyConnection:
    # temp_directory '' disables spilling: intermediate data (with clear codes) stays in memory.
    config: dict[str, Any] = {"temp_directory": ""}
    if threads:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    return con


def _load_set(con: duckdb.DuckDBPyConnection, name: str, values: set[str]) -> None:
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT DISTINCT unnest($values::VARCHAR[]) AS v",
                {"values": sorted(values)})


class _Importer:
    def __init__(self, src: Source, path: Path, *, lake_root: Path, year: SchoolYear, report: ImportReport,
                 known_institutions: set[str], known_programmes: set[str], pseudonym_key: bytes,
                 policy: PersonalCodePolicy, max_errors: int, threads: int | None, today: datetime.date,
                 progress: _Progress, covers: str | list[str] = "rows", names: InstitutionNames | None = None) -> None:
        self.covers = covers
        self.names = names
        #: Ambiguous (name, municipality) keys of the file -> the candidates' registration numbers.
        self.candidates: dict[str, tuple[str, ...]] = {}
        self.path = path
        self.lake_root = lake_root
        self.year = year
        self.report = report
        self.known_institutions = known_institutions
        self.known_programmes = known_programmes
        self.ipad, self.opad = pads(pseudonym_key)
        self.policy = policy
        self.max_errors = max_errors
        self.threads = threads
        self.today = today
        self.progress = progress
        self.dataset_dir = lake_root / src.name
        self.partition = self.dataset_dir / year.partition
        self._use(src)
        self.inp: Input | None = None
        self._materialized: Input | None = None

    def _use(self, src: Source) -> None:
        """Import with these input columns (the source as declared, or its `by_name` variant)."""
        self.src = src
        self.person = src.person
        self.checks = row_checks(src, self.year)

    def _choose_columns(self, header: list[str]) -> None:
        """A file that names its institutions (`institution_name` instead of `institution`) is read with the
        source's `by_name` columns. Optional columns the header lacks are left out (written as null)."""
        present = self.src.present_in(header)
        if present is not self.src:
            self._use(present)
        if NAME_INPUT not in header:
            return
        if "institution" in header:
            raise FileError(Issue.of("institution_and_name"))
        by_name = self.src.by_name(municipality=NAME_MUNICIPALITY_INPUT in header)
        if by_name is None:
            return  # no institution column: `institution_name` is reported as an unexpected column
        if self.names is None:
            raise FileError(Issue.of("names_not_available"))
        self._use(by_name)

    def _match_names(self, con: duckdb.DuckDBPyConnection, inp: Input) -> None:
        """Match each distinct (institution name, municipality) of the file to the register, into the in-memory
        table `name_matches` (k, status, reg) that the checks and the write read."""
        names, muni = self.src.names, self.src.name_municipality
        assert names is not None
        assert self.names is not None
        municipality = raw(muni) if muni is not None else "NULL"
        rows = con.execute(f"SELECT DISTINCT {name_key_sql(self.src)}, {raw(names)}, {municipality} "
                           f"FROM {inp.relation} t WHERE {present(raw(names))}").fetchall()
        keys, statuses, numbers = [], [], []
        for key, name, place in rows:
            if not normalise(name):
                continue  # blank: reported as a missing required value
            found = self.names.match(name, place)
            keys.append(key)
            statuses.append(found.status)
            numbers.append(found.registration_number)
            if found.status == "ambiguous":
                self.candidates[key] = found.candidates
        con.register("_name_matches", pa.table({"k": pa.array(keys, pa.string()),
                                                "status": pa.array(statuses, pa.string()),
                                                "reg": pa.array(numbers, pa.string())}))
        con.execute(f"CREATE TEMP TABLE {NAME_MATCHES} AS SELECT * FROM _name_matches")
        con.unregister("_name_matches")

    # --- Reading ---------------------------------------------------------------------------

    def _materialize(self, con: duckdb.DuckDBPyConnection, inp: Input) -> Input:
        """Read the file once into an in-memory table of text columns (spilling is disabled, so it
        never reaches a disk); every later pass reads memory instead of parsing the file again.
        Files too large for a fifth of the machine's memory are streamed from the file each pass."""
        if self._materialized is not None:
            return self._materialized
        self._materialized = inp
        if self.path.stat().st_size > _memory_budget():
            return inp
        sql = f"CREATE TEMP TABLE src AS SELECT * FROM {inp.relation} t"
        try:
            self.progress.run(con, "read", lambda: con.execute(sql))
        except duckdb.OutOfMemoryException:
            con.execute("DROP TABLE IF EXISTS src")
            return inp
        # Insertion order is preserved, so rowid follows the file order.
        relation = "src" if inp.has_row_column else f"(SELECT rowid + 1 AS {q(ROW)}, * FROM src)"
        self._materialized = Input(inp.format, inp.header, relation, has_row_column=True, delimiter=inp.delimiter)
        return self._materialized

    # --- Scan 1 ------------------------------------------------------------------------------

    def _grouping_sets(self) -> list[tuple[str, ...]]:
        """The column sets scan 1 groups by: the person column alone, and the largest column sets
        the checks read (a check is evaluated on any set that contains its columns)."""
        order = {c.name: i for i, c in enumerate(self.src.columns)}
        wanted = {tuple(sorted(set(c.columns), key=order.__getitem__)) for c in self.checks if c.columns}
        sets = [s for s in wanted if not any(set(s) < set(o) for o in wanted)]
        if self.person:
            sets = [s for s in sets if s != (self.person.name,)]
            sets.insert(0, (self.person.name,))
        if not sets:
            sets = [(self.src.columns[0].name,)]
        return sorted(sets, key=lambda s: [order[c] for c in s])

    def _scan1(self, con: duckdb.DuckDBPyConnection, inp: Input) -> dict[str, int]:
        """One parallel pass: the file grouped by each grouping set (distinct values and combinations
        with their row counts, table `agg`); every check is then counted over those few rows."""
        sets = self._grouping_sets()
        grouped = [c.name for c in self.src.columns if any(c.name in s for s in sets)]
        gids = {s: sum(1 << (len(grouped) - 1 - i) for i, name in enumerate(grouped) if name not in s) for s in sets}
        cols = ", ".join(raw(n) for n in grouped)
        spec = ", ".join("(" + ", ".join(raw(n) for n in s) + ")" for s in sets)
        sql = (f"CREATE TEMP TABLE agg AS SELECT GROUPING({cols}) AS __gid, {cols}, count(*) AS __n "
               f"FROM {inp.relation} t GROUP BY GROUPING SETS ({spec})")
        self.progress.run(con, "scan", lambda: con.execute(sql))
        if self.person:
            con.execute(f"CREATE TEMP VIEW person_groups AS SELECT {q(self.person.name)} AS g, __n AS n FROM agg "
                        f"WHERE __gid = {gids[sets[0]]}")
        sums = [f"sum(__n) FILTER (WHERE __gid = {gids[sets[0]]})"]
        for c in self.checks:
            target = next(s for s in sets if set(c.columns) <= set(s))
            sums.append(f"sum(__n) FILTER (WHERE __gid = {gids[target]} AND ({c.sql}))")
        row = con.execute(f"SELECT {', '.join(f'coalesce({x}, 0)' for x in sums)} FROM agg t").fetchone()
        assert row is not None
        counts = {"rows": int(row[0])}
        for i in range(len(self.checks)):
            counts[f"c{i}"] = int(row[1 + i])
        return counts

    def _codes(self, con: duckdb.DuckDBPyConnection) -> None:
        """Check and pseudonymise each distinct personal code (table `codes`, in memory)."""
        sql = codes_table_sql(self.policy, self.today)
        self.progress.run(con, "codes", lambda: con.execute(sql, {"ipad": self.ipad, "opad": self.opad}))

    def _code_severity(self, flag: str) -> str:
        if flag == "pc_checksum_new":
            return self.policy.new_code_checksum
        return "error"

    # --- Detail pass (only when there are errors or warnings) ----------------------------------

    def _detail_relation(self, con: duckdb.DuckDBPyConnection, inp: Input, *, with_lake: bool) -> str:
        """SQL of relation `j`: raw columns, row numbers, code flags and ids, duplicate info."""
        row = f"t.{q(ROW)}" if inp.has_row_column else "row_number() OVER ()"
        cols = ", ".join(raw(c) for c in self.src.columns)
        s = f"(SELECT {row} AS {q(ROW)}, {cols} FROM {inp.relation} t)"
        joins, extra = "", []
        if self.src.names is not None:
            joins += f" LEFT JOIN {NAME_MATCHES} nm ON nm.k = {name_key_sql(self.src)}"
        if self.person:
            joins += f" LEFT JOIN codes c ON c.raw = t.{q(self.person.name)}"
            extra += [f"c.{f} AS __{f}" for f in CODE_CHECKS] + ["c.norm AS __norm", "c.pid AS __pid"]
        if self.src.key:
            # The key as written (pseudonym-equivalent digits, trimmed text), so that it matches the
            # duplicate count made on the written part.
            keys = [f"coalesce(c.norm, {raw(k)})" if k is self.person else
                    f"coalesce(nm.reg, {name_key_sql(self.src)})" if k.kind == "institution_name" else
                    f"coalesce({_try_typed(k)}::VARCHAR, {raw(k)})" for k in self.src.key]
            part = ", ".join(keys)
            extra += [f"count(*) OVER (PARTITION BY {part}) AS __n",
                      f"min(t.{q(ROW)}) OVER (PARTITION BY {part}) AS __first"]
            if with_lake:
                conds = []
                for k in self.src.key:
                    mine = "c.pid" if k is self.person else "nm.reg" if k.kind == "institution_name" else _try_typed(k)
                    conds.append(f"l.{q(k.column.name)} = {mine}")
                joins += f" LEFT JOIN lake_keys l ON {' AND '.join(conds)}"
                extra.append(f"l.{q(self.src.key[0].column.name)} IS NOT NULL AS __in_lake")
        sel = ", ".join(["t.*", *extra])
        return f"(SELECT {sel} FROM {s} t{joins})"

    def _detail_checks(self, *, with_lake: bool) -> list[_Check]:
        out = [_Check(c.column, c.code, c.sql, c.params) for c in self.checks]
        if self.person:
            for flag in CODE_CHECKS:
                if self._code_severity(flag) == "error":
                    out.append(_Check(self.person.name, flag, f"t.__{flag}", {}))
        if self.src.key:
            out.append(_Check(self.src.key[0].name, "duplicate_in_file", f"(t.__n > 1 AND t.{q(ROW)} > t.__first)", {}))
            if with_lake:
                out.append(_Check(self.src.key[0].name, "duplicate_in_lake", "t.__in_lake", {}))
        return out

    def _name_key(self, values: dict[str, Any]) -> str:
        """The `name_matches` key of a row's raw values (as name_key_sql makes it)."""
        names, muni = self.src.names, self.src.name_municipality
        assert names is not None
        place = values.get(muni.name) if muni is not None else None
        return f"{values.get(names.name) or ''}\x1f{place or ''}"

    def _key_text(self, values: dict[str, Any]) -> str:
        parts = []
        for k in self.src.key:
            v = values.get(k.name)
            parts.append(mask(str(v)) if k is self.person and v is not None else str(v))
        return " | ".join(parts)

    def _detail(self, con: duckdb.DuckDBPyConnection, inp: Input, *, with_lake: bool) -> bool:
        """List the errors row by row into the report (rejecting it); False when there are none."""
        inp = self._materialize(con, inp)  # row by row: read the file into memory now (error path only)
        with _single_thread(con, enabled=not inp.has_row_column):  # row_number() OVER () in file order
            return self._detail_run(con, inp, with_lake=with_lake)

    def _detail_run(self, con: duckdb.DuckDBPyConnection, inp: Input, *, with_lake: bool) -> bool:
        if with_lake:
            self._load_lake_keys(con)
        rel = self._detail_relation(con, inp, with_lake=with_lake)
        checks = self._detail_checks(with_lake=with_lake)
        counts_sql = ", ".join(f"count_if({c.sql})" for c in checks)
        counts_row = con.execute(f"SELECT {counts_sql} FROM {rel} t").fetchone()
        assert counts_row is not None
        counts: dict[str, int] = {}
        for c, n in zip(checks, counts_row, strict=True):
            if n:
                key = f"{c.column}:{c.code}"
                counts[key] = counts.get(key, 0) + int(n)
        total = sum(counts.values())
        failed = "list_filter([" + ", ".join(f"CASE WHEN {c.sql} THEN {i} END" for i, c in enumerate(checks)) + \
            "], lambda x: x IS NOT NULL)"
        any_failed = " OR ".join(f"coalesce({c.sql}, false)" for c in checks)
        names = [c.name for c in self.src.columns]
        first = ", t.__first" if self.src.key else ", NULL"
        rows = con.execute(
            f"SELECT t.{q(ROW)}, {', '.join(f't.{q(n)}' for n in names)}{first}, {failed} FROM {rel} t "
            f"WHERE {any_failed} ORDER BY t.{q(ROW)} LIMIT {int(self.max_errors)}").fetchall()
        issues: list[Issue] = []
        for r in rows:
            values = dict(zip(names, r[1:1 + len(names)], strict=True))
            first_row = r[1 + len(names)]
            for i in r[-1]:
                c = checks[i]
                value = values.get(c.column)
                shown = mask(str(value)) if self.person and c.column == self.person.name and value is not None \
                    else safe_value(value)
                params = dict(c.params)
                if c.code == "ambiguous_institution_name":
                    params["candidates"] = ", ".join(self.candidates.get(self._name_key(values), ()))
                if c.code in ("duplicate_in_file", "duplicate_in_lake"):
                    shown = safe_value(self._key_text(values))
                    params.update(key=", ".join(k.name for k in self.src.key), first=first_row, year=self.year.label)
                issues.append(Issue.of(c.code, row=int(r[0]), column=c.column, value=shown, **params))
                if len(issues) >= self.max_errors:
                    break
            if len(issues) >= self.max_errors:
                break
        if not issues:
            return False  # a hash collision made scan 1 suspect a duplicate: no real error
        self.report.reject(issues, total=total, counts=counts)
        return True

    def _warnings(self, con: duckdb.DuckDBPyConnection, inp: Input) -> None:
        """New-format codes whose check digit fails, as warnings (the rows are imported)."""
        if not self.person or self.policy.new_code_checksum != "warning":
            return
        total_row = con.execute("SELECT coalesce(sum(n), 0) FROM codes WHERE pc_checksum_new").fetchone()
        total = int(total_row[0]) if total_row else 0
        if not total:
            return
        inp = self._materialize(con, inp)
        row = f"t.{q(ROW)}" if inp.has_row_column else "row_number() OVER ()"
        pc = q(self.person.name)
        with _single_thread(con, enabled=not inp.has_row_column):
            rows = con.execute(
                f"SELECT s.r, s.v FROM (SELECT {row} AS r, t.{pc} AS v FROM {inp.relation} t) s "
                f"JOIN codes c ON c.raw = s.v WHERE c.pc_checksum_new ORDER BY s.r "
                f"LIMIT {int(self.max_errors)}").fetchall()
        self.report.warnings = [Issue.of("pc_checksum_new", row=int(r), column=self.person.name, value=mask(str(v)))
                                for r, v in rows]
        self.report.warning_count = total

    # --- Writing -----------------------------------------------------------------------------

    def _output_sql(self, inp: Input) -> str:
        # Integers and dates of a CSV are parsed by the CSV reader (they passed the stricter checks).
        native = {c.name: c.sql_type for c in self.src.columns if c.kind in ("int", "date")}
        relation = inp.typed_relation(native)
        outs: dict[str, str] = {}
        for col in self.src.columns:
            if col.kind == "name_municipality":
                continue  # narrows the name matching only; the lake has the registration number
            if col.kind == "person":
                expr = "c.pid"
            elif col.kind == "institution_name":
                expr = "nm.reg"
            elif relation is not None and col.name in native:
                expr = raw(col)
            else:
                expr = typed_sql(col)
            outs[col.column.name] = f"{expr} AS {q(col.column.name)}"
        # In the dataset's column order; an optional column the file lacks is null.
        selected = [outs.get(c.name, f"CAST(NULL AS {SQL_TYPES[c.type]}) AS {q(c.name)}")
                    for c in self.src.dataset.columns if c.name in outs or c.optional]
        join = f" JOIN codes c ON c.raw = t.{q(self.person.name)}" if self.person else ""
        if self.src.names is not None:
            join += f" JOIN {NAME_MATCHES} nm ON nm.k = {name_key_sql(self.src)} AND nm.status = 'ok'"
        return f"SELECT {', '.join(selected)} FROM {relation or inp.relation} t{join}"

    def _write(self, con: duckdb.DuckDBPyConnection, inp: Input, tmp: Path) -> None:
        sql = (f"COPY ({self._output_sql(inp)}) TO {lit(str(tmp))} "
               f"(FORMAT parquet, COMPRESSION snappy)")
        self.progress.run(con, "write", lambda: con.execute(sql))

    def _covered(self, con: duckdb.DuckDBPyConnection, tmp: Path) -> list[str]:
        """The institutions this file is a receipt for (analytics/lake/coverage.py): those with rows in it,
        plus every known institution for a complete extract (`all`) or the ones listed."""
        if not any(c.name == "institution" for c in self.src.dataset.columns):
            return [""]
        rows = {str(r[0]) for r in con.execute(
            f"SELECT DISTINCT institution FROM read_parquet({lit(str(tmp))})").fetchall() if r[0] is not None}
        if self.covers == "all":
            rows |= set(self.known_institutions)
        elif isinstance(self.covers, list):
            rows |= set(self.covers)
        return sorted(rows)

    def _parts_sql(self) -> str:
        parts = lake.visible_parts(self.partition)
        return f"read_parquet([{', '.join(lit(str(p)) for p in parts)}], union_by_name = true)"

    def _load_lake_keys(self, con: duckdb.DuckDBPyConnection) -> None:
        cols = ", ".join(q(k.column.name) for k in self.src.key)
        con.execute(f"CREATE OR REPLACE TEMP TABLE lake_keys AS SELECT DISTINCT {cols} FROM {self._parts_sql()}")

    def _duplicates(self, con: duckdb.DuckDBPyConnection, tmp: Path) -> tuple[int, int]:
        """(rows repeating a key within the file, rows whose key is already in the partition), from
        the written part: keys hold pseudonyms there, so two spellings of one code compare equal.
        Within the file a 64-bit hash of the key is compared; the detail pass confirms exactly."""
        if not self.src.key:
            return 0, 0
        names = [q(k.column.name) for k in self.src.key]
        row = con.execute(f"SELECT count(*) - count(DISTINCT hash({', '.join(names)})) "
                          f"FROM read_parquet({lit(str(tmp))})").fetchone()
        in_file = int(row[0]) if row else 0
        if not lake.visible_parts(self.partition):
            return in_file, 0
        conds = " AND ".join(f"e.{n} = n.{n}" for n in names)
        row = con.execute(f"SELECT count(*) FROM read_parquet({lit(str(tmp))}) n "
                          f"WHERE EXISTS (SELECT 1 FROM {self._parts_sql()} e WHERE {conds})").fetchone()
        return in_file, int(row[0]) if row else 0

    # --- The whole import ----------------------------------------------------------------------

    def run(self, con: duckdb.DuckDBPyConnection, digest: str) -> ImportReport:
        report = self.report
        inp = open_input(self.path, detect_format(self.path), con)
        self.inp = inp
        self._choose_columns(inp.header)
        _check_header(self.src, inp)
        _load_set(con, "known_institutions", self.known_institutions)
        _load_set(con, "known_programmes", self.known_programmes)
        try:
            if inp.format != "csv":
                # A CSV is parsed by DuckDB in parallel straight from the file: the checks stream it
                # (one parse), and it is read into memory only for a row-by-row listing of errors.
                inp = self._materialize(con, inp)
            if self.src.names is not None:
                self._match_names(con, inp)
            counts = self._scan1(con, inp)
        except duckdb.Error as exc:
            raise FileError(file_error_from_duckdb(exc, self.inp, self.path)) from None
        report.rows = counts["rows"]
        if report.rows == 0:
            return report.reject([Issue.of("no_rows")])
        code_errors = 0
        if self.person:
            self._codes(con)
            flags = [f for f in CODE_CHECKS if self._code_severity(f) == "error"]
            row = con.execute(f"SELECT coalesce(sum(n) FILTER ({' OR '.join(flags)}), 0) FROM codes").fetchone()
            code_errors = int(row[0]) if row else 0
        row_errors = sum(v for k, v in counts.items() if k.startswith("c"))
        with_lake = bool(self.src.key) and bool(lake.visible_parts(self.partition))
        if (row_errors or code_errors) and self._detail(con, inp, with_lake=with_lake):
            return report
        self._warnings(con, inp)
        created = [d for d in (self.lake_root, self.dataset_dir, self.partition) if not d.exists()]
        try:
            with lake.dataset_lock(self.dataset_dir):
                lake.remove_stale_tmp(self.dataset_dir)
                manifest = lake.read_manifest(self.dataset_dir, self.src.name)
                if _previous_import(report, manifest, digest, self.year, self.lake_root):
                    return report  # the same file was committed meanwhile by another process
                return self._store(con, inp, manifest, digest)
        finally:
            if report.status != "imported":  # a rejected file leaves no trace, not even empty folders
                for folder in reversed(created):
                    with contextlib.suppress(OSError):
                        folder.rmdir()

    def _store(self, con: duckdb.DuckDBPyConnection, inp: Input, manifest: dict[str, Any],
               digest: str) -> ImportReport:
        """Write the part to a temp file, check keys against the file and the lake, commit (lock held)."""
        report = self.report
        self.partition.mkdir(parents=True, exist_ok=True)
        tmp = lake.tmp_path(self.partition, digest[:16])
        tmp_manifest: Path | None = None
        try:
            self._write(con, inp, tmp)
            in_file, in_lake = self._duplicates(con, tmp)
            if (in_file or in_lake) and self._detail(con, inp, with_lake=bool(in_lake)):
                return report
            part = self.partition / lake.part_name(digest)
            report.part = str(part.relative_to(self.lake_root))
            covered = self._covered(con, tmp)
            entry = {"sha256": digest, "part": report.part, "school_year": self.year.label, "rows": report.rows,
                     "as_of": report.as_of.isoformat() if report.as_of else None,
                     "imported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                     "source_file": report.file_name, "format": inp.format, "warnings": report.warning_count,
                     "covers": covered, "covers_mode": "all" if self.covers == "all" else (
                         "rows" if self.covers == "rows" else "listed")}
            report.covered = len(covered)
            manifest["files"].append(entry)
            tmp_manifest = lake.prepare_manifest(self.dataset_dir, manifest)
            self.progress.run(con, "commit", lambda: lake.commit(tmp, part, tmp_manifest, self.dataset_dir))
            report.status = "imported"
            return report
        finally:
            tmp.unlink(missing_ok=True)
            if tmp_manifest is not None:
                tmp_manifest.unlink(missing_ok=True)


def _previous_import(report: ImportReport, manifest: dict[str, Any], digest: str, year: SchoolYear,
                     lake_root: Path) -> bool:
    """Fill in the report if this file content is already in the lake; True when nothing is left to do.

    A part without a manifest entry was committed by an import killed between its two renames: it
    is complete (renamed atomically), so it is recorded in the manifest ("adopted"). Call with the
    dataset lock held when adoption is possible (it writes the manifest)."""
    entry = lake.find_entry(manifest, digest)
    if entry is not None:
        if entry.get("school_year") != year.label:
            report.reject([Issue.of("imported_other_year", year=entry.get("school_year"))])
            return True
        report.status, report.rows, report.part = "already_imported", int(entry.get("rows", 0)), entry["part"]
        return True
    dataset_dir = lake_root / report.source
    part = dataset_dir / year.partition / lake.part_name(digest)
    if not part.exists():
        return False
    import pyarrow.parquet as pq

    report.rows = pq.ParquetFile(part).metadata.num_rows
    report.part = str(part.relative_to(lake_root))
    manifest["files"].append({"sha256": digest, "part": report.part, "school_year": year.label,
                              "rows": report.rows, "as_of": None, "adopted": True,
                              "imported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                              "source_file": report.file_name})
    lake.write_manifest(dataset_dir, manifest)
    report.status = "already_imported"
    return True


def codes_table_sql(policy: PersonalCodePolicy, today: datetime.date, groups: str = "person_groups") -> str:
    """SQL creating table `codes` from `groups` (g = raw code, n = rows): the normalised digits, one
    boolean per check of CODE_CHECKS, and the pseudonymous id (parameters $ipad and $opad)."""
    legacy = "NOT starts_with(norm, '32')"
    latest = lit(policy.legacy_latest_birth_date) if policy.legacy_latest_birth_date else "NULL::DATE"
    new_check = "false" if policy.new_code_checksum == "ignore" else \
        f"(starts_with(norm, '32') AND NOT {sql_check_digit_ok('norm', accept_ten_as_zero=True)})"
    legacy_check = "false" if not policy.legacy_checksum else \
        f"({legacy} AND born IS NOT NULL AND NOT " \
        f"{sql_check_digit_ok('norm', accept_ten_as_zero=policy.accept_ten_as_zero)})"
    return f"""
        CREATE TEMP TABLE codes AS
        WITH a AS (SELECT g AS raw, n, {sql_digits('g')} AS norm FROM {groups} WHERE g IS NOT NULL AND g <> ''),
             b AS (SELECT *, CASE WHEN norm IS NOT NULL THEN {sql_legacy_birth_date('norm')} END AS born FROM a)
        SELECT raw, n, norm,
               norm IS NULL AS pc_format,
               coalesce(norm IS NOT NULL AND {legacy} AND born IS NULL, false) AS pc_birth_date,
               coalesce(born > {lit(today)}, false) AS pc_birth_future,
               coalesce(born <= {lit(today)} AND born > {latest}, false) AS pc_legacy_too_late,
               coalesce({legacy_check}, false) AS pc_checksum,
               coalesce({new_check}, false) AS pc_checksum_new,
               CASE WHEN norm IS NOT NULL THEN {sql_hmac('norm')} END AS pid
        FROM b"""


def check_codes(codes: list[str], *, pseudonym_key: bytes, policy: PersonalCodePolicy = DEFAULT_POLICY,
                today: datetime.date | None = None) -> dict[str, tuple[list[str], str | None]]:
    """The SQL checks and ids of some codes: code → (failed checks, pseudonymous id). The same SQL
    as imports; used to test it against the Python reference in personal_code."""
    con = _connect(None)
    try:
        con.register("code_input", pa.table({"g": pa.array(codes, pa.string())}))
        con.execute("CREATE TEMP VIEW person_groups AS SELECT g, 1 AS n FROM code_input")
        ipad, opad = pads(pseudonym_key)
        con.execute(codes_table_sql(policy, today or local_today()), {"ipad": ipad, "opad": opad})
        rows = con.execute(f"SELECT raw, {', '.join(CODE_CHECKS)}, pid FROM codes").fetchall()
    finally:
        con.close()
    return {r[0]: ([f for f, v in zip(CODE_CHECKS, r[1:-1], strict=True) if v], r[-1]) for r in rows}


def _try_typed(col: InputColumn) -> str:
    """typed_sql with TRY_CAST: invalid values become NULL instead of failing the query."""
    return typed_sql(col).replace("CAST(", "TRY_CAST(")


def _memory_budget() -> int:
    """Bytes of input a materialised import may hold: a fifth of physical memory."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 5)
    except (ValueError, OSError, AttributeError):
        return 1 << 30


@contextlib.contextmanager
def _single_thread(con: duckdb.DuckDBPyConnection, *, enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    row = con.execute("SELECT current_setting('threads')").fetchone()
    before = int(row[0]) if row else 1
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {before}")


def _check_header(src: Source, inp: Input) -> None:
    expected = list(src.input_names)
    missing = [c for c in expected if c not in inp.header]
    extra = [c for c in inp.header if c not in expected]
    if missing and extra:
        raise FileError(Issue.of("columns_mismatch", missing=", ".join(missing),
                                 extra=", ".join(safe_value(c) or "" for c in extra), allowed=", ".join(expected)))
    if missing:
        raise FileError(Issue.of("missing_columns", columns=", ".join(missing)))
    if extra:
        raise FileError(Issue.of("extra_columns", columns=", ".join(safe_value(c) or "" for c in extra),
                                 allowed=", ".join(expected)))


def import_file(source: str, path: Path, *, lake_root: Path, school_year: str, known_institutions: set[str],
                known_programmes: set[str], pseudonym_key: bytes, progress: bool = False,
                as_of: datetime.date | None = None, code_policy: PersonalCodePolicy = DEFAULT_POLICY,
                max_errors: int = 1000, threads: int | None = None,
                today: datetime.date | None = None, covers: str | list[str] = "rows",
                institution_names: Iterable[tuple[str, str, str]] | None = None,
                municipality_names: Mapping[str, Iterable[str]] | None = None) -> ImportReport:
    """Validate a source file, pseudonymise its personal codes and add it to the lake partition.

    Returns an ImportReport: ``imported``, ``already_imported`` (same file content already in the
    manifest: nothing done) or ``rejected`` (nothing written; ``errors`` lists the problems by row,
    column and value, in Latvian and English, with personal codes masked). ``as_of`` (default:
    today) is recorded in the manifest as the date the data describe.

    ``covers`` says which institutions the file is a receipt for (analytics/lake/coverage.py): ``"rows"``
    (default) those with rows in it; ``"all"`` every known institution (a complete national extract, in
    which an institution without rows had nothing to report); or a list of registration numbers (which
    must all be known institutions).

    ``institution_names``: the register as (registration number, name, municipality code) triples, so that a
    file may name its institutions (`institution_name`, and `municipality` where names repeat) instead of
    giving their registration numbers; only those in ``known_institutions`` are matched.
    ``municipality_names`` (municipality code -> its names) lets `municipality` be a name as well as a code.
    Matching: analytics/imports/names.py; unmatched and ambiguous names are row errors, never guessed."""
    started = time.perf_counter()
    path = Path(path)
    lake_root = Path(lake_root)
    today = today or local_today()
    report = ImportReport(source=source, file_name=safe_value(path.name) or "", school_year=school_year,
                          as_of=as_of or today)
    src = SOURCES.get(source)
    if src is None:
        return report.reject([Issue.of("unknown_source", source=safe_value(source), sources=", ".join(SOURCES))])
    year = SchoolYear.parse(school_year)
    if year is None:
        return report.reject([Issue.of("bad_school_year")])
    report.school_year = year.label
    if not path.is_file():
        return report.reject([Issue.of("file_not_found")])
    try:
        detect_format(path)
    except FileError as exc:
        return report.reject([exc.issue])
    if isinstance(covers, list):
        unknown = sorted(set(covers) - set(known_institutions))
        if unknown:
            return report.reject([Issue.of("unknown_covered", institutions=", ".join(unknown[:20]))])
    elif covers not in ("rows", "all"):
        return report.reject([Issue.of("bad_covers")])
    names = None
    if institution_names is not None:
        known = set(known_institutions)
        names = InstitutionNames(((n, name, m) for n, name, m in institution_names if n in known),
                                 municipality_names)
    report.file_sha256 = digest = file_sha256(path)
    dataset_dir = lake_root / src.name
    bar = _Progress(progress, f"{source} ← {report.file_name}")
    try:
        # Cheap answer for a re-import, before any work (checked again under the lock before writing).
        if (dataset_dir / lake.MANIFEST).exists() or (dataset_dir / year.partition / lake.part_name(digest)).exists():
            with lake.dataset_lock(dataset_dir):
                lake.remove_stale_tmp(dataset_dir)
                if _previous_import(report, lake.read_manifest(dataset_dir, src.name), digest, year, lake_root):
                    return report
        con = _connect(threads)
        try:
            importer = _Importer(src, path, lake_root=lake_root, year=year, report=report,
                                 known_institutions=known_institutions, known_programmes=known_programmes,
                                 pseudonym_key=pseudonym_key, policy=code_policy, max_errors=max_errors,
                                 threads=threads, today=today, progress=bar, covers=covers, names=names)
            return importer.run(con, digest)
        except FileError as exc:
            return report.reject([exc.issue])
        except duckdb.Error as exc:  # unexpected: never pass on DuckDB's text, it may quote values
            raise ImportEngineError(mask_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)) from None
        finally:
            con.close()
    finally:
        bar.close()
        report.duration_s = time.perf_counter() - started
