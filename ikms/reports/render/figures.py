"""Charts for print and for the editable document, drawn with matplotlib from the chart's table
(`render.chart_values`): vector SVG for the PDF, PNG for the DOCX. A `Figure` is made directly (no pyplot, no
global backend), so drawing is safe in a background thread. The value axis starts at zero, as on the web pages."""

from __future__ import annotations

import base64
import io

from matplotlib import rc_context
from matplotlib.figure import Figure

from ikms.core.charts import COLOURS
from ikms.reports.document import Chart, Report
from ikms.reports.render import chart_values

#: matplotlib's settings for the report charts: DejaVu Sans (Latvian letters), and in SVG the text stays text
#: (selectable and searchable in the PDF) rather than paths
STYLE = {"font.family": "DejaVu Sans", "svg.fonttype": "none"}


def figure(report: Report, chart: Chart) -> Figure:
    """The chart drawn from its table: bars side by side, stacked, or lines (a gap where a cell has no number)."""
    labels, series = chart_values(report, chart)
    fig = Figure(figsize=(6.3, 3.2))
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    if chart.kind == "line":
        for i, (name, values) in enumerate(series):
            ax.plot(positions, [v if v is not None else float("nan") for v in values], marker="o", label=name,
                    color=COLOURS[i % len(COLOURS)])
    else:
        width = 0.8 / (1 if chart.kind == "stacked" else max(len(series), 1))
        bottom = [0.0] * len(labels)
        for i, (name, values) in enumerate(series):
            heights = [v or 0.0 for v in values]
            if chart.kind == "stacked":
                ax.bar(positions, heights, 0.8, bottom=bottom, label=name, color=COLOURS[i % len(COLOURS)])
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            else:
                offset = (i - (len(series) - 1) / 2) * width
                ax.bar([p + offset for p in positions], heights, width, label=name, color=COLOURS[i % len(COLOURS)])
    ax.set_ylim(bottom=0)
    ax.set_xticks(positions, labels, rotation=30 if max((len(x) for x in labels), default=0) > 12 else 0,
                  ha="right" if max((len(x) for x in labels), default=0) > 12 else "center", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def chart_svg(report: Report, chart: Chart) -> str:
    """The chart as an SVG document, for an image's data address (WeasyPrint draws it as vector graphics)."""
    out = io.StringIO()
    with rc_context(STYLE):
        figure(report, chart).savefig(out, format="svg")
    return out.getvalue()


def chart_svg_data(report: Report, chart: Chart) -> str:
    """The chart's SVG as a `data:` address."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart_svg(report, chart).encode()).decode()


def chart_png(report: Report, chart: Chart) -> bytes:
    out = io.BytesIO()
    with rc_context(STYLE):
        figure(report, chart).savefig(out, format="png", dpi=150)
    return out.getvalue()
