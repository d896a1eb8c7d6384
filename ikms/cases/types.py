"""The case types that build on the core (ADR 0022). A domain app (accreditation today; supervision's complaints
and inspections next) registers its type from its AppConfig.ready(): the code its case files carry, a label, the
access policy of its case files (its case policy followed through the file, `Policy.via`), the address of its
case page, and who may manage a file (assign it, extend deadlines, write letters) and add documents to it. The
core never imports a domain app: it asks the registered types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ikms.cases.models import CaseFile
from ikms.registry.access import Policy


@dataclass(frozen=True)
class CaseType:
    code: str
    label: object
    policy: Policy  # who sees the case files of this type (and so their documents, deadlines and letters)
    url: Callable[[CaseFile], str]  # the domain case's page
    manages: Callable[..., bool]  # (user, case_file): may assign, extend deadlines, write letters
    contributes: Callable[..., bool]  # (user, case_file): may add documents
    #: (actor=, deadline=, extension=): what the domain does when a deadline of its case is extended, inside the
    #: extension's transaction (complaints notify the submitter, as the Law on Submissions requires)
    on_extend: Callable[..., None] | None = None
    #: (user=, case_file=, attachment=None): what the domain does when someone opens a page of its case file or
    #: downloads one of its documents through the core's pages (the spent-conviction cases log every read)
    on_read: Callable[..., None] | None = None

    def visible(self, user) -> QuerySet[CaseFile]:
        """The case files of this type the user may see."""
        return self.policy.scope(user, CaseFile.objects.filter(kind=self.code))


_TYPES: dict[str, CaseType] = {}


def register(case_type: CaseType) -> None:
    """Add a case type (from the domain app's AppConfig.ready())."""
    if case_type.code in _TYPES and _TYPES[case_type.code] is not case_type:
        raise ValueError(f"case type {case_type.code!r} is registered twice")
    _TYPES[case_type.code] = case_type


def case_types() -> list[CaseType]:
    return list(_TYPES.values())


def case_type(code: str) -> CaseType | None:
    return _TYPES.get(code)


def visible_files_q(user) -> Q:
    """The case files of every registered type the user may see, as one filter."""
    q = Q(pk__in=[])
    for t in _TYPES.values():
        if t.policy.sees_everything(user):
            q |= Q(kind=t.code)
        elif t.policy.may_open(user):
            q |= Q(pk__in=t.visible(user).values("pk"))
    return q
