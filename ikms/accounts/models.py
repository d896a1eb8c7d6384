"""Users and role assignments (rows with scope and validity dates)."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikms.accounts.roles import FOUNDER_SCOPED_ROLES, INSTITUTION_SCOPED_ROLES, ROLE_CHOICES
from ikms.core.models import BaseModel


class User(AbstractUser):
    """An IKMS user; what they may do comes only from their RoleAssignment rows."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(BaseModel):
    """A role held by a user, optionally scoped to a founder or an institution, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=40, choices=ROLE_CHOICES)
    founder = models.ForeignKey(
        "registry.Founder", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("founder"),
        related_name="role_assignments",
    )
    institution = models.ForeignKey(
        "registry.Institution", null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("institution"), related_name="role_assignments",
    )
    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="roleassignment_valid_period",
            ),
        ]

    def __str__(self) -> str:
        scope = self.institution or self.founder or ""
        return f"{self.user} — {self.get_role_display()} {scope}".strip()

    def clean(self) -> None:
        """A scoped role names its scope; unscoped roles name none."""
        errors = {}
        if self.role in FOUNDER_SCOPED_ROLES and not self.founder_id:
            errors["founder"] = _("This role must be limited to a founder.")
        if self.role in INSTITUTION_SCOPED_ROLES and not self.institution_id:
            errors["institution"] = _("This role must be limited to an institution.")
        if self.role not in FOUNDER_SCOPED_ROLES and self.founder_id:
            errors["founder"] = _("This role cannot be limited to a founder.")
        if self.role not in INSTITUTION_SCOPED_ROLES and self.institution_id:
            errors["institution"] = _("This role cannot be limited to an institution.")
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, valid_from: datetime.date, valid_to: datetime.date | None) -> bool:
        """True when this assignment shares a day with the period from `valid_from` to `valid_to`
        (None: open-ended)."""
        return ((self.valid_to is None or valid_from <= self.valid_to)
                and (valid_to is None or self.valid_from <= valid_to))


class LoginThrottle(BaseModel):
    """Failed sign-ins of one username from any address (ikms.accounts.throttling, ADR 0015). `failures` is the
    streak since the last success, which sets `retry_at`, the end of the delay; `window_failures` counts every
    failure since `window_started_at` and locks the account (`locked_at`) at the hard cap, until it is unlocked
    by an IKVD administrator or the e-mailed link."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failures since the last success"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    retry_at = models.DateTimeField(_("next attempt from"), null=True, blank=True)
    window_started_at = models.DateTimeField(_("counting since"), null=True, blank=True)
    window_failures = models.PositiveIntegerField(_("failures counted"), default=0)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return self.username
