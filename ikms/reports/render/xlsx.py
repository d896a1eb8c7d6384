"""The report as a workbook: a "Contents" sheet (the title, the tables with links to their sheets, the markers'
legend), one sheet per table, and a sheet of each table's lineage. As in `ikms.core.exports`, numbers stay numbers
(`export_value`); a cell without data or a suppressed cell holds its marker as text. A share column shows the
column's decimals through the cell's number format, never by rounding the value."""

from __future__ import annotations

import io
import re

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ikms.core.formatting import export_value
from ikms.reports.document import Report, Table
from ikms.reports.render import cell_marker, is_number, markers, table_heading

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def sheet_names(tables: list[Table], reserved: set[str]) -> list[str]:
    """A sheet name per table: its number or key, without the characters Excel refuses, at most 31 characters and
    unique (case-insensitively, as Excel compares them)."""
    taken = {r.lower() for r in reserved}
    names = []
    for t in tables:
        base = re.sub(r"[\[\]:*?/\\']", "", (t.number or t.key).strip()).strip() or "T"
        name = base[:31]
        n = 2
        while name.lower() in taken:
            suffix = f" ({n})"
            name = base[:31 - len(suffix)] + suffix
            n += 1
        taken.add(name.lower())
        names.append(name)
    return names


def _number_format(kind: str, decimals: int) -> str:
    if kind == "count":
        return "#,##0"
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def render_xlsx(report: Report) -> bytes:
    with translation.override(report.language):
        return _workbook(report)


def _workbook(report: Report) -> bytes:
    tables = report.tables()
    contents_name, lineage_name = _("Contents"), _("Lineage")
    names = sheet_names(tables, {contents_name, lineage_name})
    wb = Workbook()
    contents = wb.active
    contents.title = contents_name
    contents.append([report.title])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([report.subtitle])
    contents.append([])
    contents.append([_("Sheet"), _("Table")])
    for cell in contents[4]:
        cell.font = BOLD
    for name, t in zip(names, tables, strict=True):
        contents.append([name, table_heading(t)])
        link = contents.cell(row=contents.max_row, column=1)
        link.hyperlink = f"#'{name}'!A1"
        link.style = "Hyperlink"
    legend = markers(tables)
    if legend:
        contents.append([])
        contents.append([_("Symbols used in the tables")])
        contents.cell(row=contents.max_row, column=1).font = BOLD
        for marker, meaning in legend:
            contents.append([marker, meaning])
    contents.column_dimensions["A"].width = 18
    contents.column_dimensions["B"].width = 80

    for name, t in zip(names, tables, strict=True):
        ws = wb.create_sheet(name)
        ws.append([table_heading(t)])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([c.label for c in t.columns])
        for cell in ws[2]:
            cell.font = BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, row in enumerate(t.rows):
            values = [marker if (marker := cell_marker(c)) else (export_value(c, for_csv=False) if is_number(c)
                      else str(c)) for c in row]
            ws.append(values)
            for j, (c, col) in enumerate(zip(row, t.columns, strict=True)):
                cell = ws.cell(row=ws.max_row, column=j + 1)
                if is_number(c):
                    cell.number_format = _number_format(col.kind, col.decimals)
                elif cell_marker(c):
                    cell.alignment = Alignment(horizontal="right")
                if i in t.total_rows:
                    cell.font = BOLD
        if t.note:
            ws.append([])
            ws.append([t.note])
        table_legend = markers([t])
        if table_legend:
            ws.append([])
            for marker, meaning in table_legend:
                ws.append([marker, meaning])
        ws.column_dimensions["A"].width = 40
        for letter in "BCDEFGHIJKLMNOPQRSTUVWXYZ"[: max(len(t.columns) - 1, 0)]:
            ws.column_dimensions[letter].width = 14

    lineage = wb.create_sheet(lineage_name)
    lineage.append([_("Table"), _("Source"), _("Data snapshot"), _("Specification versions"), _("Query")])
    for cell in lineage[1]:
        cell.font = BOLD
    for t in tables:
        specs = ", ".join(f"{k} {v}" for k, v in sorted(t.lineage.specs.items()))
        lineage.append([table_heading(t), t.lineage.source, t.lineage.snapshot, specs, t.lineage.query])
    for letter, width in zip("ABCDE", (50, 30, 30, 30, 60), strict=True):
        lineage.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
