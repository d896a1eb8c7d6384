"""Spent-conviction applications as a case type of the shared case core (ADR 0022): their files (documents, the
decision deadline) are seen only by the commission (`permissions.CASE_FILE`), managed and added to by its secretary,
and every opening of a file's page or download of its document through the core's pages is logged
(`reads.case_file_read`). Registered by ConvictionsConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikms.cases.types import CaseType
from ikms.convictions import permissions, reads

#: The code the applications' case files carry (CaseFile.kind).
KIND = "conviction"


def _url(case_file) -> str:
    return reverse("convictions:detail", args=[case_file.conviction_application.pk])


def _manages(user, case_file) -> bool:
    return permissions.can_work(user)


def _on_read(*, user, case_file, attachment=None) -> None:
    reads.case_file_read(reader=user, case_file=case_file, attachment=attachment)


CASE_TYPE = CaseType(
    code=KIND,
    label=_("Spent-conviction application"),
    policy=permissions.CASE_FILE,
    url=_url,
    manages=_manages,
    contributes=_manages,
    on_read=_on_read,
)
