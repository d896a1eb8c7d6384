"""Deploy checks (`manage.py check --deploy`) of IKMS's own secrets."""

import re

from django.conf import settings
from django.core import checks

#: The key config/django/base.py falls back to: development and tests only.
DEVELOPMENT_PSEUDONYM_KEY = "ikms-development-pseudonym-key"
MIN_KEY_BYTES = 32
MIN_DISTINCT_CHARACTERS = 10
HEX = re.compile(r"[0-9a-fA-F]+")


def key_material(key: str) -> int:
    """Bytes of key material in a key: a key written in hexadecimal (only 0-9, a-f, an even number of digits)
    counts its decoded bytes, so 64 digits are 32 bytes; any other key counts its UTF-8 bytes (a base64 or
    `secrets.token_urlsafe(32)` key of 43+ characters holds 32 random bytes)."""
    if HEX.fullmatch(key) and len(key) % 2 == 0:
        return len(bytes.fromhex(key))
    return len(key.encode("utf-8"))


def pseudonym_key_check(app_configs, **kwargs):
    """IKMS_PSEUDONYM_KEY keys the hash that replaces personal codes: a short or guessable key would let anyone
    holding the lake recompute pseudonyms from the (small, enumerable) space of personal codes. Refused: no key,
    the development key, fewer than 32 bytes of key material, fewer than 10 different characters."""
    key = str(getattr(settings, "IKMS_PSEUDONYM_KEY", "") or "")
    hint = "Generate one with: python -c \"import secrets; print(secrets.token_urlsafe(32))\""
    problem = None
    if not key:
        problem = "IKMS_PSEUDONYM_KEY is not set."
    elif DEVELOPMENT_PSEUDONYM_KEY in key:
        problem = "IKMS_PSEUDONYM_KEY is the development key."
    elif key_material(key) < MIN_KEY_BYTES:
        problem = (f"IKMS_PSEUDONYM_KEY has {key_material(key)} bytes of key material; at least {MIN_KEY_BYTES} "
                   "are required (64 hexadecimal digits, or 32 characters otherwise).")
    elif len(set(key)) < MIN_DISTINCT_CHARACTERS:
        problem = f"IKMS_PSEUDONYM_KEY has fewer than {MIN_DISTINCT_CHARACTERS} different characters."
    if problem is None:
        return []
    return [checks.Error(problem, hint=hint, id="ikms.E001")]


def second_factor_check(app_configs, **kwargs):
    """IKVD staff and accreditation experts sign in with a second factor in a deployment (ADR 0019):
    config/django/production.py sets IKMS_REQUIRE_2FA; a deployment that runs other settings must too."""
    if getattr(settings, "IKMS_REQUIRE_2FA", False):
        return []
    return [checks.Error("IKMS_REQUIRE_2FA is off: IKVD staff and accreditation experts could sign in with a "
                         "password alone.", hint="Use config.django.production, or set IKMS_REQUIRE_2FA = True.",
                         id="ikms.E002")]
