"""API plumbing, shared by every endpoint: pagination, the one exception handler, permission glue to predicates,
the language of the answer and the checking of query parameters.

Input rules (the same for the whole API):

- a view declares its query parameters as a serializer (`query_serializer_class`); `ApiMixin` validates it
  before the view runs, and the OpenAPI schema lists exactly those parameters (ikms.core.openapi.AutoSchema);
- an enum parameter is a `QueryChoiceField`: an unknown value is a 400 naming the parameter and the allowed
  values (never a silent empty list);
- a school year is a `SchoolYearField` (ikms.core.school_year: "2023/2024", the second year following the first;
  the same rule and message as the pages' forms and the commands);
- a date is a `QueryDateField`: exactly YYYY-MM-DD, a real day (the schema's `format: date`);
- paging (`page`, `page_size`) is checked by `StandardPagination`: not a whole number, under 1 or `page_size`
  over the maximum is a 400; a page past the end is DRF's 404.

Every 400 has the one shape of `exception_handler`: {"message", "extra": {parameter: [messages]}}, in the language
the client asks for."""

import datetime
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import ParseError
from rest_framework.fields import SkipField, empty
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.school_year import SCHOOL_YEAR_ERROR, school_year_label

SCHOOL_YEAR_PATTERN = r"^\d{4}/\d{4}$"
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def validated(serializer_class: type[serializers.Serializer], data) -> dict:
    """Validate input with an Input serializer; a rejection becomes a Django ValidationError (one 400 shape)."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise DjangoValidationError({field: [str(m) for m in messages]
                                     for field, messages in serializer.errors.items()})
    return serializer.validated_data


class QueryChoiceField(serializers.ChoiceField):
    """An enum (query parameter or input field): the schema lists the values, and an unknown one is rejected
    with a message naming the parameter and the allowed values. Left out or blank: "" (no filter).

    `choices` may be a callable (e.g. the codes of the loaded catalogue), read each time a serializer is built."""

    default_error_messages = {
        "invalid_choice": _("Unknown value “{input}” of the parameter “{name}”; allowed values: {allowed}."),
    }

    def __init__(self, choices, **kwargs):
        self._choices_source = choices if callable(choices) else None
        kwargs.setdefault("required", False)
        if not kwargs["required"]:
            kwargs.setdefault("allow_blank", True)
            kwargs.setdefault("default", "")
        super().__init__(choices=[] if callable(choices) else choices, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        if self._choices_source is not None:
            self.choices = self._choices_source()

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            self.fail("invalid_choice", input=data, name=self.field_name,
                      allowed=", ".join(self.choice_strings_to_values))


@extend_schema_field({"type": "string", "pattern": SCHOOL_YEAR_PATTERN, "example": "2023/2024",
                      "description": "A school year: YYYY/YYYY, the second year following the first."})
class SchoolYearField(serializers.CharField):
    """A school year, "2023/2024" (ikms.core.school_year.school_year_label: "2023/2025" is not one). Left out or
    blank: ""."""

    default_error_messages = {"invalid": SCHOOL_YEAR_ERROR}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        if not kwargs["required"]:
            kwargs.setdefault("allow_blank", True)
            kwargs.setdefault("default", "")
        kwargs.setdefault("max_length", 9)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value == "":
            return value
        try:
            return school_year_label(value)
        except DjangoValidationError:
            self.fail("invalid")


DATE_ERROR = _("Enter the date as YYYY-MM-DD, for example 2024-03-01.")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class QueryDateField(serializers.DateField):
    """A date query parameter: exactly YYYY-MM-DD and a real day (what the schema's `format: date` allows; no
    other spelling, no blank). Left out: None (no filter)."""

    default_error_messages = {"invalid": DATE_ERROR}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        # DRF reads a blank form value as "left out"; a blank date is not a date, so it is rejected instead.
        return dictionary[self.field_name] if self.field_name in dictionary else empty

    def to_internal_value(self, value):
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.fail("invalid")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail("invalid")


class CalendarYearField(serializers.IntegerField):
    """A calendar year query parameter (the year of a date, not a school year): a whole number from 1991 to this
    year, the pages' rule (ikms.registry.forms.YearFilterForm). Left out: None (no filter)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", None)
        kwargs.setdefault("min_value", 1991)
        kwargs.setdefault("max_value", timezone.localdate().year)  # each request's serializer builds its fields anew
        super().__init__(**kwargs)


class StandardPagination(PageNumberPagination):
    """Page-number paging that rejects what it cannot read: `page` and `page_size` must be whole numbers from 1
    (`page_size` at most `max_page_size`), otherwise a 400 (not a silent default); a page past the end is a
    404, as DRF answers."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()

    def paginate_queryset(self, queryset, request, view=None):
        self.check_parameters(request)
        return super().paginate_queryset(queryset, request, view)

    def check_parameters(self, request) -> None:
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and not (_WHOLE_NUMBER.fullmatch(page) and int(page) >= 1):
            errors[self.page_query_param] = [
                _("The parameter “%(name)s” must be a whole number, 1 or more.") % {"name": self.page_query_param}]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (_WHOLE_NUMBER.fullmatch(size) and 1 <= int(size) <= self.max_page_size):
            errors[self.page_size_query_param] = [
                _("The parameter “%(name)s” must be a whole number from 1 to %(max)d.")
                % {"name": self.page_size_query_param, "max": self.max_page_size}]
        if errors:
            raise DjangoValidationError(errors)

    def get_page_size(self, request):
        size = request.query_params.get(self.page_size_query_param)
        return self.page_size if size is None else int(size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class ApiMixin:
    """The base of every API view:

    - answers in the language the client asks for (the language cookie, then Accept-Language; Latvian by
      default: LocaleMiddleware cannot, the API being outside i18n_patterns, where it always picks Latvian);
    - validates the query parameters of a GET with `query_serializer_class` (after authentication and the
      permission check) into `self.query`;
    - rejects an unreadable body (malformed JSON...) with the same 400 shape as any other input error: DRF
      raises ParseError wherever the body is first read, which for a session POST is the CSRF check."""

    query_serializer_class: type[serializers.Serializer] | None = None
    query: dict

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.query = {}
        if self.query_serializer_class is not None and request.method in ("GET", "HEAD"):
            self.query = validated(self.query_serializer_class, request.query_params)

    def handle_exception(self, exc):
        if isinstance(exc, ParseError):
            exc = DjangoValidationError({"non_field_errors": [str(exc.detail)]})
        return super().handle_exception(exc)

    def dispatch(self, request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = super().dispatch(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        return response


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


class WithheldFieldsMixin:
    """An output serializer some of whose fields a caller may not see: `withheld(instance)` names them, and they are
    left out of the answer (not sent as null, and never read from the object). Declare such fields `required=False`
    so the schema does not promise them; the rule that decides comes from the app's permissions module."""

    def withheld(self, instance) -> set[str]:
        return set()

    def to_representation(self, instance):
        withheld = self.withheld(instance)
        out = {}
        for field in self._readable_fields:  # type: ignore[attr-defined]
            if field.field_name in withheld:
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            out[field.field_name] = None if attribute is None else field.to_representation(attribute)
        return out
