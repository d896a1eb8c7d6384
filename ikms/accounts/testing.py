"""Test helpers: build users through the same services production uses (the register's helpers are in
ikms.registry.testing)."""

import itertools

from ikms.accounts import services
from ikms.accounts.models import User
from ikms.accounts.roles import Role

_numbers = itertools.count(1)


def make_user(role: Role | None, *, username: str | None = None, founder=None, institution=None,
              password: str = "test-password-123") -> User:
    """A user with one role (scoped to `founder` or `institution`, a registry.Founder or Institution), or none."""
    user = services.user_create(actor=None, username=username or f"user{next(_numbers)}", password=password)
    if role is not None:
        services.role_grant(actor=None, user=user, role=role, founder=founder, institution=institution)
    return user
