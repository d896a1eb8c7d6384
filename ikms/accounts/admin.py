"""User and role administration, for IKVD administrators (the same predicate as everywhere).
Roles are granted and ended only through ikms.accounts.services (role_grant, role_end), which
check the rules and write the event log; a granted row is never deleted, only ended. A user's second factor is
reset by the action on the users list (services.second_factor_reset); django-otp's own admin pages, which would show
TOTP secrets and recovery codes, are removed."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikms.accounts import permissions, services
from ikms.accounts.models import LoginThrottle, RoleAssignment, User
from ikms.accounts.roles import Role
from ikms.core.audit import audit_log

for _model in (TOTPDevice, StaticDevice):  # secrets stay out of the admin (ADR 0019)
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

#: Fields of an assignment fixed once it is granted (only its end date changes, through role_end).
FIXED_FIELDS = ("user", "role", "founder", "institution", "valid_from", "note")


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


class RoleAssignmentForm(forms.ModelForm):
    """Shows on the form what the services would refuse: a change to a granted row other than its
    end date, a removed end date, and a second assignment of the same role and scope for an
    overlapping period (services.check_role_overlap, the rule role_grant and role_end apply)."""

    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "founder", "institution", "valid_from", "valid_to", "note")

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None:
            if any(name != "valid_to" for name in self.changed_data):
                raise ValidationError(_("Only the end date of a granted role can be changed; to change "
                                        "anything else, end it and grant the role again."))
            if "valid_to" in self.changed_data and data.get("valid_to") is None:
                self.add_error("valid_to", _("The end date cannot be removed; grant the role again instead."))
        return data

    def _post_clean(self) -> None:
        super()._post_clean()
        row = self.instance
        if self._errors or not self.has_changed() or row.valid_from is None or not row.role:
            return
        try:
            services.check_role_overlap(user=row.user, role=row.role, founder=row.founder,
                                        institution=row.institution, valid_from=row.valid_from,
                                        valid_to=row.valid_to, exclude_pk=row.pk)
        except ValidationError as exc:
            self.add_error(None, exc)


class RoleAssignmentFormSet(BaseInlineFormSet):
    """Two rows of one submission may not give the same role and scope for overlapping periods."""

    def clean(self) -> None:
        super().clean()
        rows = [f.instance for f in self.forms
                if f.has_changed() and not f.errors and not self._should_delete_form(f)]
        for i, row in enumerate(rows):
            for other in rows[:i]:
                same = (row.role, row.founder_id, row.institution_id) == (
                    other.role, other.founder_id, other.institution_id)
                if same and row.overlaps(other.valid_from, other.valid_to):
                    raise ValidationError(_("Two rows give the same role with the same scope for "
                                            "overlapping periods."))


class RoleAssignmentInline(IkvdAdminOnly, admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("founder", "institution")


def _grant(request, obj: RoleAssignment, user: User) -> None:
    """Grant the admin's unsaved row through the service, then make `obj` the saved row (the admin
    uses it for its messages, history and redirect)."""
    granted = services.role_grant(actor=request.user, user=user, role=Role(obj.role), founder=obj.founder,
                                  institution=obj.institution, valid_from=obj.valid_from,
                                  valid_to=obj.valid_to, note=obj.note)
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(granted, field.attname))
    obj._state.adding = False
    obj._state.db = granted._state.db


@admin.register(User)
class UserAdmin(IkvdAdminOnly, BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "first_name", "last_name", "email", "is_active", "has_second_factor")
    actions = ["unlock_sign_in", "reset_second_factor"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))

    @admin.display(description=_("Two-factor authentication"), boolean=True, ordering="_has_second_factor")
    def has_second_factor(self, obj) -> bool:
        return bool(getattr(obj, "_has_second_factor", False))

    @admin.action(description=_("Reset two-factor authentication (lost phone: the user sets it up again)"))
    def reset_second_factor(self, request, queryset) -> None:
        """Through services.second_factor_reset, which checks the actor's role and writes the event log."""
        reset = [user.username for user in queryset
                 if services.second_factor_reset(actor=request.user, user=user)]
        if reset:
            self.message_user(request, _("Two-factor authentication reset: %(users)s") % {"users": ", ".join(reset)},
                              messages.SUCCESS)
        else:
            self.message_user(request, _("None of the selected accounts had two-factor authentication."),
                              messages.WARNING)

    @admin.action(description=_("Unlock sign-in (locked after too many failed attempts)"))
    def unlock_sign_in(self, request, queryset) -> None:
        """Through services.user_unlock, which checks the actor's role and writes the event log."""
        unlocked = [user.username for user in queryset if services.user_unlock(actor=request.user, user=user)]
        if unlocked:
            self.message_user(request, _("Unlocked: %(users)s") % {"users": ", ".join(unlocked)}, messages.SUCCESS)
        else:
            self.message_user(request, _("None of the selected accounts was locked."), messages.WARNING)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        audit_log(actor=request.user, action="user.admin_save", target=obj,
                  data={"changed": list(form.changed_data)})

    def save_formset(self, request, form, formset, change) -> None:
        """Role rows are ended and granted by the services (audited there), never saved here."""
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # fills new_objects / changed_objects for the change message; writes nothing
        for obj, changed in formset.changed_objects:
            if "valid_to" in changed:
                services.role_end(actor=request.user, assignment=obj, valid_to=obj.valid_to)
        for obj in formset.new_objects:
            _grant(request, obj, form.instance)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(IkvdAdminOnly, admin.ModelAdmin):
    list_display = ("user", "role", "founder", "institution", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user", "founder", "institution")
    form = RoleAssignmentForm

    def get_readonly_fields(self, request, obj=None):
        return FIXED_FIELDS if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        """Granted by role_grant; a granted row changes only its end date, by role_end."""
        if not change:
            _grant(request, obj, obj.user)
        elif "valid_to" in form.changed_data:
            services.role_end(actor=request.user, assignment=obj, valid_to=obj.valid_to)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(IkvdAdminOnly, admin.ModelAdmin):
    """Which usernames are being guessed, and which accounts are locked (read only; unlock from the users list,
    the action "Unlock sign-in")."""

    list_display = ("username", "failures", "window_failures", "last_failure_at", "locked_at")
    search_fields = ("username",)
    ordering = ("-locked_at", "-last_failure_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
