"""Who may do what with the absence hand-off cases (ADR 0017, issue 15 item 8). A case reaches two parties: the
school that reported it (its head) and the municipality of the learner's declared residence (the founder role of
that municipality: the municipal founder whose `municipality` it is, ikms.registry) — which need not be the
school's founder. IKVD staff see every case, pseudonymously. The municipality records the actions and closes the
case; the school's head files reports by hand.

`IDENTITY` is the one field-level rule: the learner's name and the parents' contact, which only a report the school
filed by hand carries, are seen by that school's head and by the municipality of residence — never by IKVD staff,
in an export or in the list."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.registry.access import gate, policy
from ikms.registry.models import Institution
from ikms.registry.permissions import HEADED_INSTITUTION

_NOTE = (
    "A founder: the cases of learners who live in its municipality (declared residence), whichever school reported "
    "them; it records the actions. IKVD staff see no learner's name or parents' contact."
)

#: The hand-off cases: IKVD staff all (pseudonymous); a head its school's; a founder its municipality's residents'.
ABSENCE_CASE = policy(
    "absence_case",
    "Long-term absence hand-off cases",
    everything=IKVD_STAFF_ROLES,
    head=True,
    path="institution",
    residence="residence",
    note=_NOTE,
)
#: Their case files (the deadline of the first action) follow the case.
CASE_FILE = ABSENCE_CASE.via(
    "absence_case", name="absence_case_file", label="Deadlines of long-term absence hand-off cases"
)
#: The two parties of a case, each alone: the municipality of residence, and the reporting school.
RESIDENCE = policy(
    "absence_residence",
    "Long-term absence cases of the municipality's residents (recording actions, the name and contact)",
    residence="residence",
)
SCHOOL = policy(
    "absence_school",
    "Long-term absence cases the school reported (the name and contact of its own reports)",
    head=True,
    path="institution",
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


def can_see_identity(user, case) -> bool:
    """The learner's name and the parents' contact: the reporting school's head and the municipality of residence."""
    return IDENTITY.allows(user) and (SCHOOL.allows(user, case) or RESIDENCE.allows(user, case))


def can_act(user, case) -> bool:
    """Record an action or close the case: the municipality of residence, while the case is open."""
    return ACT.allows(user) and not case.case_file.is_closed and RESIDENCE.allows(user, case)


def can_report(user) -> bool:
    return REPORT.allows(user) and HEADED_INSTITUTION.scope(user, Institution.objects.all()).exists()


def can_report_for(user, institution) -> bool:
    return REPORT.allows(user) and HEADED_INSTITUTION.allows_institution(user, institution)
