"""Plotly figures as plain JSON (rendered in the browser by static/ikms/charts.js with plotly.min.js from the pip
package). Every chart is paired with a table of the same numbers in the template."""

import json

COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738", "#505a5f"]
FONT = {"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"}


def _layout(title: str, **extra) -> dict:
    layout = {"title": {"text": title}, "font": FONT, "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
              "legend": {"orientation": "h", "y": -0.2}, "height": 360}
    layout.update(extra)
    return layout


def line_chart(title: str, x: list[str], series: list[tuple[str, list[float | None]]], y_title: str = "") -> str:
    data = [{"type": "scatter", "mode": "lines+markers", "name": name, "x": x, "y": ys,
             "line": {"color": COLOURS[i % len(COLOURS)]}} for i, (name, ys) in enumerate(series)]
    return json.dumps({"data": data, "layout": _layout(title, yaxis={"title": {"text": y_title}},
                                                          xaxis={"type": "category"})})


def bar_chart(title: str, labels: list[str], values: list[float | None], *, highlight: int | None = None,
              horizontal: bool = False, x_title: str = "") -> str:
    colours = [COLOURS[1] if i == highlight else COLOURS[0] for i in range(len(labels))]
    trace = {"type": "bar", "marker": {"color": colours}}
    if horizontal:
        trace.update({"orientation": "h", "y": labels, "x": values})
        layout = _layout(title, height=max(300, 28 * len(labels) + 120), margin={"l": 260, "r": 20, "t": 50, "b": 50},
                         xaxis={"title": {"text": x_title}})
    else:
        trace.update({"x": labels, "y": values})
        layout = _layout(title, yaxis={"title": {"text": x_title}}, xaxis={"type": "category"})
    return json.dumps({"data": [trace], "layout": layout})


def histogram(title: str, values: list[float], x_title: str = "") -> str:
    return json.dumps({"data": [{"type": "histogram", "x": values, "marker": {"color": COLOURS[0]}}],
                       "layout": _layout(title, xaxis={"title": {"text": x_title}}, bargap=0.05)})
