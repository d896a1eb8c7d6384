"""Validation of register identifiers: registration numbers and programme codes."""

import re
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent / "data"
_REG_NUMBER = re.compile(r"^\d{10}$")


def validate_registration_number(value: str) -> None:
    """Institution registration number: exactly 10 digits (structure not published, domain §7.2)."""
    if not _REG_NUMBER.match(value or ""):
        raise ValidationError(
            _("Registration number must be exactly 10 digits (got “%(value)s”)."),
            code="invalid_registration_number",
            params={"value": value},
        )


@cache
def programme_types() -> dict[str, dict]:
    """Programme type prefixes of the Latvian Education Classification (MK 322), from YAML."""
    with (DATA_DIR / "programme_types.yaml").open(encoding="utf-8") as fh:
        rows = yaml.safe_load(fh)["programme_types"]
    return {row["prefix"]: row for row in rows}


def programme_type_for(code: str) -> dict | None:
    """The classification row a programme code belongs to (longest prefix wins), or None."""
    types = programme_types()
    for length in (3, 2):
        row = types.get(code[:length])
        if row:
            return row
    return None


#: Levels of general education (figure 1 of the annual report); the others are vocational (table 8).
GENERAL_LEVELS = ("preschool", "basic", "secondary")
VOCATIONAL_LEVELS = ("vocational", "continuing_vocational", "professional_development", "vocational_orientation")


def is_special_programme(code: str) -> bool:
    """A special general education programme: the Latvian Education Classification's programme group "015"
    (special education) in the thematic positions 3–5 of a general programme's code, e.g. 01015611, 21015611;
    the 6th digit then says which special needs (domain.md §3.2)."""
    row = programme_type_for(code or "")
    return bool(row) and row["level"] in GENERAL_LEVELS and code[2:5] == "015"


def validate_programme_code(value: str) -> None:
    """Programme code: 8 characters, a known programme-type prefix, digits after it (domain §3.2)."""
    value = value or ""
    if len(value) != 8:
        raise ValidationError(
            _("Programme code must be exactly 8 characters (got %(length)d)."),
            code="invalid_programme_code_length",
            params={"length": len(value)},
        )
    row = programme_type_for(value)
    if row is None:
        raise ValidationError(
            _("“%(prefix)s” is not a programme type of the Latvian Education Classification."),
            code="unknown_programme_type",
            params={"prefix": value[:2]},
        )
    rest = value[len(row["prefix"]):]
    if not rest.isdigit():
        raise ValidationError(
            _("After the programme type “%(prefix)s” the code must contain only digits."),
            code="invalid_programme_code_digits",
            params={"prefix": row["prefix"]},
        )
