"""Inspections as a case type of the shared case core (ADR 0022): their files are seen by whoever sees the
inspection (`permissions.CASE_FILE`), managed by supervision inspectors, and documents are added by the inspectors
and by the institution's head or founder (its follow-up evidence). Registered by InspectionsConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikms.cases.types import CaseType
from ikms.inspections import permissions

#: The code inspections' case files carry (CaseFile.kind).
KIND = "inspection"


def _url(case_file) -> str:
    return reverse("inspections:detail", args=[case_file.inspection.pk])


def _manages(user, case_file) -> bool:
    return permissions.is_runner(user)


def _contributes(user, case_file) -> bool:
    return bool(permissions.parties(user, case_file.inspection))


CASE_TYPE = CaseType(
    code=KIND, label=_("Inspection"), policy=permissions.CASE_FILE, url=_url, manages=_manages, contributes=_contributes
)
