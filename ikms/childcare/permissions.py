"""Who may see and change the register of child supervision providers (ADR 0017). IKVD staff read every entry
(applications and refusals included, never a personal code: only its keyed hash is kept); registry officers and
IKVD's administrators record applications and decisions. Founders and heads have no part in it. The public register
(registered and removed providers, public fields only) needs no sign-in and no rule."""

from ikms.accounts.roles import IKVD_STAFF_ROLES
from ikms.registry.access import gate, policy
from ikms.registry.permissions import REGISTER_DECIDERS

#: A provider's staff entry: the application, the decisions, the event log and the row history.
PROVIDER = policy(
    "childcare_provider",
    "Child supervision provider (staff register entry)",
    everything=IKVD_STAFF_ROLES,
    note="The public register shows registered and removed providers without personal codes.",
)
#: Record applications and the decisions that register, refuse, amend and remove providers.
DECIDE = gate("childcare_decide", "Record child supervision provider applications and decisions", REGISTER_DECIDERS)

can_use_register = PROVIDER.may_open
can_view_provider = PROVIDER.allows
can_decide = DECIDE.allows
