"""Accreditation's cases as a case type of the shared case core (ADR 0022): their files are seen by whoever sees
the case (`permissions.CASE_FILE`), managed by IKVD's quality staff (assign, extend deadlines, write letters),
and every party of the case (IKVD, the applicant, the commission) adds documents. Registered by
AccreditationConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikms.accreditation import permissions
from ikms.cases.types import CaseType

#: The code accreditation's case files carry (CaseFile.kind).
KIND = "accreditation"


def _url(case_file) -> str:
    return reverse("accreditation:case-detail", args=[case_file.accreditation_case.pk])


def _manages(user, case_file) -> bool:
    return permissions.is_runner(user)


def _contributes(user, case_file) -> bool:
    return bool(permissions.parties(user, case_file.accreditation_case))


CASE_TYPE = CaseType(code=KIND, label=_("Accreditation or head evaluation"), policy=permissions.CASE_FILE,
                     url=_url, manages=_manages, contributes=_contributes)
