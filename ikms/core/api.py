"""API plumbing: pagination, the one exception handler, and permission glue to predicates."""

from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ikms.core.exceptions import ApplicationError, PermissionDeniedError


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Map domain errors to {"message", "extra"}; everything else as DRF does."""
    if isinstance(exc, DjangoValidationError):
        extra = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"message": "; ".join(exc.messages), "extra": extra}, status=400)
    if isinstance(exc, PermissionDeniedError):
        return Response({"message": exc.message, "extra": exc.extra}, status=403)
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=400)
    return drf_exception_handler(exc, context)


def predicate_permission(predicate: Callable[..., bool]) -> type[permissions.BasePermission]:
    """A DRF permission class built from a predicate `can_x(user) -> bool` (same rule as the views)."""

    class _Permission(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.is_authenticated and predicate(request.user))

    _Permission.__name__ = f"Predicate_{predicate.__name__}"
    return _Permission
