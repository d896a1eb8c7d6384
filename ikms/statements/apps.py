from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.statements"
    verbose_name = _("Statements of education history")

    def ready(self) -> None:
        from ikms.core import audit_labels
        from ikms.statements import audit_actions

        audit_labels.register(audit_actions.LABELS)
