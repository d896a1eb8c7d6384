"""The admin site asks the same predicate as everything else: only IKVD administrators, and only in a session that
owes no second factor (ADR 0019; the middleware redirects such sessions before the admin is reached)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from ikms.accounts import permissions
from ikms.accounts.throttling import ThrottledLoginMixin


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's sign-in, throttled per account like the site's (ADR 0015)."""


def _has_permission(request) -> bool:
    from ikms.accounts.permissions import second_factor_step

    user = request.user
    return bool(user.is_active and permissions.can_use_admin(user) and second_factor_step(user) is None)


def configure_admin() -> None:
    admin.site.login_form = AdminLoginForm
    admin.site.has_permission = _has_permission
    admin.site.site_header = "IKMS"
    admin.site.site_title = "IKMS"
