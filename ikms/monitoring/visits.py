"""Visits to institutions, for the effect of visits (issue 17): accreditation evaluations and supervision
inspections. The apps that hold them sit above monitoring in the import layers (ADR 0018), so monitoring never
imports them: each registers a provider here from its AppConfig.ready() (accreditation and inspections do), as
they do for the risk list's notes (`ikms.monitoring.supervision`). A provider gives every visit it knows (the
institution's registration number, the visit's first day and its kind) and a stamp that changes when its visits
do (part of the page's cache key). Monitoring adds its own: visit plan entries marked done.

Why a provider and not a lake dataset: the visits are the web application's own records, read where the page is
computed; the analysis (analytics.visits) takes them as a plain table, so it stays free of Django either way, and
no second copy of the records needs a due date or a data-quality check."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from ikms.core.school_year import school_year_of
from ikms.monitoring.models import VisitPlanEntry, VisitStatus

ACCREDITATION, INSPECTION = "accreditation", "inspection"
#: The kinds of visit the page can choose; "all" is both.
KINDS = {ACCREDITATION: _("Accreditation evaluations"), INSPECTION: _("Supervision visits (inspections)")}


@dataclass(frozen=True)
class Visit:
    institution: str  # registration number
    day: datetime.date
    kind: str  # one of KINDS

    @property
    def school_year(self) -> str:
        return school_year_of(self.day)


@dataclass(frozen=True)
class Provider:
    code: str
    visits: Callable[[], list[Visit]]
    stamp: Callable[[], str]


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    if provider.code in _PROVIDERS and _PROVIDERS[provider.code] is not provider:
        raise ValueError(f"visit provider {provider.code!r} is registered twice")
    _PROVIDERS[provider.code] = provider


def _plan_visits() -> list[Visit]:
    return [Visit(number, day, INSPECTION) for number, day in VisitPlanEntry.objects.filter(
        status=VisitStatus.DONE).values_list("institution__registration_number", "planned_date")]


def _plan_stamp() -> str:
    agg = VisitPlanEntry.objects.filter(status=VisitStatus.DONE).aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{agg['n']}:{agg['last']}"


PLAN = Provider("visit_plan", _plan_visits, _plan_stamp)


def all_visits() -> list[Visit]:
    """Every visit the registered providers and the visit plan know, each (institution, school year, kind) once."""
    seen: dict[tuple[str, str, str], Visit] = {}
    for provider in (PLAN, *(_PROVIDERS[c] for c in sorted(_PROVIDERS))):
        for v in provider.visits():
            seen.setdefault((v.institution, v.school_year, v.kind), v)
    return sorted(seen.values(), key=lambda v: (v.day, v.institution, v.kind))


def stamp() -> str:
    return ";".join(f"{p.code}:{p.stamp()}" for p in (PLAN, *(_PROVIDERS[c] for c in sorted(_PROVIDERS))))
