"""Role checks for services: one refusal that names the roles needed, in the active language.

Predicates answer yes or no (`has_role`, `can_<verb>_<entity>`); a service that must refuse calls
`require_role(actor, *roles)`, so every refusal for a missing role reads the same everywhere. A
superuser without role rows is refused like anyone else: roles come only from RoleAssignment rows."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from ikms.accounts.roles import Role
from ikms.accounts.selectors import has_role
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
