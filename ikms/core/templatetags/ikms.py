"""Template helpers: query-string building for filters and pagination."""

from django import template

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
    from django.urls import translate_url

    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.filter
def num(value, digits: int = 1) -> str:
    """A figure for a table: integers without decimals, others to `digits` decimals, the locale's separators;
    a dash for a missing value."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "–"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if f.is_integer():
        return number_format(int(f), force_grouping=True)
    return number_format(round(f, int(digits)), int(digits), force_grouping=True)
