from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsychologistsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.psychologists"
    verbose_name = _("Register of psychologists")

    def ready(self) -> None:
        """Audit action labels, and row history (audit layer 2) for the register's entries and certificates."""
        import reversion

        from ikms.core import audit_labels
        from ikms.psychologists import audit_actions
        from ikms.psychologists import models as m

        audit_labels.register(audit_actions.LABELS)
        for model in (m.Psychologist, m.Certificate):
            if not reversion.is_registered(model):
                reversion.register(model, exclude=("updated_at", "search_name", "personal_code_digest"))
