"""Writes for accounts: creating users and granting or ending roles, each audited."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ikms.accounts.models import RoleAssignment, User
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


@transaction.atomic
def role_grant(*, actor, user: User, role: Role, founder=None, institution=None,
               valid_from: datetime.date | None = None, valid_to: datetime.date | None = None,
               note: str = "") -> RoleAssignment:
    """Give a user a role, scoped and time-limited as the role requires."""
    assignment = RoleAssignment(user=user, role=role.value, founder=founder, institution=institution,
                                valid_to=valid_to, note=note)
    if valid_from:
        assignment.valid_from = valid_from
    assignment.full_clean()
    assignment.save()
    audit_log(actor=actor, action="role.grant", target=assignment,
              data={"user": user.username, "role": role.value,
                    "founder": founder.pk if founder else None,
                    "institution": institution.pk if institution else None},
              institution_id=institution.pk if institution else None)
    user.__dict__.pop("_ikms_assignments", None)
    return assignment


@transaction.atomic
def role_end(*, actor, assignment: RoleAssignment, valid_to: datetime.date) -> RoleAssignment:
    """End a role assignment on a date (history is kept)."""
    assignment.valid_to = valid_to
    assignment.full_clean()
    assignment.save(update_fields=["valid_to", "updated_at"])
    audit_log(actor=actor, action="role.end", target=assignment, data={"valid_to": valid_to})
    return assignment
