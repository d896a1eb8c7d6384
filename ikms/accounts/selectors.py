"""Reads about users' roles; results are cached on the user object for one request."""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikms.accounts.models import RoleAssignment, User
from ikms.accounts.roles import IKVD_STAFF_ROLES, Role


def active_assignments(user) -> list[RoleAssignment]:
    """The user's role assignments valid today (empty for anonymous or inactive users)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_ikms_assignments", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    rows = list(
        RoleAssignment.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("founder", "institution")
    )
    user._ikms_assignments = rows
    return rows


def users_with_role(*roles: Role | Iterable[Role]):
    """Active users holding any of the roles today, oldest account first."""
    wanted: set[str] = set()
    for r in roles:
        wanted |= {str(r)} if isinstance(r, Role) else {str(x) for x in r}
    today = timezone.localdate()
    held = (RoleAssignment.objects.filter(role__in=wanted, valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).values("user_id"))
    return User.objects.filter(is_active=True, pk__in=held).order_by("pk")


def user_roles(user) -> set[Role]:
    """The set of roles the user holds today."""
    return {Role(a.role) for a in active_assignments(user)}


def has_role(user, *roles: Role | Iterable[Role]) -> bool:
    """True when the user holds any of the roles today."""
    wanted: set[Role] = set()
    for r in roles:
        wanted |= {r} if isinstance(r, Role) else set(r)
    return bool(user_roles(user) & wanted)


def is_ikvd_staff(user) -> bool:
    return has_role(user, IKVD_STAFF_ROLES)


def scoped_founder_ids(user) -> set[int]:
    """Founders whose institutions the user may see through a founder role."""
    return {a.founder_id for a in active_assignments(user) if a.role == Role.FOUNDER and a.founder_id}


def scoped_institution_ids(user) -> set[int]:
    """Institutions the user may see through an institution-head role."""
    return {
        a.institution_id
        for a in active_assignments(user)
        if a.role == Role.INSTITUTION_HEAD and a.institution_id
    }


def role_assignment_on(user, day: datetime.date) -> list[RoleAssignment]:
    """Assignments valid on a given day (for history views and tests)."""
    return [a for a in user.role_assignments.all() if a.is_active_on(day)]


# The second factor (ADR 0019) ---------------------------------------------------------------------------------

def totp_device_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user) -> bool:
    """The user has set up an authenticator app (recovery codes alone are not a second factor of their own)."""
    return getattr(user, "is_authenticated", False) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    """How many unused recovery codes the user has."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device is not None else 0


def is_verified(user) -> bool:
    """This session has passed the second factor (django_otp's OTPMiddleware sets `is_verified` on request.user)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())
