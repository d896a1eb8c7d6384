"""Plotly figures as plain data (written into the page with json_script and drawn by static/ikms/charts.js with
plotly.min.js from the pip package). Every chart is paired with a table of the same numbers in the template
(templates/monitoring/_chart.html draws the chart, its title and its note; the table is the page's).

Axes that do not mislead: a bar chart's value axis always starts at zero. A line chart's starts at zero too,
unless its values all lie in the upper half of the range from zero, where a zero-based axis would flatten them:
then it is narrowed around them, but never so much that the values' spread fills more than half of it (a 1 % dip
does not look like a crash), and the chart says under its title that the axis does not start at zero
(`Chart.zero_based`)."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738", "#505a5f"]
FONT = {"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"}
LABEL_WIDTH = 30  # characters per line of a category label (Plotly never wraps)
#: A narrowed axis is at least this share of its largest value wide, so that a small change stays small.
MIN_AXIS_SHARE = 0.1


@dataclass(frozen=True)
class Chart:
    """A figure with what the page says about it: its title (in the page's text, where it wraps) and whether its
    value axis starts at zero (otherwise the page says so under the title)."""

    id: str
    title: str
    figure: dict
    zero_based: bool = True

    @property
    def description(self) -> str:
        """The chart's text alternative (its container is an image to assistive technology)."""
        note = "" if self.zero_based else " " + _("The vertical axis does not start at zero.")
        return _("Chart: %(title)s.%(note)s The same figures are in the table with it.") % {
            "title": self.title, "note": note}


def plotly_text(text: str, width: int = LABEL_WIDTH) -> str:
    """A label or legend entry for Plotly: its markup characters escaped (Plotly reads a subset of HTML in them)
    and long text broken into lines."""
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(str(text), width) or [""])


def _layout(**extra) -> dict:
    layout = {"font": FONT, "margin": {"l": 8, "r": 16, "t": 16, "b": 8, "pad": 4, "autoexpand": True},
              "separators": ", " if (get_language() or "lv").startswith("lv") else ".,",
              "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
              "height": 360}
    layout.update(extra)
    return layout


def value_axis(values: list[float | None], title: str = "") -> tuple[dict, bool]:
    """A line chart's value axis for these values, and whether it starts at zero (module docstring)."""
    axis = {"title": {"text": plotly_text(title)}, "automargin": True, "rangemode": "tozero"}
    present = [v for v in values if v is not None]
    if not present:
        return axis, True
    low, high = min(present), max(present)
    if low <= 0 or low <= high / 2:
        return axis, True
    width = max(2 * (high - low), MIN_AXIS_SHARE * high)
    bottom = (low + high - width) / 2
    if bottom <= 0:
        return axis, True
    axis.update(rangemode="normal", autorange=False, range=[bottom, bottom + width])
    return axis, False


def line_chart(chart_id: str, title: str, x: list[str], series: list[tuple[str, list[float | None]]],
               y_title: str = "") -> Chart:
    """Lines over school years (categories), one per series; a missing value is a gap."""
    data = [{"type": "scatter", "mode": "lines+markers", "name": plotly_text(name), "x": x, "y": ys,
             "line": {"color": COLOURS[i % len(COLOURS)]}} for i, (name, ys) in enumerate(series)]
    axis, zero_based = value_axis([v for _name, ys in series for v in ys], y_title)
    figure = {"data": data, "layout": _layout(yaxis=axis, xaxis={"type": "category", "automargin": True})}
    return Chart(chart_id, title, figure, zero_based)


