"""Latvian personal codes (personas kodi): checked when typed, and never stored in clear. A register keeps only
the keyed hash (`personal_code_digest`), so the same person can be found again (a second application, a serial
submitter) without the code itself being kept. Shared by the complaints and the registers of persons."""

import datetime
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Weights of the check digit of an old-format code (DDMMYY-CNNNX): X = (1101 - Σ wᵢ·dᵢ) mod 11.
_WEIGHTS = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CENTURY = {"0": 1800, "1": 1900, "2": 2000}

PERSONAL_CODE_FORMAT = _(
    "Enter the personal code as 11 digits, with or without the hyphen after the sixth, for example 010190-10001."
)
PERSONAL_CODE_INVALID = _("This personal code is not valid: check the digits.")


def personal_code_digits(code: str) -> str:
    """The digits of a personal code as typed ("010190-10001", "010190 10001" → "01019010001")."""
    return re.sub(r"\D", "", code or "")


def personal_code_digest(code: str) -> str:
    """A keyed hash of a personal code (digits only), so the same person can be found without storing the code."""
    digits = personal_code_digits(code)
    if not digits:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()


def check_digit(first_ten: str) -> int | None:
    """The check digit of an old-format code's first ten digits (None: no code ends this way)."""
    digit = (1101 - sum(w * int(d) for w, d in zip(_WEIGHTS, first_ten, strict=True))) % 11
    return None if digit == 10 else digit


def validate_personal_code(code: str) -> None:
    """11 digits (a hyphen after the sixth allowed); a code issued before July 2017 (DDMMYY-CNNNX: date of birth,
    century digit, check digit) must hold a real date and its check digit; a newer code starts with 32."""
    text = (code or "").strip()
    if not re.fullmatch(r"\d{6}-?\d{5}", text):
        raise ValidationError(PERSONAL_CODE_FORMAT, code="format")
    digits = personal_code_digits(text)
    if digits.startswith("32"):
        return
    if not _holds_a_birth_date(digits) or check_digit(digits[:10]) != int(digits[10]):
        raise ValidationError(PERSONAL_CODE_INVALID, code="invalid")


def _holds_a_birth_date(digits: str) -> bool:
    century = _CENTURY.get(digits[6])
    if century is None:
        return False
    try:
        datetime.date(century + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return False
    return True


def old_format_code(born: datetime.date, serial: int) -> str | None:
    """The old-format code DDMMYY-CNNNX of someone born on `born` with the serial NNN (0–999), or None where no
    check digit fits (demo data and tests make codes this way; no real person's code is ever written down)."""
    century = {1800: "0", 1900: "1", 2000: "2"}[born.year // 100 * 100]
    first_ten = f"{born:%d%m}{born.year % 100:02d}{century}{serial:03d}"
    digit = check_digit(first_ten)
    return None if digit is None else f"{first_ten[:6]}-{first_ten[6:]}{digit}"


def is_personal_code(code: str) -> bool:
    """`validate_personal_code` as a yes or no."""
    try:
        validate_personal_code(code)
    except ValidationError:
        return False
    return True
