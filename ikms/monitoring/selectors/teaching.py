"""The teaching profession (issue 15): the teaching indicators' current values for the nation or a municipality,
by age band and subject, and per municipality or institution below it. Codes only (the page labels them).

What was not received stays apart from what is zero: a unit-year without the teacher workload has no staff data
at all (`has_staff` False); one with it but without the age, qualification or subject indicators received staff
files of the first format, without those columns (`has_ages` etc. False). Neither is ever shown as 0."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from analytics.teaching import AGE_BAND_CODES, subject_names
from ikms.monitoring.selectors.indicator_values import Value, values

#: The area's headline figures, in the order the page lists them; the two "unknown" shares are derived here.
KEY_INDICATORS = ("teachers_near_retirement", "teachers_age_unknown", "teachers_qualified",
                  "teachers_qualification_unknown", "teacher_workload", "teacher_vacancy_days",
                  "teacher_vacancies_over_one_month_share", "teacher_vacancies_over_three_months_share")
#: What the unknown shares are derived from: every teacher (teacher_workload's denominator) less those known.
UNKNOWN_OF = {"teachers_age_unknown": "teachers_near_retirement",
              "teachers_qualification_unknown": "teachers_qualified"}
#: Per subject: near retirement and vacancies per 100 teachers (whose denominator is the subject's teachers).
SUBJECT_INDICATORS = ("teachers_near_retirement_by_subject", "subject_shortage")
#: Per municipality or institution below the area.
UNIT_INDICATORS = ("teachers_near_retirement", "teachers_qualified", "teacher_workload",
                   "teacher_vacancies_over_one_month_share", "open_teacher_vacancies_per_100_teachers")
TEACHING_INDICATORS = (*(c for c in KEY_INDICATORS if c not in UNKNOWN_OF), "teachers_age_bands",
                       *SUBJECT_INDICATORS, "open_teacher_vacancies_per_100_teachers")


@dataclass
class TeachingArea:
    """One area's school year: `key` (indicator -> value or None), `ages` (band code, value or None), `subjects`
    (code, teachers, near retirement %, vacancies per 100 teachers; only subjects with data) and what was
    received."""

    key: dict[str, Value | None]
    ages: list[tuple[str, Value | None]]
    subjects: list[tuple[str, float | None, Value | None, Value | None]]
    has_staff: bool
    has_ages: bool
    has_qualifications: bool
    has_subjects: bool


@dataclass
class UnitRow:
    """A municipality or institution below the area: its code and the UNIT_INDICATORS' values."""

    unit: str
    cells: dict[str, Value | None] = field(default_factory=dict)


def teaching_area(*, year: str, grain: str, unit: str) -> TeachingArea:
    """The area's teaching figures in the school year (one query)."""
    rows = values(year=year, grain=grain, units=[unit], indicators_=TEACHING_INDICATORS)
    plain = {v.indicator: v for v in rows if not v.category}
    by_cat: dict[str, dict[str, Value]] = {}
    for v in rows:
        if v.category:
            by_cat.setdefault(v.indicator, {})[v.category] = v
    ages = by_cat.get("teachers_age_bands", {})
    counts = by_cat.get("subject_shortage", {})
    subjects = [(code, counts[code].denominator, by_cat.get("teachers_near_retirement_by_subject", {}).get(code),
                 counts[code])
                for code in subject_names() if code in counts]
    key = {code: plain.get(code) for code in KEY_INDICATORS}
    everyone = plain.get("teacher_workload")
    for code, known in UNKNOWN_OF.items():
        key[code] = _unknown_share(code, everyone, plain.get(known))
    return TeachingArea(
        key=key,
        ages=[(code, ages.get(code)) for code in AGE_BAND_CODES],
        subjects=subjects,
        has_staff="teacher_workload" in plain,
        has_ages=bool(ages) or "teachers_near_retirement" in plain,
        has_qualifications="teachers_qualified" in plain,
        has_subjects=bool(counts),
    )


def _unknown_share(code: str, everyone: Value | None, known: Value | None) -> Value | None:
    """The percentage of every teacher (`everyone`: teacher_workload, whose denominator counts them) not among
    those `known` (the denominator of an indicator over a profile column; no row: none known, 100 %)."""
    if everyone is None or not everyone.denominator:
        return None
    total = everyone.denominator
    unknown = total - (known.denominator or 0 if known is not None else 0)
    return Value(code, everyone.unit, None, "", "", 100 * unknown / total, unknown, total, everyone.suppressed)


def teaching_units(*, year: str, grain: str, units: Sequence[str]) -> list[UnitRow]:
    """Per unit (in the order given) its UNIT_INDICATORS' values (one query)."""
    rows = values(year=year, grain=grain, units=list(units), indicators_=UNIT_INDICATORS)
    out = {u: UnitRow(u) for u in units}
    for v in rows:
        if v.unit in out and not v.category:
            out[v.unit].cells[v.indicator] = v
    return list(out.values())
