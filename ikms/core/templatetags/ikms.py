"""Template helpers: query-string building for filters and pagination, figures and dates in the active language."""

import json

from django import template
from django.urls import translate_url
from django.utils.formats import get_format
from django.utils.translation import gettext

from ikms.core.formatting import number_text, parse_iso

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (page links, export links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """The current page in another language (Latvian at /, English under /en/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.filter
def num(value, digits: int = 1) -> str:
    """A figure for a page: whole numbers without decimals, others rounded to `digits` decimals, with the
    locale's separators (66,8 and 12 345 in Latvian); a dash for a missing value (ikms.core.formatting)."""
    return number_text(value, int(digits))


@register.filter
def iso_date(value):
    """A date or moment written as ISO 8601 text ("2024-06-30 12:00:00") as a date for the `date` filter; the
    value as it is when it is not one."""
    parsed = parse_iso(value)
    return value if parsed is None else parsed


@register.simple_tag
def js_texts():
    """The texts a page's script shows (static/ikms/tables.js), in the active language, as JSON for the script
    element's data-texts attribute (escaped by the template): the scripts are static files, and the catalogue
    stays the one place for translations."""
    return json.dumps({
        "ascending": gettext("ascending"),
        "descending": gettext("descending"),
        # Translators: read by a screen reader after a sortable table's column header is pressed.
        "sorted": gettext("The table is sorted by “%(column)s”, %(order)s."),
        "pageOnly": gettext("Sorting by a column orders the rows shown on this page only."),
        "table": gettext("Table"),
        "decimal": get_format("DECIMAL_SEPARATOR"),
    }, ensure_ascii=False)
