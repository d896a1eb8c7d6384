"""Request hygiene shared by every page and API route."""

from django.conf import settings
from django.http import Http404, QueryDict

NUL = "\x00"


class NullCharactersMiddleware:
    """No IKMS value contains a NUL character and PostgreSQL text cannot hold one, so a NUL in a query parameter
    would turn a harmless search into a server error. Query parameters are cleaned before any view reads them
    (the search runs as if the character was not typed); a path with a NUL names nothing and is a 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            raise Http404
        if "%00" in request.META.get("QUERY_STRING", "").upper() or any(
                NUL in k or NUL in v for k, values in request.GET.lists() for v in values):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Sends settings.IKMS_PERMISSIONS_POLICY as the Permissions-Policy header. Django's SecurityMiddleware sets
    the other security headers but not this one; a one-line header does not justify a dependency."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "IKMS_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
