import pytest
from django.core.exceptions import ValidationError

from ikms.registry.validators import programme_type_for, validate_programme_code, validate_registration_number


@pytest.mark.parametrize("value", ["3813800960", "4219902694", "0000000000"])
def test_valid_registration_numbers(value):
    validate_registration_number(value)


@pytest.mark.parametrize("value", ["", "381380096", "38138009601", "381380096A", " 3813800960", "90001259032"])
def test_invalid_registration_numbers(value):
    with pytest.raises(ValidationError) as exc:
        validate_registration_number(value)
    assert exc.value.code == "invalid_registration_number"


@pytest.mark.parametrize("code", ["21011111", "31011021", "21011121", "01011111", "20V21101", "33481031",
                                  "30T34101"])
def test_valid_programme_codes(code):
    validate_programme_code(code)


@pytest.mark.parametrize(("code", "error"), [
    ("2101111", "invalid_programme_code_length"),
    ("210111111", "invalid_programme_code_length"),
    ("91011111", "unknown_programme_type"),
    ("2A011111", "unknown_programme_type"),
    ("20X21101", "unknown_programme_type"),
    ("2101111A", "invalid_programme_code_digits"),
    ("20V2110A", "invalid_programme_code_digits"),
])
def test_invalid_programme_codes(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_programme_code(code)
    assert exc.value.code == error


def test_longest_prefix_wins():
    assert programme_type_for("20V21101")["level"] == "vocational_orientation"
    assert programme_type_for("21011111")["level"] == "basic"
    assert programme_type_for("31011011")["level"] == "secondary"


def test_messages_are_bilingual():
    from django.utils.translation import override

    messages = {}
    for language in ("lv", "en"):
        with override(language), pytest.raises(ValidationError) as exc:
            validate_registration_number("123")
        with override(language):
            messages[language] = exc.value.messages[0]
    assert messages["lv"].startswith("Reģistrācijas numur")
    assert messages["en"].startswith("Registration number must be exactly 10 digits")
