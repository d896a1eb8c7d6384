"""Who may see monitoring results and plan visits: the access policies of monitoring's resources and the
gates of its pages and actions (ikms.registry.access, ADR 0017). The scopers in selectors.py and the
predicates below are these rules' answers; views, the API, exports, the dossier and the admin use them and
nothing else, and the services that write refuse with `require_role` and the same role constants."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.registry.access import gate, policy

#: Who may put institutions on the visit plan and change an entry's status (pages, API, services).
VISIT_PLANNERS = (Role.IKVD_ADMIN, Role.QUALITY_EXPERT, Role.SUPERVISION_INSPECTOR, Role.ANALYST)
#: Who may start a recomputation of the indicators from the web (commands and tasks run as the system).
RECOMPUTERS = (Role.IKVD_ADMIN, Role.ANALYST)

#: An institution's monitoring results: dashboard, indicator values, dossier, data quality rows.
MONITORED_INSTITUTION = policy("monitored_institution", "Institution's monitoring results and dossier",
                               everything=IKVD_STAFF_ROLES, founder=True, head=True)
#: A municipality's dashboard, values and absence tables: IKVD staff, and the municipality's own founder users.
MUNICIPALITY = policy("municipality", "Municipality's monitoring results", everything=IKVD_STAFF_ROLES,
                      municipality=True)
#: Risk flags with their evidence, and rules not evaluated (ADR 0016): IKVD staff every institution's, a
#: founder its institutions', a head its institution's, the public never.
RISK_FLAG = policy("risk_flag", "Risk flags, their evidence and rules not evaluated",
                   everything=IKVD_STAFF_ROLES, founder=True, head=True, number="institution")
#: The visit plan: IKVD staff.
VISIT = policy("visit", "Visit plan entries", everything=IKVD_STAFF_ROLES, path="institution")
#: Computation runs (ADR 0016): IKVD staff every run with national counts; founders and heads the complete
#: runs and the recomputations of their own institutions, counted within their scope (selectors.runs_visible_to).
RUN = policy("run", "Computation runs", everything=IKVD_STAFF_ROLES,
             extra_roles=frozenset({Role.FOUNDER, Role.INSTITUTION_HEAD}),
             note="Founders and heads: complete runs and recomputations of their institutions, "
                  "counted within their scope.")

USE_MONITORING = gate("monitoring", "Open the monitoring pages", MONITORED_INSTITUTION.roles)
NATION = gate("nation", "National dashboard, tables 5–7 for the country, indicator distributions",
              IKVD_STAFF_ROLES)
DATA_QUALITY = gate("data_quality", "Data-quality page", IKVD_STAFF_ROLES, Role.FOUNDER,
                    note="Founders see their own institutions' rows.")
RISK_LIST = gate("risk_list", "National risk list (the ranking) and the visit plan", IKVD_STAFF_ROLES)
PLAN_VISITS = gate("plan_visits", "Put institutions on the visit plan, change an entry's status",
                   VISIT_PLANNERS)
RECOMPUTE = gate("recompute", "Start a recomputation of the indicators", RECOMPUTERS)

can_use_monitoring = USE_MONITORING.allows
can_view_nation = NATION.allows
can_view_municipality = MUNICIPALITY.allows
can_view_institution_monitoring = MONITORED_INSTITUTION.allows
can_view_data_quality = DATA_QUALITY.allows
can_view_risks = RISK_LIST.allows
can_view_all_runs = RUN.sees_everything
can_plan_visits = PLAN_VISITS.allows
can_recompute = RECOMPUTE.allows


def can_view_risk_flags(user, institution=None) -> bool:
    """Risk flags with their evidence (RISK_FLAG, ADR 0016) of one institution, or without one: whether the
    user may see any flags (which ones: `selectors.risk_flag_institutions_visible_to`)."""
    if institution is None:
        return RISK_FLAG.may_open(user)
    return RISK_FLAG.allows_institution(user, institution)
