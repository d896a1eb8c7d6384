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
