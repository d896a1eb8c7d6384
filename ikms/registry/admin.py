"""Admin for the registers: read-only views of entries, because register entries change only
through recorded decisions. Classifiers are maintained by migrations."""

from django.contrib import admin

from ikms.accounts import permissions
from ikms.registry import models as m
from ikms.registry import permissions as registry_permissions


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lets IKVD administrators inspect register rows; every change goes through a decision. Rows come through
    the resource's access policy (`access_policy`, ADR 0017), like the pages and the API."""

    access_policy = None

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if self.access_policy is None else self.access_policy.scope(request.user, qs)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_module_permission(self, request) -> bool:
        return permissions.can_use_admin(request.user)


@admin.register(m.Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    access_policy = registry_permissions.INSTITUTION
    list_display = ("name", "registration_number", "type", "municipality", "status")
    list_filter = ("status", "type__kind", "municipality")
    search_fields = ("name", "registration_number")


@admin.register(m.Founder)
class FounderAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "municipality")
    search_fields = ("name",)


@admin.register(m.Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    access_policy = registry_permissions.PROGRAMME
    list_display = ("code", "name", "institution", "licence_number", "status")
    search_fields = ("code", "name", "licence_number")


@admin.register(m.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    access_policy = registry_permissions.DECISION
    list_display = ("number", "date", "kind", "subject_name", "decided_by")
    list_filter = ("kind",)
    search_fields = ("number", "subject_name")


@admin.register(m.Municipality, m.InstitutionKind, m.InstitutionType)
class ClassifierAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_lv", "name_en")