def bar_chart(chart_id: str, title: str, labels: list[str], values: list[float | None], *,
              highlight: int | None = None, horizontal: bool = False, x_title: str = "",
              label_title: str = "", counts: bool = False) -> Chart:
    """Bars from zero, one per label (the one at `highlight` in another colour); `counts`: whole numbers, so the
    value axis has no fractional ticks."""
    colours = [COLOURS[1] if i == highlight else COLOURS[0] for i in range(len(labels))]
    categories = [plotly_text(label) for label in labels]
    trace = {"type": "bar", "marker": {"color": colours}}
    value = {"title": {"text": plotly_text(x_title)}, "rangemode": "tozero", "automargin": True}
    if counts:
        value["tickformat"] = ",d"
        if max((v or 0 for v in values), default=0) <= 10:
            value["dtick"] = 1
    category = {"type": "category", "automargin": True, "title": {"text": plotly_text(label_title)}}
    if horizontal:
        trace.update({"orientation": "h", "y": categories, "x": values})
        lines = sum(c.count("<br>") + 1 for c in categories)
        layout = _layout(height=max(300, 20 * max(lines, len(labels)) + 12 * len(labels) + 100),
                         xaxis=value, yaxis={**category, "autorange": "reversed"})
    else:
        trace.update({"x": categories, "y": values})
        layout = _layout(yaxis=value, xaxis=category)
    return Chart(chart_id, title, {"data": [trace], "layout": layout})


def histogram(chart_id: str, title: str, values: list[float], x_title: str = "") -> Chart:
    """How many values fall in each interval (the count axis from zero)."""
    figure = {"data": [{"type": "histogram", "x": values, "marker": {"color": COLOURS[0]}}],
              "layout": _layout(xaxis={"title": {"text": plotly_text(x_title)}, "automargin": True},
                                yaxis={"title": {"text": plotly_text(_("Institutions"))}, "rangemode": "tozero",
                                       "automargin": True}, bargap=0.05)}
    return Chart(chart_id, title, figure)


def stacked_bars(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> Chart:
    """Bars of whole counts from zero, one per label, stacked by series (e.g. special and other programmes)."""
    data = [{"type": "bar", "name": plotly_text(name), "x": [plotly_text(x) for x in labels], "y": values,
             "marker": {"color": COLOURS[i % len(COLOURS)]}}
            for i, (name, values) in enumerate(series)]
    value = {"rangemode": "tozero", "tickformat": ",d", "automargin": True}
    totals = [sum(stack) for stack in zip(*(values for _name, values in series), strict=True)]
    if max(totals, default=0) <= 10:
        value["dtick"] = 1  # a tick per count: small counts would otherwise get ticks at 0.2, 0.4... shown as 0 and 1
    layout = _layout(barmode="stack", yaxis=value, xaxis={"type": "category", "automargin": True})
    return Chart(chart_id, title, {"data": data, "layout": layout})


def estimate_chart(chart_id: str, title: str, labels: list[str], *, estimates: list[float | None],
                   lows: list[float | None], highs: list[float | None], x_title: str = "") -> Chart:
    """Estimates with their intervals, one row per label (a point and a bar from low to high), beside a line at
    zero; a label without an estimate has no point."""
    categories = [plotly_text(label) for label in labels]
    plus = [None if e is None or h is None else h - e for e, h in zip(estimates, highs, strict=True)]
    minus = [None if e is None or lo is None else e - lo for e, lo in zip(estimates, lows, strict=True)]
    trace = {"type": "scatter", "mode": "markers", "x": estimates, "y": categories, "marker": {"color": COLOURS[0],
             "size": 10}, "error_x": {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                                      "color": COLOURS[0], "thickness": 2, "width": 6}, "showlegend": False}
    lines = sum(c.count("<br>") + 1 for c in categories)
    layout = _layout(height=max(240, 20 * max(lines, len(labels)) + 16 * len(labels) + 100),
                     xaxis={"title": {"text": plotly_text(x_title)}, "automargin": True, "zeroline": True,
                            "zerolinecolor": "#0b0c0c", "zerolinewidth": 2},
                     yaxis={"type": "category", "automargin": True, "autorange": "reversed"})
    return Chart(chart_id, title, {"data": [trace], "layout": layout})
