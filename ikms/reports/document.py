"""A report as data: sections holding text, tables and charts, each table with its lineage. Every report (the annual
report, the municipal report, the quarterly trends, EQAVET) is built as a `Report`, and every output (web page, PDF,
XLSX, DOCX) is rendered from one; no renderer computes a number and no report formats one.

A cell is a number, a text, or `None` for "no data" (never 0). A cell hidden by disclosure control holds a
`Suppressed` marker in place of its value (GSS markers: `[c]` confidential, `[low]` rounds to zero, `[x]` not
available, `[z]` not applicable)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["count", "share", "number", "text"]


@dataclass(frozen=True)
class Column:
    """A column of a table: `kind` says how its cells are written (a count as a whole number, a share in percent
    with `decimals`, a text as it is)."""

    key: str
    label: str
    kind: Kind = "count"
    decimals: int = 0
    #: disclosure control (ikms/reports/disclosure.py), for a share or number about people: the key of the count
    #: column whose cell in the same row is the number of people it is computed from (its base); "" if none
    base: str = ""
    #: for a share: the key of the count column whose cell in the same row is its numerator (hidden with it)
    numerator: str = ""
    #: a count column holding each row's total of the table's other count columns
    total: bool = False


@dataclass(frozen=True)
class Suppressed:
    """A cell withheld from publication, shown as its GSS marker."""

    marker: str = "[c]"  # "[c]", "[low]", "[x]", "[z]"


Cell = int | float | str | None | Suppressed


@dataclass(frozen=True)
class Lineage:
    """Where a table's numbers come from, shown on demand beside the table: the data snapshot (the lake's manifests
    or the register's state), the versions of the indicator and rule specs used, and the query (a selector's name
    and arguments, or the SQL an engine ran)."""

    snapshot: str
    query: str
    specs: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the records in words: "register decisions", "lake: absences 2023/2024"


@dataclass
class Table:
    """A published table. `key` is stable (the calibration keys for the annual report, "table_3" …); `rows` hold
    one cell per column; a row whose first cell is a total is marked in `total_rows` (indices)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    lineage: Lineage
    number: str = ""  # "3. tabula", the published numbering, if any
    note: str = ""
    total_rows: tuple[int, ...] = ()
    #: where a count is about people, the minimum shown (disclosure control); None: not about people
    disclosure_minimum: int | None = None
    #: a stable key per row ("general_basic", "total" ...), so that a cell can be named as (table, row, column)
    row_keys: list[str] = field(default_factory=list)
    #: where a table reproduces a published one, the address of its cells in the published figures: (path prefix,
    #: layout). "row": prefix + (row key,) is the cell of the value column; "row_col": prefix + (row key, column
    #: key); "col_row": prefix + (column key, row key). None: not a published table.
    published_as: tuple[tuple[str, ...], str] | None = None

    def cell(self, row_key: str, column_key: str) -> Cell:
        """The cell of a row (by its key) and a column (by its key)."""
        row = self.rows[self.row_keys.index(row_key)]
        return row[[c.key for c in self.columns].index(column_key)]


@dataclass
class Chart:
    """A chart drawn from a table of the same report (never from numbers of its own): `table` is the table's key,
    `category` the column of the categories, `series` the columns drawn."""

    key: str
    title: str
    table: str
    category: str
    series: list[str]
    kind: Literal["bar", "line", "stacked"] = "bar"


@dataclass
class Text:
    """Prose: paragraphs of plain text (a municipality's narrative, an explanation)."""

    title: str
    paragraphs: list[str]


Block = Table | Chart | Text


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def tables(self) -> list[Table]:
        found = [b for b in self.blocks if isinstance(b, Table)]
        for s in self.sections:
            found.extend(s.tables())
        return found


@dataclass
class Report:
    """A whole report. `inputs` names what it was made from (the data snapshot, spec versions, parameters): two runs
    with the same inputs give the same file, so `inputs_key` is the cache key of its outputs."""

    kind: str  # "annual", "municipal", "quarterly", "eqavet"
    title: str
    subtitle: str
    language: str
    inputs: dict[str, str]
    sections: list[Section] = field(default_factory=list)

    def tables(self) -> list[Table]:
        found: list[Table] = []
        for s in self.sections:
            found.extend(s.tables())
        return found

    def table(self, key: str) -> Table:
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)

    @property
    def inputs_key(self) -> str:
        payload = json.dumps({"kind": self.kind, "language": self.language, **self.inputs}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]
