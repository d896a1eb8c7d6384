"""Labels of the audit actions the accounts app writes (registered in ikms.core.audit_labels by AccountsConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "user.create": _("User account created"),
    "user.admin_save": _("User account changed in the administration"),
    "user.sign_in_lock": _("Sign-in locked after too many failed attempts"),
    "user.sign_in_unlock": _("Sign-in unlocked"),
    "user.second_factor_enrol": _("Authenticator app set up"),
    "user.second_factor_verify": _("Sign-in code from the authenticator app accepted"),
    "user.second_factor_failure": _("Wrong sign-in code entered"),
    "user.recovery_codes_regenerate": _("New recovery codes made"),
    "user.second_factor_disable": _("Two-factor authentication switched off"),
    "user.second_factor_reset": _("Two-factor authentication reset by an administrator"),
    "user.second_factor_install": _("Demo authenticator app installed"),
    "role.grant": _("Role granted"),
    "role.end": _("Role ended"),
}
