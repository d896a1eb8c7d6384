"""The report as HTML: the web page (`templates/reports/report.html`, inside the site's layout, charts drawn by
Plotly from `ikms.core.charts` data) and the stand-alone document the PDF is printed from
(`templates/reports/print.html`, the same partials, charts as vector SVG). `context` turns a `Report` into what the
partials show: every cell already written in the active language (`cell_text`), the markers' legend, the lineage
and the numbered table of contents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation

from ikms.core import charts
from ikms.reports.document import Chart, Report, Table, Text
from ikms.reports.render import (
    Entry,
    cell_marker,
    cell_text,
    chart_values,
    flat,
    is_number,
    markers,
    outline,
    table_heading,
)


@dataclass
class TableView:
    id: str
    heading: str
    table: Table
    header: list[tuple[str, bool]]  # (label, numeric)
    rows: list[tuple[bool, list[tuple[str, bool, bool]]]]  # (total, [(text, numeric, marker)])
    legend: list[tuple[str, str]]
    specs: list[tuple[str, str]]

    @property
    def long(self) -> bool:
        """Printed with fixed column widths (number columns 18 mm, text columns sharing the rest): laying out a
        table of hundreds of rows by its contents' widths is most of a long PDF's time. Only where the text
        columns keep room enough (a table of many number columns keeps its natural widths)."""
        return len(self.rows) > LONG_TABLE_ROWS and sum(n for _label, n in self.header) <= LONG_TABLE_NUMBER_COLUMNS


#: Rows from which a table is printed with fixed column widths (`TableView.long`), and the most number columns it
#: may have (6 × 18 mm leaves the text columns 70 mm of A4).
LONG_TABLE_ROWS = 40
LONG_TABLE_NUMBER_COLUMNS = 6


@dataclass
class ChartView:
    id: str
    title: str
    table_id: str
    table_heading: str
    web: charts.Chart | None = None
    svg: str = ""


@dataclass
class SectionView:
    entry: Entry
    blocks: list[tuple[str, object]] = field(default_factory=list)  # ("table" | "chart" | "text", view)
    children: list[SectionView] = field(default_factory=list)


def table_id(table: Table) -> str:
    return "t-" + re.sub(r"[^a-zA-Z0-9_-]", "-", table.key)


def table_view(table: Table) -> TableView:
    numeric = [c.kind != "text" for c in table.columns]
    rows = []
    for i, row in enumerate(table.rows):
        cells = [(cell_text(cell, col), numeric[j] and (is_number(cell) or cell_marker(cell) is not None),
                  cell_marker(cell) is not None) for j, (cell, col) in enumerate(zip(row, table.columns, strict=True))]
        rows.append((i in table.total_rows, cells))
    return TableView(table_id(table), table_heading(table), table, [(c.label, numeric[j]) for j, c in
                     enumerate(table.columns)], rows, markers([table]), sorted(table.lineage.specs.items()))


def web_chart(report: Report, chart: Chart, chart_id: str) -> charts.Chart:
    """The chart as Plotly data (the same figure builders as the other pages)."""
    labels, series = chart_values(report, chart)
    if chart.kind == "line":
        return charts.line_chart(chart_id, chart.title, labels, series)
    if len(series) == 1:
        return charts.bar_chart(chart_id, chart.title, labels, series[0][1])
    counts = [[v or 0 for v in values] for _name, values in series]  # stacked or grouped bars: a gap draws nothing
    figure = charts.stacked_bars(chart_id, chart.title, labels, [(name, values) for (name, _v), values in
                                                               zip(series, counts, strict=True)]).figure
    if chart.kind == "bar":
        figure["layout"]["barmode"] = "group"
    return charts.Chart(chart_id, chart.title, figure)


def context(report: Report, *, for_print: bool = False) -> dict:
    """What the report's templates show (see the module's docstring); `for_print`: charts as SVG."""
    if for_print:
        from ikms.reports.render.figures import chart_svg_data

    def section(entry: Entry) -> SectionView:
        view = SectionView(entry)
        for block in entry.section.blocks:
            if isinstance(block, Table):
                view.blocks.append(("table", table_view(block)))
            elif isinstance(block, Chart):
                source = report.table(block.table)
                chart_id = "c-" + re.sub(r"[^a-zA-Z0-9_-]", "-", block.key)
                cv = ChartView(chart_id, block.title, table_id(source), table_heading(source))
                if for_print:
                    cv.svg = chart_svg_data(report, block)
                else:
                    cv.web = web_chart(report, block, chart_id)
                view.blocks.append(("chart", cv))
            elif isinstance(block, Text):
                view.blocks.append(("text", block))
        view.children = [section(c) for c in entry.children]
        return view

    entries = outline(report)
    tables = report.tables()
    return {"report": report, "toc": entries, "sections": [section(e) for e in entries],
            "legend": markers(tables), "has_charts": any(isinstance(b, Chart) for e in flat(entries)
                                                         for b in e.section.blocks)}


def render_body(report: Report) -> str:
    """The report's body for the web page (in the report's language), kept with a finished run and shown inside the
    site's layout by `templates/reports/report.html`."""
    with translation.override(report.language):
        return render_to_string("reports/_body.html", context(report))


def render_print(report: Report) -> str:
    """The stand-alone HTML document the PDF is printed from (in the report's language)."""
    with translation.override(report.language):
        return render_to_string("reports/print.html", context(report, for_print=True))


def render_print_style(report: Report) -> str:
    """The print style of the PDF (A4, running header, page numbers in the report's language): a stylesheet of its
    own, never inline in the document (the CSP rule of every template)."""
    with translation.override(report.language):
        return render_to_string("reports/print.css", {"report": report})
