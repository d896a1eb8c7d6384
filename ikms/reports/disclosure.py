"""Statistical disclosure control of every report table about people (docs/data/disclosure.md, ADR 0024): the one
step between a report's builder and its renderers. Pure and deterministic: the same table gives the same result.

A table with `disclosure_minimum` set (its counts are about people) is protected; one with None is left as it is.

* **Counts** (columns of kind "count"): every count of 1 to minimum − 1 is hidden (primary); then secondary
  suppression (analytics.disclosure: Tau-Argus's optimal method, completed and checked by linear algebra) so that no
  hidden cell can be worked out from the totals shown. The totals are the rows listed in `total_rows` and a column
  marked `Column.total`; which rows a total row adds up is read from the numbers (the rows above it since the
  previous total row, the total rows above it, all other rows, or the rows below it: the first that adds up), so
  subtotals and a grand total of subtotals are protected too. A total row that adds up none of these is no line.
* **Shares and numbers** (means, indices) about people: a column names its base, `Column.base` (the count column
  of the same row giving the number of people the figure is computed from), and a share its numerator,
  `Column.numerator`. The figure is hidden when its base is 1 to minimum − 1 people; a share also when its
  numerator, or its complement (base − numerator, the numerator worked out as share × base where no column names
  it), is 1 to minimum − 1, or when its numerator's cell is hidden. A share that rounds to zero at its decimals
  but is not zero reads `[low]`. A share or number with neither base nor numerator is not checked (its builder
  must hide it).
* `None` stays `None` (no data, rendered `[x]`); a cell hidden already stays hidden; texts are left alone.

Hidden cells read `Suppressed("[c]")`, primary and secondary alike. `legend(language)` is what every renderer shows
under the tables."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

from analytics import disclosure
from ikms.core.disclosure import legend as _legend
from ikms.reports.document import Block, Cell, Report, Section, Suppressed, Table

CONFIDENTIAL = Suppressed(disclosure.CONFIDENTIAL)
LOW = Suppressed(disclosure.LOW)

Key = tuple[int, str]  # (row index, column key)


def legend(language: str) -> list[tuple[str, str]]:
    """The markers ([c], [low], [x], [z]) and what they mean in `language` ("lv" or "en"): to be shown under the
    tables of every report, in every format (the same texts as the monitoring pages)."""
    return _legend(language)


def _number(cell: Cell) -> float | None:
    return float(cell) if isinstance(cell, int | float) and not isinstance(cell, bool) else None


def _covered(table: Table, index: int, counts: list[str]) -> list[int] | None:
    """The rows that total row `index` adds up, in every count column with numbers: the rows above it since the
    previous total row, the total rows above it (a grand total of subtotals), all the other rows, or the rows below
    it up to the next total row; None if it adds up none of these."""
    totals = set(table.total_rows)
    plain = [i for i in range(len(table.rows)) if i not in totals]
    above = [i for i in plain if i < index and not any(i < t < index for t in totals)]
    below = [i for i in plain if i > index and not any(index < t < i for t in totals)]
    candidates = [above, [t for t in sorted(totals) if t < index], plain, below]
    position = {c.key: j for j, c in enumerate(table.columns)}
    for rows in candidates:
        if not rows:
            continue
        checked = False
        for key in counts:
            total = _number(table.rows[index][position[key]])
            parts = [_number(table.rows[i][position[key]]) for i in rows]
            if total is None or any(p is None for p in parts):
                continue
            if not math.isclose(total, sum(p for p in parts if p is not None), abs_tol=1e-6):
                break
            checked = True
        else:
            if checked:
                return rows
    return None


def table_lines(table: Table) -> tuple[dict[Key, float], list[disclosure.Line]]:
    """The count cells of a table (keyed (row index, column key), a cell without a number counted 0) and its
    additive lines (cells, total) as read from its total rows and total column: what a reader can add up. Also the
    test's way to check a protected table with `analytics.disclosure.determinable`."""
    count_columns = [c for c in table.columns if c.kind == "count"]
    parts = [c.key for c in count_columns if not c.total]
    total_column = next((c.key for c in count_columns if c.total), None)
    position = {c.key: j for j, c in enumerate(table.columns)}
    values = {(i, c.key): _number(row[position[c.key]]) or 0.0 for i, row in enumerate(table.rows)
              for c in count_columns}
    lines: list[disclosure.Line] = []
    for t in table.total_rows:
        rows = _covered(table, t, parts + ([total_column] if total_column else []))
        if rows:
            for key in parts + ([total_column] if total_column else []):
                lines.append((tuple((i, key) for i in rows), (t, key)))
    if total_column and parts:
        for i, row in enumerate(table.rows):
            total = _number(row[position[total_column]])
            shown = [_number(row[position[k]]) for k in parts]
            if total is not None and all(v is not None for v in shown) and math.isclose(
                    total, sum(v for v in shown if v is not None), abs_tol=1e-6):
                lines.append((tuple((i, k) for k in parts), (i, total_column)))
    return values, lines


