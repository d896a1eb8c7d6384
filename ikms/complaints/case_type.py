"""Complaints as a case type of the shared case core (ADR 0022): their files are seen and managed by supervision
staff only (`permissions.CASE_FILE`). Registered by ComplaintsConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikms.cases.types import CaseType
from ikms.complaints import permissions

#: The code complaints' case files carry (CaseFile.kind).
KIND = "complaint"


def _url(case_file) -> str:
    return reverse("complaints:detail", args=[case_file.complaint.pk])


def _manages(user, case_file) -> bool:
    return permissions.can_work(user)


def _on_extend(**kwargs) -> None:
    from ikms.complaints.services import notify_extension  # services import this module (KIND)

    notify_extension(**kwargs)


CASE_TYPE = CaseType(
    code=KIND,
    label=_("Complaint"),
    policy=permissions.CASE_FILE,
    url=_url,
    manages=_manages,
    contributes=_manages,
    on_extend=_on_extend,
)
