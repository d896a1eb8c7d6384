"""The absence hand-off as a case type of the shared case core (ADR 0022): its files (the deadline of the
municipality's first action) follow the case (`permissions.CASE_FILE`); the municipality of residence manages
them. Registered by AttendanceConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikms.attendance import permissions
from ikms.cases.types import CaseType

#: The code the hand-off cases' files carry (CaseFile.kind).
KIND = "absence"
#: The deadline rule of the municipality's first action (ikms/cases/data/deadline_rules.yaml).
FIRST_ACTION = "absence_first_action"


def _url(case_file) -> str:
    return reverse("attendance:detail", args=[case_file.absence_case.pk])


def _manages(user, case_file) -> bool:
    return permissions.can_act(user, case_file.absence_case)


CASE_TYPE = CaseType(
    code=KIND,
    label=_("Long-term absence"),
    policy=permissions.CASE_FILE,
    url=_url,
    manages=_manages,
    contributes=_manages,
)
