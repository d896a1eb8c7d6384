"""User and role administration, for IKVD administrators (the same predicate as everywhere).
Every role change made here is written to the event log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ikms.accounts.models import RoleAssignment, User
from ikms.core.audit import audit_log
from ikms.registry import permissions


class IkvdAdminOnly:
    """Admin access decided by `can_use_admin`, not by Django's model permissions."""

    def has_module_permission(self, request) -> bool:
        return permissions.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # accounts and role rows are ended (valid_to), never deleted


class RoleAssignmentInline(IkvdAdminOnly, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("founder", "institution")


def _audit_roles(request, instances) -> None:
    for assignment in instances:
        audit_log(actor=request.user, action="role.admin_save", target=assignment,
                  data={"user": assignment.user.username, "role": assignment.role,
                        "founder": assignment.founder_id, "institution": assignment.institution_id,
                        "valid_from": assignment.valid_from, "valid_to": assignment.valid_to},
                  institution_id=assignment.institution_id)


@admin.register(User)
class UserAdmin(IkvdAdminOnly, BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "first_name", "last_name", "email", "is_active")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        audit_log(actor=request.user, action="user.admin_save", target=obj,
                  data={"changed": list(form.changed_data)})

    def save_formset(self, request, form, formset, change) -> None:
        instances = formset.save()
        _audit_roles(request, instances)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(IkvdAdminOnly, admin.ModelAdmin):
    list_display = ("user", "role", "founder", "institution", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user", "founder", "institution")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _audit_roles(request, [obj])
