"""Table exports as CSV (UTF-8 with BOM, for Excel) and XLSX, streamed to the browser.

Cells are written by `ikms.core.formatting.export_value`: XLSX keeps numbers and dates as such (a date column
shows dd.mm.yyyy. in a Latvian export, yyyy-mm-dd in an English one); CSV writes whole numbers without decimals
("45", not "45.0"), Latvian decimals with a comma (quoted, "66,8", as the comma also separates the fields) and
Latvian dates as 27.03.2025.; an English CSV writes 66.8 and 2025-03-27. Views pass numbers and dates, not
texts made from them."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ikms.core.formatting import export_value

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_date_formats() -> tuple[str, str]:
    """Excel number formats for a date and a moment in the active language."""
    if (translation.get_language() or "lv").startswith("en"):
        return "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
    return "dd.mm.yyyy.", "dd.mm.yyyy. hh:mm"


def export_response(*, fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Return the table as a CSV or XLSX download."""
    if fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=filename[:31])
        ws.append([str(h) for h in headers])
        date_format, datetime_format = _xlsx_date_formats()
        for row in rows:
            cells = []
            for v in row:
                value = export_value(v, for_csv=False)
                if isinstance(value, dt.date):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = datetime_format if isinstance(value, dt.datetime) else date_format
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([export_value(v, for_csv=True) for v in row])
    response = HttpResponse(buf.getvalue().encode("utf-8"), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
