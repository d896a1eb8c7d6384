"""Licensing applications as a case type of the shared case core (ADR 0022): their files are seen by whoever sees
the application (`permissions.CASE_FILE`), managed by the register's deciders, and documents are added by them and
by the applicant (the institution's head or founder). Registered by LicensingConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikms.cases.types import CaseType
from ikms.licensing import permissions

#: The code licensing applications' case files carry (CaseFile.kind).
KIND = "licensing"


def _url(case_file) -> str:
    return reverse("licensing:detail", args=[case_file.licence_application.pk])


def _manages(user, case_file) -> bool:
    return permissions.can_decide(user)


def _contributes(user, case_file) -> bool:
    return permissions.can_decide(user) or permissions.is_applicant(user, case_file.licence_application)


CASE_TYPE = CaseType(
    code=KIND,
    label=_("Licensing application"),
    policy=permissions.CASE_FILE,
    url=_url,
    manages=_manages,
    contributes=_contributes,
)
