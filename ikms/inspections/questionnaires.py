"""Thematic questionnaires (data/questionnaires.yaml): their questions and answer types, the check of one visit's
answers, and the aggregate of the answers across the visits of a questionnaire (counts and shares per question, a
level distribution with the positive group "Labi / Ļoti labi / Izcili" and its calibration key)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

PATH = Path(__file__).parent / "data" / "questionnaires.yaml"
TYPES = ("yes_no", "level", "number", "text")
LEVELS = ("insufficient", "needs_improvement", "good", "very_good", "excellent")
LEVEL_LABELS = {
    "insufficient": gettext_lazy("Insufficient"),
    "needs_improvement": gettext_lazy("Needs improvement"),
    "good": gettext_lazy("Good"),
    "very_good": gettext_lazy("Very good"),
    "excellent": gettext_lazy("Excellent"),
}
#: A level answer's group (calibration-2024.yaml `unified_school_evaluation_2023_2024`).
LEVEL_GROUPS = {
    "insufficient": "insufficient",
    "needs_improvement": "needs_improvement",
    "good": "optimal_or_ahead",
    "very_good": "optimal_or_ahead",
    "excellent": "optimal_or_ahead",
}


def _pick(texts: dict[str, str]) -> str:
    return texts.get((get_language() or "lv")[:2], texts["lv"])


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    texts: dict[str, str]
    calibration: str = ""

    @property
    def text(self) -> str:
        return _pick(self.texts)


@dataclass(frozen=True)
class Questionnaire:
    code: str
    titles: dict[str, str]
    questions: tuple[Question, ...]
    calibration: str = ""

    @property
    def title(self) -> str:
        return _pick(self.titles)

    def question(self, code: str) -> Question:
        return next(q for q in self.questions if q.code == code)

    def clean(self, answers: dict) -> dict:
        """The answers of one visit, checked against the question types (unknown questions refused, empty ones
        left out); a ValidationError, in the active language, names the question."""
        known = {q.code: q for q in self.questions}
        errors = {}
        cleaned = {}
        for code, value in answers.items():
            q = known.get(code)
            if q is None:
                errors[code] = _("Unknown question.")
                continue
            if value in (None, ""):
                continue
            if q.type == "yes_no" and not isinstance(value, bool):
                errors[code] = _("Answer yes or no.")
            elif q.type == "level" and value not in LEVELS:
                errors[code] = _("Choose a quality level.")
            elif q.type == "number" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                errors[code] = _("Enter a whole number, 0 or more.")
            elif q.type == "text" and not isinstance(value, str):
                errors[code] = _("Enter text.")
            else:
                cleaned[code] = value
        if errors:
            raise ValidationError(errors)
        return cleaned


def _parse(data: dict) -> dict[str, Questionnaire]:
    result = {}
    for code, body in data.items():
        questions = []
        for q in body["questions"]:
            if q["type"] not in TYPES:
                raise ValueError(f"questionnaire {code}: unknown answer type {q['type']!r}")
            if set(q["text"]) != {"lv", "en"}:
                raise ValueError(f"questionnaire {code}: question {q['code']} needs lv and en texts")
            questions.append(
                Question(code=q["code"], type=q["type"], texts=q["text"], calibration=q.get("calibration", ""))
            )
        if len({q.code for q in questions}) != len(questions):
            raise ValueError(f"questionnaire {code}: a question code is repeated")
        result[code] = Questionnaire(
            code=code, titles=body["title"], questions=tuple(questions), calibration=body.get("calibration", "")
        )
    return result


@cache
def questionnaires() -> dict[str, Questionnaire]:
    return _parse(yaml.safe_load(PATH.read_text(encoding="utf-8")))


def questionnaire(code: str) -> Questionnaire:
    try:
        return questionnaires()[code]
    except KeyError:
        raise ValidationError({"questionnaire": _("Unknown questionnaire.")}) from None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    counts: dict[str, int]  # yes_no: {"yes", "no"}; level: per level; number: {"sum"}
    groups: dict[str, int]  # level: per group (LEVEL_GROUPS)

    @property
    def yes(self) -> int:
        return self.counts.get("yes", 0)

    @property
    def share(self) -> float | None:
        """The share of yes answers among the answered, percent."""
        return 100 * self.yes / self.answered if self.answered and self.question.type == "yes_no" else None


def aggregate(q: Questionnaire, answer_rows) -> tuple[int, list[QuestionResult]]:
    """Aggregate (inspection_id, question, value) rows of a questionnaire: the number of visits, and per question
    (text questions left out) the answers counted."""
    by_question: dict[str, list] = {x.code: [] for x in q.questions}
    visits = set()
    for inspection_id, code, value in answer_rows:
        visits.add(inspection_id)
        if code in by_question:
            by_question[code].append(value)
    results = []
    for question in q.questions:
        values = by_question[question.code]
        counts: dict[str, int] = {}
        groups: dict[str, int] = {}
        if question.type == "yes_no":
            counts = {"yes": sum(1 for v in values if v is True), "no": sum(1 for v in values if v is False)}
        elif question.type == "level":
            counts = {level: sum(1 for v in values if v == level) for level in LEVELS}
            for level, n in counts.items():
                groups[LEVEL_GROUPS[level]] = groups.get(LEVEL_GROUPS[level], 0) + n
        elif question.type == "number":
            counts = {"sum": sum(values)}
        else:
            continue
        results.append(QuestionResult(question=question, answered=len(values), counts=counts, groups=groups))
    return len(visits), results


def calibration_figures(q: Questionnaire, visits: int, results: list[QuestionResult]) -> dict[str, int]:
    """The aggregate in the keys of the questionnaire's calibration block (for the demo check and the page)."""
    figures = {"institutions_visited": visits}
    for r in results:
        if r.question.type == "yes_no" and r.question.calibration:
            figures[r.question.calibration] = r.yes
        elif r.question.type == "level":
            figures.update(r.groups)
    return figures
