from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.practice"
    verbose_name = _("Teacher private-practice certificates")

    def ready(self) -> None:
        """Audit action labels, and row history (audit layer 2) of teachers and certificates."""
        import reversion

        from ikms.core import audit_labels
        from ikms.practice import audit_actions
        from ikms.practice import models as m

        audit_labels.register(audit_actions.LABELS)
        # the keyed hash of a personal code stays out of the row history, which staff pages show
        if not reversion.is_registered(m.Teacher):
            reversion.register(m.Teacher, exclude=("updated_at", "personal_code_digest"))
        if not reversion.is_registered(m.Certificate):
            reversion.register(m.Certificate, exclude=("updated_at",))
