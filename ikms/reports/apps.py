from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from ikms.core import audit_labels
        from ikms.reports import annual, audit_actions, kinds, municipal

        audit_labels.register(audit_actions.LABELS)
        kinds.register(annual.KIND)
        kinds.register(municipal.KIND)
