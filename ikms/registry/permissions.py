"""Who may see and change the registers: predicates (one per action). Their queryset twins, the
scopers, are in selectors.py; views, the API and the admin all use these two and nothing else."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import has_role, scoped_founder_ids, scoped_institution_ids

REGISTER_DECIDERS = (Role.IKVD_ADMIN, Role.REGISTRY_OFFICER)
ACCREDITATION_DECIDERS = (Role.IKVD_ADMIN, Role.QUALITY_EXPERT)


def can_use_staff_register(user) -> bool:
    """May open the staff register at all (IKVD staff, founders and heads, each scoped)."""
    return has_role(user, IKVD_STAFF_ROLES, Role.FOUNDER, Role.INSTITUTION_HEAD)


def can_view_institution(user, institution) -> bool:
    """May see an institution's full staff entry: decisions, history, non-public fields."""
    if has_role(user, IKVD_STAFF_ROLES):
        return True
    if institution.founder_id in scoped_founder_ids(user):
        return True
    return institution.pk in scoped_institution_ids(user)


def can_decide_register(user) -> bool:
    """May take register and licensing decisions."""
    return has_role(user, *REGISTER_DECIDERS)


def can_decide_accreditation(user) -> bool:
    """May record accreditation decisions in the register of accredited institutions."""
    return has_role(user, *ACCREDITATION_DECIDERS)


def can_view_decision(user, decision) -> bool:
    """A decision is visible to whoever may see the entry it concerns (IKVD staff for the rest)."""
    if decision.institution_id is None:
        return has_role(user, IKVD_STAFF_ROLES)
    return can_view_institution(user, decision.institution)


def can_view_register_statistics(user) -> bool:
    """May see the register's decision statistics (annual report table 3)."""
    return has_role(user, IKVD_STAFF_ROLES)

