"""The case core in the admin: teams (who shares a work queue) are kept here by IKVD administrators; case files,
deadline extensions and documents are shown read-only, through the case types' policies, since they change only
through the services (audited). A document's file is opened through the download view only."""

from django.contrib import admin

from ikms.accounts.admin import IkvdAdminOnly
from ikms.cases.models import Attachment, CaseFile, Deadline, DeadlineExtension, Team
from ikms.cases.types import visible_files_q
from ikms.registry.admin import ReadOnlyAdmin


@admin.register(Team)
class TeamAdmin(IkvdAdminOnly, admin.ModelAdmin):
    list_display = ("name_lv", "name_en", "code")
    search_fields = ("name_lv", "name_en", "code")
    filter_horizontal = ("members",)


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    fields = ("rule", "regime", "starts_on", "statutory_due_on", "due_on", "met_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CaseFile)
class CaseFileAdmin(ReadOnlyAdmin):
    list_display = ("subject", "kind", "institution", "assignee", "team", "opened_on", "closed_on")
    list_filter = ("kind", "team")
    search_fields = ("subject", "institution__name")
    inlines = [DeadlineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(visible_files_q(request.user))


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    list_display = ("deadline", "previous_due_on", "due_on", "extended_by", "extended_at")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(deadline__case_file__in=CaseFile.objects.filter(visible_files_q(request.user)))
        )


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "name", "file_type", "size", "direction", "dated_on", "case_file")
    exclude = ("file",)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(case_file__in=CaseFile.objects.filter(visible_files_q(request.user)))
        )
