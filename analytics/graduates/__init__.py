"""Graduate monitoring (issue 15): the ISCED-F 2013 broad fields of further study with their Latvian and English
names (analytics/definitions/study_fields.yaml). The destination and field figures are indicators
(analytics/definitions/indicators/graduates.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from analytics.lake.schemas import STUDY_FIELDS

FIELDS_FILE = Path(__file__).resolve().parents[1] / "definitions" / "study_fields.yaml"


@cache
def study_fields() -> dict[str, dict[str, str]]:
    """Field code → {"lv": name, "en": name}, in code order; checked against the lake's STUDY_FIELDS."""
    doc = yaml.safe_load(FIELDS_FILE.read_text(encoding="utf-8"))
    out = {str(f["code"]): {"lv": str(f["lv"]), "en": str(f["en"])} for f in doc["fields"]}
    if tuple(out) != STUDY_FIELDS:
        raise ValueError(f"{FIELDS_FILE}: the codes must be {', '.join(STUDY_FIELDS)}")
    return out


@cache
def study_fields_source(lang: str) -> str:
    """The source of the field list in the language ("lv" or "en")."""
    return str(yaml.safe_load(FIELDS_FILE.read_text(encoding="utf-8"))["source"][lang])
