"""Who may see monitoring results and plan visits: predicates, one per action (the scopers are in
selectors.py). Views, the API and the admin ask these and nothing else; the services that write refuse with
`require_role` and the same role constants."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import has_role, scoped_founder_ids
from ikms.registry.models import Founder
from ikms.registry.permissions import can_view_institution

#: Who may put institutions on the visit plan and change an entry's status (pages, API, services).
VISIT_PLANNERS = (Role.IKVD_ADMIN, Role.QUALITY_EXPERT, Role.SUPERVISION_INSPECTOR, Role.ANALYST)
#: Who may start a recomputation of the indicators from the web (commands and tasks run as the system).
RECOMPUTERS = (Role.IKVD_ADMIN, Role.ANALYST)
#: Who may see risk flags at all, each within their scope (ADR 0016): IKVD staff, founders, heads.
RISK_FLAG_VIEWERS = (IKVD_STAFF_ROLES, Role.FOUNDER, Role.INSTITUTION_HEAD)


def can_use_monitoring(user) -> bool:
    """May open the monitoring pages at all (IKVD staff, founders and heads, each scoped)."""
    return has_role(user, IKVD_STAFF_ROLES, Role.FOUNDER, Role.INSTITUTION_HEAD)


def can_view_nation(user) -> bool:
    """The national dashboard, tables 5-7 for the country and indicator distributions: IKVD staff."""
    return has_role(user, IKVD_STAFF_ROLES)


def founder_municipality_ids(user) -> set[int]:
    """Municipalities whose education board (municipal founder) the user works for."""
    ids = scoped_founder_ids(user)
    if not ids:
        return set()
    return set(Founder.objects.filter(pk__in=ids, municipality__isnull=False).values_list("municipality_id",
                                                                                          flat=True))


def can_view_municipality(user, municipality) -> bool:
    """A municipality's dashboard and absence tables: IKVD staff, and that municipality's founder users."""
    if has_role(user, IKVD_STAFF_ROLES):
        return True
    return municipality.pk in founder_municipality_ids(user)


def can_view_institution_monitoring(user, institution) -> bool:
    """An institution's dashboard, indicators and dossier: IKVD staff, its founder and its head."""
    return can_view_institution(user, institution)


def can_view_data_quality(user) -> bool:
    """The data-quality page (what the data lake has received, when, implausible changes): IKVD staff for every
    institution, founders for their own (scoped by `institutions_for_monitoring`)."""
    return has_role(user, IKVD_STAFF_ROLES, Role.FOUNDER)


def can_view_risks(user) -> bool:
    """The national risk list (the ranking) and the visit plan: IKVD staff."""
    return has_role(user, IKVD_STAFF_ROLES)


def can_view_risk_flags(user, institution=None) -> bool:
    """Risk flags with their evidence (ADR 0016): IKVD staff every institution's, a founder its institutions',
    a head its institution's, the public never. Without an institution: whether the user may see any flags
    (which ones: `selectors.risk_flag_institutions_visible_to`)."""
    if not has_role(user, *RISK_FLAG_VIEWERS):
        return False
    return institution is None or can_view_institution(user, institution)


def can_view_all_runs(user) -> bool:
    """Every computation run with its national counts (ADR 0016): IKVD staff. Founders and heads see the
    complete runs and the recomputations of their own institutions, counted within their scope."""
    return has_role(user, IKVD_STAFF_ROLES)


def can_plan_visits(user) -> bool:
    """May put institutions on the visit plan and change an entry's status."""
    return has_role(user, *VISIT_PLANNERS)


def can_recompute(user) -> bool:
    """May start a recomputation of the indicators."""
    return has_role(user, *RECOMPUTERS)
