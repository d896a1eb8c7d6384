"""The ten EQAVET indicators and how IKMS gives each (analytics/definitions/eqavet.yaml): computed by the engine
(an indicator code of the catalogue), counted from the register, or not computable with the data it lacks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFINITIONS = Path(__file__).resolve().parent / "definitions" / "eqavet.yaml"


@dataclass(frozen=True)
class EqavetIndicator:
    number: int
    name: dict[str, str]
    indicator: str = ""  # the engine's indicator code
    register: str = ""  # a figure counted from the register
    how: dict[str, str] | None = None
    lacks: dict[str, str] | None = None

    @property
    def computable(self) -> bool:
        return bool(self.indicator or self.register)


@lru_cache(maxsize=1)
def eqavet_indicators() -> tuple[EqavetIndicator, ...]:
    """The ten, in order; each either computable (an engine indicator or a register figure) or lacking data."""
    rows = yaml.safe_load(DEFINITIONS.read_text(encoding="utf-8"))["indicators"]
    out = tuple(EqavetIndicator(**row) for row in rows)
    if [i.number for i in out] != list(range(1, 11)):
        raise ValueError(f"{DEFINITIONS}: the ten EQAVET indicators, numbered 1 to 10, are expected")
    for i in out:
        if i.computable == bool(i.lacks) or not all(i.name.get(lang) for lang in ("lv", "en")):
            raise ValueError(f"{DEFINITIONS}: indicator {i.number}: a name in lv and en, and either a way to "
                             "compute it or what it lacks")
    return out
