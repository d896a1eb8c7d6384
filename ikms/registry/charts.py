"""The register's charts, as plain Plotly data drawn by static/ikms/charts.js through templates/monitoring/_chart.html
(the monitoring app's chart helpers stand above the registry in the layers of ADR 0018, so this is the same shape
built here: an id, a title, a zero-based figure and its text alternative; the page puts the same figures in a table
beside it)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

COLOURS = ["#1d70b8", "#00703c"]
FONT = {"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"}


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    figure: dict
    zero_based: bool = True

    @property
    def description(self) -> str:
        return _("Chart: %(title)s.%(note)s The same figures are in the table with it.") % {
            "title": self.title, "note": ""}


def stacked_bars(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> Chart:
    """Bars of whole counts from zero, one per label, stacked by series (e.g. special and other programmes)."""
    data = [{"type": "bar", "name": html.escape(name, quote=False), "x": [html.escape(x, quote=False) for x in labels],
             "y": values, "marker": {"color": COLOURS[i % len(COLOURS)]}}
            for i, (name, values) in enumerate(series)]
    layout = {"font": FONT, "barmode": "stack", "height": 360,
              "margin": {"l": 8, "r": 16, "t": 16, "b": 8, "pad": 4, "autoexpand": True},
              "separators": ", " if (get_language() or "lv").startswith("lv") else ".,",
              "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
              "yaxis": {"rangemode": "tozero", "tickformat": ",d", "automargin": True},
              "xaxis": {"type": "category", "automargin": True}}
    return Chart(chart_id, title, {"data": data, "layout": layout})
