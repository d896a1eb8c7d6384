"""The catalogue of indicators and risk rules (the YAML definitions, analytics.compile), for display: read once
per process and cached."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language

from analytics.spec.texts import indicator_texts
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
    """An indicator as pages and the API show it: its name, description and technical note filled in with its
    parameters (analytics.spec.texts), in both languages."""

    code: str
    theme: str
    name_lv: str
    name_en: str
    description_lv: str
    description_en: str
    technical_lv: str
    technical_en: str
    type: str
    factor: float
    min_denominator: int
    version: str
    order: int

    @property
    def technical(self) -> str:
        """The specialist's definition (data fields and codes) in the active language; "" if there is none."""
        return self.technical_en if (get_language() or "lv").startswith("en") else self.technical_lv

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


def _number(value: float, decimals: int) -> str:
    return number_format(value, decimals, force_grouping=True)


def _texts(indicator, lang: str) -> tuple[str, str, str]:
    """The indicator's name, description and technical note in `lang`, its parameters filled in with their units
    and numbers in that language's format."""
    with translation.override(lang):
        return indicator_texts(indicator, lang, number=_number)


@cache
def indicators() -> dict[str, IndicatorInfo]:
    """Every indicator of the catalogue, in theme order then file order."""
    themes = list(THEMES)
    out = []
    for i, ind in enumerate(catalogue().indicators):
        theme = Path(ind.path).stem if ind.path else ""
        (name_lv, description_lv, technical_lv), (name_en, description_en, technical_en) = (
            _texts(ind, lang) for lang in ("lv", "en"))
        out.append(IndicatorInfo(code=ind.code, theme=theme, name_lv=name_lv, name_en=name_en,
                                 description_lv=description_lv, description_en=description_en,
                                 technical_lv=technical_lv, technical_en=technical_en, type=ind.type,
                                 factor=float(ind.factor), min_denominator=int(ind.min_denominator),
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
