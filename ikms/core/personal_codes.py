"""Personal codes (personas kods) are never stored in clear: only a keyed hash, so that the same person can be found
again (a serial complaint submitter, a psychologist already in the register) without keeping the code."""

import hashlib
import hmac
import re

from django.conf import settings


def personal_code_digest(code: str) -> str:
    """A keyed hash of a personal code (digits only), so the same person can be found without storing the code."""
    digits = re.sub(r"\D", "", code or "")
    if not digits:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()
