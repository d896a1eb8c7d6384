"""The admin site asks the same predicate as everything else: only IKVD administrators."""

from django.contrib import admin

from ikms.registry import permissions


def _has_permission(request) -> bool:
    return bool(request.user.is_active and permissions.can_use_admin(request.user))


def configure_admin() -> None:
    admin.site.has_permission = _has_permission
    admin.site.site_header = "IKMS"
    admin.site.site_title = "IKMS"
