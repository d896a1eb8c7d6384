"""Who may do what with the absence hand-off cases (ADR 0017, issue 15 item 8). A case reaches two parties: the
school that reported it (its head) and the municipality of the learner's declared residence (the founder role of
that municipality: the municipal founder whose `municipality` it is, ikms.registry) — which need not be the
school's founder. IKVD staff see every case, pseudonymously. The municipality records the actions and closes the
case; the school's head files reports by hand.

`IDENTITY` is the one field-level rule: the learner's name and the parents' contact, which only a report the school
filed by hand carries, are seen by that school's head and by the municipality of residence — never by IKVD staff,
in an export or in the list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import scoped_founder_ids, scoped_institution_ids, user_roles
from ikms.registry.access import Policy, gate
from ikms.registry.models import Municipality


@dataclass(frozen=True, eq=False)
class ResidencePolicy(Policy):
    """A policy whose rows a founder role sees through the municipality of the learner's declared residence
    (`residence`: an ORM path to it), besides the rows a head sees through the institution (`path`)."""

    residence: str = ""

    def _q(self, user):
        q = super()._q(user)
        if q is None or Role.FOUNDER not in user_roles(user):
            return q
        founded = Municipality.objects.filter(founders__id__in=scoped_founder_ids(user)).values("pk")
        return q | Q(**{f"{self.residence}__in": founded})


_NOTE = (
    "A founder: the cases of learners who live in its municipality (declared residence), whichever school reported "
    "them; it records the actions. IKVD staff see no learner's name or parents' contact."
)

#: The hand-off cases: IKVD staff all (pseudonymous); a head its school's; a founder its municipality's residents'.
ABSENCE_CASE = ResidencePolicy(
    name="absence_case",
    label="Long-term absence hand-off cases",
    everything=frozenset(IKVD_STAFF_ROLES),
    head=True,
    path="institution",
    residence="residence",
    extra_roles=frozenset({Role.FOUNDER}),
    note=_NOTE,
)
#: Their case files (the deadline of the first action) follow the case.
CASE_FILE = ResidencePolicy(
    name="absence_case_file",
    label="Deadlines of long-term absence hand-off cases",
    everything=frozenset(IKVD_STAFF_ROLES),
    head=True,
    path="absence_case__institution",
    residence="absence_case__residence",
    extra_roles=frozenset({Role.FOUNDER}),
    note="As the hand-off case.",
)
REPORT = gate(
    "absence_report",
    "Report a learner's long-term unexcused absence to the municipality",
    Role.INSTITUTION_HEAD,
    note="For the head's own institution only.",
)
ACT = gate(
    "absence_act",
    "Record the municipality's actions on long-term absence and close the case",
    Role.FOUNDER,
    note="Only on the cases of its municipality's residents.",
)
IDENTITY = gate(
    "absence_identity",
    "See the learner's name and the parents' contact in a school's report",
    Role.INSTITUTION_HEAD,
    Role.FOUNDER,
    note="The reporting school's head and the municipality of residence only; never IKVD staff.",
)

can_use = ABSENCE_CASE.may_open
can_view = ABSENCE_CASE.allows


def _is_residence_founder(user, case) -> bool:
    return Role.FOUNDER in user_roles(user) and case.residence.founders.filter(id__in=scoped_founder_ids(user)).exists()


def _is_school_head(user, case) -> bool:
    return Role.INSTITUTION_HEAD in user_roles(user) and case.institution_id in scoped_institution_ids(user)


def can_see_identity(user, case) -> bool:
    """The learner's name and the parents' contact: the reporting school's head and the municipality of residence."""
    return IDENTITY.allows(user) and (_is_school_head(user, case) or _is_residence_founder(user, case))


def can_act(user, case) -> bool:
    """Record an action or close the case: the municipality of residence, while the case is open."""
    return ACT.allows(user) and not case.case_file.is_closed and _is_residence_founder(user, case)


def can_report(user) -> bool:
    return REPORT.allows(user) and bool(scoped_institution_ids(user))


def can_report_for(user, institution) -> bool:
    return REPORT.allows(user) and institution is not None and institution.pk in scoped_institution_ids(user)
