"""The renderers of a report (ikms.reports.render) on a small hand-made report (`testing.sample_report`): a share
column with one decimal, a cell without data, a suppressed cell, a total row, a chart and a text. Every output
writes the report's own cells: 48.25 as 48,3 / 48.3, 12345 as 12 345 / 12,345, None as [x], the suppressed cell as
[c], with the legend of both markers."""

import io
import shutil
import subprocess

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from ikms.reports.render import cell_text, markers
from ikms.reports.render.docx import render_docx
from ikms.reports.render.html import render_body
from ikms.reports.render.pdf import render_pdf
from ikms.reports.render.xlsx import render_xlsx, sheet_names
from ikms.reports.testing import sample_report

NBSP = "\xa0"
LV = {"612", f"1{NBSP}234", "48,3", "50,0", f"12{NBSP}345", "100,0", f"98{NBSP}765", f"43{NBSP}210"}
EN = {"612", "1,234", "48.3", "50.0", "12,345", "100.0", "98,765", "43,210"}


def test_cells_are_written_in_the_active_language():
    report = sample_report()
    table = report.table("institutions")
    count, share = table.columns[1], table.columns[2]
    with translation.override("lv"):
        assert [cell_text(r[1], count) for r in table.rows] == ["612", f"1{NBSP}234", "[x]", f"12{NBSP}345"]
        assert [cell_text(r[2], share) for r in table.rows] == ["48,3", "50,0", "[c]", "100,0"]
        assert [m for m, _text in markers([table])] == ["[c]", "[x]"]
    with translation.override("en"):
        assert [cell_text(r[2], share) for r in table.rows] == ["48.3", "50.0", "[c]", "100.0"]
        assert dict(markers([table]))["[x]"].startswith("No data: the source has not been received")
    assert markers([report.table("pupils")]) == []


@pytest.mark.parametrize(("language", "numbers", "legend"), [
    ("lv", LV, "Nav datu: avota dati nav saņemti"), ("en", EN, "No data: the source has not been received")])
def test_html_shows_formatted_cells_markers_legend_lineage_and_contents(language, numbers, legend):
    body = render_body(sample_report(language=language))
    for number in numbers:
        assert f">{number}<" in body or f"<strong>{number}</strong>" in body, number
    assert ">[x]<" in body and ">[c]<" in body
    assert legend in body
    assert body.count('class="govuk-details__summary"') == 2  # each table's lineage, on demand
    assert "registry.selectors.calibration_counts(year=2024)" in body and "snap-1" in body
    assert 'href="#s-1"' in body and 'href="#s-1-1"' in body and 'id="s-2"' in body  # the contents
    assert 'data-plotly="c-institutions-chart"' in body and 'href="#t-institutions"' in body  # chart and its table
    assert f"<strong>{'Kopā' if language == 'lv' else 'Total'}</strong>" in body


def test_pdf_has_every_table_title_and_number_and_the_contents(tmp_path):
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is required; make test installs it"
    report = sample_report(language="lv")
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = set(text.replace(NBSP, " ").split())
    for number in LV:
        assert all(part in words for part in number.replace(NBSP, " ").split()), number
    assert "1 234" in text.replace(NBSP, " ") and "12 345" in text.replace(NBSP, " ")
    for title in ("3. tabula. Iestādes pēc veida, 2024", "Izglītojamie, 2024"):
        assert title in text
    assert "[x]" in words and "[c]" in words and "Nav datu:" in text
    assert "Saturs" in text  # the contents, with page numbers after the leader dots
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.startswith("1.1. Izglītojamie") and line.endswith("2") for line in lines)
    assert "Lappuse 1 / " in text
    assert b"/Subtype /Image" not in pdf  # the chart is vector graphics, not a picture


