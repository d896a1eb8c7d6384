"""The outputs of a report (`ikms.reports.document.Report`): the web page and the PDF (`html`, `pdf`, one HTML
structure with a screen and a print style), the workbook (`xlsx`) and the editable document (`docx`).

What every renderer shares lives here: how a cell is written (`cell_text`, in the active language), the GSS
markers' legend, the numbered outline of the sections (the table of contents) and the values a chart draws from its
table. No renderer computes a number: each writes the report's cells as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats

from ikms.core.disclosure import legend
from ikms.core.formatting import _decimal, number_text, round_half_up
from ikms.reports.document import Cell, Chart, Column, Report, Section, Suppressed, Table

#: What a cell without data shows (the GSS marker "not available"): never 0, never a dash that reads as zero.
NO_DATA = "[x]"
MARKER_ORDER = ("[c]", "[low]", "[x]", "[z]")


def legend_texts() -> dict[str, str]:
    """Each GSS marker and what it means, in the active language: the one legend of ikms.core.disclosure."""
    return dict(legend())


def is_number(cell: Cell) -> bool:
    return isinstance(cell, int | float | Decimal) and not isinstance(cell, bool)


def cell_text(cell: Cell, column: Column) -> str:
    """A cell as the reader sees it in the active language: a count whole (12 345), a share or another number with
    the column's decimals (66,8), `None` as "[x]", a suppressed cell as its marker, a text as it is."""
    if cell is None:
        return NO_DATA
    if isinstance(cell, Suppressed):
        return cell.marker
    if not is_number(cell) or column.kind == "text":
        return str(cell)
    if column.kind == "count":
        return number_text(cell, 0)
    number = _decimal(cell)
    if number is None:
        return NO_DATA
    return formats.number_format(round_half_up(number, column.decimals), column.decimals, force_grouping=True)


def cell_marker(cell: Cell) -> str | None:
    """The GSS marker a cell shows, if any."""
    if cell is None:
        return NO_DATA
    if isinstance(cell, Suppressed):
        return cell.marker
    return None


def markers(tables: list[Table]) -> list[tuple[str, str]]:
    """The markers these tables show, with their meaning (the legend), in the usual order."""
    used = {m for t in tables for row in t.rows for c in row if (m := cell_marker(c))}
    texts = legend_texts()
    ordered = [m for m in MARKER_ORDER if m in used] + sorted(used - set(MARKER_ORDER))
    return [(m, texts.get(m, "")) for m in ordered]


@dataclass
class Entry:
    """A section in the outline: its number ("2.1"), its anchor and depth, its blocks and subsections."""

    number: str
    anchor: str
    depth: int
    section: Section
    children: list[Entry] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.section.title


def outline(report: Report) -> list[Entry]:
    """The sections numbered as the table of contents shows them."""

    def walk(sections: list[Section], prefix: str, depth: int) -> list[Entry]:
        entries = []
        for i, s in enumerate(sections, start=1):
            number = f"{prefix}{i}"
            entry = Entry(number, f"s-{number.replace('.', '-')}", depth, s)
            entry.children = walk(s.sections, f"{number}.", depth + 1)
            entries.append(entry)
        return entries

    return walk(report.sections, "", 1)


def flat(entries: list[Entry]) -> list[Entry]:
    """The outline in reading order."""
    found: list[Entry] = []
    for e in entries:
        found.append(e)
        found.extend(flat(e.children))
    return found


def table_heading(table: Table) -> str:
    """A table's caption: its published number and its title ("3. tabula. Izglītības iestādes")."""
    return f"{table.number}. {table.title}" if table.number and not table.number.endswith(".") else (
        f"{table.number} {table.title}" if table.number else table.title)


def chart_values(report: Report, chart: Chart) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """The categories and the series a chart draws, read from its table (its total rows left out: a total is not
    a category); a cell without a number (no data, suppressed) is a gap."""
    table = report.table(chart.table)
    keys = [c.key for c in table.columns]
    at = keys.index(chart.category)
    rows = [r for i, r in enumerate(table.rows) if i not in table.total_rows]
    labels = [str(r[at]) for r in rows]
    series = []
    for key in chart.series:
        j = keys.index(key)
        series.append((table.columns[j].label, [float(r[j]) if is_number(r[j]) else None for r in rows]))
    return labels, series

