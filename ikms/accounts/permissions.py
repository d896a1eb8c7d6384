"""Role checks for services: one refusal that names the roles needed, in the active language.

Predicates answer yes or no (`has_role`, `can_<verb>_<entity>`); a service that must refuse calls
`require_role(actor, *roles)`, so every refusal for a missing role reads the same everywhere. A
superuser without role rows is refused like anyone else: roles come only from RoleAssignment rows."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import has_role, has_second_factor, is_verified
from ikms.core.exceptions import PermissionDeniedError

#: Who may grant and end roles (the admin and the grant_role / end_role commands run as them).
ROLE_MANAGERS = (Role.IKVD_ADMIN,)
#: Who may use the Django admin (registry.permissions.ADMIN lists it in the access matrix).
ADMIN_USERS = (Role.IKVD_ADMIN,)


def _flatten(roles: Iterable[Role | Iterable[Role]]) -> list[Role]:
    """Roles in the order given (a set is taken in Role's order), each once."""
    order = list(Role)
    result: list[Role] = []
    for item in roles:
        group = [item] if isinstance(item, Role) else sorted(item, key=order.index)
        result += [r for r in group if r not in result]
    return result


def roles_needed_message(roles: Iterable[Role | Iterable[Role]]) -> str:
    """“This needs one of the roles: …” with the roles' labels, in the active language."""
    wanted = _flatten(roles)
    labels = ", ".join(r.label for r in wanted)
    if len(wanted) == 1:
        return _("This needs the role: %(roles)s.") % {"roles": labels}
    return _("This needs one of the roles: %(roles)s.") % {"roles": labels}


def require_role(user, *roles: Role | Iterable[Role]) -> None:
    """Refuse (PermissionDeniedError naming the roles) unless the user holds one of the roles today."""
    if not has_role(user, *roles):
        wanted = _flatten(roles)
        raise PermissionDeniedError(roles_needed_message(wanted), extra={"roles": [r.value for r in wanted]})


def can_manage_roles(user) -> bool:
    """May grant and end other users' roles."""
    return has_role(user, *ROLE_MANAGERS)


def can_use_admin(user) -> bool:
    """The Django admin is for IKVD administrators only."""
    return has_role(user, *ADMIN_USERS)


#: Who must sign in with a second factor when settings.IKMS_REQUIRE_2FA is on (ADR 0019): IKVD's own staff and the
#: external accreditation experts, who see pupils' data and risk flags and prepare or take decisions.
SECOND_FACTOR_ROLES = IKVD_STAFF_ROLES | {Role.ACCREDITATION_EXPERT}
#: What a signed-in session still owes before it may go on (second_factor_step).
VERIFY, SETUP = "verify", "setup"


def requires_second_factor(user) -> bool:
    """Must use a second factor: the rule is on (settings.IKMS_REQUIRE_2FA) and the user holds a role of
    SECOND_FACTOR_ROLES today. The one place that decides who is forced; everyone else may choose it."""
    return bool(settings.IKMS_REQUIRE_2FA) and has_role(user, SECOND_FACTOR_ROLES)


def can_disable_second_factor(user) -> bool:
    """May switch their own second factor off: only someone who is not required to use it."""
    return not requires_second_factor(user)


def second_factor_step(user) -> str | None:
    """What this signed-in session must do before anything else: VERIFY when the user has an authenticator app
    (whether required or chosen, its code is asked at every sign-in) and this session has not entered a code,
    SETUP when the user must use a second factor and has none, otherwise None. The middleware and the admin site
    both ask this."""
    if not getattr(user, "is_authenticated", False) or is_verified(user):
        return None
    if has_second_factor(user):
        return VERIFY
    if requires_second_factor(user):
        return SETUP
    return None
