"""Latvian personal codes: checked as typed, kept only as a keyed hash."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from ikms.core.personal_codes import (
    check_digit,
    old_format_code,
    personal_code_digest,
    personal_code_digits,
    validate_personal_code,
)


@pytest.mark.parametrize("code", ["010190-10001", "01019010001", "320000-00000", "32123456789"])
def test_valid_codes_pass(code):
    validate_personal_code(code)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("", "format"),
        ("0101901000", "format"),  # ten digits
        ("010190/10001", "format"),
        ("010190-10002", "invalid"),  # the check digit is 1
        ("310290-10001", "invalid"),  # 31 February
        ("010190-30001", "invalid"),  # no century 3xxx
    ],
)
def test_wrong_codes_are_refused(code, kind):
    with pytest.raises(ValidationError) as caught:
        validate_personal_code(code)
    assert caught.value.code == kind


def test_the_check_digit_and_codes_made_with_it():
    assert check_digit("0101901000") == 1
    born = datetime.date(1985, 5, 17)
    codes = [old_format_code(born, serial) for serial in range(40)]
    assert all(c is None or (validate_personal_code(c) is None and c.startswith("170585-1")) for c in codes)
    assert sum(c is None for c in codes) < 10  # a tenth of the serials have no check digit


def test_the_digest_is_keyed_and_ignores_how_the_code_was_typed():
    digest = personal_code_digest("010190-10001")
    assert digest == personal_code_digest(" 01019010001 ") and len(digest) == 64
    assert personal_code_digits("010190-10001") not in digest
    assert personal_code_digest("") == ""
    with override_settings(SECRET_KEY="another key of enough length for the test settings"):
        assert personal_code_digest("010190-10001") != digest
