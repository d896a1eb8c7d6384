from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "ikms.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from ikms.core import audit_labels
        from ikms.monitoring import audit_actions
        from ikms.monitoring.tasks import on_register_changed
        from ikms.registry.signals import register_changed

        audit_labels.register(audit_actions.LABELS)

        register_changed.connect(on_register_changed, dispatch_uid="monitoring.register_snapshot")
