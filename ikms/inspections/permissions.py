"""Who may do what with inspections (ADR 0017). IKVD staff see every inspection; supervision inspectors and IKVD
administrators run them. The inspected institution's head and its founder see their institution's inspections
once the act is sent (acts, findings, orders; a planned visit stays unannounced and an act being written is a
draft), and submit follow-up evidence for its orders: the policies below add that state condition to the rows a
head or founder sees, for the inspections and for their case files alike. Thematic results are IKVD staff's."""

from dataclasses import dataclass

from django.db.models import Q

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.inspections import workflow
from ikms.inspections.choices import InspectionState
from ikms.registry.access import Policy, gate
from ikms.registry.permissions import OWN_INSTITUTION

RUNNERS = (Role.SUPERVISION_INSPECTOR, Role.IKVD_ADMIN)

#: The states an institution's head and founder see (the act is sent, or the inspection closed).
INSTITUTION_STATES = (InspectionState.FOLLOW_UP, InspectionState.CLOSED)


@dataclass(frozen=True, eq=False)
class AnnouncedPolicy(Policy):
    """A policy whose scoped rows (a head's, a founder's) are only those whose inspection is in INSTITUTION_STATES
    (`state_path`: the ORM path to the inspection's state); the roles that see every row see every row."""

    state_path: str = "state"

    def _q(self, user) -> Q | None:
        q = super()._q(user)
        return None if q is None else q & Q(**{f"{self.state_path}__in": INSTITUTION_STATES})

    def _founders_q(self, founder_ids: list[int]) -> Q | None:
        q = super()._founders_q(founder_ids)
        return None if q is None else q & Q(**{f"{self.state_path}__in": INSTITUTION_STATES})


INSPECTION = AnnouncedPolicy(
    name="inspection",
    label="Inspections, their acts, findings, orders and follow-up evidence",
    everything=frozenset(IKVD_STAFF_ROLES),
    founder=True,
    head=True,
    path="institution",
    note="A head or founder sees its institution's inspections once the act is sent.",
)
#: The inspection's file in the shared case core (documents, deadlines, letters; ADR 0022), under the same rule.
CASE_FILE = AnnouncedPolicy(
    name="inspection_case_file",
    label="Documents, deadlines and letters of inspections",
    everything=frozenset(IKVD_STAFF_ROLES),
    founder=True,
    head=True,
    path="inspection__institution",
    state_path="inspection__state",
    note="A head or founder sees the file once the inspection's act is sent.",
)

RUN_INSPECTIONS = gate("run_inspections", "Run inspections: plan, visit, act, orders, follow-up", RUNNERS)
THEMATIC_RESULTS = gate("thematic_results", "Thematic evaluation results", IKVD_STAFF_ROLES)

is_runner = RUN_INSPECTIONS.allows
can_use_inspections = INSPECTION.may_open
#: IKVD staff: every inspection, and what only they see of one (the visit-plan entry or the complaint it came from),
#: on the inspection page and in the API alike.
sees_every_inspection = INSPECTION.sees_everything
can_view_thematic = THEMATIC_RESULTS.allows


def is_institution_party(user, institution) -> bool:
    """The institution's head or its founder."""
    return OWN_INSTITUTION.allows(user, institution)


def can_view_inspection(user, inspection) -> bool:
    return INSPECTION.allows(user, inspection)


def parties(user, inspection) -> set[str]:
    result = set()
    if is_runner(user):
        result.add(workflow.IKVD)
    if inspection.state in INSTITUTION_STATES and is_institution_party(user, inspection.institution):
        result.add(workflow.INSTITUTION)
    return result


def can_transition(user, inspection, action: str) -> bool:
    t = workflow.BY_ACTION.get(action)
    if t is None or inspection.state not in t.sources:
        return False
    return bool(parties(user, inspection) & set(t.parties))


def allowed_actions(user, inspection) -> list[workflow.Transition]:
    return [t for t in workflow.actions_from(inspection.state) if can_transition(user, inspection, t.action)]
