"""Reads of licensing applications: every list goes through the application policy (`permissions.APPLICATION`), so
a head or founder gets only its institutions' applications."""

from __future__ import annotations

from django.db.models import QuerySet

from ikms.core.quarters import ComparedRow, compare_rows, quarter
from ikms.licensing import permissions
from ikms.licensing.choices import OPEN_STATES, ApplicationKind
from ikms.licensing.models import LicenceApplication
from ikms.registry.selectors import licence_decisions_by_quarter


def applications_for_user(user) -> QuerySet[LicenceApplication]:
    return permissions.APPLICATION.scope(user, LicenceApplication.objects.select_related("institution", "case_file"))


def application_get_for_user(*, user, pk: int) -> LicenceApplication:
    return permissions.APPLICATION.get(user, applications_for_user(user), pk=pk)


def filter_applications(qs: QuerySet[LicenceApplication], *, state: str = "", q: str = "") -> QuerySet:
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(institution__name__icontains=q) | qs.filter(name__icontains=q) | qs.filter(code__startswith=q)
    return qs.order_by("-submitted_on", "-id")


def decision_deadline(application: LicenceApplication):
    return next((d for d in application.case_file.deadlines.all() if d.rule == "licence_decision"), None)


def applications_by_quarter(*, year: int) -> dict[str, list[int]] | None:
    """Licensing applications submitted in a year per calendar quarter, by what they ask (a licence, an
    amendment). None where the year holds no application at all (no data, not 0)."""
    rows = list(LicenceApplication.objects.filter(submitted_on__year=year).values_list("submitted_on", "kind"))
    if not rows:
        return None
    kinds = dict(ApplicationKind.choices)
    out: dict[str, list[int]] = {str(label): [0, 0, 0, 0] for label in kinds.values()}
    for day, kind in rows:
        out[str(kinds[kind])][quarter(day) - 1] += 1
    return out


def quarterly_trends(year: int) -> dict[str, list[ComparedRow] | bool]:
    """Licensing per quarter of a year against the same quarter a year before (`ikms.core.quarters`): applications
    by kind, decisions by kind and amendments by the VIIS entry they record; "no data" where the earlier year holds
    no applications (or decisions) at all. `held`: whether the year itself holds any."""
    applications, applications_before = applications_by_quarter(year=year), applications_by_quarter(year=year - 1)
    decisions, decisions_before = licence_decisions_by_quarter(year=year), licence_decisions_by_quarter(year=year - 1)
    empty: dict[str, dict[str, list[int]]] = {"kind": {}, "amendment": {}}
    now, before = decisions or empty, decisions_before
    return {
        "held": bool(applications or decisions),
        "applications_held_before": applications_before is not None,
        "decisions_held_before": decisions_before is not None,
        "applications": compare_rows(applications or {}, applications_before),
        "decisions": compare_rows(now["kind"], None if before is None else before["kind"]),
        "amendments": compare_rows(now["amendment"], None if before is None else before["amendment"]),
    }
