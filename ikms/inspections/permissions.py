"""Who may do what with inspections (ADR 0017). IKVD staff see every inspection; supervision inspectors and IKVD
administrators run them. The inspected institution's head and its founder see their institution's inspections
once the act is sent (acts, findings, orders; a planned visit stays unannounced and an act being written is a
draft — selectors filter the states)
and submit follow-up evidence for its orders. Thematic results are IKVD staff's."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.inspections import workflow
from ikms.inspections.choices import InspectionState
from ikms.registry.access import gate, policy
from ikms.registry.permissions import OWN_INSTITUTION

RUNNERS = (Role.SUPERVISION_INSPECTOR, Role.IKVD_ADMIN)

#: The states an institution's head and founder see (the act is sent, or the inspection closed).
INSTITUTION_STATES = (InspectionState.FOLLOW_UP, InspectionState.CLOSED)

INSPECTION = policy(
    "inspection",
    "Inspections, their acts, findings, orders and follow-up evidence",
    everything=IKVD_STAFF_ROLES,
    founder=True,
    head=True,
    path="institution",
    note="A head or founder sees its institution's inspections once the act is sent.",
)
#: The inspection's file in the shared case core (documents, deadlines, letters; ADR 0022).
CASE_FILE = INSPECTION.via(
    "inspection", name="inspection_case_file", label="Documents, deadlines and letters of inspections"
)

RUN_INSPECTIONS = gate("run_inspections", "Run inspections: plan, visit, act, orders, follow-up", RUNNERS)
THEMATIC_RESULTS = gate("thematic_results", "Thematic evaluation results", IKVD_STAFF_ROLES)

is_runner = RUN_INSPECTIONS.allows
can_use_inspections = INSPECTION.may_open
can_view_thematic = THEMATIC_RESULTS.allows


def is_institution_party(user, institution) -> bool:
    """The institution's head or its founder."""
    return OWN_INSTITUTION.allows(user, institution)


def can_view_inspection(user, inspection) -> bool:
    if not INSPECTION.allows(user, inspection):
        return False
    return INSPECTION.sees_everything(user) or inspection.state in INSTITUTION_STATES


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
