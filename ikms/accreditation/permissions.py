"""Who may do what with accreditation cases: predicates. The workflow predicate reads the
transition table; the queryset twins (scopers) are in selectors.py."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import has_role, scoped_founder_ids, scoped_institution_ids
from ikms.accreditation import workflow

RUNNERS = (Role.QUALITY_EXPERT, Role.IKVD_ADMIN)


def is_runner(user) -> bool:
    """IKVD quality staff who run the process."""
    return has_role(user, *RUNNERS)


def can_use_accreditation(user) -> bool:
    """May open the case list at all (each sees their own scope)."""
    return has_role(user, IKVD_STAFF_ROLES, Role.ACCREDITATION_EXPERT, Role.FOUNDER, Role.INSTITUTION_HEAD)


def _member(user, case):
    if not has_role(user, Role.ACCREDITATION_EXPERT):
        return None
    return next((m for m in case.members.all() if m.user_id == user.pk), None)


def is_applicant(user, institution) -> bool:
    """The institution's head or its founder."""
    return (institution.pk in scoped_institution_ids(user)
            or (has_role(user, Role.FOUNDER) and institution.founder_id in scoped_founder_ids(user)))


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


def can_view_case(user, case) -> bool:
    if has_role(user, IKVD_STAFF_ROLES):
        return True
    return bool(parties(user, case) & {workflow.APPLICANT, workflow.MEMBER})


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


def can_view_analytics(user) -> bool:
    return has_role(user, IKVD_STAFF_ROLES)


# --- Self-evaluation reports (domain.md §2.1): the head writes, the founder agrees, IKVD reads ---

def is_head_of(user, institution) -> bool:
    return institution.pk in scoped_institution_ids(user)


def is_founder_of(user, institution) -> bool:
    return has_role(user, Role.FOUNDER) and institution.founder_id in scoped_founder_ids(user)


def can_use_self_evaluation(user) -> bool:
    """May open the list of self-evaluation reports (each sees their own scope)."""
    return has_role(user, IKVD_STAFF_ROLES, Role.FOUNDER, Role.INSTITUTION_HEAD)


def can_view_self_evaluation(user, report) -> bool:
    return (has_role(user, IKVD_STAFF_ROLES) or is_head_of(user, report.institution)
            or is_founder_of(user, report.institution))


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
