"""The event log in the admin: read only, for IKVD administrators (`can_use_admin`), without the events of the
spent-conviction commission's records, which nobody outside the commission sees."""

from django.contrib import admin

from ikms.accounts import permissions
from ikms.convictions import selectors as conviction_selectors
from ikms.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "target_repr", "actor")
    list_filter = ("action",)
    search_fields = ("target_repr", "action")

    def get_queryset(self, request):
        # the spent-conviction commission's events are its own: not here, not even counted (ikms.convictions)
        return conviction_selectors.visible_events(super().get_queryset(request))

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