def _hidden_counts(table: Table, minimum: int) -> set[Key]:
    """The count cells to hide: primary, then secondary per block (each total row with the rows it adds up, by
    Tau-Argus through analytics.disclosure.suppress_table), then completed over all lines at once."""
    values, lines = table_lines(table)
    position = {c.key: j for j, c in enumerate(table.columns)}
    already = {k for k in values if isinstance(table.rows[k[0]][position[k[1]]], Suppressed)}
    primary = {k for k, v in values.items() if disclosure.is_small(v, minimum)} | already
    if not primary:
        return set()
    hidden = set(primary)
    count_columns = [c for c in table.columns if c.kind == "count"]
    parts = [c.key for c in count_columns if not c.total]
    total_column = next((c.key for c in count_columns if c.total), None)
    has_row_totals = total_column is not None and any(total == (i, total_column) for _, total in lines
                                                      for i in range(len(table.rows)))
    blocks: dict[tuple[int, ...], int | None] = {}
    for cells, (t, _) in lines:
        rows = tuple(dict.fromkeys(i for i, _ in cells))
        if cells[0][1] in parts and t in table.total_rows and not set(rows) & set(table.total_rows):
            blocks.setdefault(rows, t)
    if not blocks and has_row_totals:  # no total row: each row with its total, one table
        blocks[tuple(i for i in range(len(table.rows)) if i not in table.total_rows)] = None
    for rows, t in sorted(blocks.items()):
        counts = {(i, k): values[(i, k)] for i in rows for k in parts}
        mapping: dict[disclosure.Cell, Key] = {(i, disclosure.TOTAL): (i, total_column or "") for i in rows}
        if t is not None:
            mapping |= {(disclosure.TOTAL, k): (t, k) for k in parts}
            mapping[(disclosure.TOTAL, disclosure.TOTAL)] = (t, total_column or "")
        back = {v: k for k, v in mapping.items()}
        given = [back.get(k, k) for k in hidden if k in back or (k[0] in rows and k[1] in parts)]
        chosen = disclosure.suppress_table(counts, row_totals=has_row_totals, column_totals=t is not None,
                                           threshold=minimum, primary=given)
        hidden |= {mapping.get(k, k) for k in chosen}
    return disclosure.secure(values, lines, hidden, minimum)


def _figure(table: Table, row: list[Cell], cell: Cell, column_index: int, *, hidden_row: set[str],
            minimum: int) -> Cell:
    """A share's or number's cell after disclosure control (see the module's docstring)."""
    column = table.columns[column_index]
    value = _number(cell)
    if value is None or isinstance(cell, Suppressed):
        return cell
    position = {c.key: j for j, c in enumerate(table.columns)}
    base = _number(row[position[column.base]]) if column.base in position else None
    numerator = _number(row[position[column.numerator]]) if column.numerator in position else None
    if column.numerator and column.numerator in hidden_row:
        return CONFIDENTIAL
    if column.base and (column.base not in position or disclosure.is_small(base, minimum)):
        return CONFIDENTIAL
    if column.kind == "share" and base is not None:
        counted = numerator if numerator is not None else round(value / 100 * base)
        if disclosure.is_small(counted, minimum) or disclosure.is_small(base - counted, minimum):
            return CONFIDENTIAL
    if column.kind == "share" and value != 0 and round(value, column.decimals) == 0:
        return LOW
    return cell


def protect_table(table: Table) -> Table:
    """The table as it may be published: a copy with its hidden cells replaced by `Suppressed` markers (see the
    module's docstring). A table with `disclosure_minimum` None is returned as a copy, unchanged."""
    minimum = table.disclosure_minimum
    if minimum is None:
        return dataclasses.replace(table, rows=[list(r) for r in table.rows])
    hidden = _hidden_counts(table, minimum)
    rows: list[list[Cell]] = []
    for i, row in enumerate(table.rows):
        hidden_row = {k for (r, k) in hidden if r == i}
        out: list[Cell] = []
        for j, (column, cell) in enumerate(zip(table.columns, row, strict=True)):
            if column.kind == "count":
                out.append(CONFIDENTIAL if column.key in hidden_row and cell is not None else cell)
            elif column.kind in ("share", "number"):
                out.append(_figure(table, row, cell, j, hidden_row=hidden_row, minimum=minimum))
            else:
                out.append(cell)
        rows.append(out)
    return dataclasses.replace(table, rows=rows)


def _blocks(blocks: Iterable[Block]) -> list[Block]:
    return [protect_table(b) if isinstance(b, Table) else b for b in blocks]


def _section(section: Section) -> Section:
    return dataclasses.replace(section, blocks=_blocks(section.blocks),
                               sections=[_section(s) for s in section.sections])


def protect_report(report: Report) -> Report:
    """The report as it may be published: every table protected (`protect_table`), everything else as it is. The
    renderers render only a protected report and show `legend(report.language)` with it."""
    return dataclasses.replace(report, sections=[_section(s) for s in report.sections])
