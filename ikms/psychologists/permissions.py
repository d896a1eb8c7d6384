"""Who may see and change the register of psychologists (ADR 0017). IKVD staff read the register and the board's
work; registry officers and IKVD administrators, as the board's secretariat, record meetings, applications,
examination results and decisions. The public register (`views.public_*`) needs no role and shows only the public
fields (`selectors.PUBLIC_FIELDS`)."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.registry.access import gate, policy

SECRETARIAT = (Role.IKVD_ADMIN, Role.REGISTRY_OFFICER)

#: A psychologist's staff entry: every field but the personal code's hash (never shown), decisions with their
#: justification, applications and examination results.
PSYCHOLOGIST = policy(
    "psychologist",
    "Psychologist (staff register entry, decisions, examination results)",
    everything=IKVD_STAFF_ROLES,
    note="The public register shows only the public fields, to anyone.",
)
#: The board's meetings, examination sessions and the applications it decides.
BOARD = policy(
    "psychologist_board",
    "Psychologist Certification Board: meetings, applications, examinations",
    everything=IKVD_STAFF_ROLES,
)
RECORD = gate(
    "psychologist_record",
    "Record the board's meetings, applications, examination results and register decisions",
    SECRETARIAT,
)

can_use_register = PSYCHOLOGIST.may_open
can_view_psychologist = PSYCHOLOGIST.allows
can_use_board = BOARD.may_open
can_record = RECORD.allows
