"""Latvian personal codes (personas kods), never stored in clear: only a keyed hash (HMAC-SHA-256 with the site's
secret key) of the code's digits, so the same person is found again without keeping the code. Complaints use it to
find a serial submitter, the spent-conviction commission to find a person's earlier applications and permits."""

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings


def personal_code_digits(code: str) -> str:
    """The code's digits only (a hyphen or spaces left out)."""
    return re.sub(r"\D", "", code or "")


def personal_code_digest(code: str) -> str:
    """A keyed hash of a personal code (digits only), "" when there are no digits."""
    digits = personal_code_digits(code)
    if not digits:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()


def is_personal_code(code: str) -> bool:
    """Has the shape of a Latvian personal code: eleven digits (a hyphen after the sixth may be written), either the
    kind issued since 1 July 2017 (starting with 32) or the older kind that begins with the date of birth (ddmmyy,
    then the century: 0 for the 1800s, 1 for the 1900s, 2 for the 2000s). Anything else is refused."""
    text = (code or "").strip()
    if not re.fullmatch(r"\d{6}-?\d{5}", text):
        return False
    digits = personal_code_digits(text)
    if digits.startswith("32"):
        return True
    century = {"0": 1800, "1": 1900, "2": 2000}.get(digits[6])
    if century is None:
        return False
    try:
        dt.date(century + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return False
    return True
