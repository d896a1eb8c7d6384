from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "ikms.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from ikms.core import audit_labels
        from ikms.monitoring import audit_actions
        from ikms.monitoring.signals import results_changed
        from ikms.monitoring.tasks import on_register_changed, on_results_changed
        from ikms.registry.signals import register_changed

        audit_labels.register(audit_actions.LABELS)

        register_changed.connect(on_register_changed, dispatch_uid="monitoring.register_snapshot")
        # a completed computation fills the shared cache of the result pages (ikms.monitoring.warm)
        results_changed.connect(on_results_changed, dispatch_uid="monitoring.warm_result_pages")
