"""The report as an editable Word document (python-docx), for a report its authors edit further (the municipal
report): the title, a heading per section, the texts as paragraphs, each table with its caption, each chart as a
PNG picture drawn from its table (`figures.chart_png`), and the markers' legend."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from ikms.reports.document import Chart, Report, Table, Text
from ikms.reports.render import cell_text, flat, is_number, markers, outline, table_heading


def render_docx(report: Report) -> bytes:
    with translation.override(report.language):
        return _document(report)


def _document(report: Report) -> bytes:
    doc = Document()
    doc.core_properties.title = report.title
    doc.core_properties.author = "IKVD"
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(report.title, level=0)
    if report.subtitle:
        doc.add_paragraph(report.subtitle)
    for entry in flat(outline(report)):
        doc.add_heading(f"{entry.number}. {entry.title}", level=min(entry.depth, 3))
        for block in entry.section.blocks:
            if isinstance(block, Text):
                if block.title:
                    doc.add_heading(block.title, level=min(entry.depth + 1, 4))
                for p in block.paragraphs:
                    doc.add_paragraph(p)
            elif isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Chart):
                from ikms.reports.render.figures import chart_png  # matplotlib, loaded on use

                doc.add_paragraph(block.title).runs[0].bold = True
                doc.add_picture(io.BytesIO(chart_png(report, block)), width=Cm(16))
                source = table_heading(report.table(block.table))
                doc.add_paragraph(_("The figures are in the table “%(table)s”.") % {"table": source})
    legend = markers(report.tables())
    if legend:
        doc.add_heading(_("Symbols used in the tables"), level=1)
        for marker, meaning in legend:
            doc.add_paragraph(f"{marker} — {meaning}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _table(doc, table: Table) -> None:
    caption = doc.add_paragraph(table_heading(table))
    caption.runs[0].bold = True
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, col in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = col.label
        cell.paragraphs[0].runs[0].bold = True
    for i, row in enumerate(table.rows):
        cells = grid.add_row().cells
        for j, (value, col) in enumerate(zip(row, table.columns, strict=True)):
            cells[j].text = cell_text(value, col)
            paragraph = cells[j].paragraphs[0]
            if j and (is_number(value) or col.kind != "text"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i in table.total_rows and paragraph.runs:
                paragraph.runs[0].bold = True
    if table.note:
        doc.add_paragraph(table.note)
