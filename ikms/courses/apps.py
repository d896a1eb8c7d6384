from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.courses"
    verbose_name = _("Courses and events")

    def ready(self) -> None:
        """Audit action labels."""
        from ikms.core import audit_labels
        from ikms.courses import audit_actions

        audit_labels.register(audit_actions.LABELS)
