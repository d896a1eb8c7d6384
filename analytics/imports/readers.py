"""Reading input files as a DuckDB relation of text columns, named as in the header.

* CSV (``.csv``): UTF-8 (a byte-order mark is allowed), comma or semicolon, header row, double quotes.
  DuckDB reads it straight from the source file (nothing is copied); every value is read as text.
* Excel (``.xlsx``): the first sheet, header in row 1; read with openpyxl into an in-memory Arrow table.
* Parquet (``.parquet``): any column types; each value is cast to text (dates as YYYY-MM-DD).

The relation always yields text, so type errors are found by the row checks and reported per row.
Row numbers: 1 is the first data row below the header (in Excel, sheet row 2)."""

# ruff: noqa: S608  -- SQL is composed from the dataset declarations: identifiers are quoted with q(),
# values are literals made by lit() or bound parameters; nothing from an input file is spliced in.

from __future__ import annotations

import codecs
import csv
import datetime
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

from analytics.imports.personal_code import mask_text
from analytics.imports.report import Issue
from analytics.imports.sources import lit, q

Format = Literal["csv", "xlsx", "parquet"]
FORMATS: dict[str, Format] = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
ROW = "__row"
HEADER_MAX_BYTES = 1 << 20
_LINE_RE = re.compile(r"CSV Error on Line: (\d+)")


class FileError(Exception):
    """A problem with the whole file: nothing can be checked row by row."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


@dataclass
class Input:
    format: Format
    header: list[str]  # canonical (lower-case, trimmed) names in file order
    relation: str  # SQL FROM item yielding one VARCHAR column per header name
    has_row_column: bool  # the relation carries "__row"; else rows are numbered in file order (CSV)
    arrow: pa.Table | None = None  # Excel data, registered with DuckDB under ARROW_NAME
    delimiter: str = ","
    path: Path | None = None

    def typed_relation(self, types: dict[str, str]) -> str | None:
        """CSV only: the relation with some columns parsed by DuckDB's CSV reader itself (much faster
        than text plus CAST). Used to write a file whose values have all been checked already."""
        if self.format != "csv" or self.path is None:
            return None
        return _csv_relation(self.path, self.header, self.delimiter, types)


ARROW_NAME = "xlsx_input"


def detect_format(path: Path) -> Format:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FileError(Issue.of("unsupported_format", ext=path.suffix or "—"))
    return fmt


def _canonical(names: list[str]) -> list[str]:
    out = [n.strip().lstrip("\ufeff").strip().lower() for n in names]
    while out and out[-1] == "":
        out.pop()
    for name in out:
        if out.count(name) > 1:
            raise FileError(Issue.of("duplicate_columns", column=name))
    return out


def first_bad_utf8_line(path: Path) -> int:
    """The 1-based line of the first byte sequence that is not UTF-8 (error path only)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + chunk[: exc.start].count(b"\n")
            line += chunk.count(b"\n")
    return line


def open_csv(path: Path) -> Input:
    with path.open("rb") as fh:
        head = fh.read(HEADER_MAX_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    first, _, _ = head.partition(b"\n")
    first = first.rstrip(b"\r")
    if not first.strip():
        raise FileError(Issue.of("empty_file"))
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise FileError(Issue.of("encoding", line=1)) from None
    delimiter = ";" if text.count(";") > text.count(",") else ","
    header = _canonical(next(csv.reader([text], delimiter=delimiter)))
    relation = _csv_relation(path, header, delimiter, {})
    return Input("csv", header, relation, has_row_column=False, delimiter=delimiter, path=path)


def _csv_relation(path: Path, header: list[str], delimiter: str, types: dict[str, str]) -> str:
    columns = ", ".join(f"{lit(name)}: {lit(types.get(name, 'VARCHAR'))}" for name in header)
    return (f"read_csv({lit(str(path))}, header = true, auto_detect = false, delim = {lit(delimiter)}, "
            f"quote = '\"', escape = '\"', columns = {{{columns}}}, strict_mode = true, "
            f"dateformat = '%Y-%m-%d')")


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def open_xlsx(path: Path) -> Input:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileError(Issue.of("unreadable_xlsx")) from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or all(v is None for v in first):
            raise FileError(Issue.of("empty_file"))
        header = _canonical([_cell(v) or "" for v in first])
        width = len(header)
        cols: list[list[str | None]] = [[] for _ in header]
        numbers: list[int] = []
        for index, values in enumerate(rows, start=1):
            if all(v is None for v in values):
                continue
            if any(v is not None for v in values[width:]):
                raise FileError(Issue.of("extra_columns", columns=f"(kolonna/column {width + 1}+)",
                                         allowed=", ".join(header)))
            numbers.append(index)
            for i in range(width):
                cols[i].append(_cell(values[i]) if i < len(values) else None)
    finally:
        wb.close()
    table = pa.table({ROW: pa.array(numbers, pa.int64()),
                      **{name: pa.array(values, pa.string()) for name, values in zip(header, cols, strict=True)}})
    relation = f"(SELECT * FROM {ARROW_NAME})"
    return Input("xlsx", header, relation, has_row_column=True, arrow=table)


def open_parquet(path: Path, con: duckdb.DuckDBPyConnection) -> Input:
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({lit(str(path))})").fetchall()
    except duckdb.Error:
        raise FileError(Issue.of("unreadable_parquet")) from None
    names = [str(row[0]) for row in described]
    header = _canonical(names)
    casts = ", ".join(f"CAST({q(orig)} AS VARCHAR) AS {q(name)}" for orig, name in zip(names, header, strict=True))
    relation = (f"(SELECT file_row_number + 1 AS {ROW}, {casts} "
                f"FROM read_parquet({lit(str(path))}, file_row_number = true))")
    return Input("parquet", header, relation, has_row_column=True)


def open_input(path: Path, fmt: Format, con: duckdb.DuckDBPyConnection) -> Input:
    if fmt == "csv":
        return open_csv(path)
    if fmt == "xlsx":
        src = open_xlsx(path)
        con.register(ARROW_NAME, src.arrow)
        return src
    return open_parquet(path, con)


def file_error_from_duckdb(exc: duckdb.Error, src: Input, path: Path) -> Issue:
    """A clean file-level issue for a DuckDB read error. The DuckDB message is never passed on: it
    quotes the offending line, which may hold personal codes. Errors that are not about reading the
    file are raised again as RuntimeError with personal-code-like text masked."""
    text = str(exc)
    low = text.lower()
    if "unicode" in low or "utf-8" in low or "utf8" in low:
        line = first_bad_utf8_line(path) if src.format == "csv" else 0
        return Issue.of("encoding", line=line)
    if src.format == "parquet":
        return Issue.of("unreadable_parquet")
    m = _LINE_RE.search(text)
    if src.format == "csv" and m:
        return Issue.of("malformed_csv", line=m.group(1))
    raise RuntimeError(mask_text(text.splitlines()[0] if text else type(exc).__name__)) from None
