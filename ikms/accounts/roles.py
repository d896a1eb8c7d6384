"""Roles are code constants (never looked up by display names)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    """Every role IKMS knows; assignments are RoleAssignment rows with scope and validity."""

    IKVD_ADMIN = "ikvd_admin"
    REGISTRY_OFFICER = "registry_officer"
    QUALITY_EXPERT = "quality_expert"
    SUPERVISION_INSPECTOR = "supervision_inspector"
    ANALYST = "analyst"
    ACCREDITATION_EXPERT = "accreditation_expert"
    FOUNDER = "founder"
    INSTITUTION_HEAD = "institution_head"
    CONVICTION_COMMISSION = "conviction_commission"
    CONVICTION_SECRETARY = "conviction_secretary"
    DATA_PROTECTION_OFFICER = "data_protection_officer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.IKVD_ADMIN: _("IKVD administrator"),
    Role.REGISTRY_OFFICER: _("Registry officer"),
    Role.QUALITY_EXPERT: _("Quality evaluation expert (IKVD)"),
    Role.SUPERVISION_INSPECTOR: _("Supervision inspector"),
    Role.ANALYST: _("Analyst"),
    Role.ACCREDITATION_EXPERT: _("External accreditation expert"),
    Role.FOUNDER: _("Founder / municipal education board"),
    Role.INSTITUTION_HEAD: _("Institution head"),
    Role.CONVICTION_COMMISSION: _("Member of the commission on persons with a spent conviction"),
    Role.CONVICTION_SECRETARY: _("Secretary of the commission on persons with a spent conviction"),
    Role.DATA_PROTECTION_OFFICER: _("IKVD data protection officer"),
}

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]

#: IKVD's own staff: see every register entry.
IKVD_STAFF_ROLES = frozenset(
    {Role.IKVD_ADMIN, Role.REGISTRY_OFFICER, Role.QUALITY_EXPERT, Role.SUPERVISION_INSPECTOR, Role.ANALYST}
)
#: Roles whose assignment must name a founder.
FOUNDER_SCOPED_ROLES = frozenset({Role.FOUNDER})
#: Roles whose assignment must name an institution.
INSTITUTION_SCOPED_ROLES = frozenset({Role.INSTITUTION_HEAD})
