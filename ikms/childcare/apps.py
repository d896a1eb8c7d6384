from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildcareConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.childcare"
    verbose_name = _("Child supervision providers")

    def ready(self) -> None:
        """Audit action labels, and row history (audit layer 2) of the entries and their addresses."""
        import reversion

        from ikms.childcare import audit_actions
        from ikms.childcare import models as m
        from ikms.core import audit_labels

        audit_labels.register(audit_actions.LABELS)
        # the keyed hash of a personal code stays out of the row history, which staff pages show
        if not reversion.is_registered(m.Provider):
            reversion.register(m.Provider, exclude=("updated_at", "personal_code_digest"))
        if not reversion.is_registered(m.ServiceAddress):
            reversion.register(m.ServiceAddress, exclude=("updated_at",))
