"""The event log in the admin: read only, for IKVD administrators (`can_use_admin`)."""

from django.contrib import admin

from ikms.accounts import permissions
from ikms.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "target_repr", "actor")
    list_filter = ("action",)
    search_fields = ("target_repr", "action")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_module_permission(self, request) -> bool:
        return permissions.can_use_admin(request.user)
