"""The catalogue of indicators and risk rules (the YAML definitions, analytics.compile), for display: read once
per process and cached."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from ikms.monitoring.labels import IMPORTANCE, IMPORTANCE_WEIGHT, THEMES


class _Bilingual:
    """`name` and `description` in the active language (the catalogue holds both)."""

    name_lv: str
    name_en: str
    description_lv: str
    description_en: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "lv").startswith("en") else self.name_lv

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "lv").startswith("en") else self.description_lv


@dataclass(frozen=True)
class IndicatorInfo(_Bilingual):
    code: str
    theme: str
    name_lv: str
    name_en: str
    description_lv: str
    description_en: str
    type: str
    factor: float
    min_denominator: int
    version: str
    order: int

    @property
    def theme_label(self) -> str:
        return str(THEMES.get(self.theme, self.theme))

    @property
    def is_percent(self) -> bool:
        return self.factor == 100

    @property
    def is_count(self) -> bool:
        return self.type == "count"


@dataclass(frozen=True)
class RuleInfo(_Bilingual):
    code: str
    name_lv: str
    name_en: str
    description_lv: str
    description_en: str
    importance: str
    indicator: str
    version: str

    @property
    def importance_label(self) -> str:
        return str(IMPORTANCE.get(self.importance, self.importance))

    @property
    def weight(self) -> int:
        return IMPORTANCE_WEIGHT.get(self.importance, 1)


@cache
def catalogue():
    """The compiled catalogue of the YAML definitions (analytics.compile.default_catalogue), read once: the one
    the pages, the evidence sentences and the data-quality rules show."""
    from analytics.compile import default_catalogue

    return default_catalogue()


@cache
def indicators() -> dict[str, IndicatorInfo]:
    """Every indicator of the catalogue, in theme order then file order."""
    themes = list(THEMES)
    out = []
    for i, ind in enumerate(catalogue().indicators):
        theme = Path(ind.path).stem if ind.path else ""
        out.append(IndicatorInfo(code=ind.code, theme=theme, name_lv=ind.name.lv, name_en=ind.name.en,
                                 description_lv=ind.description.lv, description_en=ind.description.en,
                                 type=ind.type, factor=float(ind.factor), min_denominator=int(ind.min_denominator),
                                 version=ind.version,
                                 order=(themes.index(theme) if theme in themes else len(themes)) * 1000 + i))
    return {i.code: i for i in sorted(out, key=lambda i: i.order)}


@cache
def rules() -> dict[str, RuleInfo]:
    from ikms.monitoring.evidence import rule_description  # the YAML's template with the parameters filled in

    return {r.code: RuleInfo(code=r.code, name_lv=r.name.lv, name_en=r.name.en,
                             description_lv=rule_description(r, "lv"), description_en=rule_description(r, "en"),
                             importance=r.importance, indicator=r.left, version=r.version)
            for r in catalogue().rules}
