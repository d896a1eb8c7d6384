"""The teaching profession (issue 15): the subject list the staff and vacancies data use, with its names.

The indicators themselves are declared in analytics/definitions/indicators/teaching.yaml and built by the
measures of analytics/compile/measures.py ("the teaching profession")."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

SUBJECTS_FILE = Path(__file__).resolve().parents[1] / "definitions" / "subjects.yaml"
#: Age band codes of the teachers_age_bands indicator, youngest first (analytics/compile/measures.py AGE_BANDS).
AGE_BAND_CODES = ("under_30", "30_39", "40_49", "50_59", "60_64", "65_plus")


@cache
def subject_names() -> dict[str, dict[str, str]]:
    """Subject code -> {"lv": name, "en": name}, in the file's order."""
    data = yaml.safe_load(SUBJECTS_FILE.read_text(encoding="utf-8"))
    return {code: {"lv": str(names["lv"]), "en": str(names["en"])} for code, names in data["subjects"].items()}
