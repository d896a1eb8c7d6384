"""Support to continue studies (issue 15): a unit's early leaving, basic → secondary transitions, support staff
per 100 learners and learners in special programmes over the school years held (support.yaml and
institutions.yaml's indicators), and how early leaving and transitions changed where support staff were added
(analytics.support.support_effect on the institutions' stored values)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from analytics.support import SupportEffect, support_effect
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.indicator_values import values

SUPPORT_INDICATORS = ("early_leaving", "basic_to_secondary_transition", "support_staff_per_100_learners",
                      "special_programme_learners")
TRANSITION_CATEGORIES = ("general_secondary", "vocational", "not_found")
#: The figures compared where support was added: (code, indicator, the categories of its numerator).
EFFECT_FIGURES = (("early_leaving", "early_leaving", ("",)),
                  ("moved_on", "basic_to_secondary_transition", ("general_secondary", "vocational")))


@dataclass
class SupportYear:
    """One school year of a unit; None is no data (or hidden by disclosure control)."""

    year: str
    early_leaving: float | None = None
    leavers: float | None = None
    learners: float | None = None
    transitions: dict[str, float | None] = field(default_factory=dict)
    basic_graduates: float | None = None
    support_per_100: float | None = None
    special_share: float | None = None

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in (self.early_leaving, self.support_per_100, self.special_share,
                                           *self.transitions.values()))


def support_series(*, grain: str, unit: str, years: Sequence[str]) -> list[SupportYear]:
    out = []
    for year in years:
        row = SupportYear(year)
        for v in values(year=year, grain=grain, units=[unit], indicators_=SUPPORT_INDICATORS):
            shown = None if v.suppressed else v.value
            if v.indicator == "early_leaving":
                row.early_leaving = shown
                if not v.suppressed:
                    row.leavers, row.learners = v.numerator, v.denominator
            elif v.indicator == "basic_to_secondary_transition":
                row.transitions[v.category] = shown
                if not v.suppressed:
                    row.basic_graduates = v.denominator
            elif v.indicator == "support_staff_per_100_learners":
                row.support_per_100 = shown
            elif v.indicator == "special_programme_learners":
                row.special_share = shown
        out.append(row)
    return out


@dataclass(frozen=True)
class EffectRow:
    before: str
    after: str
    figure: str  # a code of EFFECT_FIGURES
    effect: SupportEffect


def _per_institution(year: str, units: list[str]) -> tuple[dict[str, float], dict[str, dict[str, tuple]]]:
    """Support FTE per institution (the numerator of support_staff_per_100_learners) and, per figure, its
    (numerator, denominator) per institution."""
    fte: dict[str, float] = {}
    figures: dict[str, dict[str, list[float]]] = {code: {} for code, _i, _c in EFFECT_FIGURES}
    for v in values(year=year, grain=Grain.INSTITUTION, units=units, indicators_=SUPPORT_INDICATORS):
        if v.indicator == "support_staff_per_100_learners" and v.numerator is not None:
            fte[v.unit] = v.numerator
            continue
        for code, indicator, categories in EFFECT_FIGURES:
            if v.indicator == indicator and v.category in categories and v.denominator:
                pair = figures[code].setdefault(v.unit, [0.0, v.denominator])
                pair[0] += v.numerator or 0.0
    return fte, {code: {u: (p[0], p[1]) for u, p in per.items()} for code, per in figures.items()}


def support_effects(*, years: Sequence[str], units: Sequence[str]) -> list[EffectRow]:
    """For each two consecutive school years held: the change of early leaving and of the share of basic
    graduates moving on to secondary (general or vocational) among the institutions given whose support staff
    FTE rose, and among the others (figures only for a group of MIN_INSTITUTIONS or more)."""
    unit_list = list(units)
    per_year = {y: _per_institution(y, unit_list) for y in years}
    out = []
    for before, after in pairwise(years):
        fte_a, fig_a = per_year[before]
        fte_b, fig_b = per_year[after]
        fte = {u: (fte_a[u], fte_b[u]) for u in fte_a if u in fte_b}
        for code, _indicator, _categories in EFFECT_FIGURES:
            a, b = fig_a[code], fig_b[code]
            both = {u: (a[u], b[u]) for u in a if u in b}
            out.append(EffectRow(before, after, code, support_effect(fte, both)))
    return out
