"""The admin site asks the same predicate as everything else: only IKVD administrators."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from ikms.accounts import permissions
from ikms.accounts.throttling import ThrottledLoginMixin


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's sign-in, throttled per account like the site's (ADR 0015)."""


def _has_permission(request) -> bool:
    return bool(request.user.is_active and permissions.can_use_admin(request.user))


def configure_admin() -> None:
    admin.site.login_form = AdminLoginForm
    admin.site.has_permission = _has_permission
    admin.site.site_header = "IKMS"
    admin.site.site_title = "IKMS"
