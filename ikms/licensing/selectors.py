"""Reads of licensing applications: every list goes through the application policy (`permissions.APPLICATION`), so
a head or founder gets only its institutions' applications."""

from __future__ import annotations

from django.db.models import QuerySet

from ikms.licensing import permissions
from ikms.licensing.choices import OPEN_STATES
from ikms.licensing.models import LicenceApplication


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
