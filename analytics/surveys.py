"""The questions of the well-being survey (analytics/definitions/surveys/wellbeing.yaml): what the codes of the
lake's `wellbeing.question` mean, in Latvian and English, and whether the texts are IKMS's demonstration ones."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from analytics.lake.schemas import SURVEY_ROLES

PATH = Path(__file__).resolve().parent / "definitions" / "surveys" / "wellbeing.yaml"


@dataclass(frozen=True)
class Question:
    code: str
    role: str  # pupil or teacher
    lv: str
    en: str
    demo: bool

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.lv


@cache
def wellbeing_questions() -> dict[str, Question]:
    """Question code → question, in the file's order."""
    document = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    demo = bool(document.get("demo", False))
    out = {}
    for code, q in document["questions"].items():
        if q["role"] not in SURVEY_ROLES:
            raise ValueError(f"{PATH}: question {code}: role {q['role']!r} is not one of {SURVEY_ROLES}")
        out[str(code)] = Question(str(code), q["role"], q["lv"], q["en"], demo)
    return out
