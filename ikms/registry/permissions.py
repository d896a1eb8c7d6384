"""Who may see and change the registers: the access policies of the register's resources and the gates of
its actions (ikms.registry.access, ADR 0017). The scopers in selectors.py and the predicates below are these
policies' answers; views, the API, exports and the admin use them and nothing else."""

from ikms.accounts.permissions import ADMIN_USERS
from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.registry.access import gate, policy

REGISTER_DECIDERS = (Role.IKVD_ADMIN, Role.REGISTRY_OFFICER)
ACCREDITATION_DECIDERS = (Role.IKVD_ADMIN, Role.QUALITY_EXPERT)

#: An institution's full staff entry (decisions, history, non-public fields) — and, through it, everything
#: scoped "to the user's institutions": IKVD staff all, a founder its institutions, a head its own.
INSTITUTION = policy("institution", "Institution (staff register entry)", everything=IKVD_STAFF_ROLES,
                     founder=True, head=True)
#: The institutions a user answers for as the applicant side (its head or its founder); nobody sees all.
OWN_INSTITUTION = policy("own_institution", "Own institution (applicant: head or founder)",
                         founder=True, head=True,
                         note="Applies for accreditation, writes and agrees self-evaluation, reports tasks done.")
#: The institution the user heads (writes its self-evaluation report), and those it founded (agrees them).
HEADED_INSTITUTION = policy("headed_institution", "Institution the user heads", head=True)
FOUNDED_INSTITUTION = policy("founded_institution", "Institution the user's founder founded", founder=True)
PROGRAMME = policy("programme", "Licensed programme", everything=IKVD_STAFF_ROLES, founder=True, head=True,
                   path="institution")
DECISION = policy("decision", "Register decision", everything=IKVD_STAFF_ROLES, founder=True, head=True,
                  path="institution",
                  note="Decisions that concern no institution: IKVD staff only.")

USE_STAFF_REGISTER = gate("staff_register", "Open the staff register", INSTITUTION.roles)
DECIDE_REGISTER = gate("decide_register", "Take register and licensing decisions", REGISTER_DECIDERS)
DECIDE_ACCREDITATION = gate("decide_accreditation", "Record accreditation decisions in the register",
                            ACCREDITATION_DECIDERS)
REGISTER_STATISTICS = gate("register_statistics", "Register decision statistics (annual report table 3)",
                           IKVD_STAFF_ROLES)
ADMIN = gate("admin", "Django admin (every row)", ADMIN_USERS,
             note="Checked by ikms.accounts.permissions.can_use_admin, with the same roles.")

can_use_staff_register = USE_STAFF_REGISTER.allows
can_view_institution = INSTITUTION.allows
can_decide_register = DECIDE_REGISTER.allows
can_decide_accreditation = DECIDE_ACCREDITATION.allows
can_view_decision = DECISION.allows
can_view_register_statistics = REGISTER_STATISTICS.allows
