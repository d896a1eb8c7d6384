"""Graduate monitoring (issue 15): the destinations and fields of further study of a unit's graduates over the
school years held, its comparator group's medians (the dashboards' comparator groups) and the institutions of an
area, read from the current values of graduates.yaml's indicators."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from analytics.compile.measures import UNKNOWN_FIELD
from analytics.lake.schemas import DESTINATIONS, STUDY_FIELDS
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.dashboards import comparator_group
from ikms.monitoring.selectors.indicator_values import values
from ikms.registry.models import Institution, Programme

GRADUATE_LEVELS = ("basic", "secondary", "vocational")
FIELD_CATEGORIES = (*STUDY_FIELDS, UNKNOWN_FIELD)


@dataclass
class YearShares:
    """One school year of a unit: the graduates of the level (None: no data) and the share (%) of each category
    (None: no data, or hidden by disclosure control: `hidden` lists those)."""

    year: str
    graduates: float | None = None
    shares: dict[str, float | None] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    @property
    def has_data(self) -> bool:
        return bool(self.shares)


def _series(indicator: str, categories: Sequence[str], *, grain: str, unit: str, level: str,
            years: Sequence[str]) -> list[YearShares]:
    """Per school year: the shares of the categories; the graduates behind them only where some share is shown
    (a count under the disclosure minimum hides them all, docs/data/disclosure.md)."""
    out = []
    for year in years:
        row = YearShares(year)
        for v in values(year=year, grain=grain, units=[unit], indicators_=[indicator]):
            if v.level != level or v.category not in categories:
                continue
            if v.suppressed:
                row.hidden.add(v.category)
                row.shares[v.category] = None
                continue
            row.shares[v.category] = v.value
            row.graduates = v.denominator
        out.append(row)
    return out


def destination_series(*, grain: str, unit: str, level: str, years: Sequence[str]) -> list[YearShares]:
    """Where the unit's graduates of a level went, per school year held (graduate_destinations)."""
    return _series("graduate_destinations", DESTINATIONS, grain=grain, unit=unit, level=level, years=years)


def field_series(*, grain: str, unit: str, level: str, years: Sequence[str]) -> list[YearShares]:
    """The fields of further study of the unit's graduates of a level who went on to study, per school year held
    (graduate_study_fields; `unknown` where the field was not reported)."""
    return _series("graduate_study_fields", FIELD_CATEGORIES, grain=grain, unit=unit, level=level, years=years)


def destination_comparator(*, year: str, institution: Institution, level: str) -> tuple[dict[str, float], int]:
    """The median share of each destination over the institution's comparator group (same type and size band,
    `comparator_group`), and the number of institutions with a value behind it."""
    group = comparator_group(year, institution)
    collected: dict[str, list[float]] = {}
    units = set()
    for v in values(year=year, grain=Grain.INSTITUTION, units=group, indicators_=["graduate_destinations"]):
        if v.level == level and v.value is not None and not v.suppressed:
            collected.setdefault(v.category, []).append(v.value)
            units.add(v.unit)
    return {c: statistics.median(vals) for c, vals in collected.items()}, len(units)


@dataclass
class InstitutionShares:
    institution: Institution
    graduates: float | None
    shares: dict[str, float | None]


def institution_destinations(*, year: str, institutions: Sequence[Institution], level: str
                             ) -> list[InstitutionShares]:
    """The destinations of the graduates of a level of each institution given that has any in the school year,
    most graduates first."""
    by_number = {i.registration_number: i for i in institutions}
    per: dict[str, InstitutionShares] = {}
    for v in values(year=year, grain=Grain.INSTITUTION, units=list(by_number),
                    indicators_=["graduate_destinations"]):
        if v.level != level or v.unit not in by_number:
            continue
        row = per.setdefault(v.unit, InstitutionShares(by_number[v.unit], None, {}))
        row.shares[v.category] = None if v.suppressed else v.value
        if not v.suppressed and v.denominator is not None:
            row.graduates = v.denominator
    return sorted(per.values(), key=lambda r: (-(r.graduates or 0), r.institution.name))


@dataclass
class ProgrammeShares:
    code: str  # `unknown`: graduates without a programme reported
    name: str
    graduates: float | None
    shares: dict[str, float | None]


def programme_destinations(*, year: str, grain: str, unit: str, level: str) -> list[ProgrammeShares]:
    """The destinations of the unit's graduates of a level per programme completed (graduate_programme_destinations),
    most graduates first; the programme's name from the register where the unit is an institution."""
    per: dict[str, ProgrammeShares] = {}
    for v in values(year=year, grain=grain, units=[unit], indicators_=["graduate_programme_destinations"]):
        if v.level != level or "|" not in v.category:
            continue
        code, destination = v.category.split("|", 1)
        row = per.setdefault(code, ProgrammeShares(code, "", None, {}))
        row.shares[destination] = None if v.suppressed else v.value
        if not v.suppressed:
            row.graduates = v.denominator
    if grain == Grain.INSTITUTION and per:
        names = dict(Programme.objects.filter(institution__registration_number=unit, code__in=list(per))
                     .values_list("code", "name"))
        for row in per.values():
            row.name = names.get(row.code, "")
    return sorted(per.values(), key=lambda r: (r.code == "unknown", -(r.graduates or 0), r.code))
