from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrosschecksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.crosschecks"
    verbose_name = _("Cross-register checks")

    def ready(self) -> None:
        from ikms.core import audit_labels
        from ikms.crosschecks import audit_actions

        audit_labels.register(audit_actions.LABELS)
