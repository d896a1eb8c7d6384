"""The report as a PDF, printed by WeasyPrint from the same HTML as the web page (`html.render_print`) with a print
style: A4, Latvian hyphenation (`lang`), DejaVu fonts, a running header and page numbers, a table of contents with
page numbers (`target-counter`) and the charts as vector SVG."""

from __future__ import annotations

from ikms.reports.document import Report
from ikms.reports.render.html import render_print, render_print_style


def render_pdf(report: Report) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: it loads pango, which only the report job needs

    return HTML(string=render_print(report)).write_pdf(stylesheets=[CSS(string=render_print_style(report))])
