"""Labels of the audit actions the accounts app writes (registered in ikms.core.audit_labels by AccountsConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "user.create": _("User account created"),
    "user.admin_save": _("User account changed in the administration"),
    "user.sign_in_lock": _("Sign-in locked after too many failed attempts"),
    "user.sign_in_unlock": _("Sign-in unlocked"),
    "role.grant": _("Role granted"),
    "role.end": _("Role ended"),
}
