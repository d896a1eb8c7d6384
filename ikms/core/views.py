"""What every page that calls a service does (one place for all apps): refuse a user the policy does not allow,
and run the service so that its refusal lands on the form — by field where the form has the field, else above the
form — with nothing written, and its success is announced."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from ikms.core.exceptions import ApplicationError


def require(allowed: bool) -> None:
    """A 403 unless `allowed` (the answer of a policy or gate)."""
    if not allowed:
        raise PermissionDenied


def run_service(
    request, form, action: Callable[[], object], success: str, *, field_names: Mapping[str, str] | None = None
) -> bool:
    """Call `action` (a service); True when it succeeded (its `success` message shown), False when it refused (its
    messages on `form`). `field_names`: the form's name of a field the service names otherwise."""
    try:
        action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                field = (field_names or {}).get(name, name)
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return False
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return False
    messages.success(request, success)
    return True
