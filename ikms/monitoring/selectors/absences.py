"""Absences and out-of-school children, tables 5-7 of the annual report: read from the current values, with
level, reason and status codes (the pages label them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache as django_cache

from ikms.monitoring import absence_actions, permissions
from ikms.monitoring.labels import TABLE5_OUTSIDE, TABLE5_STATUSES
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.indicator_values import values
from ikms.monitoring.selectors.runs import CACHE_SECONDS, state_key
from ikms.monitoring.selectors.scope import institutions_for_monitoring, scope_key

TABLE6_LEVELS = ("preschool", "basic", "secondary", "vocational")
TABLE7_LEVELS = ("basic", "secondary")
TABLE7_REASONS = ("justified", "illness", "unjustified")


@dataclass
class AbsenceTables:
    """Tables 5-7 of a unit. Per school year held: table 6 (level code, semester 1, semester 2) with its totals,
    table 7 (reason code, basic semester 1 and 2, secondary semester 1 and 2), and the reasons and actions of
    long-term absence (category code, semester 1, semester 2) with the source of the actions' counts
    (`absence_actions.CASES` where the municipalities' hand-off cases of the year count them, else `IMPORTED`).
    Table 5 (status code, children) is the latest
    school year's snapshot, `t5_year`."""

    table6: list[tuple[str, list[tuple], list[float]]]
    table7: list[tuple[str, list[tuple]]]
    reasons: list[tuple[str, list[tuple], list[tuple], str]]
    t5_year: str
    table5: list[tuple[str, float | None]]
    outside5: list[tuple[str, float | None]]


def absence_tables(*, grain: str, unit: str, years: Sequence[str]) -> AbsenceTables:
    """Tables 5-7 of the nation or a municipality over the school years held (one query a year, and one more)."""
    table6 = []
    table7 = []
    reasons = []
    for year in years:
        vals = values(year=year, grain=grain, units=[unit],
                      indicators_=["long_term_unexcused_absentees", "learners_missing_lessons",
                                   "long_term_absence_reasons", "long_term_absence_actions"])
        by = {(v.indicator, v.level, v.semester, v.category): v.value for v in vals}
        rows6 = [(lv, *[by.get(("long_term_unexcused_absentees", lv, s, "")) for s in (1, 2)])
                 for lv in TABLE6_LEVELS]
        total = [sum(r[i] or 0 for r in rows6) for i in (1, 2)]
        table6.append((year, rows6, total))
        rows7 = [(reason, *[by.get(("learners_missing_lessons", lv, s, reason)) for lv in TABLE7_LEVELS
                            for s in (1, 2)])
                 for reason in TABLE7_REASONS]
        table7.append((year, rows7))
        cats = sorted({k[3] for k in by if k[0] == "long_term_absence_reasons"})
        acts = sorted({k[3] for k in by if k[0] == "long_term_absence_actions"})
        action_rows = [(c, by.get(("long_term_absence_actions", "", 1, c)),
                        by.get(("long_term_absence_actions", "", 2, c))) for c in acts]
        source = absence_actions.IMPORTED
        from_cases = absence_actions.case_counts(year, grain, unit)
        if from_cases is not None:
            source = absence_actions.CASES
            action_rows = [(c, from_cases.get((1, c)), from_cases.get((2, c)))
                           for c in sorted({c for _s, c in from_cases})]
        reasons.append((year, [(c, by.get(("long_term_absence_reasons", "", 1, c)),
                                by.get(("long_term_absence_reasons", "", 2, c))) for c in cats],
                        action_rows, source))
    # table 5: the latest snapshot of out-of-school children (the last school year held)
    t5_year = years[-1]
    vals5 = {v.category: v.value for v in values(year=t5_year, grain=grain, units=[unit],
                                                 indicators_=["out_of_school_children"])}
    return AbsenceTables(table6=table6, table7=table7, reasons=reasons, t5_year=t5_year,
                         table5=[(s, vals5.get(s)) for s in TABLE5_STATUSES],
                         outside5=[(s, vals5.get(s)) for s in TABLE5_OUTSIDE])


def absentee_rows(*, user, year: str, municipality: str = "") -> list[tuple]:
    """Long-term unexcused absentees per institution the user may see (optionally of a municipality), with the
    reasons and the actions recorded (category codes, most first), most absentees first: (institution,
    semester 1, semester 2, reasons, actions). Cached per results state, scope and municipality."""
    institutions = institutions_for_monitoring(user, municipality=municipality or None)
    key = f"ikms:absent:{state_key(year)}:{scope_key(user)}:{municipality}"
    rows = django_cache.get(key)
    if rows is None:
        rows = _absentee_rows(year, institutions, everything=permissions.can_view_nation(user) and not municipality)
        django_cache.set(key, rows, CACHE_SECONDS)
    return rows


def _absentee_rows(year: str, institutions, *, everything: bool) -> list[tuple]:
    by_number = {i.registration_number: i for i in institutions}
    vals = values(year=year, grain=Grain.INSTITUTION, units=None if everything else list(by_number),
                  indicators_=["learners_over_unexcused_lessons_threshold", "long_term_absence_reasons",
                               "long_term_absence_actions"])
    per: dict[str, dict] = {}
    for v in vals:
        if v.unit not in by_number:
            continue
        row = per.setdefault(v.unit, {"s1": None, "s2": None, "reasons": {}, "actions": {}})
        if v.indicator == "learners_over_unexcused_lessons_threshold":
            row[f"s{v.semester}"] = v.value
        elif v.value:
            bucket = row["reasons" if v.indicator == "long_term_absence_reasons" else "actions"]
            bucket[v.category] = bucket.get(v.category, 0) + v.value
    rows = []
    for number, data in per.items():
        if not (data["s1"] or data["s2"] or data["reasons"]):
            continue
        inst = by_number[number]
        rows.append((inst, data["s1"], data["s2"],
                     [(c, int(n)) for c, n in sorted(data["reasons"].items(), key=lambda x: -x[1])],
                     [(c, int(n)) for c, n in sorted(data["actions"].items(), key=lambda x: -x[1])]))
    rows.sort(key=lambda r: (-((r[1] or 0) + (r[2] or 0)), r[0].name))
    return rows
