"""The OpenAPI schema (drf-spectacular): the error answers every API view can give, documented from the same
machinery that produces them, so the schema states exactly which status codes a client can receive.

- 403 `{"detail"}` wherever a permission class other than AllowAny guards the view (SessionAuthentication has
  no WWW-Authenticate challenge, so DRF answers an anonymous caller 403, not 401);
- 404 `{"detail"}` for a path with a parameter (missing or invisible object: the same answer) and for a
  paginated list (a page number past the end);
- 400 `{"message", "extra"}` (ikms.core.api.exception_handler) for a view that checks query parameters (its
  `query_serializer_class`, whose fields are listed as the parameters, enums as enums) or pages (`page`,
  `page_size`), and wherever a view declares it with `VALIDATION_ERROR` (input bodies)."""

from django.http import JsonResponse
from django.utils import translation
from django.views.defaults import page_not_found
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, serializers


class ErrorOutputSerializer(serializers.Serializer):
    """DRF's error body: not signed in, not allowed, not found, invalid page."""

    detail = serializers.CharField()


class ValidationErrorOutputSerializer(serializers.Serializer):
    """A rejected input (ikms.core.api.exception_handler): one message and the messages per field."""

    message = serializers.CharField()
    extra = serializers.DictField(child=serializers.JSONField(),
                                  help_text="Messages per field (`non_field_errors` for the whole input).")


VALIDATION_ERROR = OpenApiResponse(ValidationErrorOutputSerializer, description="The input was rejected.")
FORBIDDEN = "Not signed in, or the user's roles do not allow this."
NOT_FOUND = "No such object, or not one the user may see (the same answer)."
PAGE_NOT_FOUND = "A page number past the end, or an object named in a filter that does not exist or is not " \
                 "one the user may see."


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema plus the query parameters the view checks and the 400, 403 and 404 answers
    the view can give."""

    def _query_serializer(self):
        if self.method in ("GET", "HEAD"):
            return getattr(self.view, "query_serializer_class", None)
        return None

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._query_serializer() is not None:
            parameters.append(self._query_serializer())
        return parameters

    def _is_paginated_list(self) -> bool:
        return "{" not in self.path and self._is_list_view() and self._get_paginator() is not None

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        extra = {}
        if self._query_serializer() is not None or self._is_paginated_list():
            extra["400"] = VALIDATION_ERROR
        if any(not isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()):
            extra["403"] = OpenApiResponse(ErrorOutputSerializer, description=FORBIDDEN)
        if "{" in self.path:
            extra["404"] = OpenApiResponse(ErrorOutputSerializer, description=NOT_FOUND)
        elif self._is_paginated_list():
            extra["404"] = OpenApiResponse(ErrorOutputSerializer, description=PAGE_NOT_FOUND)
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses


def not_found(request, exception):
    """The 404 handler: a path under /api/ that matches no route (e.g. /api/v1/institutions/abc/ where the id
    must be a number) answers like every API 404, in JSON; any other path gets the 404 page."""
    if request.path.startswith("/api/"):
        with translation.override(translation.get_language_from_request(request)):
            return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)
