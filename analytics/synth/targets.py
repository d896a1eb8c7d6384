"""Calibration targets: the published 2024 figures the synthetic lake reproduces.

Transcribed from the IKVD annual report figures in ``shared/data/calibration-2024.yaml`` (tables 5, 6, 7, the
long-term absence reasons and the 2023/24 quality indicators). The generator uses this copy so that it runs
without the shared folder; ``load_targets`` reads the YAML instead when a path is given, and a test checks that
the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analytics.lake.schemas import OUT_OF_SCHOOL_STATUSES

#: Table 6 level keys in the order of the report.
LT_GROUPS = ("preschool", "general_basic", "general_secondary", "vocational")
ABSENCE_REASON_KEYS = ("justified", "illness", "unjustified")

_DEFAULT: dict[str, Any] = {
    "out_of_school_children": {
        "no_or_insufficient_assessment_expelled_from_distance_or_part_time": 10,
        "expelled_from_preschool_for_non_attendance": 39,
        "arrived_from_another_country": 7,
        "long_term_ill": 14,
        "disabled": 6,
        "preschool_in_family": 18,
        "starts_basic_education_next_school_year": 85,
        "lives_in_latvia_studies_abroad": 75,
        "no_information": 4291,
        "family_left_country": 10809,
        "ukrainian_children_in_ukrainian_distance_schools": 384,
        "ukrainian_children_no_information": 1037,
        "foreign_citizens_with_residence_permit": 625,
    },
    "long_term_unexcused_absentees": {
        "2022/2023": {
            "preschool": {"s1": 45, "s2": 31},
            "general_basic": {"s1": 3175, "s2": 5144},
            "general_secondary": {"s1": 1591, "s2": 2525},
            "vocational": {"s1": 2157, "s2": 2050},
            "total": {"s1": 6968, "s2": 9750},
        },
        "2023/2024": {
            "preschool": {"s1": 34, "s2": 45},
            "general_basic": {"s1": 3139, "s2": 4908},
            "general_secondary": {"s1": 1134, "s2": 2277},
            "vocational": {"s1": 1460, "s2": 1643},
            "total": {"s1": 5767, "s2": 8873},
        },
    },
    "long_term_absence_reasons_2023_2024": {
        "s1": {"lack_of_motivation": 2078, "health_without_doctors_note": 1068, "family_circumstances": 1089,
               "other": 647},
        "s2": {"lack_of_motivation": 2399, "health_without_doctors_note": 1133, "family_circumstances": 1034},
    },
    "learners_missing_at_least_one_lesson": {
        "2022/2023": {
            "justified": {"basic_s1": 108735, "basic_s2": 113159, "secondary_s1": 20342, "secondary_s2": 19225},
            "illness": {"basic_s1": 103217, "basic_s2": 95079, "secondary_s1": 15847, "secondary_s2": 14415},
            "unjustified": {"basic_s1": 41545, "basic_s2": 44548, "secondary_s1": 13171, "secondary_s2": 13545},
        },
        "2023/2024": {
            "justified": {"basic_s1": 105132, "basic_s2": 115730, "secondary_s1": 19577, "secondary_s2": 19814},
            "illness": {"basic_s1": 88303, "basic_s2": 96342, "secondary_s1": 14112, "secondary_s2": 14743},
            "unjustified": {"basic_s1": 37984, "basic_s2": 42065, "secondary_s1": 12344, "secondary_s2": 13650},
        },
    },
    "quality_indicators_2023_2024": {
        "basic_schools": {
            "learners_average_7_or_more": 40.9,
            "learners_daily_vs_state_exam_differs": 7.9,
            "graduates_continue_general_secondary": 41.8,
            "risk_combined_classes": 19.0,
            "risk_long_term_unexcused_absence": 30.6,
            "risk_no_support_staff": 21.6,
            "risk_teacher_vacancy_over_one_month": 44.4,
        },
        "secondary_schools": {
            "learners_average_7_or_more": 48.7,
            "learners_high_in_advanced_courses": 58.5,
            "daily_vs_state_exam_gap": 13.3,
            "graduates_enter_higher_education": 76.0,
            "risk_combined_classes": 9.5,
            "risk_exam_10_to_30_below_national": 47.5,
            "risk_long_term_unexcused_absence": 73.0,
            "risk_no_support_staff": 11.9,
            "risk_teacher_vacancy_over_one_month": 59.5,
        },
    },
}

CALIBRATION_KEYS = tuple(_DEFAULT)


@dataclass(frozen=True)
class Targets:
    """The calibration figures at scale 1 (counts) plus the shares (percent)."""

    raw: dict[str, Any]

    @property
    def out_of_school(self) -> dict[str, int]:
        return {s: int(self.raw["out_of_school_children"].get(s, 0)) for s in OUT_OF_SCHOOL_STATUSES}

    def long_term(self, year: str) -> dict[str, dict[int, int]]:
        """Table 6 for a school year: group -> semester -> count (without the total row)."""
        table = self.raw["long_term_unexcused_absentees"][year]
        return {g: {1: int(table[g]["s1"]), 2: int(table[g]["s2"])} for g in LT_GROUPS}

    def long_term_total(self, year: str) -> dict[int, int]:
        table = self.raw["long_term_unexcused_absentees"][year]
        return {1: int(table["total"]["s1"]), 2: int(table["total"]["s2"])}

    @property
    def long_term_years(self) -> tuple[str, ...]:
        return tuple(self.raw["long_term_unexcused_absentees"])

    def missing(self, year: str) -> dict[tuple[str, str, int], int]:
        """Table 7 for a school year: (reason, level basic|secondary, semester) -> learners."""
        table = self.raw["learners_missing_at_least_one_lesson"][year]
        out: dict[tuple[str, str, int], int] = {}
        for reason in ABSENCE_REASON_KEYS:
            for level in ("basic", "secondary"):
                for sem in (1, 2):
                    out[(reason, level, sem)] = int(table[reason][f"{level}_s{sem}"])
        return out

    @property
    def missing_years(self) -> tuple[str, ...]:
        return tuple(self.raw["learners_missing_at_least_one_lesson"])

    @property
    def long_term_reasons(self) -> dict[int, dict[str, int]]:
        """Reasons of long-term absentees in 2023/24: semester -> reason -> records (missing reason = 0)."""
        from analytics.lake.schemas import LONG_ABSENCE_REASONS

        table = self.raw["long_term_absence_reasons_2023_2024"]
        return {sem: {r: int(table[f"s{sem}"].get(r, 0)) for r in LONG_ABSENCE_REASONS} for sem in (1, 2)}

    @property
    def basic(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.raw["quality_indicators_2023_2024"]["basic_schools"].items()}

    @property
    def secondary(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.raw["quality_indicators_2023_2024"]["secondary_schools"].items()}


def load_targets(path: Path | None = None) -> Targets:
    """The built-in figures, or those of a calibration YAML (only the keys used here are read)."""
    if path is None:
        return Targets(_DEFAULT)
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return Targets({k: data[k] for k in CALIBRATION_KEYS})


def scaled(value: float, scale: float) -> int:
    """A count at another scale: round(value × scale), Python rounding, as the calibration test does."""
    return round(value * scale)
