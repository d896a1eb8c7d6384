"""Who may do what with licensing applications (ADR 0017). IKVD staff see every application; registry officers and
IKVD administrators check and decide them (the register's deciders); an institution's head or its founder applies
for its institutions, sees their applications and answers deficiencies."""

from ikms.accounts.roles import IKVD_STAFF_ROLES
from ikms.registry.access import gate, policy
from ikms.registry.permissions import DECIDE_REGISTER, OWN_INSTITUTION

APPLICATION = policy(
    "licence_application",
    "Licensing applications",
    everything=IKVD_STAFF_ROLES,
    founder=True,
    head=True,
    path="institution",
    note="A head or founder: its institutions' applications.",
)
#: The application's case file (documents, deadlines, letters; ADR 0022), under the same rule.
CASE_FILE = APPLICATION.via(
    "licence_application",
    name="licence_application_case_file",
    label="Documents, deadlines and letters of licensing applications",
)

#: Licensing per quarter against the year before (counts only, no applicant).
TRENDS = gate("licensing_trends", "Licensing trends by quarter (counts only)", IKVD_STAFF_ROLES)

can_use_licensing = APPLICATION.may_open
can_view_application = APPLICATION.allows
can_decide = DECIDE_REGISTER.allows
can_view_trends = TRENDS.allows


def can_apply_for(user, institution) -> bool:
    """The institution's head or founder, or a register decider (a paper application entered for the applicant)."""
    return OWN_INSTITUTION.allows(user, institution) or can_decide(user)


def is_applicant(user, application) -> bool:
    return OWN_INSTITUTION.allows(user, application.institution)
