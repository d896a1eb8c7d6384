"""Who may see and change the register of teacher private-practice certificates (ADR 0017). IKVD staff read every
certificate and its decisions (never a personal code: only its keyed hash is kept); registry officers and IKVD's
administrators record the decisions of the certificates commission. Founders and heads have no part in it. The
public register (teacher, certificate, programme, term, status) needs no sign-in and no rule."""

from ikms.accounts.roles import IKVD_STAFF_ROLES
from ikms.registry.access import gate, policy
from ikms.registry.permissions import REGISTER_DECIDERS

#: A certificate's staff entry: its decisions, the event log and the row history.
CERTIFICATE = policy(
    "practice_certificate",
    "Teacher private-practice certificate (staff register entry)",
    everything=IKVD_STAFF_ROLES,
    note="The public register shows every certificate without personal codes.",
)
#: Record the decisions that issue, extend and annul certificates.
DECIDE = gate(
    "practice_decide", "Record private-practice certificate decisions (issue, extend, annul)", REGISTER_DECIDERS
)

can_use_register = CERTIFICATE.may_open
can_view_certificate = CERTIFICATE.allows
can_decide = DECIDE.allows
