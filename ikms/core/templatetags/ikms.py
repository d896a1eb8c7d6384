"""Template helpers: query-string building for filters and pagination, figures and dates in the active language,
the scroll box of a table."""

import json
import re
from html import unescape

from django import template
from django.template.base import token_kwargs
from django.urls import translate_url
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ikms.core.disclosure import legend
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


_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]+>")


class TableScrollNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context) -> str:
        inner = self.nodelist.render(context)
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        if values.get("labelledby"):
            name = format_html('aria-labelledby="{}"', values["labelledby"])
        else:
            label = values.get("label")
            if not label:
                caption = _CAPTION.search(inner)
                label = " ".join(unescape(_TAG.sub(" ", caption.group(1))).split()) if caption else ""
            if not label:
                raise template.TemplateSyntaxError("table_scroll: give label= or labelledby=, or a captioned table")
            name = format_html('aria-label="{}"', label)
        return format_html('<div class="ikms-table-scroll" tabindex="0" role="region" {}>{}</div>', name,
                           mark_safe(inner))  # noqa: S308 (the template's own rendered output)


@register.tag("table_scroll")
def table_scroll(parser, token):
    """`{% table_scroll %}<table>…</table>{% endtable_scroll %}`: the table in its scroll box, written by the server
    so that a wide table never widens the page, with or without JavaScript (static/ikms/tables.js only adds a box a
    template forgot). The box is a focusable, named region (WCAG 2.1.1): named by `label=`, by the element whose
    id is `labelledby=`, or else by the table's caption."""
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:], parser)
    unknown = set(kwargs) - {"label", "labelledby"}
    if unknown or len(kwargs) != len(bits) - 1:
        raise template.TemplateSyntaxError(f"{bits[0]} takes label= or labelledby= only")
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist, kwargs)


@register.simple_tag
def disclosure_legend(not_applicable: str | None = None) -> list[tuple[str, str]]:
    """The markers of disclosure control and their explanations in the active language (ikms.core.disclosure),
    for the legend under a page's tables: `{% disclosure_legend as rows %}`."""
    return legend(not_applicable=not_applicable)
