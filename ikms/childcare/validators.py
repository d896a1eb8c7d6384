"""Identifiers of the register of child supervision providers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGISTRATION_CODE_ERROR = _("A registration code has exactly 11 digits.")


def validate_registration_code(code: str) -> None:
    """A legal person's registration code in the Register of Enterprises: 11 digits."""
    if not re.fullmatch(r"\d{11}", code or ""):
        raise ValidationError(REGISTRATION_CODE_ERROR, code="registration_code")
