"""Numbers and dates as people read them, in the active language: one place for pages, texts and exports.

Latvian pages write 27.03.2025. (dd.mm.gggg., with the closing dot) and 66,8 (a decimal comma, a no-break space
between thousands); English pages write 27 March 2025 and 66.8. The formats themselves are settings
(`config/formats/<language>/formats.py`, FORMAT_MODULE_PATH), so `{{ day|date }}` in a template and `date_text`
here agree. Templates use the `num` filter of the `ikms` tag library for figures.

Exports (`ikms.core.exports`) keep a table's values as values: XLSX cells hold real numbers and dates; a CSV file
writes whole numbers without decimals ("45", never "45.0") and, for Latvian, decimals with a comma ("66,8") and
dates as 27.03.2025.; an English CSV writes 66.8 and ISO 8601 dates (2025-03-27), which any program reads.
"""

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone, translation

#: What a table shows for a missing figure.
MISSING = "–"


def _decimal(value) -> Decimal | None:
    """The value as a Decimal (floats through their shortest repr, so 66.85 stays 66.85); None if not a number."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, int):
        return Decimal(value)
    try:
        parsed = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return parsed if parsed.is_finite() else None


def round_half_up(value: Decimal, digits: int) -> Decimal:
    """Rounded as people round (2.25 → 2.3), not as binary floats do."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number_text(value, digits: int = 1, *, trim: bool = False, grouping: bool = True) -> str:
    """A figure in the active language: a whole number without decimals (184, 12 345), any other rounded to
    `digits` decimals (66,8), without trailing zeros when `trim` (66,5 rather than 66,50); a dash for a missing
    value; text that is not a number as it is."""
    number = _decimal(value)
    if number is None:
        return MISSING if value is None or value == "" else str(value)
    if number == number.to_integral_value():
        return formats.number_format(int(number), force_grouping=grouping)
    rounded = round_half_up(number, int(digits))
    if trim:
        rounded = rounded.normalize()
        if rounded == rounded.to_integral_value():
            return formats.number_format(int(rounded), force_grouping=grouping)
        return formats.number_format(rounded, force_grouping=grouping)
    return formats.number_format(rounded, int(digits), force_grouping=grouping)


def date_text(value: dt.date | dt.datetime | None, *, with_time: bool = False) -> str:
    """A date (or a moment, in local time) in the active language: 27.03.2025. / 27 March 2025, with the time
    (14:30) when `with_time`; empty for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if not with_time:
            value = value.date()
    return formats.date_format(value, "DATETIME_FORMAT" if with_time else "DATE_FORMAT")


def parse_iso(value) -> dt.date | dt.datetime | None:
    """A date or a moment written in ISO 8601 ("2024-06-30", "2024-06-30 12:00:00"); None if it is not one."""
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _latvian() -> bool:
    return not (translation.get_language() or "lv").startswith("en")


def export_value(value, *, for_csv: bool):
    """One cell of an export. XLSX (`for_csv` False): numbers stay numbers (whole floats as integers), dates stay
    dates (moments in local time, without a zone, as Excel wants them), lazy texts become text. CSV: the text of
    the cell (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value) if for_csv else value
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if not for_csv:
            return local.replace(tzinfo=None)
        return local.strftime("%d.%m.%Y. %H:%M" if _latvian() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        if not for_csv:
            return value
        return value.strftime("%d.%m.%Y." if _latvian() else "%Y-%m-%d")
    if isinstance(value, int | float | Decimal):
        number = _decimal(value)
        if number is None:
            return ""
        if number == number.to_integral_value():
            whole = int(number)
            return str(whole) if for_csv else whole
        if not for_csv:
            return float(number)
        text = format(number.normalize(), "f")
        return text.replace(".", ",") if _latvian() else text
    return str(value)
