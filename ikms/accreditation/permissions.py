"""Who may do what with accreditation cases, their tasks and self-evaluation reports: the access policies of
these resources (ikms.registry.access, ADR 0017), the gates of the pages, and the workflow predicates that
read the transition table. The scopers in selectors.py are these policies' answers."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import has_role
from ikms.accreditation import workflow
from ikms.registry.access import gate, policy
from ikms.registry.permissions import FOUNDED_INSTITUTION, HEADED_INSTITUTION, OWN_INSTITUTION

RUNNERS = (Role.QUALITY_EXPERT, Role.IKVD_ADMIN)

#: Accreditation and head-evaluation cases: IKVD staff all; the institution's founder and head (the
#: applicant); an external expert the cases whose commission they sit on.
CASE = policy("accreditation_case", "Accreditation and head-evaluation cases, their reports",
              everything=IKVD_STAFF_ROLES, founder=True, head=True, path="institution",
              member="members__user", member_role=Role.ACCREDITATION_EXPERT)
#: The case's file in the shared case core (documents, deadlines, letters; ADR 0022): whoever sees the case.
CASE_FILE = CASE.via("accreditation_case", name="accreditation_case_file",
                     label="Documents, deadlines and letters of accreditation cases")
#: Tasks set after a decision: whoever sees the case.
TASK = policy("accreditation_task", "Tasks set by accreditation decisions", everything=IKVD_STAFF_ROLES,
              founder=True, head=True, path="case__institution", member="case__members__user",
              member_role=Role.ACCREDITATION_EXPERT)
#: Self-evaluation reports: IKVD staff read all; a founder its institutions'; a head its own.
SELF_EVALUATION = policy("self_evaluation", "Self-evaluation reports", everything=IKVD_STAFF_ROLES,
                         founder=True, head=True, path="institution")

RUN_PROCESS = gate("run_accreditation", "Run accreditation: commissions, tasks, decisions", RUNNERS)
ACCREDITATION_ANALYTICS = gate("accreditation_analytics", "Accreditation analytics", IKVD_STAFF_ROLES)

is_runner = RUN_PROCESS.allows
can_use_accreditation = CASE.may_open
can_use_self_evaluation = SELF_EVALUATION.may_open
can_view_analytics = ACCREDITATION_ANALYTICS.allows


def _member(user, case):
    if not has_role(user, Role.ACCREDITATION_EXPERT):
        return None
    return next((m for m in case.members.all() if m.user_id == user.pk), None)


def is_applicant(user, institution) -> bool:
    """The institution's head or its founder."""
    return OWN_INSTITUTION.allows(user, institution)


def parties(user, case) -> set[str]:
    """The parties of the case the user is (see workflow.PARTIES)."""
    result = set()
    if is_runner(user):
        result.add(workflow.IKVD)
    if is_applicant(user, case.institution):
        result.add(workflow.APPLICANT)
    member = _member(user, case)
    if member is not None:
        result.add(workflow.MEMBER)
        if member.role == "chair":
            result.add(workflow.CHAIR)
    return result


can_view_case = CASE.allows


def can_apply(user, institution) -> bool:
    return workflow.APPLICANT in workflow.transition("apply").parties and is_applicant(user, institution)


def can_transition(user, case, action: str) -> bool:
    """The table allows this user to take this action in the case's current state."""
    t = workflow.BY_ACTION.get(action)
    if t is None or case.state not in t.sources:
        return False
    return bool(parties(user, case) & set(t.parties))


def allowed_actions(user, case) -> list[workflow.Transition]:
    return [t for t in workflow.actions_from(case.state) if can_transition(user, case, t.action)]


def can_view_private_report(user, case) -> bool:
    """The non-public part of the report: IKVD staff, the commission and the applicant."""
    return can_view_case(user, case)


def can_set_task(user, case) -> bool:
    return is_runner(user) and case.state == "decided"


def can_update_task(user, task) -> bool:
    """IKVD staff, and the institution's head or founder (who report it done with evidence)."""
    return is_runner(user) or is_applicant(user, task.institution)


# --- Self-evaluation reports (domain.md §2.1): the head writes, the founder agrees, IKVD reads ---

is_head_of = HEADED_INSTITUTION.allows
is_founder_of = FOUNDED_INSTITUTION.allows
can_view_self_evaluation = SELF_EVALUATION.allows


def can_create_self_evaluation(user, institution) -> bool:
    return has_role(user, Role.INSTITUTION_HEAD) and is_head_of(user, institution)


def can_edit_self_evaluation(user, report) -> bool:
    """The head, while the report is a draft or has been returned by the founder."""
    return report.state in ("draft", "returned") and can_create_self_evaluation(user, report.institution)


can_submit_self_evaluation = can_edit_self_evaluation


def can_review_self_evaluation(user, report) -> bool:
    """The founder agrees or returns a submitted report."""
    return report.state == "submitted" and is_founder_of(user, report.institution)


def can_publish_self_evaluation(user, report) -> bool:
    return report.state == "agreed" and can_create_self_evaluation(user, report.institution)


# --- The accreditation experts register (issue 14 item 6) ---

#: The register's list: IKVD staff read every entry; quality experts and admins edit them.
EXPERT_REGISTER = gate("accreditation_experts", "Accreditation experts register: every entry", IKVD_STAFF_ROLES)
EXPERT_EDIT = gate("accreditation_experts_edit", "Accreditation experts register: edit every entry", RUNNERS,
                   note="An expert edits only their own entry.")

can_view_expert_register = EXPERT_REGISTER.allows


def is_own_expert_entry(user, expert) -> bool:
    return user.is_authenticated and user.pk == expert.pk and has_role(user, Role.ACCREDITATION_EXPERT)


def can_view_expert(user, expert) -> bool:
    """IKVD staff see every expert's entry; an expert their own."""
    return EXPERT_REGISTER.allows(user) or is_own_expert_entry(user, expert)


def can_edit_expert(user, expert) -> bool:
    """Quality experts and admins edit every entry; an expert their own (availability, conflicts, languages,
    training)."""
    return EXPERT_EDIT.allows(user) or is_own_expert_entry(user, expert)
