"""The demo persons of the statements: valid made-up personal codes, the ones the generator names in the lake, and
listed in README.md for testers (the demo itself is checked in tests/test_demo.py)."""

from pathlib import Path

from django.conf import settings

from ikms.core.personal_codes import is_personal_code, personal_code_digits
from ikms.statements import demo


def test_demo_codes_are_valid_and_distinct():
    codes = [code for _name, code in (*demo.PERSONS, demo.UNKNOWN)]
    assert all(is_personal_code(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert demo.lake_codes() == [personal_code_digits(code) for _name, code in demo.PERSONS]
    assert demo.UNKNOWN[1].replace("-", "") not in demo.lake_codes()


def test_every_demo_person_is_documented_for_testers():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    for name, code in (*demo.PERSONS, demo.UNKNOWN):
        assert f"`{code}` | {name} |" in readme, name
