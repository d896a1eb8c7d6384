"""The minimum class and learner numbers of analytics/definitions/network_minimums.yaml, and the checks on them.

Pure Python: no Django, no lake. The figures are configurable and marked "inferred" there (see the file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analytics.spec.loader import DEFINITIONS_ROOT

MINIMUMS_PATH = DEFINITIONS_ROOT / "network_minimums.yaml"
AREAS = ("riga", "state_city", "municipality")
#: The grade bands of the class minimums (first and last grade).
Band = tuple[int, int]


@dataclass(frozen=True)
class Minimums:
    status: str  # "inferred" or "confirmed"
    source_lv: str
    source_en: str
    area_of: dict[str, str]  # municipality code → area (codes not listed: "municipality")
    class_minimums: dict[Band, dict[str, int]]  # band → area → minimum learners in a class
    secondary_stage: dict[str, int]  # area → minimum learners in grades 10-12 together
    small_school_below: int

    @property
    def inferred(self) -> bool:
        return self.status != "confirmed"

    def area(self, municipality: str) -> str:
        return self.area_of.get(municipality, "municipality")

    def band(self, grade: int) -> Band | None:
        return next((b for b in self.class_minimums if b[0] <= grade <= b[1]), None)

    def class_minimum(self, municipality: str, grade: int) -> int | None:
        """The minimum learners of a class whose lowest grade is `grade` (None: no minimum for that grade)."""
        band = self.band(grade)
        return None if band is None else self.class_minimums[band][self.area(municipality)]

    def secondary_minimum(self, municipality: str) -> int:
        return self.secondary_stage[self.area(municipality)]


def _area_figures(raw: dict[str, Any], where: str) -> dict[str, int]:
    missing = [a for a in AREAS if not isinstance(raw.get(a), int) or raw[a] < 0]
    if missing:
        raise ValueError(f"{where}: a whole number ≥ 0 is needed for {', '.join(missing)}")
    return {a: int(raw[a]) for a in AREAS}


def parse_minimums(document: dict[str, Any]) -> Minimums:
    """The minimums of a parsed YAML document (ValueError on a malformed one)."""
    status = document.get("status")
    if status not in ("inferred", "confirmed"):
        raise ValueError("status must be 'inferred' or 'confirmed'")
    area_of = {code: area for area, codes in (document.get("areas") or {}).items() for code in codes}
    if set(area_of.values()) - set(AREAS):
        raise ValueError(f"areas must be among {AREAS}")
    bands: dict[Band, dict[str, int]] = {}
    for entry in document["class_minimums"]:
        low, high = entry["grades"]
        if not 1 <= low <= high <= 12:
            raise ValueError(f"class_minimums: bad grades {entry['grades']}")
        bands[(int(low), int(high))] = _area_figures(entry, f"class_minimums {low}-{high}")
    return Minimums(status=status, source_lv=document["source"]["lv"].strip(),
                    source_en=document["source"]["en"].strip(), area_of=area_of, class_minimums=bands,
                    secondary_stage=_area_figures(document["secondary_stage_minimum"], "secondary_stage_minimum"),
                    small_school_below=int(document["small_school_below"]))


def load_minimums(path: Path = MINIMUMS_PATH) -> Minimums:
    return parse_minimums(yaml.safe_load(path.read_text(encoding="utf-8")))


def lowest_grade(grades: str) -> int | None:
    """The lowest grade of a class's comma-separated grades ("5,6" → 5); None when there is none (pre-school 0
    counts as no school grade)."""
    found = [int(g) for g in str(grades).split(",") if g.strip().isdigit() and int(g) >= 1]
    return min(found) if found else None


def class_below_minimum(minimums: Minimums, municipality: str, grades: str, learners: int) -> bool | None:
    """Whether a class has fewer learners than the minimum of its band (None: no minimum applies)."""
    grade = lowest_grade(grades)
    minimum = None if grade is None else minimums.class_minimum(municipality, grade)
    return None if minimum is None else learners < minimum
