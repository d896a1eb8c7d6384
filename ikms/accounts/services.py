"""Writes for accounts: creating users, granting or ending roles and unlocking sign-in, each audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.accounts.models import LoginThrottle, RoleAssignment, User
from ikms.accounts.permissions import ROLE_MANAGERS, require_role
from ikms.accounts.roles import Role
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, first_name: str = "", last_name: str = "",
                email: str = "", is_staff: bool = False, is_superuser: bool = False) -> User:
    """Create a user account."""
    if User.objects.filter(username=username).exists():
        raise ApplicationError(_("A user with this name already exists."))
    user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                is_staff=is_staff, is_superuser=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_log(actor=actor, action="user.create", target=user, data={"username": username})
    return user


def _require_role_manager(actor) -> None:
    """Roles are granted and ended by an IKVD administrator, or by the system (actor None:
    management commands, demo data, tests)."""
    if actor is not None:
        require_role(actor, *ROLE_MANAGERS)


def check_role_overlap(*, user: User, role: Role | str, founder=None, institution=None,
                       valid_from: datetime.date, valid_to: datetime.date | None,
                       exclude_pk: int | None = None) -> None:
    """Refuse a second assignment of the same role and scope for a period that overlaps one the
    user already has (ValidationError; the message is lazy, so it renders in any language)."""
    if user.pk is None:
        return
    same = (RoleAssignment.objects.filter(user=user, role=str(role), founder=founder, institution=institution)
            .exclude(pk=exclude_pk).order_by("valid_from"))
    other = next((a for a in same if a.overlaps(valid_from, valid_to)), None)
    if other is not None:
        period = f"{other.valid_from.isoformat()} – {other.valid_to.isoformat() if other.valid_to else '…'}"
        raise ValidationError(
            gettext_lazy("User %(user)s already holds this role with the same scope for an overlapping "
                         "period (%(period)s)."),
            code="role_overlap", params={"user": user.username, "period": period})


@transaction.atomic
def role_grant(*, actor, user: User, role: Role, founder=None, institution=None,
               valid_from: datetime.date | None = None, valid_to: datetime.date | None = None,
               note: str = "") -> RoleAssignment:
    """Give a user a role, scoped and time-limited as the role requires; never twice for the same
    scope and an overlapping period."""
    _require_role_manager(actor)
    role = Role(role)
    assignment = RoleAssignment(user=user, role=role.value, founder=founder, institution=institution,
                                valid_from=valid_from or timezone.localdate(), valid_to=valid_to, note=note)
    assignment.full_clean()
    check_role_overlap(user=user, role=role, founder=founder, institution=institution,
                       valid_from=assignment.valid_from, valid_to=valid_to)
    assignment.save()
    audit_log(actor=actor, action="role.grant", target=assignment,
              data={"user": user.username, "role": role.value,
                    "founder": founder.pk if founder else None,
                    "institution": institution.pk if institution else None,
                    "valid_from": assignment.valid_from, "valid_to": valid_to},
              institution_id=institution.pk if institution else None)
    user.__dict__.pop("_ikms_assignments", None)
    return assignment


@transaction.atomic
def role_end(*, actor, assignment: RoleAssignment, valid_to: datetime.date) -> RoleAssignment:
    """End a role assignment on a date, the last day it is held (history is kept)."""
    _require_role_manager(actor)
    assignment.valid_to = valid_to
    assignment.full_clean()
    check_role_overlap(user=assignment.user, role=assignment.role, founder=assignment.founder,
                       institution=assignment.institution, valid_from=assignment.valid_from,
                       valid_to=valid_to, exclude_pk=assignment.pk)
    assignment.save(update_fields=["valid_to", "updated_at"])
    audit_log(actor=actor, action="role.end", target=assignment, data={"valid_to": valid_to},
              institution_id=assignment.institution_id)
    assignment.user.__dict__.pop("_ikms_assignments", None)
    return assignment


@transaction.atomic
def user_unlock(*, actor, user: User, via: str = "admin") -> bool:
    """Lift the sign-in lock and the delays of the throttle (ikms.accounts.throttling) from an account: by an
    IKVD administrator, or with actor None once the e-mailed unlock link is verified (`via` "email"). False
    (and nothing recorded) when the account was not locked."""
    _require_role_manager(actor)
    row = LoginThrottle.objects.select_for_update().filter(username=user.username).first()
    if row is None or row.locked_at is None:
        return False
    audit_log(actor=actor, action="user.sign_in_unlock", target=user,
              data={"via": via, "locked_at": row.locked_at, "failures": row.window_failures})
    row.delete()
    return True
