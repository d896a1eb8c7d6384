"""EQAVET indicators of vocational education (issue 16) for the nation, a municipality or an institution over the
school years held: the engine's values (analytics/definitions/indicators/eqavet.yaml), indicator 1 counted from
the register (vocational institutions with an accreditation in force), and for the others what data they lack
(analytics/definitions/eqavet.yaml, analytics.eqavet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from analytics.eqavet import EqavetIndicator, eqavet_indicators
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.indicator_values import values
from ikms.registry.choices import AccreditationState
from ikms.registry.models import Accreditation, Institution

#: The institution kind whose institutions are vocational providers (initial VET: vocational basic and secondary).
VOCATIONAL_KIND = "vocational"
EQAVET_CODES = tuple(i.indicator for i in eqavet_indicators() if i.indicator)


@dataclass(frozen=True)
class Accredited:
    """Indicator 1: vocational providers with an accreditation in force at the end of the school year."""

    providers: int
    accredited: int

    @property
    def share(self) -> float | None:
        return 100 * self.accredited / self.providers if self.providers else None


@dataclass
class EqavetYear:
    """One school year of a unit: the engine's values by indicator code (None: no data or hidden by disclosure
    control) and indicator 1 from the register (None where the area has no vocational provider)."""

    year: str
    values: dict[str, float | None] = field(default_factory=dict)
    accredited: Accredited | None = None

    def value(self, indicator: EqavetIndicator) -> float | None:
        if indicator.register:
            return self.accredited.share if self.accredited else None
        return self.values.get(indicator.indicator)

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values.values()) or bool(self.accredited and self.accredited.providers)


def _year_end(year: str) -> dt.date:
    return dt.date(int(year[-4:]), 8, 31)


def accredited_providers(*, grain: str, unit: str, year: str) -> Accredited:
    """Registered vocational providers of the area and how many hold an accreditation (accredited or extended) in
    force on 31 August of the school year: the latest entry begun by then, not expired."""
    providers = Institution.objects.filter(status="registered", type__kind__code=VOCATIONAL_KIND)
    if grain == Grain.MUNICIPALITY:
        providers = providers.filter(municipality__code=unit)
    elif grain == Grain.INSTITUTION:
        providers = providers.filter(registration_number=unit)
    day = _year_end(year)
    latest: dict[int, Accreditation] = {}
    for a in (Accreditation.objects.filter(institution__in=providers, valid_from__lte=day)
              .order_by("institution_id", "valid_from", "id")):
        latest[a.institution_id] = a
    in_force = Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    accredited = (Accreditation.objects.filter(pk__in=[a.pk for a in latest.values()],
                                               state__in=[AccreditationState.ACCREDITED, AccreditationState.EXTENDED])
                  .filter(in_force).count())
    return Accredited(providers=providers.count(), accredited=accredited)


def eqavet_series(*, grain: str, unit: str, years: Sequence[str]) -> list[EqavetYear]:
    """The unit's EQAVET figures for each school year held."""
    out = []
    for year in years:
        row = EqavetYear(year)
        for v in values(year=year, grain=grain, units=[unit], indicators_=EQAVET_CODES):
            if not v.level and not v.category and v.semester is None:
                row.values[v.indicator] = None if v.suppressed else v.value
        row.accredited = accredited_providers(grain=grain, unit=unit, year=year)
        out.append(row)
    return out