def test_a_long_table_is_printed_with_fixed_column_widths_and_every_cell(tmp_path):
    """A table of hundreds of rows (a city's institutions) is laid out with fixed widths, not measured cell by
    cell; every row label and number is still in the PDF and the short tables keep their natural widths."""
    import dataclasses

    from ikms.reports.document import Column, Section, Table
    from ikms.reports.render.html import LONG_TABLE_ROWS

    report = sample_report(language="en")
    n = LONG_TABLE_ROWS + 20
    rows = [[f"Institution number {i} with a rather long name", f"Indicator {i % 7}", 1000 + 37 * i, i / 4]
            for i in range(n)]
    long = Table(key="institutions-long", title="Every institution", lineage=report.sections[0].blocks[0].lineage,
                 columns=[Column("name", "Institution", "text"), Column("indicator", "Indicator", "text"),
                          Column("count", "Learners"), Column("share", "Share, %", "share", 1)],
                 rows=rows, row_keys=[str(i) for i in range(n)])
    report = dataclasses.replace(report, sections=[*report.sections, Section("long", "All of them", [long])])
    wide = Table(key="wide", title="Many years", lineage=long.lineage,
                 columns=[Column("name", "Institution", "text"), *[Column(f"y{j}", str(2017 + j)) for j in range(8)]],
                 rows=[[f"Institution {i}", *range(8)] for i in range(n)], row_keys=[str(i) for i in range(n)])
    report = dataclasses.replace(report, sections=[*report.sections, Section("wide", "Wide", [wide])])
    html = render_body(report)
    assert html.count("ikms-report__long") == 1  # the long table only: short ones and wide ones keep their widths
    assert 'class="ikms-report__col--number"' in html and 'class="ikms-report__col--text"' in html
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(report))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(NBSP, " ")
    flat = " ".join(text.split())
    for i in range(n):
        assert f"Institution number {i} " in flat, i
        assert f"{1000 + 37 * i:,}" in text, i  # English number format


def test_xlsx_has_a_sheet_per_table_with_numbers_as_numbers():
    wb = load_workbook(io.BytesIO(render_xlsx(sample_report(language="en"))))
    assert wb.sheetnames == ["Contents", "3. tabula", "pupils", "Lineage"]
    ws = wb["3. tabula"]
    assert ws["A1"].value == "3. tabula. Institutions by type, 2024"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=6)]
    assert rows == [["Type", "Institutions", "Share, %"], ["Pre-school", 612, 48.25], ["General", 1234, 50],
                    ["Vocational", "[x]", "[c]"], ["Total", 12345, 100]]
    assert ws["C3"].number_format == "#,##0.0" and ws["B3"].number_format == "#,##0"
    assert [c.value for c in wb["pupils"][4]] == ["Secondary", 43210]
    contents = [[c.value for c in row] for row in wb["Contents"].iter_rows()]
    assert ["3. tabula", "3. tabula. Institutions by type, 2024"] in contents
    assert any(row[0] == "[c]" and str(row[1]).startswith("Confidential: computed from fewer than 5")
               for row in contents)
    lineage = [[c.value for c in row] for row in wb["Lineage"].iter_rows(min_row=2)]
    assert lineage[0] == ["3. tabula. Institutions by type, 2024", "register decisions", "snap-1",
                          "indicators 2024.1", "registry.selectors.calibration_counts(year=2024)"]


def test_sheet_names_are_short_unique_and_allowed():
    from ikms.reports.document import Lineage, Table

    def table(key):
        return Table(key=key, title="", columns=[], rows=[], lineage=Lineage("s", "q"))

    names = sheet_names([table("a" * 40), table("a" * 40), table("x/y:z"), table("contents")], {"Contents"})
    assert names == ["a" * 31, "a" * 27 + " (2)", "xyz", "contents (2)"]


def test_docx_has_headings_texts_every_table_cell_a_chart_and_the_legend():
    doc = Document(io.BytesIO(render_docx(sample_report(language="lv"))))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "1. Reģistri" in paragraphs and "1.1. Izglītojamie" in paragraphs and "2. Piezīmes" in paragraphs
    assert "Skaitļi ir no reģistra." in paragraphs
    assert "[x] — Nav datu: avota dati nav saņemti vai rādītājs nav aprēķināts." in paragraphs
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells == [["Veids", "Iestādes", "Īpatsvars, %"], ["Pirmsskola", "612", "48,3"],
                     ["Vispārējā", f"1{NBSP}234", "50,0"], ["Profesionālā", "[x]", "[c]"],
                     ["Kopā", f"12{NBSP}345", "100,0"]]
    assert [[c.text for c in row.cells] for row in doc.tables[1].rows][2] == ["Vidējā", f"43{NBSP}210"]
    assert len(doc.inline_shapes) == 1  # the chart
