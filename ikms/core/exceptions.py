"""Domain errors. Services raise these (or Django's ValidationError), never API-layer errors."""

from typing import Any


class ApplicationError(Exception):
    """A business rule was broken; `message` is user-facing and already translated."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The actor may not perform this action."""
